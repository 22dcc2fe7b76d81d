"""The exchange after filing: responses, answers, information from the business, staff rulings, mediation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from complaints.models import Attachment


class Verdict(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"
    NONE = "none", "More information"


class BusinessResponse(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    text_masked = models.TextField(blank=True)
    round = models.PositiveSmallIntegerField(help_text="1 for the first response, 2 after a rejection, ...")
    is_late = models.BooleanField(default=False)
    # What the business says it did (complaints.issues.ResponseOutcome); blank on older responses.
    outcome = models.CharField(max_length=20, blank=True, db_default="")
    relief_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attachments: models.ManyToManyField[Attachment, ThreadAttachment] = models.ManyToManyField(
        "complaints.Attachment", through="ThreadAttachment", through_fields=("response", "attachment"), related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="response_thread_idx")]

    def __str__(self) -> str:
        return f"Response {self.round} to {self.complaint}"


class CustomerAnswer(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    text_masked = models.TextField(blank=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.NONE)
    created_at = models.DateTimeField(default=timezone.now)
    attachments: models.ManyToManyField[Attachment, ThreadAttachment] = models.ManyToManyField(
        "complaints.Attachment", through="ThreadAttachment", through_fields=("answer", "attachment"), related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="answer_thread_idx")]

    def __str__(self) -> str:
        return f"Answer ({self.verdict}) on {self.complaint}"


class BusinessInformation(models.Model):
    """What the business adds where no response is due from it; it is not a response and counts no round."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="business_information")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    text_masked = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attachments: models.ManyToManyField[Attachment, ThreadAttachment] = models.ManyToManyField(
        "complaints.Attachment",
        through="ThreadAttachment",
        through_fields=("information", "attachment"),
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="business_info_thread_idx")]
        verbose_name = "business information"
        verbose_name_plural = "business information"

    def __str__(self) -> str:
        return f"Information from the business on {self.complaint}"


class ThreadAttachment(models.Model):
    """What a file came with: exactly one response, answer, piece of information or staff act (its event).

    The file itself is a complaint attachment (complaints.Attachment), private and checked by its
    content like the filing's (docs/decisions/0027-attachments-in-the-exchange.md).
    """

    attachment = models.OneToOneField("complaints.Attachment", on_delete=models.CASCADE, related_name="thread_link")
    response = models.ForeignKey(BusinessResponse, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    answer = models.ForeignKey(CustomerAnswer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    information = models.ForeignKey(
        BusinessInformation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A staff act is an event of the timeline, which is never deleted (complaints.models.ComplaintEvent).
    event = models.ForeignKey(
        "complaints.ComplaintEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(response__isnull=False, answer__isnull=True, information__isnull=True, event__isnull=True)
                    | Q(response__isnull=True, answer__isnull=False, information__isnull=True, event__isnull=True)
                    | Q(response__isnull=True, answer__isnull=True, information__isnull=False, event__isnull=True)
                    | Q(response__isnull=True, answer__isnull=True, information__isnull=True, event__isnull=False)
                ),
                name="thread_attachment_one_entry",
            )
        ]

    def __str__(self) -> str:
        return f"Attachment {self.attachment_id} of the thread"


class StaffRuling(models.Model):
    class Outcome(models.TextChoices):
        ANSWERED = "answered", "Good-faith effort (Answered)"
        UNRESOLVED = "unresolved", "No good-faith effort (Unresolved)"
        DEFAULT_ANSWERED = "default_answered", "No ruling in time (Answered by default)"

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="rulings")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.complaint}"


class MediationCase(models.Model):
    class Kind(models.TextChoices):
        MEDIATION = "mediation", "Mediation"
        ARBITRATION = "arbitration", "Arbitration"

    class Outcome(models.TextChoices):
        OPEN = "", "Open"
        RESOLVED = "resolved", "Agreement reached or award honoured"
        UNRESOLVED = "unresolved", "Business refused or ignored the award"

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="mediations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEDIATION)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.complaint}"
