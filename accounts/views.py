"""Account pages: sign-up, sign-in and out, password change and reset, e-mail verification,
invitations, API tokens, asking to represent a business, a person's own data (export and
deletion), and staff's second factor (set-up, verify, manage)."""

from __future__ import annotations

import json
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from core.errors import CodeRefused, InvalidInput, NotFound, RedressError
from core.forms import add_service_errors
from core.security import security_event
from core.throttles import MailThrottle, SigninThrottle, SignupThrottle, WriteRateThrottle, page_throttle_refusal

from .forms import (
    AccountDeleteForm,
    InvitationForm,
    InvitationRevokeForm,
    MfaSetupForm,
    MfaVerifyForm,
    PasswordConfirmForm,
    RepresentationRequestForm,
    SignInForm,
    SignUpForm,
    TimeZoneForm,
)
from .selectors import (
    account_data_export,
    api_tokens_of,
    businesses_of,
    invitation_for_token,
    invitations_revocable,
    mfa_applies_to,
    mfa_authenticator_of,
    mfa_status,
    represents_a_business,
)
from .services import (
    InvitationRefused,
    account_delete,
    api_token_revoke,
    api_tokens_end,
    email_verification_send,
    email_verify,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_revoke,
    invitation_signup,
    mfa_recovery_code_display,
    mfa_recovery_codes_regenerate,
    mfa_remove,
    mfa_setup_confirm,
    mfa_setup_start,
    mfa_verify,
    representation_request_create,
    signup_request,
    user_time_zone_set,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _refused(request: HttpRequest, throttle_class: type[WriteRateThrottle], form: Form) -> bool:
    """Put the rate limit's refusal on the bound form, if it refuses; True then.

    The form is not validated: for sign-in that would check the password, and a refused guess
    must not tell whether it was right. What was typed stays in the fields.
    """
    refusal = page_throttle_refusal(request, throttle_class)
    if refusal:
        form.cleaned_data = {}
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # where full_clean starts; no check is run
        form.add_error(None, refusal)
    return bool(refusal)


# The sign-up waiting for its confirmation link in this browser: {"user": id or 0, "email", "next"}.
SIGNUP_SESSION_KEY = "redress_signup"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up; the answer is the same whether or not the address already has an account.

    Nobody is signed in here: the confirmation link, opened in this browser, signs the new user
    in (`verify_email`). An address that is taken gets a message to its owner instead.
    """
    if request.user.is_authenticated:
        return redirect("complaints:mine")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and _refused(request, SignupThrottle, form):
        return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup_request(**form.cleaned_data)
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            request.session[SIGNUP_SESSION_KEY] = {
                "user": user.pk if user is not None else 0,
                "email": form.cleaned_data["email"].strip().lower(),
                "next": _next_url(request, "/complaints/new/"),
            }
            return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SIGNUP_SESSION_KEY)
    if not isinstance(pending, dict):
        return redirect("accounts:signup")
    return render(request, "accounts/signup_sent.html", {"email": pending.get("email", "")})


class SignInView(auth_views.LoginView):
    template_name = "registration/signin.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Where a sign-in without a (safe) `next` lands: a representative's dashboard, the staff
        workbench for staff, else /complaints/.

        A staff member who owes a second factor is then sent to confirm it first, with this
        page as the `next` (StaffVerificationMiddleware).
        """
        if represents_a_business(user=self.request.user):  # type: ignore[arg-type]
            return reverse("complaints:dashboard")
        if self.request.user.is_staff:
            return reverse("workbench:index")
        return super().get_default_redirect_url()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if _refused(request, SigninThrottle, form):
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class SignOutView(auth_views.LogoutView):
    """Sign out on POST only (Django refuses GET), then show the home page."""


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Each request mails the address typed: limited, so no one can flood somebody's inbox.
        form = self.get_form()
        if _refused(request, MailThrottle, form):
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link; every API token of the account ends with the old one."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        api_tokens_end(user=form.user, reason="password_reset", request=self.request)
        return response


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Open the e-mailed link: the address is confirmed and held complaints can go to the business."""
    try:
        user = email_verify(token=token)
    except InvalidInput as exc:
        return render(request, "accounts/verify_failed.html", {"message": exc.message}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, "Your e-mail address is confirmed. Your complaints can now reach the businesses.")
        return redirect("complaints:mine")
    pending = request.session.get(SIGNUP_SESSION_KEY)
    if not request.user.is_authenticated and isinstance(pending, dict) and pending.get("user") == user.pk:
        # Opened in the browser that signed up, which typed the password: sign the new user in.
        request.session.pop(SIGNUP_SESSION_KEY)
        login(request, user, backend=BACKEND)
        messages.success(request, "Welcome to Redress. Your e-mail address is confirmed.")
        return redirect(pending.get("next") or "/complaints/new/")
    messages.success(request, "Your e-mail address is confirmed. Sign in to follow your complaints.")
    return redirect("accounts:signin")


@login_required
@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    if request.user.email_verified_at is None:  # type: ignore[union-attr]
        refusal = page_throttle_refusal(request, MailThrottle)
        if refusal:
            messages.error(request, refusal)
            return redirect(_next_url(request, "/complaints/"))
        email_verification_send(user=request.user)  # type: ignore[arg-type]
        messages.success(request, f"We sent a new confirmation link to {request.user.email}.")  # type: ignore[union-attr]
    return redirect(_next_url(request, "/complaints/"))


# The page's status for each refusal of an invitation link (accounts.services.INVITATION_REFUSALS).
INVITATION_REFUSAL_STATUS = {"unknown": 404, "other_address": 403, "accepted": 410, "revoked": 410, "expired": 410}


def _invitation_refused(request: HttpRequest, refusal: InvitationRefused) -> HttpResponse:
    """Show why the link does not work, and log it: a leaked or guessed link shows up here."""
    security_event(
        "invitation_refused",
        request=request,
        user=request.user if request.user.is_authenticated else None,
        reason=refusal.code,
    )
    context = {"message": refusal.message, "code": refusal.code}
    status = INVITATION_REFUSAL_STATUS[refusal.code]
    return render(request, "accounts/invitation_refused.html", context, status=status)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: sign up (or sign in) with the invited address and become a representative."""
    user = request.user if request.user.is_authenticated else None
    try:
        invite = invitation_check(
            invitation=invitation_for_token(token=token), email=user.email if user else None, now=timezone.now()
        )
    except InvitationRefused as refusal:
        return _invitation_refused(request, refusal)
    signup_form = None
    if user is not None:
        if request.method == "POST":
            try:
                invitation_accept(token=token, user=user)  # type: ignore[arg-type]
            except InvitationRefused as refusal:
                return _invitation_refused(request, refusal)
            messages.success(request, f"You now represent {invite.business.name}.")
            return redirect("complaints:dashboard")
    else:
        signup_form = SignUpForm(request.POST or None, initial={"email": invite.email})
        if request.method == "POST" and _refused(request, SignupThrottle, signup_form):
            context = {"invitation": invite, "form": signup_form}
            return render(request, "accounts/invitation.html", context, status=429)
        if request.method == "POST" and signup_form.is_valid():
            try:
                new_user = invitation_signup(token=token, **signup_form.cleaned_data)
            except InvitationRefused as refusal:
                return _invitation_refused(request, refusal)
            except RedressError as exc:
                add_service_errors(signup_form, exc)
            else:
                login(request, new_user, backend=BACKEND)
                messages.success(request, f"Welcome to Redress. You now represent {invite.business.name}.")
                return redirect("complaints:dashboard")
    status = 400 if signup_form is not None and signup_form.errors else 200
    return render(request, "accounts/invitation.html", {"invitation": invite, "form": signup_form}, status=status)


def _invite_page(request: HttpRequest, form: InvitationForm, *, status: int = 200) -> HttpResponse:
    pending = invitations_revocable(user=request.user, now=timezone.now())  # type: ignore[arg-type]
    context = {
        "form": form,
        # One withdraw form per invitation, each with its own field ids.
        "pending": [(item, InvitationRevokeForm(auto_id=f"id_revoke_{item.pk}_%s")) for item in pending],
        "invitation_days": settings.REDRESS_INVITATION_DAYS,
    }
    return render(request, "accounts/invite.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """A representative invites a colleague by e-mail, and sees the invitations still waiting."""
    businesses = list(businesses_of(user=request.user))  # type: ignore[arg-type]
    if request.method == "GET":
        return _invite_page(request, InvitationForm(businesses=businesses))
    form = InvitationForm(request.POST, businesses=businesses)
    if _refused(request, MailThrottle, form):
        return _invite_page(request, form, status=429)
    if form.is_valid():
        try:
            invitation_create(
                business=form.cleaned_data["business"],
                email=form.cleaned_data["email"],
                invited_by=request.user,  # type: ignore[arg-type]
            )
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("accounts:invite")
    return _invite_page(request, form, status=400)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation from the invite page; its link stops working at once."""
    form = InvitationRevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        invitation = invitation_revoke(invitation_id=invitation_id, user=request.user, reason=reason)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    except RedressError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn; its link no longer works.")
    return redirect("accounts:invite")


@login_required
@require_http_methods(["GET"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API tokens that still work, each with a button that revokes it."""
    tokens = api_tokens_of(user=request.user, now=timezone.now())  # type: ignore[arg-type]
    return render(request, "accounts/tokens.html", {"tokens": tokens})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: str) -> HttpResponse:
    try:
        api_token_revoke(user=request.user, token_id=token_id, request=request)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, "The token was revoked. Programs that used it must sign in again.")
    return redirect("accounts:tokens")


@login_required
@require_POST
def api_tokens_revoke_all(request: HttpRequest) -> HttpResponse:
    ended = api_tokens_end(user=request.user, reason="owner", request=request)  # type: ignore[arg-type]
    messages.success(
        request, f"{ended} token{'s' if ended != 1 else ''} revoked. Programs that used them must sign in again."
    )
    return redirect("accounts:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password while signed in; every API token of the account ends with the old one."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        api_tokens_end(user=form.user, reason="password_change", request=self.request)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def represent(request: HttpRequest) -> HttpResponse:
    """Ask staff to make the signed-in user a representative of a business."""
    form = RepresentationRequestForm(request.POST or None, initial={"business": request.GET.get("business")})
    if request.method == "POST" and form.is_valid():
        try:
            representation_request_create(
                user=request.user,  # type: ignore[arg-type]
                business=form.cleaned_data["business"],
                message=form.cleaned_data["message"],
            )
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Your request to represent {form.cleaned_data['business'].name} was sent. Staff will review it.",
            )
            return redirect("complaints:dashboard")
    return render(request, "accounts/represent.html", {"form": form})


# Staff sign-in with a second factor (docs/operations.md). accounts.middleware sends a staff
# session that owes a code here; these pages never show the secret once set-up is confirmed.


def _mfa_user(request: HttpRequest) -> Any:
    if not mfa_applies_to(request.user):
        raise Http404("Only staff sign in with a second factor.")
    return request.user


def _after_mfa(request: HttpRequest) -> str:
    return _next_url(request, reverse("admin:index"))


def _qr_svg(url: str, label: str) -> SafeString:
    """The otpauth URL as an inline SVG QR code drawn on the server: no script, no style attribute."""
    svg = segno.make(url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="mfa-qr__code", omitsize=True, title=label
    )
    # segno writes only a viewBox, a class, the title and path data derived from the URL; the
    # title is our own fixed text. Nothing a user typed reaches this markup.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # nosec B308 B703 -- markup generated by segno


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _codes_page(request: HttpRequest, codes: list[str], *, heading: str) -> HttpResponse:
    context = {"codes": [mfa_recovery_code_display(code) for code in codes], "heading": heading}
    context["next"] = _after_mfa(request)
    response = render(request, "accounts/mfa_recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _refusal_status(error: RedressError) -> int:
    return 429 if isinstance(error, CodeRefused) and error.reason == "throttled" else 400


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Show a new authenticator's QR code and key; a first code confirms it and shows the recovery codes once."""
    user = _mfa_user(request)
    if mfa_authenticator_of(user=user) is not None:
        return redirect("accounts:mfa")
    device = mfa_setup_start(user=user)
    form = MfaSetupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = mfa_setup_confirm(user=user, code=form.cleaned_data["code"])
        except RedressError as exc:
            add_service_errors(form, exc)
            status = _refusal_status(exc)
            security_event("mfa_failed", request=request, user=user, stage="setup", reason=getattr(exc, "reason", ""))
        else:
            otp_login(request, device)
            request.session.cycle_key()
            security_event("mfa_enrolled", request=request, user=user, device=device.persistent_id)
            return _codes_page(request, codes, heading="Your authenticator is set up")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url, "QR code for your authenticator app"),
        "secret": _grouped(secret),
        "issuer": settings.OTP_TOTP_ISSUER,
        "next": _next_url(request, ""),
    }
    response = render(request, "accounts/mfa_setup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify_page(request: HttpRequest) -> HttpResponse:
    """After the password, the code: from the authenticator app, or a recovery code (each works once)."""
    user = _mfa_user(request)
    if user.is_verified():
        return redirect(_after_mfa(request))
    status = mfa_status(user=user)
    if status.authenticator is None and not status.recovery_codes_left:
        return redirect(f"{reverse('accounts:mfa-setup')}?{urlencode({'next': _after_mfa(request)})}")
    form = MfaVerifyForm(request.POST or None)
    code_status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, method = mfa_verify(user=user, code=form.cleaned_data["code"])
        except RedressError as exc:
            add_service_errors(form, exc)
            code_status = _refusal_status(exc)
            security_event("mfa_failed", request=request, user=user, stage="verify", reason=getattr(exc, "reason", ""))
        else:
            otp_login(request, device)
            request.session.cycle_key()
            left = mfa_status(user=user).recovery_codes_left
            security_event("mfa_verified", request=request, user=user, method=method, recovery_codes_left=left)
            if method == "recovery_code":
                messages.warning(
                    request,
                    f"You signed in with a recovery code; it will not work again. {left} left. "
                    "Make new ones under Sign-in security if you are running short.",
                )
            return redirect(_after_mfa(request))
    context = {"form": form, "next": _next_url(request, "")}
    return render(request, "accounts/mfa_verify.html", context, status=code_status)


def _manage_page(request: HttpRequest, *, codes_form: Form, remove_form: Form, status: int = 200) -> HttpResponse:
    context = {
        "status": mfa_status(user=request.user),  # type: ignore[arg-type]
        "codes_form": codes_form,
        "remove_form": remove_form,
        "require_mfa": settings.REDRESS_ADMIN_REQUIRE_MFA,
    }
    return render(request, "accounts/mfa_manage.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def mfa_manage(request: HttpRequest) -> HttpResponse:
    """Sign-in security: the authenticator's dates, recovery codes left; new codes or removal, with the password."""
    user = _mfa_user(request)
    return _manage_page(
        request,
        codes_form=PasswordConfirmForm(user=user, prefix="codes"),
        remove_form=PasswordConfirmForm(user=user, prefix="remove"),
    )


@never_cache
@login_required
@require_POST
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _mfa_user(request)
    form = PasswordConfirmForm(request.POST, user=user, prefix="codes")
    if form.is_valid():
        try:
            codes = mfa_recovery_codes_regenerate(user=user)
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            security_event("mfa_recovery_codes_replaced", request=request, user=user)
            return _codes_page(request, codes, heading="Your new recovery codes")
    else:
        security_event("mfa_failed", request=request, user=user, stage="recovery_codes", reason="wrong_password")
    return _manage_page(
        request, codes_form=form, remove_form=PasswordConfirmForm(user=user, prefix="remove"), status=400
    )


@never_cache
@login_required
@require_POST
def mfa_remove_page(request: HttpRequest) -> HttpResponse:
    user = _mfa_user(request)
    form = PasswordConfirmForm(request.POST, user=user, prefix="remove")
    if not form.is_valid():
        security_event("mfa_failed", request=request, user=user, stage="remove", reason="wrong_password")
        return _manage_page(
            request, codes_form=PasswordConfirmForm(user=user, prefix="codes"), remove_form=form, status=400
        )
    reason = "removed by the account holder"
    removed = mfa_remove(user=user, reason=reason)
    security_event("mfa_removed", request=request, user=user, reason=reason, devices=removed)
    if settings.REDRESS_ADMIN_REQUIRE_MFA:
        messages.success(request, "Your authenticator is removed. Set up a new one to keep working as staff.")
        return redirect("accounts:mfa-setup")
    messages.success(request, "Your authenticator and recovery codes are removed. Sign-in asks for your password only.")
    return redirect("accounts:mfa")


@login_required
@require_http_methods(["GET", "POST"])
def time_zone(request: HttpRequest) -> HttpResponse:
    """The zone the signed-in person's pages and e-mails give times in."""
    user = request.user
    form = TimeZoneForm(request.POST or None, initial={"time_zone": user.time_zone})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        try:
            user_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])  # type: ignore[arg-type]
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Times are now shown in {user.zone}.")  # type: ignore[union-attr]
            return redirect("accounts:time-zone")
    status = 400 if form.errors else 200
    return render(request, "accounts/time_zone.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def account_data(request: HttpRequest) -> HttpResponse:
    """What Redress holds about the signed-in person: download it, or delete the account."""
    return render(request, "accounts/data.html", {"form": AccountDeleteForm()})


@login_required
@require_http_methods(["GET"])
def account_data_download(request: HttpRequest) -> HttpResponse:
    """Everything Redress holds about the signed-in person, as one JSON file."""
    data = account_data_export(user=request.user)  # type: ignore[arg-type]
    security_event("personal_data_exported", request=request, user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    filename = f"redress-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def account_data_delete(request: HttpRequest) -> HttpResponse:
    """Delete the signed-in person's account after they type their password again."""
    form = AccountDeleteForm(request.POST)
    if form.is_valid():
        user = request.user
        try:
            entry = account_delete(user=user, password=form.cleaned_data["password"])  # type: ignore[arg-type]
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            security_event("account_deleted", request=request, user=user, withdrawn=entry.data.get("withdrawn", []))
            logout(request)
            messages.success(
                request,
                "Your account was deleted. Your complaints stay on the record without your name or address.",
            )
            return redirect("complaints:home")
    return render(request, "accounts/data.html", {"form": form}, status=400)
