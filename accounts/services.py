"""Writes about users, businesses and who represents them.

API tokens are knox's (docs/api.md, "Signing in"): stored as digests, expiring, listed and ended
by their owner, and all ended when the password changes.

Account mail (address verification, invitations) is sent directly after the transaction
commits, like Django's own password-reset mail: it concerns no complaint, and a lost message
is sent again from the page that offers it.
"""

from __future__ import annotations

import math
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core.errors import CodeRefused, InvalidInput, InvalidTransition, NotAllowed, NotFound
from core.models import OutboundEmail
from core.outbox import email_store
from core.security import security_event

from .models import Business, BusinessAuditEntry, Invitation, Membership, RepresentationRequest, User
from .personal_data import Cutter, personal_data_parts
from .selectors import emails_to, mfa_applies_to
from .tokens import (
    EMAIL_VERIFICATION_MAX_AGE,
    email_verification_read,
    email_verification_token,
    invitation_token,
    invitation_token_digest,
)
from .zones import zone_checked

Kind = BusinessAuditEntry.Kind


def business_audit_record(
    *, business: Business | None, actor: User | None, kind: str, reason: str = "", data: dict | None = None
) -> BusinessAuditEntry:
    """Put one act on a business on its audit log (in the caller's transaction); a staff act on the security log too."""
    entry = BusinessAuditEntry.objects.create(
        business=business, actor=actor, kind=kind, reason=reason.strip(), data=data or {}
    )
    if actor is not None and actor.is_staff:
        security_event(
            "staff_act", user=actor, business=business.slug if business else "", act=kind, reason=entry.reason
        )
    return entry


# The longest alert banner; it is a notice on the public profile, not an article.
ALERT_MAX = 2000


def business_alert_set(*, business_id: int, staff: User, alert: str, reason: str) -> Business:
    """Staff publish, change or remove a business's alert banner, with a reason, on its audit log."""
    if not staff.is_staff:
        raise NotAllowed("Only staff set a business's alert.")
    alert, reason = (alert or "").strip(), (reason or "").strip()
    if not reason:
        raise InvalidInput("A reason is required.", field_errors={"reason": ["Say why the alert changes."]})
    if len(alert) > ALERT_MAX:
        raise InvalidInput("Too long.", field_errors={"alert": [f"Keep the alert to {ALERT_MAX:,} characters."]})
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


def _signup_checked(*, email: str, name: str, password: str, refuse_taken: bool) -> tuple[str, str]:
    """The normalised address and name, or InvalidInput naming the fields at fault."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter your e-mail address."]
    elif refuse_taken and User.objects.filter(email__iexact=email).exists():
        errors["email"] = ["An account with this e-mail address already exists. Sign in or reset your password."]
    if not name:
        errors["name"] = ["Enter your name."]
    try:
        validate_password(password, User(email=email, name=name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise InvalidInput("The account could not be created.", field_errors=errors)
    return email, name


def signup_request(*, email: str, name: str, password: str, time_zone: str = "") -> User | None:
    """Sign up from the open sign-up page or API: the answer must not tell whether the address is taken.

    A new address gets a complainant account and a confirmation link; an address that already has
    an account gets, instead, a message telling its owner that someone tried to sign up with it
    (docs/decisions/0016-sign-up-does-not-tell.md). Both cost one password hash, so timing tells
    no more than the answer. Returns the new user, or None when the address was taken: the caller
    answers both alike.
    """
    email, name = _signup_checked(email=email, name=name, password=password, refuse_taken=False)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            return _user_create(email=email, name=name, password=password, time_zone=time_zone)
        except InvalidInput:  # created meanwhile by a concurrent sign-up: the owner is told as below
            existing = User.objects.filter(email__iexact=email).first()
            if existing is None:
                raise
    else:
        make_password(password)
    signup_attempt_notify(user=existing)
    return None


def user_time_zone_set(*, user: User, time_zone: str) -> User:
    """The user chooses the zone their pages and e-mails give times in ("" for the site's)."""
    zone = _zone(time_zone)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(time_zone=zone)
        user.time_zone = zone
    return user


def signup_attempt_notify(*, user: User) -> None:
    """Tell an account's owner that someone tried to sign up with their address."""
    signin = _absolute(reverse("accounts:signin"))
    reset = _absolute(reverse("accounts:password-reset"))
    body = (
        f"Hello {user.get_short_name()},\n\n"
        "Someone tried to create a Redress account with this e-mail address, which already has one.\n\n"
        f"If it was you, sign in here:\n\n{signin}\n\n"
        f"or, if you have forgotten your password, reset it here:\n\n{reset}\n\n"
        "If it was not you, you need do nothing: your account and its password are unchanged.\n"
    )
    with transaction.atomic():
        email_store(to=user.email, subject="Redress: someone tried to sign up with your address",
                    body_text=body, kind="signup_attempt")  # fmt: skip


def user_signup(*, email: str, name: str, password: str, time_zone: str = "") -> User:
    """Create a complainant account and e-mail a link that verifies the address (a taken address is refused).

    For the invitation page, where the address came in the invitation. The open sign-up uses
    `signup_request`, which does not tell whether an address is taken.
    """
    email, name = _signup_checked(email=email, name=name, password=password, refuse_taken=True)
    return _user_create(email=email, name=name, password=password, time_zone=time_zone)


def _zone(time_zone: str) -> str:
    try:
        return zone_checked(time_zone)
    except ValueError:
        raise InvalidInput(
            "Unknown time zone.", field_errors={"time_zone": ["Choose a time zone from the list."]}
        ) from None


def _user_create(*, email: str, name: str, password: str, time_zone: str = "") -> User:
    zone = _zone(time_zone)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name, time_zone=zone)
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


# Why an invitation link cannot be accepted, by code (docs/domain.md, "Invitations").
INVITATION_REFUSALS = {
    "unknown": "This invitation link is not valid. Check that you opened the whole link from the e-mail.",
    "accepted": "This invitation has already been used. An invitation link works once.",
    "revoked": "This invitation was withdrawn. Ask the person who invited you to send a new one.",
    "expired": "This invitation has expired. Ask the person who invited you to send a new one.",
    "other_address": (
        "This invitation was sent to a different e-mail address than the one you are signed in with. "
        "Sign out and open the link again with the account of the invited address, "
        "or ask the person who invited you to invite this address."
    ),
}


class InvitationRefused(NotAllowed):
    """An invitation link that cannot be accepted now; `code` is a key of INVITATION_REFUSALS."""

    def __init__(self, code: str) -> None:
        super().__init__(INVITATION_REFUSALS[code])
        self.code = code


def invitation_check(*, invitation: Invitation | None, email: str | None, now: datetime) -> Invitation:
    """Return the invitation if it can be accepted; refuse one that is unknown, used, withdrawn or
    expired, or meant for another address.

    `email` is the address of the person accepting; None while nobody is signed in.
    """
    if invitation is None:
        raise InvitationRefused("unknown")
    state = invitation.state_at(now)
    if state != Invitation.State.PENDING:
        raise InvitationRefused(state)
    if email is not None and email.strip().lower() != invitation.email.lower():
        raise InvitationRefused("other_address")
    return invitation


def invitation_create(*, business: Business, email: str, invited_by: User) -> tuple[Invitation, str]:
    """Invite someone, by e-mail, to become a representative of a business the inviter represents.

    Returns the invitation and the token its link carries; the row keeps only the token's digest.
    """
    if not Membership.objects.filter(user=invited_by, business=business).exists():
        raise NotFound("No such business.")
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email or "@" not in email:
        raise InvalidInput("Enter an e-mail address.", field_errors={"email": ["Enter a valid e-mail address."]})
    if Membership.objects.filter(business=business, user__email__iexact=email).exists():
        raise InvalidInput(
            "Already a representative.", field_errors={"email": ["This person already represents the business."]}
        )
    token = invitation_token()
    days = settings.REDRESS_INVITATION_DAYS
    with transaction.atomic():
        invitation = Invitation.objects.create(
            business=business,
            email=email,
            token_hash=invitation_token_digest(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        link = _absolute(reverse("accounts:invitation", kwargs={"token": token}))
        subject = f"Redress: you are invited to represent {business.name}"
        body = (
            f"{invited_by.name or invited_by.email} invites you to answer complaints "
            f"for {business.name} on Redress.\n\n"
            f"Accept the invitation here:\n\n{link}\n\n"
            f"The link works once, for {days} days, and only for an account with this address ({email}).\n"
        )
        email_store(to=email, subject=subject, body_text=body, kind="invitation")
        business_audit_record(
            business=business, actor=invited_by, kind=Kind.INVITATION_SENT, data={"invitation": invitation.pk}
        )
    return invitation, token


def _invitation_lock(token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("business")
        .filter(token_hash=invitation_token_digest(token))
        .first()
    )


def _invitation_complete(*, invitation: Invitation, user: User) -> Membership:
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
    # Accepting an e-mailed link, which only the invited address may do, proves the address.
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return membership


def invitation_accept(*, token: str, user: User) -> Membership:
    """Make the signed-in user a representative of the invitation's business.

    Only the invited address may accept, once, before the invitation expires or is withdrawn;
    anything else raises InvitationRefused and grants nothing.
    """
    with transaction.atomic():
        invitation = invitation_check(invitation=_invitation_lock(token), email=user.email, now=timezone.now())
        return _invitation_complete(invitation=invitation, user=user)


def invitation_signup(*, token: str, email: str, name: str, password: str, time_zone: str = "") -> User:
    """Create the invited person's account and accept the invitation, in one transaction.

    The account must use the invited address: another address is a field error, and nothing is kept.
    """
    with transaction.atomic():
        invitation = invitation_check(invitation=_invitation_lock(token), email=None, now=timezone.now())
        if User.objects.normalize_email((email or "").strip()).lower() != invitation.email.lower():
            raise InvalidInput(
                "The account could not be created.",
                field_errors={"email": ["Use the address the invitation was sent to."]},
            )
        user = user_signup(email=email, name=name, password=password, time_zone=time_zone)
        _invitation_complete(invitation=invitation, user=user)
    return user


def invitation_may_revoke(*, invitation: Invitation, user: User) -> bool:
    """The representative who sent an invitation, or an owner of the business, may withdraw it."""
    memberships = Membership.objects.filter(user=user, business_id=invitation.business_id)
    if invitation.invited_by_id == user.pk:
        return memberships.exists()
    return memberships.filter(role=Membership.Role.OWNER).exists()


def invitation_revoke(*, invitation_id: int, user: User, reason: str = "") -> Invitation:
    """Withdraw a pending invitation; its link stops working and the business's audit log says why."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("business")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation_may_revoke(invitation=invitation, user=user):
            raise NotFound("No such invitation.")
        now = timezone.now()
        state = invitation.state_at(now)
        if state != Invitation.State.PENDING:
            raise InvalidTransition(INVITATION_REFUSALS[state])
        invitation.revoked_at = now
        invitation.revoked_by = user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        business_audit_record(
            business=invitation.business,
            actor=user,
            kind=Kind.INVITATION_REVOKED,
            reason=reason or "",
            data={"invitation": invitation.pk, "email": invitation.email},
        )
    return invitation


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


# Staff sign-in with a second factor (docs/operations.md, "Staff sign-in with a second factor").
# The authenticator is django-otp's TOTP device (RFC 6238: SHA-1, 6 digits, 30 s, one step of
# clock drift either way); recovery codes are its static device, each code deleted when used.

RECOVERY_CODE_COUNT = 10
# Twelve characters from 31 that cannot be mistaken for each other (no 0/o, 1/l/i): 59 bits each.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 12
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def mfa_code_normalise(code: str) -> str:
    """A code as typed, without spaces or dashes, in lower case ("123 456", "ABCD-EFGH-JKMN")."""
    return _SEPARATORS.sub("", code or "").lower()


def mfa_recovery_code_display(code: str) -> str:
    """A recovery code in groups of four, as shown to its owner."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _wait_words(retry_at: datetime) -> str:
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _retry_at(device: Device) -> datetime | None:
    allowed, info = device.verify_is_allowed()
    return None if allowed else (info or {}).get("locked_until")


def _code_check(device_id: int, model: type[Device], code: str) -> Device:
    """Check a code against one device under its row lock, or raise CodeRefused.

    django-otp counts the failure and dates it on the device (its throttle), and that count is
    committed before the refusal is raised: a rolled-back failure would be no throttle at all.
    """
    with transaction.atomic():
        device = model.objects.select_for_update().get(pk=device_id)
        waiting_until = _retry_at(device)
        accepted = waiting_until is None and bool(code) and device.verify_token(code)
        retry_at = None if accepted or waiting_until else _retry_at(device)
    if waiting_until is not None:
        raise CodeRefused(
            f"Too many wrong codes in a row. Try again in {_wait_words(waiting_until)}.",
            reason="throttled",
            retry_at=waiting_until,
        )
    if not accepted:
        message = "That code is not right. Use the newest code your app shows, or a recovery code."
        if retry_at is not None:
            message += f" You can try again in {_wait_words(retry_at)}."
        raise CodeRefused(message, reason="wrong_code", retry_at=retry_at)
    return device


def _recovery_codes_replace(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.throttle_reset(commit=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_setup_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the one already started (same secret on every visit) or a new one."""
    if not mfa_applies_to(user):
        raise NotAllowed("Only staff set up an authenticator.")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise InvalidTransition("An authenticator is already set up. Remove it first to set up another.")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def mfa_setup_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with its first code; return it and ten new recovery codes.

    The codes are returned once, to be shown once: only the device holds them afterwards.
    """
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if pending is None:
        raise InvalidTransition("There is no set-up in progress. Start again.")
    code = mfa_code_normalise(code)
    if not re.fullmatch(r"\d{6}", code):
        raise CodeRefused("Enter the 6-digit code your app shows.", reason="wrong_code")
    device = _code_check(pending.pk, TOTPDevice, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
    return device, codes


def mfa_verify(*, user: User, code: str) -> tuple[Device, str]:
    """Check a sign-in's code: six digits go to the authenticator, anything else to the recovery codes.

    Returns the device that accepted it and `authenticator` or `recovery_code`. A recovery code
    works once. Raises CodeRefused when the code is wrong or wrong codes make the account wait.
    """
    code = mfa_code_normalise(code)
    if re.fullmatch(r"\d{6}", code):
        device_id = TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True).first()
        model: type[Device] = TOTPDevice
        method = "authenticator"
    else:
        device_id = StaticDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True).first()
        model = StaticDevice
        method = "recovery_code"
    if device_id is None:
        raise CodeRefused(
            "That code is not right. Use the newest code your app shows, or a recovery code.", reason="wrong_code"
        )
    return _code_check(device_id, model, code), method


def mfa_recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones (the old ones stop working)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise InvalidTransition("Set up an authenticator first.")
    with transaction.atomic():
        return _recovery_codes_replace(user)


def mfa_remove(*, user: User, reason: str) -> int:
    """Remove the user's authenticator and recovery codes; return how many devices went.

    Their next sign-in asks for no code, or for a new set-up where second factors are required.
    The caller logs the security event with the reason (the user's own act, or an operator's reset).
    """
    if not (reason or "").strip():
        raise InvalidInput("A reason is required.", field_errors={"reason": ["Say why the second factor is removed."]})
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    return removed


def api_token_create(*, user: User, request: HttpRequest | None = None) -> tuple[AuthToken, str]:
    """Give the user a new API token, valid for REDRESS_API_TOKEN_HOURS; return it and its secret.

    The secret is shown once: knox keeps only its SHA-512 digest and its first characters (the
    token's id). A user holds at most REDRESS_API_TOKENS_PER_USER tokens; a new one ends the
    oldest beyond that, and the security log says so.
    """
    now = timezone.now()
    with transaction.atomic():
        # One user's sign-ins take turns here, so the limit holds when two arrive at once.
        User.objects.select_for_update().filter(pk=user.pk).first()
        AuthToken.objects.filter(user=user, expiry__lte=now).delete()
        token, secret = AuthToken.objects.create(user=user, expiry=timedelta(hours=settings.REDRESS_API_TOKEN_HOURS))
        beyond = list(
            AuthToken.objects.filter(user=user)
            .order_by("-created", "-digest")
            .values_list("digest", "token_key")[settings.REDRESS_API_TOKENS_PER_USER :]
        )
        if beyond:
            AuthToken.objects.filter(digest__in=[digest for digest, _ in beyond]).delete()
            security_event(
                "api_token_revoked", request=request, user=user, tokens=[key for _, key in beyond], reason="limit"
            )
    return token, secret


def _by(by: Any) -> dict[str, Any]:
    """Who acted, for the security log, when it is not the token's owner (staff in admin)."""
    return {"by_user_id": by.pk, "by": by.email} if by is not None and by.pk is not None else {}


def api_token_revoke(*, user: User, token_id: str, request: HttpRequest | None = None, by: Any = None) -> None:
    """End one of the user's API tokens, named by its id; another's, or none, is NotFound.

    `by` is the staff member who revoked it in admin; None when the owner did.
    """
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_id).delete() if token_id else (0, {})
    if not deleted:
        raise NotFound("No such token.")
    reason = "owner" if by is None else "staff"
    security_event("api_token_revoked", request=request, user=user, tokens=[token_id], reason=reason, **_by(by))


def api_tokens_end(*, user: User, reason: str, request: HttpRequest | None = None, by: Any = None) -> int:
    """End every API token of the user (they asked, or the password changed); return how many."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    security_event("api_tokens_ended", request=request, user=user, count=deleted, reason=reason, **_by(by))
    return deleted


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
        AuthToken.objects.filter(user=user).delete()
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
