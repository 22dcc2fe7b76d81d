"""Writes about users, businesses and who represents them.

Account mail (address verification, invitations) is sent directly after the transaction
commits, like Django's own password-reset mail: it concerns no complaint, and a lost message
is sent again from the page that offers it.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from core.models import OutboundEmail
from core.outbox import email_store

from .models import Business, BusinessAuditEntry, Invitation, Membership, RepresentationRequest, User
from .personal_data import Cutter, personal_data_parts
from .selectors import emails_to
from .tokens import (
    EMAIL_VERIFICATION_MAX_AGE,
    email_verification_read,
    email_verification_token,
    invitation_token,
)

Kind = BusinessAuditEntry.Kind


def business_audit_record(
    *, business: Business | None, actor: User | None, kind: str, reason: str = "", data: dict | None = None
) -> BusinessAuditEntry:
    """Put one act on a business on its audit log (in the caller's transaction)."""
    return BusinessAuditEntry.objects.create(
        business=business, actor=actor, kind=kind, reason=reason.strip(), data=data or {}
    )


def business_alert_set(*, business_id: int, staff: User, alert: str, reason: str) -> Business:
    """Staff publish, change or remove a business's alert banner, with a reason, on its audit log."""
    if not staff.is_staff:
        raise NotAllowed("Only staff set a business's alert.")
    alert, reason = (alert or "").strip(), (reason or "").strip()
    if not reason:
        raise InvalidInput("A reason is required.", field_errors={"reason": ["Say why the alert changes."]})
    with transaction.atomic():
        business = Business.objects.select_for_update().filter(pk=business_id).first()
        if business is None:
            raise NotFound("No such business.")
        if alert == business.alert:
            raise InvalidInput("Nothing changes.", field_errors={"alert": ["The alert already reads like this."]})
        business.alert = alert
        business.alert_set_at = timezone.now() if alert else None
        business.save(update_fields=["alert", "alert_set_at"])
        kind = Kind.ALERT_SET if alert else Kind.ALERT_CLEARED
        business_audit_record(business=business, actor=staff, kind=kind, reason=reason, data={"alert": alert})
    return business


def representation_request_decide(*, request_id: int, staff: User, approve: bool) -> RepresentationRequest:
    """Approve or refuse a pending request to represent a business; approval creates the membership.

    The request row is locked so two staff deciding at once cannot both act; a request that was
    already decided is refused. Approving a user who is already a member keeps the one membership.
    """
    if not staff.is_staff:
        raise NotAllowed("Only staff decide representation requests.")
    with transaction.atomic():
        request = RepresentationRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise NotFound("No such request.")
        if request.status != RepresentationRequest.Status.PENDING:
            raise InvalidTransition(f"This request was already {request.get_status_display().lower()}.")
        request.status = RepresentationRequest.Status.APPROVED if approve else RepresentationRequest.Status.REFUSED
        request.decided_at = timezone.now()
        request.decided_by = staff
        request.save(update_fields=["status", "decided_at", "decided_by"])
        business_audit_record(
            business=request.business,
            actor=staff,
            kind=Kind.REPRESENTATIVE_APPROVED if approve else Kind.REPRESENTATIVE_REFUSED,
            data={"user": request.user_id, "request": request.pk},
        )
        if approve:
            Membership.objects.get_or_create(
                user_id=request.user_id,
                business_id=request.business_id,
                defaults={"role": Membership.Role.REPRESENTATIVE},
            )
    return request


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def user_signup(*, email: str, name: str, password: str) -> User:
    """Create a complainant account and e-mail a link that verifies the address."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter your e-mail address."]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = ["An account with this e-mail address already exists. Sign in or reset your password."]
    if not name:
        errors["name"] = ["Enter your name."]
    try:
        validate_password(password, User(email=email, name=name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise InvalidInput("The account could not be created.", field_errors=errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name)
            email_verification_send(user=user)
    except IntegrityError as exc:
        raise InvalidInput(
            "The account could not be created.",
            field_errors={"email": ["An account with this e-mail address already exists."]},
        ) from exc
    return user


def email_verification_send(*, user: User) -> None:
    """E-mail the user a signed link that verifies their address (after the transaction commits)."""
    if user.email_verified_at is not None:
        return
    token = email_verification_token(user_id=user.pk, email=user.email)
    link = _absolute(reverse("accounts:verify-email", kwargs={"token": token}))
    subject = "Redress: confirm your e-mail address"
    body = (
        f"Hello {user.get_short_name()},\n\n"
        "Please confirm your e-mail address by opening this link:\n\n"
        f"{link}\n\n"
        "Until you do, complaints you file are kept with Redress and not sent to the business.\n"
        f"The link works for {EMAIL_VERIFICATION_MAX_AGE // 86400} days; "
        "you can ask for a new one on your complaints page.\n"
    )
    email_store(to=user.email, subject=subject, body_text=body, kind="verification")


def email_verify(*, token: str) -> User:
    """Mark the address a token vouches for as verified; raise InvalidInput if the link is bad."""
    read = email_verification_read(token)
    user = User.objects.filter(pk=read[0]).first() if read else None
    if read is None or user is None or user.email.lower() != read[1].lower():
        raise InvalidInput("This confirmation link is invalid or has expired. Ask for a new one.")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def invitation_create(*, business: Business, email: str, invited_by: User) -> Invitation:
    """Invite someone, by e-mail, to become a representative of a business the inviter represents."""
    if not Membership.objects.filter(user=invited_by, business=business).exists():
        raise NotFound("No such business.")
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email or "@" not in email:
        raise InvalidInput("Enter an e-mail address.", field_errors={"email": ["Enter a valid e-mail address."]})
    if Membership.objects.filter(business=business, user__email__iexact=email).exists():
        raise InvalidInput(
            "Already a representative.", field_errors={"email": ["This person already represents the business."]}
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            business=business, email=email, token=invitation_token(), invited_by=invited_by
        )
        link = _absolute(reverse("accounts:invitation", kwargs={"token": invitation.token}))
        subject = f"Redress: you are invited to represent {business.name}"
        body = (
            f"{invited_by.name or invited_by.email} invites you to answer complaints "
            f"for {business.name} on Redress.\n\n"
            f"Accept the invitation here:\n\n{link}\n"
        )
        email_store(to=email, subject=subject, body_text=body, kind="invitation")
        business_audit_record(
            business=business, actor=invited_by, kind=Kind.INVITATION_SENT, data={"invitation": invitation.pk}
        )
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    """Make the signed-in user a representative of the invitation's business; a link works once."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("business").filter(token=token).first()
            if token
            else None
        )
        if invitation is None or invitation.accepted_at is not None:
            raise NotFound("This invitation is invalid or has already been used.")
        membership, _ = Membership.objects.get_or_create(user=user, business=invitation.business)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        business_audit_record(
            business=invitation.business,
            actor=user,
            kind=Kind.INVITATION_ACCEPTED,
            data={"invitation": invitation.pk, "user": user.pk},
        )
        # Accepting an e-mailed link to the invited address proves the address.
        if user.email_verified_at is None and user.email.lower() == invitation.email.lower():
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return membership


def representation_request_create(*, user: User, business: Business, message: str = "") -> RepresentationRequest:
    """Ask staff to make this user a representative of a business."""
    if Membership.objects.filter(user=user, business=business).exists():
        raise InvalidInput("You already represent this business.", field_errors={"business": ["Already yours."]})
    if RepresentationRequest.objects.filter(
        user=user, business=business, status=RepresentationRequest.Status.PENDING
    ).exists():
        raise InvalidInput(
            "You have already asked.", field_errors={"business": ["Your request for this business is pending."]}
        )
    return RepresentationRequest.objects.create(user=user, business=business, message=(message or "").strip()[:2000])


def business_create(
    *, staff: User, name: str, notice_email: str, website: str = "", category: str = "", address: str = ""
) -> Business:
    """Staff add a business to the directory; its slug is made from the name and kept unique."""
    if not staff.is_staff:
        raise NotAllowed("Only staff add businesses.")
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the business's name."]
    if not (notice_email or "").strip():
        errors["notice_email"] = ["Enter the address where complaint notices go."]
    if errors:
        raise InvalidInput("The business could not be added.", field_errors=errors)
    base = slugify(name)[:200] or "business"
    for attempt in range(1, 50):
        slug = base if attempt == 1 else f"{base}-{attempt}"
        try:
            with transaction.atomic():
                return Business.objects.create(
                    name=name,
                    slug=slug,
                    notice_email=notice_email.strip().lower(),
                    website=(website or "").strip(),
                    category=(category or "").strip(),
                    address=(address or "").strip(),
                )
        except IntegrityError:
            continue
    raise InvalidInput("The business could not be added.", field_errors={"name": ["Too many businesses share it."]})


def representative_add(*, staff: User, business: Business, email: str) -> tuple[Membership, bool]:
    """Staff make an existing account a representative of a business; True when newly made."""
    if not staff.is_staff:
        raise NotAllowed("Only staff add representatives.")
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise InvalidInput(
            "No such account.",
            field_errors={"email": ["No active Redress account uses this address; invite the person instead."]},
        )
    with transaction.atomic():
        membership, made = Membership.objects.get_or_create(
            user=user, business=business, defaults={"role": Membership.Role.REPRESENTATIVE}
        )
        if made:
            business_audit_record(
                business=business, actor=staff, kind=Kind.REPRESENTATIVE_ADDED, data={"user": user.pk}
            )
    return membership, made


# Why an account's deletion closes its open complaints and ends its e-mails (docs/domain.md, "Your own data").
ACCOUNT_DELETED_REASON = "Account deleted at the complainant's request"
DELETED_NAME = "Deleted account"
DELETED_EMAIL_DOMAIN = "deleted.invalid"  # a reserved name: no mail can reach it


def deleted_email(user_id: int) -> str:
    """The placeholder address a deleted account keeps: unique, never anyone's, and not guessable,
    so that no one can sign up with it first and make the deletion fail."""
    return f"deleted-{user_id}-{secrets.token_hex(8)}@{DELETED_EMAIL_DOMAIN}"


def account_delete(*, user: User, password: str) -> BusinessAuditEntry:
    """Delete a complainant's account at their request, keeping the record without them.

    The password is asked again. Each app removes the person from what it holds (open complaints
    are withdrawn first, their name and address are cut from the texts); then the e-mails to them
    lose their address and bodies, their notices and API tokens go, and the account keeps its id
    (the timeline's hashes cover ids, not names) with a placeholder address, no name, no usable
    password and no sign-in. One audit entry records the act and the complaints it withdrew.
    Staff and representatives are refused: their acts speak for Redress or a business.
    """
    if not user.is_active or user.email.endswith("@" + DELETED_EMAIL_DOMAIN):
        raise NotFound("No such account.")
    if not user.check_password(password or ""):
        raise InvalidInput("Wrong password.", field_errors={"password": ["This is not your password."]})
    if user.is_staff or user.is_superuser:
        raise NotAllowed("A staff account is closed by a Redress administrator, not deleted here.")
    if Membership.objects.filter(user=user).exists():
        raise NotAllowed(
            "You represent a business. Ask Redress staff to remove you from it first: "
            "its responses must keep an author while you are its representative."
        )
    cut = Cutter(name=user.name, email=user.email)
    placeholder = deleted_email(user.pk)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:  # deleted by a request that held the lock first
            raise NotFound("No such account.")
        done: dict[str, Any] = {"user": user.pk}
        for part in reversed(personal_data_parts()):
            done.update(part.erase(user, cut, ACCOUNT_DELETED_REASON) or {})
        _emails_erase(user, placeholder)
        Invitation.objects.filter(email__iexact=user.email).update(email=placeholder)
        RepresentationRequest.objects.filter(user=user).update(message="")
        Token.objects.filter(user=user).delete()
        user.email = placeholder
        user.name = DELETED_NAME
        user.email_verified_at = None
        user.is_active = False
        user.set_unusable_password()  # also ends every session: each carries a hash of the password
        user.save(update_fields=["email", "name", "email_verified_at", "is_active", "password"])
        return business_audit_record(
            business=None,
            actor=user,
            kind=Kind.ACCOUNT_DELETED,
            reason=ACCOUNT_DELETED_REASON,
            data=done,
        )


def _emails_erase(user: User, placeholder: str) -> None:
    """Keep that each e-mail was sent, not to whom or what it said; stop those still waiting."""
    emails = emails_to(user)
    emails.filter(state=OutboundEmail.State.PENDING).update(
        state=OutboundEmail.State.FAILED, last_error="Not sent: the account was deleted.", alerted_at=timezone.now()
    )
    emails.update(to=placeholder, body_text="", body_html="", context={}, headers={})
