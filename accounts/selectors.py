"""Reads about users and businesses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import OutboundEmail

from .models import Business, Invitation, Membership, RepresentationRequest, User
from .personal_data import personal_data_parts

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
    """The businesses this user represents."""
    return Business.objects.filter(pk__in=Membership.objects.filter(user=user).values("business_id")).order_by("name")


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
