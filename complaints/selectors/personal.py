"""A complainant's complaints, as their data export carries them (accounts.personal_data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from accounts.models import User

from ..history import history
from ..models import Complaint, ComplaintEvent, Notification
from ..thread import thread_models


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _thread(complaint: Complaint, user: User) -> list[dict[str, Any]]:
    # Thread models have author_id, text and created_at (complaints.thread).
    items: list[Any] = [
        item for model in thread_models() for item in model._default_manager.filter(complaint=complaint)
    ]
    items.sort(key=lambda item: (item.created_at, item.pk))
    return [
        {
            "kind": str(item._meta.verbose_name),
            "by": "you" if item.author_id == user.pk else complaint.business_display_name,
            "text": item.text,
            "at": _when(item.created_at),
        }
        for item in items
    ]


def complainant_complaints_data(user: User) -> list[dict[str, Any]]:
    """Every complaint `user` filed, with what they see of it: its texts, history, thread and files."""
    complaints = (
        Complaint.objects.filter(complainant=user)
        .select_related("business")
        .prefetch_related(
            "attachments", Prefetch("events", queryset=ComplaintEvent.objects.order_by("created_at", "id"))
        )
        .order_by("filed_at", "id")
    )
    return [
        {
            "number": complaint.number,
            "url": _absolute(complaint.get_absolute_url()),
            "business": complaint.business_display_name,
            "business_as_described": {
                "name": complaint.business_name,
                "website": complaint.business_website,
                "address": complaint.business_address,
                "email": complaint.business_email,
                "phone": complaint.business_phone,
            },
            "type": complaint.type,
            "description": complaint.description,
            "desired_outcome": complaint.desired_outcome,
            "desired_outcomes": complaint.desired_outcome_values,
            "desired_outcome_detail": complaint.desired_outcome_detail,
            "transaction_date": complaint.transaction_date.isoformat() if complaint.transaction_date else None,
            "amount": str(complaint.amount) if complaint.amount is not None else None,
            "currency": complaint.currency,
            "reference": complaint.reference,
            "publish_consent": complaint.publish_consent,
            "published_text": complaint.description_masked,
            "status": complaint.status,
            "filed_at": _when(complaint.filed_at),
            "closed_at": _when(complaint.closed_at),
            "history": [
                {"at": _when(line.at), "text": line.text, "reason": line.reason}
                for line in history(complaint.events.all(), business=complaint.business_display_name)
            ],
            "thread": _thread(complaint, user),
            "files": [
                {
                    "name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "uploaded_at": _when(attachment.created_at),
                    "url": _absolute(
                        reverse("complaints:attachment", kwargs={"number": complaint.number, "pk": attachment.pk})
                    ),
                }
                for attachment in complaint.attachments.all()
            ],
        }
        for complaint in complaints
    ]


def notifications_data(user: User) -> list[dict[str, Any]]:
    """The notices `user` was shown in the app."""
    return [
        {"message": n.message, "url": n.url, "created_at": _when(n.created_at), "read_at": _when(n.read_at)}
        for n in Notification.objects.filter(user=user).order_by("created_at", "id")
    ]


def personal_data_export(user: User) -> dict[str, Any]:
    """The complaints part of a person's export."""
    return {"complaints": complainant_complaints_data(user), "notifications": notifications_data(user)}
