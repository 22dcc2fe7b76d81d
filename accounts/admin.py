"""Staff screens for users, businesses and who represents them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core.admin import FixedRowsMixin, ReadOnlyAdmin, StaffAccessMixin
from core.errors import RedressError
from core.forms import ModelForm, NulFreeMixin

from .models import Business, BusinessAuditEntry, Invitation, Location, Membership, RepresentationRequest, User
from .services import (
    ALERT_MAX,
    api_token_revoke,
    api_tokens_end,
    business_alert_set,
    business_audit_record,
    representation_request_decide,
)

admin.site.site_header = "Redress administration"
admin.site.site_title = "Redress admin"
admin.site.index_title = "Complaints, businesses and people"

# django-otp's own screens show an authenticator's secret and the recovery codes: nobody reads
# them again after set-up (docs/operations.md). The user list says who has one; a lost one is
# reset with `manage.py mfa_reset`.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class UserCreationForm(NulFreeMixin, AdminUserCreationForm):
    """Create a user who signs in with an e-mail address."""

    class Meta:
        model = User
        fields = ("email", "name")
        field_classes: dict = {}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A user with this e-mail address already exists.")
        return email


class UserEditForm(NulFreeMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("A user with this e-mail address already exists.")
        return email


class MembershipInline(StaffAccessMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "business"]
    fields = ["user", "business", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "has_authenticator", "is_active", "email_verified_at", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", ("email_verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "email_verified_at", "time_zone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_authenticator=Exists(authenticator))

    @admin.display(boolean=True, description="Two-step sign-in", ordering="has_authenticator")
    def has_authenticator(self, obj: User) -> bool:
        return bool(getattr(obj, "has_authenticator", False))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's set-password screen; a password set here ends every API token of the account."""
        response = super().user_change_password(request, id, form_url)
        # Django redirects after a password it saved (or for an unknown id, when there is no user).
        user = User.objects.filter(pk=id).first() if id.isdigit() else None
        if request.method == "POST" and response.status_code == 302 and user is not None:
            api_tokens_end(user=user, reason="password_set_by_staff", request=request, by=request.user)
        return response

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list:
        # Memberships are added once the account exists.
        return [] if obj is None else list(self.inlines)

    # Staff may look people up (and pick them in autocompletes); changing accounts needs Django's permissions.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff) or super().has_view_permission(request, obj)


class LocationInline(StaffAccessMixin, admin.TabularInline):
    model = Location
    extra = 0
    fields = ["label", "address", "city", "region", "postal_code", "country"]


class BusinessMembershipInline(MembershipInline):
    fields = ["user", "role", "created_at"]
    autocomplete_fields = ["user"]


class BusinessForm(ModelForm):
    """The business, and why its alert banner changes when it does (the reason goes on its audit log)."""

    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    alert = forms.CharField(
        required=False,
        max_length=ALERT_MAX,
        widget=forms.Textarea,
        help_text="Staff alert ('Important information') shown on the public profile.",
    )
    alert_reason = forms.CharField(
        label="Why the alert changes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you publish, change or remove the alert; kept on the business's audit log.",
    )

    class Meta:
        model = Business
        fields = (
            "name",
            "slug",
            "category",
            "accredited",
            "is_listed",
            "notice_email",
            "website",
            "phone",
            "address",
            "city",
            "region",
            "postal_code",
            "country",
            "alert",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "alert" in self.changed_data and not (cleaned.get("alert_reason") or "").strip():
            self.add_error("alert_reason", "Say why the alert changes.")
        return cleaned


class BusinessAuditInline(FixedRowsMixin, StaffAccessMixin, admin.TabularInline):
    model = BusinessAuditEntry
    verbose_name_plural = "audit log"
    fields = readonly_fields = ("created_at", "kind", "actor", "reason", "data")
    ordering = ["created_at", "id"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Business)
class BusinessAdmin(StaffAccessMixin, admin.ModelAdmin):
    form = BusinessForm
    list_display = ["name", "category", "city", "notice_email", "accredited", "is_listed", "has_alert"]
    list_filter = ["accredited", "is_listed", "category", ("alert", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "website", "notice_email"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["alert_set_at", "created_at"]
    inlines = [LocationInline, BusinessMembershipInline, BusinessAuditInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "category", "accredited", "is_listed")}),
        ("Contact", {"fields": ("notice_email", "website", "phone")}),
        ("Address", {"fields": ("address", "city", "region", "postal_code", "country")}),
        ("Public alert", {"fields": ("alert", "alert_reason", "alert_set_at")}),
        ("Record", {"fields": ("created_at",)}),
    )

    @admin.display(boolean=True, description="Alert")
    def has_alert(self, obj: Business) -> bool:
        return bool(obj.alert)

    def save_model(self, request: HttpRequest, obj: Business, form: forms.ModelForm, change: bool) -> None:
        # The alert changes only through its service, which dates it and puts it on the audit log.
        alert = obj.alert
        if "alert" in form.changed_data:
            obj.alert = form.initial.get("alert", "") if change else ""
        super().save_model(request, obj, form, change)
        if "alert" in form.changed_data:
            business_alert_set(
                business_id=obj.pk,
                staff=request.user,  # type: ignore[arg-type]
                alert=alert,
                reason=form.cleaned_data["alert_reason"],
            )
            obj.refresh_from_db()

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        """Memberships added or removed here go on the business's audit log."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        business = form.instance
        for membership in getattr(formset, "new_objects", []):
            business_audit_record(
                business=business,
                actor=request.user,  # type: ignore[arg-type]
                kind=BusinessAuditEntry.Kind.REPRESENTATIVE_ADDED,
                data={"user": membership.user_id},
            )
        for membership in getattr(formset, "deleted_objects", []):
            business_audit_record(
                business=business,
                actor=request.user,  # type: ignore[arg-type]
                kind=BusinessAuditEntry.Kind.REPRESENTATIVE_REMOVED,
                data={"user": membership.user_id},
            )


@admin.register(Location)
class LocationAdmin(StaffAccessMixin, admin.ModelAdmin):
    list_display = ["business", "label", "address", "city", "country"]
    list_select_related = ["business"]
    search_fields = ["business__name", "address", "city"]
    autocomplete_fields = ["business"]


@admin.register(Membership)
class MembershipAdmin(StaffAccessMixin, admin.ModelAdmin):
    list_display = ["user", "business", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "business"]
    search_fields = ["user__email", "user__name", "business__name"]
    autocomplete_fields = ["user", "business"]


@admin.register(Invitation)
class InvitationAdmin(StaffAccessMixin, admin.ModelAdmin):
    """Invitations are sent from the business dashboard, which e-mails the token; staff audit them here."""

    list_display = ["email", "business", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["business", "invited_by"]
    search_fields = ["email", "business__name"]
    # Not even the digest: the link itself is only in the e-mail.
    fields = ("business", "email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by",
              "revoked_at", "revoked_by")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False


@admin.register(RepresentationRequest)
class RepresentationRequestAdmin(StaffAccessMixin, admin.ModelAdmin):
    list_display = ["user", "business", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["user", "business", "decided_by"]
    search_fields = ["user__email", "user__name", "business__name"]
    readonly_fields = ["user", "business", "message", "status", "created_at", "decided_at", "decided_by"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet[RepresentationRequest], *, approve: bool) -> None:
        done = []
        for item in queryset.select_related("user", "business"):
            try:
                representation_request_decide(request_id=item.pk, staff=request.user, approve=approve)  # type: ignore[arg-type]
            except RedressError as error:
                self.message_user(request, f"{item}: {error.message}", messages.ERROR)
            else:
                done.append(str(item))
        if done:
            verb = "Approved" if approve else "Refused"
            self.message_user(request, f"{verb} {len(done)}: {'; '.join(done)}.", messages.SUCCESS)

    @admin.action(description="Approve the selected requests (makes each user a representative)")
    def approve(self, request: HttpRequest, queryset: QuerySet[RepresentationRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuse the selected requests")
    def refuse(self, request: HttpRequest, queryset: QuerySet[RepresentationRequest]) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(BusinessAuditEntry)
class BusinessAuditEntryAdmin(ReadOnlyAdmin):
    """Every act on a business: alerts, representatives, invitations, data exports."""

    list_display = ["created_at", "business", "kind", "actor", "reason"]
    list_filter = ["kind"]
    list_select_related = ["business", "actor"]
    search_fields = ["business__name", "actor__email", "reason"]
    date_hierarchy = "created_at"


# knox's own screen lets staff mint a token for anyone, and delete tokens with no security event.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Staff see who holds API tokens and revoke them; the security log records each revocation."""

    list_display = ["token_key", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__email", "=token_key"]
    fields = ["token_key", "user", "created", "expiry"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected API tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[AuthToken]) -> None:
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            api_token_revoke(user=token.user, token_id=token.token_key, request=request, by=request.user)  # type: ignore[arg-type]
        self.message_user(request, f"{len(tokens)} API token(s) revoked.", messages.SUCCESS)
