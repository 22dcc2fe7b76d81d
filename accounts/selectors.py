"""Reads about users and businesses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core.models import OutboundEmail
from core.prepared import Columns, PreparedRead, prepared_reads

from .models import Business, Invitation, Membership, RepresentationRequest, User
from .personal_data import personal_data_parts
from .tokens import invitation_token_digest

# The format of a personal-data export (docs/api.md, "Your own data"); raised when its shape changes.
EXPORT_FORMAT = 1


def business_search(*, query: str = "", category: str = "", city: str = "") -> QuerySet[Business]:
    """Listed businesses matching a name (or website) fragment, a category and a city."""
    qs = Business.objects.filter(is_listed=True)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(website__icontains=query))
    if category.strip():
        qs = qs.filter(category__iexact=category.strip())
    if city.strip():
        qs = qs.filter(Q(city__iexact=city.strip()) | Q(locations__city__iexact=city.strip())).distinct()
    return qs.order_by("name")


def listed_categories() -> list[str]:
    """The categories of listed businesses, for the directory's category filter."""
    return list(
        Business.objects.filter(is_listed=True)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def businesses_of(*, user: User) -> QuerySet[Business]:
    """The businesses this user represents, by name."""
    return Business.objects.filter(pk__in=Membership.objects.filter(user=user).values("business_id")).order_by(
        "name", "pk"
    )


_BUSINESS = Columns(Business)
# The dashboard reads them on every request: prepared once on each connection (core.prepared),
# as building the read through the ORM cost several times running it.
BUSINESSES_OF = PreparedRead(
    "redress_businesses_of",
    lambda: (
        f"SELECT {_BUSINESS.select('b')} FROM {Business._meta.db_table} b "  # nosec B608: names from the models' meta
        f"WHERE b.id IN (SELECT m.business_id FROM {Membership._meta.db_table} m WHERE m.user_id = $1) "
        "ORDER BY b.name, b.id"
    ),
)


def businesses_list_of(*, user: User) -> list[Business]:
    """The businesses this user represents, by name, as `businesses_of` gives them."""
    if not prepared_reads():
        return list(businesses_of(user=user))
    return [_BUSINESS.instance(row) for row in BUSINESSES_OF.rows(user.pk)]


def represents_a_business(*, user: User) -> bool:
    """Whether the user is a representative of at least one business."""
    return Membership.objects.filter(user=user).exists()


def mfa_applies_to(user: Any) -> bool:
    """Staff and superusers sign in with a second factor (docs/operations.md)."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def mfa_owed(*, user: Any, required: bool) -> str:
    """What this signed-in session still owes before it reaches any other page.

    `verify`: the user has an authenticator (or recovery codes) and this session has not given a
    code yet. `setup`: second factors are required (REDRESS_ADMIN_REQUIRE_MFA) and the user has
    none. Empty: nothing is owed. Only staff and superusers owe anything.
    """
    if not mfa_applies_to(user):
        return ""
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return ""
    if user_has_device(user, confirmed=True):
        return "verify"
    return "setup" if required else ""


def mfa_authenticator_of(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mfa_pending_authenticator_of(*, user: User) -> TOTPDevice | None:
    """The authenticator being set up: created, shown, not yet confirmed with a first code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@dataclass(frozen=True)
class MfaStatus:
    authenticator: TOTPDevice | None
    recovery_codes_left: int


def mfa_status(*, user: User) -> MfaStatus:
    """The user's authenticator and how many unused recovery codes they hold (never the codes)."""
    left = StaticToken.objects.filter(device__in=StaticDevice.objects.filter(user=user, confirmed=True)).count()
    return MfaStatus(authenticator=mfa_authenticator_of(user=user), recovery_codes_left=left)


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link's token names, in any state, or None."""
    if not token:
        return None
    return Invitation.objects.select_related("business").filter(token_hash=invitation_token_digest(token)).first()


def invitations_revocable(*, user: User, now: datetime) -> QuerySet[Invitation]:
    """Pending invitations this user may withdraw: the ones they sent, and all of the businesses they own.

    The same rule as accounts.services.invitation_may_revoke, for a list.
    """
    mine = Membership.objects.filter(user=user)
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
        .filter(
            Q(invited_by=user, business_id__in=mine.values("business_id"))
            | Q(business_id__in=mine.filter(role=Membership.Role.OWNER).values("business_id"))
        )
        .select_related("business")
        .order_by("business__name", "-created_at")
    )


def api_tokens_of(*, user: User, now: datetime) -> QuerySet[AuthToken]:
    """The user's API tokens that still work, newest first."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=now)
    return AuthToken.objects.filter(live, user=user).order_by("-created", "-digest")


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def emails_to(user: User) -> QuerySet[OutboundEmail]:
    """The e-mails Redress stored for this person: those to their account and to their address."""
    return OutboundEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email)).order_by("created_at", "id")


def account_data_export(*, user: User) -> dict[str, Any]:
    """Everything Redress holds about `user`, as JSON values: the account, then each app's part."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "date_joined": _when(user.date_joined),
            "email_verified_at": _when(user.email_verified_at),
            "last_login": _when(user.last_login),
            "is_staff": user.is_staff,
            "time_zone": user.time_zone,
        },
        "memberships": [
            {
                "business": m.business.name,
                "business_slug": m.business.slug,
                "role": m.role,
                "since": _when(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("business").order_by("created_at")
        ],
        "representation_requests": [
            {
                "business": r.business.name,
                "message": r.message,
                "status": r.status,
                "created_at": _when(r.created_at),
                "decided_at": _when(r.decided_at),
            }
            for r in RepresentationRequest.objects.filter(user=user).select_related("business").order_by("created_at")
        ],
        "invitations": [
            {
                "business": i.business.name,
                "email": i.email,
                "created_at": _when(i.created_at),
                "accepted_at": _when(i.accepted_at),
            }
            for i in Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
            .select_related("business")
            .order_by("created_at")
        ],
        "emails": [
            {
                "to": e.to,
                "subject": e.subject,
                "kind": e.kind,
                "state": e.state,
                "created_at": _when(e.created_at),
                "sent_at": _when(e.sent_at),
                "body_text": e.body_text,
            }
            for e in emails_to(user)
        ],
    }
    for part in personal_data_parts():
        if part.export is not None:
            data.update(part.export(user))
    return data
