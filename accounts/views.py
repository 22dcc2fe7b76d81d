"""Account pages: sign-up, sign-in and out, password reset, e-mail verification, invitations,
asking to represent a business, and a person's own data (export and deletion)."""

from __future__ import annotations

import json
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import InvalidInput, NotFound, RedressError
from core.forms import add_service_errors
from core.security import security_event
from core.throttles import MailThrottle, SigninThrottle, SignupThrottle, WriteRateThrottle

from .forms import AccountDeleteForm, InvitationForm, RepresentationRequestForm, SignInForm, SignUpForm
from .models import Invitation
from .selectors import account_data_export, businesses_of
from .services import (
    account_delete,
    email_verification_send,
    email_verify,
    invitation_accept,
    invitation_create,
    representation_request_create,
    user_signup,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _throttled(request: HttpRequest, throttle_class: type[WriteRateThrottle]) -> str:
    """The pages share the API's rate limits; a refusal is a form error, never a lost input."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return ""
    minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
    return f"Too many attempts from here. Please try again in {minutes} minute{'s' if minutes > 1 else ''}."


def _refused(request: HttpRequest, throttle_class: type[WriteRateThrottle], form: Form) -> bool:
    """Put the rate limit's refusal on the bound form, if it refuses; True then.

    The form is not validated: for sign-in that would check the password, and a refused guess
    must not tell whether it was right. What was typed stays in the fields.
    """
    refusal = _throttled(request, throttle_class)
    if refusal:
        form.cleaned_data = {}
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # where full_clean starts; no check is run
        form.add_error(None, refusal)
    return bool(refusal)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("complaints:mine")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and _refused(request, SignupThrottle, form):
        return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(**form.cleaned_data)
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                f"Welcome to Redress. We sent a confirmation link to {user.email}: "
                "open it so that your complaints can be sent to the business.",
            )
            return redirect(_next_url(request, "/complaints/new/"))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")})


class SignInView(auth_views.LoginView):
    template_name = "registration/signin.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

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
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Open the e-mailed link: the address is confirmed and held complaints can go to the business."""
    try:
        user = email_verify(token=token)
    except InvalidInput as exc:
        return render(request, "accounts/verify_failed.html", {"message": exc.message}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, "Your e-mail address is confirmed. Your complaints can now reach the businesses.")
        return redirect("complaints:mine")
    messages.success(request, "Your e-mail address is confirmed. Sign in to follow your complaints.")
    return redirect("accounts:signin")


@login_required
@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    if request.user.email_verified_at is None:  # type: ignore[union-attr]
        refusal = _throttled(request, MailThrottle)
        if refusal:
            messages.error(request, refusal)
            return redirect(_next_url(request, "/complaints/"))
        email_verification_send(user=request.user)  # type: ignore[arg-type]
        messages.success(request, f"We sent a new confirmation link to {request.user.email}.")  # type: ignore[union-attr]
    return redirect(_next_url(request, "/complaints/"))


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: sign up (or sign in) and become a representative of the business."""
    invite = Invitation.objects.select_related("business").filter(token=token, accepted_at__isnull=True).first()
    if invite is None:
        raise Http404("This invitation is invalid or has already been used.")
    signup_form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
            except NotFound as exc:
                raise Http404 from exc
            messages.success(request, f"You now represent {invite.business.name}.")
            return redirect("complaints:dashboard")
    else:
        signup_form = SignUpForm(request.POST or None, initial={"email": invite.email})
        if request.method == "POST" and _refused(request, SignupThrottle, signup_form):
            context = {"invitation": invite, "form": signup_form}
            return render(request, "accounts/invitation.html", context, status=429)
        if request.method == "POST" and signup_form.is_valid():
            try:
                user = user_signup(**signup_form.cleaned_data)
            except RedressError as exc:
                add_service_errors(signup_form, exc)
            else:
                invitation_accept(token=token, user=user)
                login(request, user, backend=BACKEND)
                messages.success(request, f"Welcome to Redress. You now represent {invite.business.name}.")
                return redirect("complaints:dashboard")
    return render(request, "accounts/invitation.html", {"invitation": invite, "form": signup_form})


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """A representative invites a colleague by e-mail (from the dashboard)."""
    form = InvitationForm(request.POST, businesses=businesses_of(user=request.user))  # type: ignore[arg-type]
    if _refused(request, MailThrottle, form):
        return render(request, "accounts/invite.html", {"form": form}, status=429)
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
            return redirect("complaints:dashboard")
    return render(request, "accounts/invite.html", {"form": form}, status=400)


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
