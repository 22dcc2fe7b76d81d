"""Writes for the exchange after filing: business responses and customer answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Status
from complaints.services import complaint_transition
from complaints.workflow import Actor, Event
from core.errors import InvalidInput

from .models import BusinessResponse, CustomerAnswer, Verdict

if TYPE_CHECKING:
    from accounts.models import User

TEXT_MAX = 10_000


def _clean_text(text: str, *, required: bool, field: str = "text") -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput("Text is required.", field_errors={field: ["Write your message."]})
    if len(text) > TEXT_MAX:
        raise InvalidInput("Too long.", field_errors={field: [f"Keep it to {TEXT_MAX:,} characters."]})
    return text


def response_submit(*, complaint_id: int, author: User, text: str) -> BusinessResponse:
    """A representative answers a complaint; after Unanswered the response is marked late."""
    text = _clean_text(text, required=True)
    created: list[BusinessResponse] = []

    def apply(complaint: Complaint) -> None:
        now = timezone.now()
        late = complaint.status == Status.UNANSWERED
        complaint.response_count += 1
        complaint.first_response_at = complaint.first_response_at or now
        complaint.late_response = complaint.late_response or late
        created.append(
            BusinessResponse.objects.create(
                complaint=complaint,
                author=author,
                text=text,
                round=complaint.response_count,
                is_late=late,
                created_at=now,
            )
        )

    complaint_transition(
        complaint_id=complaint_id, event=Event.RESPOND, actor=author, actor_role=Actor.REPRESENTATIVE, apply=apply
    )
    return created[0]


def answer_event(status: str, verdict: str) -> Event:
    """The workflow event a customer answer with this verdict sends in this state."""
    if verdict == Verdict.NONE:
        return Event.ADD_INFORMATION
    if verdict == Verdict.REJECT:
        return Event.REJECT_ANSWER
    if status in (Status.AWAITING_CONSUMER, Status.ANSWERED):
        return Event.ACCEPT
    return Event.MARK_RESOLVED


def answer_submit(*, complaint_id: int, author: User, text: str, verdict: str) -> CustomerAnswer:
    """The complainant adds information (`none`), accepts (`accept`) or rejects (`reject`) an answer.

    Accepting marks the complaint Resolved from any open state, and late after Answered.
    Rejecting needs a reason, sends the case back to the business for a second response, or to
    staff review once the business has responded twice.
    """
    if verdict not in Verdict.values:
        raise InvalidInput("Unknown verdict.", field_errors={"verdict": ["Choose accept, reject or none."]})
    text = _clean_text(text, required=verdict != Verdict.ACCEPT)
    created: list[CustomerAnswer] = []
    status = Complaint.objects.filter(pk=complaint_id).values_list("status", flat=True).first() or ""

    def apply(complaint: Complaint) -> None:
        created.append(
            CustomerAnswer.objects.create(
                complaint=complaint, author=author, text=text, verdict=verdict, created_at=timezone.now()
            )
        )

    event = answer_event(status, verdict)
    complaint_transition(
        complaint_id=complaint_id,
        event=event,
        actor=author,
        actor_role=Actor.COMPLAINANT,
        reason=text if verdict == Verdict.REJECT else "",
        apply=apply,
    )
    return created[0]


def thread_for(complaint: Complaint) -> list[BusinessResponse | CustomerAnswer]:
    """Business responses and customer answers in date order."""
    items: list[BusinessResponse | CustomerAnswer] = [*complaint.responses.all(), *complaint.answers.all()]
    return sorted(items, key=lambda item: (item.created_at, item.pk))


__all__ = ["ComplaintEvent", "answer_event", "answer_submit", "response_submit", "thread_for"]
