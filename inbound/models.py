"""Every e-mail received for a case: what it was, what became of it, and its raw source for staff."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class InboundMessage(models.Model):
    """One received message. Its raw source is private: staff read it in admin, nobody else."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused"
        DROPPED = "dropped", "Dropped (auto-reply or bounce)"

    class Via(models.TextChoices):
        PIPE = "pipe", "MTA pipe (manage.py receive_email)"
        IMAP = "imap", "IMAP mailbox"
        SMTP = "smtp", "SMTP listener"

    # The sender's Message-ID, or a digest of the raw message when it has none: the same message
    # received twice is stored once.
    message_id = models.CharField(max_length=255, unique=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices)
    # A short code (see inbound.services.Refusal, inbound.robots) and the sentence told to the sender.
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    envelope_sender = models.CharField(max_length=320, blank=True, help_text="SMTP MAIL FROM; empty for a bounce.")
    from_address = models.CharField(max_length=320, blank=True)
    reply_address = models.CharField(max_length=320, blank=True, help_text="The reply+TOKEN address it came to.")
    subject = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(help_text="Bytes of the raw message.")
    # From the receiving MTA's Authentication-Results header, when there is one: pass, fail, none, ...
    dkim = models.CharField("DKIM", max_length=20, blank=True)
    spf = models.CharField("SPF", max_length=20, blank=True)
    # What the token named (set once the token reads; a forged one names nobody).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="inbound_messages"
    )
    # The move the message became, and the new text that went onto the case.
    event = models.ForeignKey(
        "complaints.ComplaintEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    # The explaining e-mail of a refusal (none when the sender was told too often already).
    refusal_email = models.ForeignKey(
        "core.OutboundEmail", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The message as received; for a message over the size limit, its header only.
    raw = models.BinaryField()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="inbound_status_idx"),
            models.Index(fields=["from_address", "received_at"], name="inbound_sender_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.subject or self.message_id}"
