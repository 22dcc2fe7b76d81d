"""The complaint, its attachments, its append-only timeline, and what it tells people."""

import secrets
from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class ComplaintType(models.TextChoices):
    ADVERTISING_SALES = "advertising_sales", "Advertising or Sales"
    BILLING_COLLECTION = "billing_collection", "Billing or Collection"
    CUSTOMER_SERVICE = "customer_service", "Customer Service"
    DELIVERY = "delivery", "Delivery"
    GUARANTEE_WARRANTY = "guarantee_warranty", "Guarantee or Warranty"
    ORDER = "order", "Order"
    PRODUCT = "product", "Product"
    SERVICE_REPAIR = "service_repair", "Service or Repair"
    ACCOUNT_SUSPENSION = "account_suspension", "Account Access or Suspension"


class DesiredOutcome(models.TextChoices):
    REFUND = "refund", "Refund"
    REPLACEMENT = "replacement", "Replacement"
    REPAIR = "repair", "Repair"
    EXCHANGE = "exchange", "Exchange"
    CANCEL = "cancel", "Cancel contract or billing"
    REINSTATEMENT = "reinstatement", "Account reinstatement"
    RELEASE_FUNDS = "release_funds", "Release of withheld funds"
    EXPLANATION = "explanation", "Explanation"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    AWAITING_BUSINESS = "awaiting_business", "Awaiting business"
    AWAITING_CONSUMER = "awaiting_consumer", "Awaiting consumer"
    STAFF_REVIEW = "staff_review", "Staff review"
    IN_MEDIATION = "in_mediation", "In mediation"
    RESOLVED = "resolved", "Resolved"
    ANSWERED = "answered", "Answered"
    UNANSWERED = "unanswered", "Unanswered"
    UNRESOLVED = "unresolved", "Unresolved"
    UNPURSUABLE = "unpursuable", "Unpursuable"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DueKind(models.TextChoices):
    """What the complaint's due date is for."""

    NONE = "", "Nothing due"
    SCREENING = "screening", "Screening"
    BUSINESS_FIRST = "business_first", "Business response"
    BUSINESS_FINAL = "business_final", "Business response (final notice)"
    BUSINESS_REBUTTAL = "business_rebuttal", "Business response to rejection"
    CONSUMER_ANSWER = "consumer_answer", "Consumer answer"
    STAFF_RULING = "staff_ruling", "Staff ruling"
    MEDIATION = "mediation", "Mediation"


class RejectReason(models.TextChoices):
    NOT_A_BUSINESS_DISPUTE = "not_business_dispute", "Not a dispute with a business"
    IN_COURT = "in_court", "The matter is in court"
    DUPLICATE = "duplicate", "Duplicate of another complaint"
    ABUSIVE = "abusive", "Abusive or threatening language"
    INSUFFICIENT = "insufficient", "Not enough information to pursue"
    EMPLOYMENT = "employment", "Employment or discrimination matter"
    OTHER = "other", "Other"


class Complaint(models.Model):
    """A consumer's complaint against a business. The filed text is frozen after filing."""

    # Unique through Meta.constraints: `unique=True` would add a second index for LIKE prefixes,
    # which nothing here asks for. The two keys are indexed by the composite indexes that start
    # with them (complaint_mine_idx, complaint_dashboard_idx): every index is one more write
    # each time a complaint moves (bench/README.md).
    number = models.CharField(max_length=8, editable=False)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints", db_index=False
    )
    business = models.ForeignKey(
        "accounts.Business",
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
        db_index=False,
    )
    # What the consumer told us about a business that is not in the directory.
    business_name = models.CharField(max_length=200, blank=True)
    business_website = models.CharField(max_length=200, blank=True)
    business_address = models.CharField(max_length=255, blank=True)
    business_email = models.EmailField(blank=True)
    business_phone = models.CharField(max_length=40, blank=True)

    type = models.CharField(max_length=30, choices=ComplaintType.choices)
    description = models.TextField()
    # The main outcome wanted: the first of `desired_outcomes`, kept for what reads one value.
    desired_outcome = models.CharField(max_length=20, choices=DesiredOutcome.choices)
    # Every outcome wanted, main one first: a list of DesiredOutcome values, without repeats. A
    # JSON list rather than an array, so the one-machine default on SQLite keeps it too.
    desired_outcomes = models.JSONField(default=list, db_default=models.Value([], models.JSONField()), blank=True)
    desired_outcome_detail = models.CharField(max_length=255, blank=True)
    transaction_date = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    reference = models.CharField(max_length=100, blank=True)
    affirm_true = models.BooleanField(default=False)
    affirm_not_in_court = models.BooleanField(default=False)
    publish_consent = models.BooleanField(default=False)
    # The refinement of `type` (complaints.issues.ISSUES) and where the consumer is: published
    # at country and region level only (docs/open-data.md).
    issue = models.CharField(max_length=40, blank=True, db_default="")
    country = models.CharField(max_length=2, blank=True, db_default="", help_text="ISO 3166-1 alpha-2 code.")
    region = models.CharField(max_length=100, blank=True, db_default="", help_text="State or region.")
    contacted_business = models.BooleanField(default=False, db_default=False)
    business_ticket_reference = models.CharField(max_length=100, blank=True, db_default="")

    # The outcome the business gave with its latest response (complaints.issues.ResponseOutcome).
    business_outcome = models.CharField(max_length=20, blank=True, db_default="")
    relief_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # The one public response a business may add after closing; shown masked, under the
    # complainant's consent, where the complaint's text is shown.
    public_response = models.TextField(blank=True, db_default="")
    public_response_masked = models.TextField(blank=True, db_default="")
    public_response_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    due_kind = models.CharField(max_length=20, choices=DueKind.choices, blank=True, default="")
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="Reminder sent for the current due date.")
    # When the party whose move it is gets reminded of the current due date; cleared once sent.
    remind_at = models.DateTimeField(null=True, blank=True)
    on_hold = models.BooleanField(default=False, help_text="Staff hold: not forwarded automatically.")
    paused_at = models.DateTimeField(
        null=True, blank=True, help_text="Screening clock paused since (on hold, or waiting for a business link)."
    )
    paused_total = models.DurationField(
        default=timedelta(0), db_default=timedelta(0), help_text="Time the screening clock was paused, added back."
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        db_index=False,
        limit_choices_to={"is_staff": True},
        help_text="The staff member looking after the case.",
    )
    second_notice_sent_at = models.DateTimeField(null=True, blank=True)
    response_count = models.PositiveSmallIntegerField(default=0)
    late_response = models.BooleanField(default=False)
    first_response_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=30, choices=RejectReason.choices, blank=True)
    # Staff rejected it as a duplicate of this complaint (complaints.changes, Event.REJECT).
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", db_index=False
    )
    # The complainant's own complaints against the same business that read alike when this one
    # was filed (complaints.duplicates): case numbers, most alike first.
    possible_duplicates = models.JSONField(
        default=list, db_default=models.Value([], models.JSONField()), blank=True, editable=False
    )

    filed_at = models.DateTimeField(default=timezone.now)
    forwarded_at = models.DateTimeField(null=True, blank=True, help_text="When the business was first told.")
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The hash of the timeline's last event (complaints.timeline): the head of its chain.
    timeline_head = models.CharField(max_length=64, blank=True, editable=False, db_default="")

    # The masked copy shown to the public; the original above is never published.
    description_masked = models.TextField(blank=True)
    masked_at = models.DateTimeField(null=True, blank=True)
    # Full-text index of the published (masked, consented) text; PostgreSQL only, null elsewhere.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-filed_at"]
        constraints = [models.UniqueConstraint(fields=["number"], name="complaint_number_key")]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(due_at__isnull=False), name="complaint_due_idx"),
            models.Index(fields=["remind_at"], condition=Q(remind_at__isnull=False), name="complaint_remind_idx"),
            models.Index(fields=["business", "status", "closed_at"], name="complaint_profile_idx"),
            models.Index(fields=["business", "due_at"], name="complaint_dashboard_idx"),
            models.Index(fields=["complainant", "-filed_at"], name="complaint_mine_idx"),
            models.Index(fields=["status", "-filed_at"], name="complaint_status_idx"),
            models.Index(
                fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="complaint_duplicate_of_idx"
            ),
            # The staff workbench's queues: open complaints by state, oldest in the state first,
            # paged by keyset; and the same for one staff member's cases (docs/architecture.md).
            models.Index(
                fields=["status", "status_changed_at", "id"],
                include=["due_kind"],
                condition=Q(
                    status__in=["submitted", "awaiting_business", "awaiting_consumer", "staff_review", "in_mediation"]
                ),
                name="complaint_queue_idx",
            ),
            models.Index(
                fields=["assigned_to", "status", "status_changed_at", "id"],
                condition=Q(assigned_to__isnull=False),
                name="complaint_assigned_idx",
            ),
            # The public list of one business, newest or oldest first (selectors.public.published_complaints).
            # Its included columns let a deep page find its ids from the index alone (selectors.public.page_rows).
            models.Index(
                fields=["business", "-filed_at", "-id"],
                include=["closed_at", "status", "type"],
                condition=Q(status__in=["resolved", "answered", "unanswered", "unresolved", "unpursuable"]),
                name="complaint_published_idx",
            ),
            # The representative dashboard's counts and answering record, read from the index alone.
            models.Index(
                fields=["business", "status"],
                include=["id", "forwarded_at", "first_response_at", "late_response", "due_at"],
                condition=Q(forwarded_at__isnull=False),
                name="complaint_rep_counts_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", kwargs={"number": self.number})

    @property
    def business_display_name(self) -> str:
        return self.business.name if self.business_id else self.business_name  # type: ignore[union-attr]

    @property
    def desired_outcome_values(self) -> list[str]:
        """Every outcome wanted, main one first (a row filed before the list existed has just one)."""
        return list(self.desired_outcomes) or ([self.desired_outcome] if self.desired_outcome else [])

    @property
    def desired_outcomes_display(self) -> str:
        """The outcomes wanted in words: "Release of withheld funds and Account reinstatement"."""
        return outcomes_label(self.desired_outcome_values)


def outcomes_label(values: list[str]) -> str:
    """Outcome values in words, joined as a sentence: "A", "A and B", "A, B and C"."""
    labels = [str(DesiredOutcome(value).label) if value in DesiredOutcome.values else value for value in values]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never reuses what the user sent; the original name is kept in a field.
    return f"attachments/{instance.complaint.number}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A private file (PDF, PNG or JPEG) attached to a complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class ComplaintEvent(models.Model):
    """One entry of the append-only timeline: who did what, when, from which state to which."""

    class ActorRole(models.TextChoices):
        COMPLAINANT = "complainant", "Complainant"
        REPRESENTATIVE = "representative", "Business representative"
        STAFF = "staff", "Staff"
        SYSTEM = "system", "Redress (deadline)"

    # PROTECT: a complaint with a timeline cannot be deleted (the database refuses the events' deletion too).
    # Indexed by event_timeline_idx (complaint, created_at) and event_actor_idx (people's acts only):
    # the sweep writes 10,000 events at a time, each entry in every index a write of its own.
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events", db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    actor_role = models.CharField(max_length=20, choices=ActorRole.choices)
    event = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # SHA-256 over this event's content and the previous event's hash (complaints.timeline).
    hash = models.CharField(max_length=64, blank=True, editable=False, db_default="")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="event_timeline_idx"),
            models.Index(fields=["actor"], condition=Q(actor__isnull=False), name="event_actor_idx"),
        ]
        # The record is never rewritten: PostgreSQL itself refuses to change or delete an event.
        triggers = [
            pgtrigger.Protect(name="event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.event}: {self.from_status} -> {self.to_status}"


class StaffNote(models.Model):
    """A private note staff keep on a case: never shown to the parties or the public.

    Append-only like the timeline, and its own record: writing one is not a move and leaves no
    event (docs/decisions/0028-private-staff-notes.md).
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="staff_note_case_idx")]
        triggers = [
            pgtrigger.Protect(name="staff_note_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Staff note on {self.complaint}"


class Assignment(models.Model):
    """One assignment of a complaint to a staff member, or its clearing: an append-only audit row.

    Assignment is how staff share the work, not a step of the case: it is not on the parties'
    timeline (docs/decisions/0030-staff-assignment.md).
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="assignments")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "created_at", "id"]
        triggers = [
            pgtrigger.Protect(name="assignment_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} to {self.assigned_to or 'nobody'}"


class Notification(models.Model):
    """What a user sees in the app about a complaint that concerns them."""

    # Indexed by notification_user_idx (user, created_at), whose first column it is.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.ForeignKey(ComplaintEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.message


class BusinessStatsDay(models.Model):
    """What one business's complaints closed on one day add to its public figures.

    Kept up to date by `complaints.publication` whenever a complaint enters or leaves a public
    closed state, so a profile sums at most ~1,100 small rows instead of recounting its
    complaints. `counts` holds `n:<status>:<type>` counts, `responded`, `on_time`, `h:<hours>`
    (a histogram of hours to the first response, for the median), `o:<outcome>` (the business's
    outcome) and `relief:<currency>` (monetary relief in hundredths of that currency).
    """

    business = models.ForeignKey("accounts.Business", on_delete=models.CASCADE, related_name="stats_days")
    day = models.DateField()
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["business", "day"]
        constraints = [models.UniqueConstraint(fields=["business", "day"], name="business_stats_day_unique")]

    def __str__(self) -> str:
        return f"{self.business_id} on {self.day}"


class BusinessStatsSummary(models.Model):
    """The sums of one business's day rows inside the figures' windows, so a figures cache miss
    reads this row (and the few day rows that left a window since it was last moved on) instead
    of ~1,100 day rows (docs/architecture.md, "Figures").

    Written in the same transaction as the day rows, after them (`complaints.services.record`):
    `counts` and `months` sum the rows on or after `since`, `recent` the published complaints of
    the rows on or after `recent_since`. Each write moves both days on to the current windows'
    first days, taking away the rows that left them.
    """

    business = models.OneToOneField(
        "accounts.Business", on_delete=models.CASCADE, primary_key=True, related_name="stats_summary"
    )
    since = models.DateField()
    counts = models.JSONField(default=dict)
    months = models.JSONField(default=dict)  # "YYYY-MM" -> published complaints closed that month
    recent_since = models.DateField()
    recent = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.business_id} since {self.since}"


class PatternReview(models.Model):
    """A rise in one business's complaints that is unlikely to be chance, for staff to decide on.

    Opened by the weekly comparison (complaints.patterns, docs/domain.md "Patterns and
    duplicates"); nothing reaches the public profile until staff confirm it.
    """

    class Scope(models.TextChoices):
        OVERALL = "overall", "All complaints"
        TYPE = "type", "One complaint type"
        ISSUE = "issue", "One issue"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONFIRMED = "confirmed", "Confirmed, alert published"
        DISMISSED = "dismissed", "Dismissed"

    business = models.ForeignKey("accounts.Business", on_delete=models.PROTECT, related_name="pattern_reviews")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    # The complaint type or issue compared; empty for the business's complaints overall.
    key = models.CharField(max_length=60, blank=True)
    # The Monday of the week the compared seven days end in: one review per business, scope and week.
    week = models.DateField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    observed = models.PositiveIntegerField(help_text="Complaints filed in the seven days compared.")
    baseline_total = models.PositiveIntegerField(help_text="Complaints filed in the twelve weeks before.")
    baseline_mean = models.FloatField(help_text="The weekly mean the test used (with its floor).")
    p_value = models.FloatField(help_text="One-sided Poisson test: P(X >= observed | weekly mean).")
    complaints = models.ManyToManyField(Complaint, related_name="+", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    alert = models.TextField(blank=True, help_text="The alert published on the profile when confirmed.")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "scope", "key", "week"], name="pattern_review_unique_week")
        ]
        indexes = [models.Index(fields=["opened_at"], condition=Q(status="open"), name="pattern_review_open_idx")]

    def __str__(self) -> str:
        return f"{self.business} {self.scope_label} week of {self.week:%d %b %Y}"

    @property
    def scope_label(self) -> str:
        """What was compared, in words: "all complaints" or the type's label."""
        if self.scope == self.Scope.OVERALL:
            return "all complaints"
        if self.scope == self.Scope.TYPE and self.key in ComplaintType.values:
            return str(ComplaintType(self.key).label)
        return self.key.replace("_", " ")
