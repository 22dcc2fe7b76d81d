"""What every app shares that needs a table: the e-mail outbox.

An outbound e-mail may point at the complaint and event it tells of. Those links are model
labels, not imports: core's code never imports the apps above it (docs/architecture.md).
"""

from django.conf import settings
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
    # A notice is stored as its template and context and rendered when it is sent (core.outbox):
    # a deadline sweep stores tens of thousands at once. The bodies are kept once rendered.
    template = models.CharField(max_length=100, blank=True, help_text="emails/notice: .txt and .html")
    context = models.JSONField(default=dict, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    event = models.ForeignKey(
        "complaints.ComplaintEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(max_length=40, blank=True, help_text="transition, reminder, invitation, ...")
    # The user the address belongs to, when it is a party's own: such an e-mail about a complaint
    # carries that user's reply address (core.replies). A business's notice address has none.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # More headers, such as In-Reply-To and References that thread a case's e-mails.
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When staff were told in the app that this e-mail failed (complaints.services.notices).
    alerted_at = models.DateTimeField(null=True, blank=True)
    # A staff resend is a new row, so the failed one stays as it was: who resent which.
    # Indexed only where set (email_resend_idx, email_resent_by_idx): a sweep stores 30,000 e-mails, none a resend.
    resend_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends", db_index=False
    )
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        # The table keeps the name it had when the outbox lived in complaints (migration core 0001).
        db_table = "complaints_outboundemail"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="email_pending_idx"),
            models.Index(
                fields=["id"], condition=Q(state="failed", alerted_at__isnull=True), name="email_unalerted_idx"
            ),
            models.Index(fields=["resend_of"], condition=Q(resend_of__isnull=False), name="email_resend_idx"),
            models.Index(fields=["resent_by"], condition=Q(resent_by__isnull=False), name="email_resent_by_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    @property
    def message_id(self) -> str:
        """The Message-ID every attempt of this e-mail carries, so a copy sent twice is known as one."""
        domain = settings.REDRESS_MESSAGE_ID_DOMAIN
        return f"<redress-email-{self.pk}@{domain}>"
