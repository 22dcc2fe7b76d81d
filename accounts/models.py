"""Users, businesses, and the memberships that make a user a business's representative."""

import functools
from datetime import datetime
from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.prepared import Columns, PreparedRead, prepared_reads


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get(self, *args: Any, **kwargs: Any) -> "User":
        """As the queryset's `get`; by an integer primary key alone, a prepared read on PostgreSQL.

        Every signed-in request reads its user so (Django's `ModelBackend.get_user`): building the
        ORM's query took several times running it (bench/README.md, "Eighth round"). The backend
        and so every session's stored backend path stay Django's. Anything else, or a value that
        is not an int, goes through the queryset as before.
        """
        pk = kwargs.get("pk", kwargs.get("id"))
        if args or len(kwargs) != 1 or type(pk) is not int or self._db is not None or not prepared_reads():
            return super().get(*args, **kwargs)
        rows = USER_BY_ID.rows(pk)
        if not rows:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return _user_columns().instance(rows[0])

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address: complainant, representative or staff."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # An IANA zone name ("Europe/Berlin"); empty: the site's TIME_ZONE (docs/domain.md, "Dates and times").
    time_zone = models.CharField(max_length=64, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["email"]
        # Staff are e-mailed about every review; without it each notice scans every user.
        indexes = [models.Index(fields=["is_staff"], condition=models.Q(is_staff=True), name="user_staff_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def zone(self) -> str:
        """The zone this user's pages and e-mails show times in."""
        return self.time_zone or settings.TIME_ZONE

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


@functools.cache
def _user_columns() -> Columns:
    return Columns(User)


# The user by id (UserManager.get): prepared once on each connection (core.prepared).
USER_BY_ID = PreparedRead(
    "redress_user_by_id",
    lambda: f"SELECT {_user_columns().select('u')} FROM {User._meta.db_table} u WHERE u.id = $1",  # nosec B608
)


class Business(models.Model):
    """A business consumers complain about; `is_listed` is false for ones a consumer described."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    category = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    notice_email = models.EmailField(blank=True, help_text="Where complaint notices are sent.")
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, default="US")
    accredited = models.BooleanField(default=False)
    is_listed = models.BooleanField(default=True, help_text="Shown in the public directory.")
    alert = models.TextField(blank=True, help_text="Staff alert ('Important information') shown on the public profile.")
    alert_set_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by every change to the business's public record: its published complaints, their
    # published text and its figures' day rows (complaints.services.record.public_versions_bump).
    # The public profile's ETag is made from it (docs/architecture.md, "Public pages and caches").
    public_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "businesses"
        indexes = [
            models.Index(fields=["is_listed", "name"]),
            models.Index(fields=["city"]),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("complaints:business-profile", kwargs={"slug": self.slug})


class Location(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="locations")
    label = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=255)
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")

    class Meta:
        ordering = ["city", "address"]

    def __str__(self) -> str:
        return f"{self.address}, {self.city}"


class Membership(models.Model):
    """Makes a user a representative of a business."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        REPRESENTATIVE = "representative", "Representative"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "business"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.business}"


class Invitation(models.Model):
    """An invitation, sent by e-mail, to become a representative of a business.

    It is bound to the invited address, expires, works once and can be revoked
    (docs/domain.md, "Invitations"). The row keeps only the SHA-256 of the link's token.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Withdrawn"
        EXPIRED = "expired", "Expired"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the e-mailed token.")
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.business}"

    def state_at(self, now: datetime) -> str:
        """Whether the invitation can still be accepted: pending, or accepted, revoked or expired."""
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.PENDING


class RepresentationRequest(models.Model):
    """A signed-in user asks to represent a business; staff approve or refuse it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="representation_requests")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="representation_requests")
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} wants to represent {self.business}"


class BusinessAuditEntry(models.Model):
    """One act on a business, by staff or a representative: append-only, like a complaint's timeline.

    PostgreSQL refuses to change or delete a row (docs/domain.md, "The record's integrity").
    A data export and an account's deletion concern no one business: their `business` is empty.
    """

    class Kind(models.TextChoices):
        ALERT_SET = "alert_set", "Alert banner published"
        ALERT_CLEARED = "alert_cleared", "Alert banner removed"
        PATTERN_CONFIRMED = "pattern_confirmed", "Pattern review confirmed"
        PATTERN_DISMISSED = "pattern_dismissed", "Pattern review dismissed"
        REPRESENTATIVE_APPROVED = "representative_approved", "Request to represent approved"
        REPRESENTATIVE_REFUSED = "representative_refused", "Request to represent refused"
        REPRESENTATIVE_ADDED = "representative_added", "Representative added by staff"
        REPRESENTATIVE_REMOVED = "representative_removed", "Representative removed by staff"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        INVITATION_REVOKED = "invitation_revoked", "Invitation withdrawn"
        DATA_EXPORTED = "data_exported", "Data exported"
        ACCOUNT_DELETED = "account_deleted", "Account deleted at its holder's request"

    business = models.ForeignKey(Business, on_delete=models.PROTECT, null=True, blank=True, related_name="audit")
    actor = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["business", "created_at"], name="business_audit_idx")]
        verbose_name_plural = "business audit entries"
        triggers = [
            pgtrigger.Protect(name="business_audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.business or 'all businesses'}"
