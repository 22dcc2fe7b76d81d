"""Reads of received e-mail."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User

from .models import InboundMessage


def messages_from(user: User) -> QuerySet[InboundMessage]:
    """The e-mails received from this person: through their reply addresses, or from their address."""
    return InboundMessage.objects.filter(Q(user=user) | Q(from_address__iexact=user.email)).order_by(
        "received_at", "id"
    )


def personal_data_export(user: User) -> dict[str, Any]:
    """The received e-mails part of a person's data export (what became of each, not its raw source)."""
    return {
        "emails_received": [
            {
                "received_at": message.received_at.isoformat(),
                "from": message.from_address,
                "subject": message.subject,
                "status": message.status,
                "reason": message.reason,
                "complaint": message.complaint.number if message.complaint else None,
                "text": message.text,
            }
            for message in messages_from(user).select_related("complaint")
        ]
    }
