"""What every app shares that needs a table: the e-mail outbox.

An outbound e-mail may point at the complaint and event it tells of. Those links are model
labels, not imports: core's code never imports the apps above it (docs/architecture.md).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboundEmail(models.Model):
    """An e-mail stored before it is sent, so a broker or mail outage delays mail but loses none."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    event = models.ForeignKey(
        "complaints.ComplaintEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(max_length=40, blank=True, help_text="transition, reminder, invitation, ...")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table keeps the name it had when the outbox lived in complaints (migration core 0001).
        db_table = "complaints_outboundemail"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="email_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
