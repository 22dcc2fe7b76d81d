"""Writes for the exchange after filing: responses, answers, information from the business, staff acts.

Each calls the one move writer (`complaints.services.complaint_transition`) with what the move
carries as data: the new response, answer, ruling or mediation as unsaved `records`, and
`expect` where a record depends on the complaint as read before the lock (a response's round).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import Cutter
from complaints.attachments import sniff_content_type, validate_attachments
from complaints.issues import ResponseOutcome
from complaints.models import Attachment, Complaint, ComplaintEvent, RejectReason, Status
from complaints.services import MAX_ATTACHMENTS, complaint_transition
from complaints.workflow import LATE_RESPONSE_STATES, STAFF_EVENTS, Actor, Event
from core.bulk import bulk_set
from core.errors import ChangedMeanwhile, InvalidInput, NotAllowed, NotFound

from .models import (
    BusinessInformation,
    BusinessResponse,
    CustomerAnswer,
    MediationCase,
    StaffRuling,
    ThreadAttachment,
    Verdict,
)

TEXT_MAX = 10_000
# How often a write built on a read of the complaint is tried again when the complaint moved
# between the read and the lock (a deadline sweep closing it, say): each retry reads it anew.
ATTEMPTS = 5

# The staff actions on the complaint list, in the workflow's order; an action's name is its event's.
# Editing the public text and linking the business are made on the complaint's own page.
STAFF_ACTIONS: tuple[Event, ...] = tuple(
    event for event in Event if event in STAFF_EVENTS and event not in (Event.EDIT_PUBLIC_TEXT, Event.LINK_BUSINESS)
)


def _clean_text(text: str, *, required: bool, field: str = "text") -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput("Text is required.", field_errors={field: ["Write your message."]})
    if len(text) > TEXT_MAX:
        raise InvalidInput("Too long.", field_errors={field: [f"Keep it to {TEXT_MAX:,} characters."]})
    return text


def _read(complaint_id: int) -> tuple[str, int]:
    """The complaint's status and response count as they are now, before any lock."""
    row = Complaint.objects.filter(pk=complaint_id).values_list("status", "response_count").first()
    if row is None:
        raise NotFound("No such complaint.")
    return row


def _attachments(complaint_id: int, author: User, uploads: Sequence[UploadedFile]) -> list[Attachment]:
    """The move's attachments, checked as filing checks them and stored as private files, not yet saved as rows."""
    if not uploads:
        return []
    problems = (
        [f"Attach at most {MAX_ATTACHMENTS} files."]
        if len(uploads) > MAX_ATTACHMENTS
        else validate_attachments(uploads)
    )
    if problems:
        raise InvalidInput("An attachment was refused.", field_errors={"attachments": problems})
    complaint = Complaint.objects.only("number").filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    records = []
    for upload in uploads:
        attachment = Attachment(
            complaint=complaint,
            uploaded_by=author,
            original_name=(upload.name or "attachment")[:255],
            content_type=sniff_content_type(upload) or "application/octet-stream",
            size=upload.size or 0,
        )
        upload.seek(0)
        attachment.file.save(upload.name or "attachment", upload, save=False)
        records.append(attachment)
    return records


def _carried(entry: Model, files: Sequence[Attachment]) -> list[Model]:
    """The thread entry, its files, and the links that list each file beside it, in the order they are saved."""
    field = {BusinessResponse: "response", CustomerAnswer: "answer", BusinessInformation: "information"}[type(entry)]
    links = [ThreadAttachment(attachment=file, **{field: entry}) for file in files]
    return [entry, *files, *links]


def _move_data(via: str, attachments: Sequence[Attachment]) -> dict[str, Any]:
    """What the event records of how the move came (`email`) and the files it carried."""
    data: dict[str, Any] = {"via": via} if via else {}
    if attachments:
        data["attachments"] = [attachment.original_name for attachment in attachments]
    return data


def _clean_outcome(outcome: str, relief_amount: Decimal | None) -> dict[str, str]:
    """What the response's event records of its outcome; an amount goes with monetary relief only."""
    if not outcome:
        if relief_amount is not None:
            message = "Choose monetary relief to give an amount."
            raise InvalidInput(message, field_errors={"relief_amount": [message]})
        return {}
    if outcome not in ResponseOutcome.values:
        message = "Choose one of the outcomes."
        raise InvalidInput(message, field_errors={"outcome": [message]})
    if outcome == ResponseOutcome.MONETARY_RELIEF:
        if relief_amount is None or relief_amount <= 0:
            message = "Give the amount paid or credited."
            raise InvalidInput(message, field_errors={"relief_amount": [message]})
        return {"outcome": outcome, "relief_amount": str(relief_amount)}
    if relief_amount is not None:
        message = "An amount goes only with monetary relief."
        raise InvalidInput(message, field_errors={"relief_amount": [message]})
    return {"outcome": outcome}


def response_submit(
    *,
    complaint_id: int,
    author: User,
    text: str,
    attachments: Sequence[UploadedFile] = (),
    via: str = "",
    outcome: str = "",
    relief_amount: Decimal | None = None,
) -> BusinessResponse:
    """A representative answers a complaint; after Unanswered the response is marked late.

    `attachments` are checked as filing checks them and attached to the complaint with the move,
    listed beside the response in the thread;
    `via` names how the response came when not through a page or the API (`email`). `outcome`
    (complaints.issues.ResponseOutcome) says what the business did, with `relief_amount` for
    monetary relief; the complaint keeps the latest for its published entry and the open data.
    """
    text = _clean_text(text, required=True)
    decided = _clean_outcome(outcome, relief_amount)
    files = _attachments(complaint_id, author, attachments)
    for attempt in range(ATTEMPTS):
        status, count = _read(complaint_id)
        response = BusinessResponse(
            complaint_id=complaint_id,
            author=author,
            text=text,
            round=count + 1,
            is_late=status in LATE_RESPONSE_STATES,
            outcome=decided.get("outcome", ""),
            relief_amount=relief_amount if decided.get("relief_amount") else None,
        )
        try:
            complaint_transition(
                complaint_id=complaint_id,
                event=Event.RESPOND,
                actor=author,
                actor_role=Actor.REPRESENTATIVE,
                data={**_move_data(via, files), **decided},
                records=_carried(response, files),
                expect={"status": status, "response_count": count},
            )
        except ChangedMeanwhile:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def answer_event(status: str, verdict: str) -> Event:
    """The workflow event a customer answer with this verdict sends in this state."""
    if verdict == Verdict.NONE:
        return Event.ADD_INFORMATION
    if verdict == Verdict.REJECT:
        return Event.REJECT_ANSWER
    if status in (Status.AWAITING_CONSUMER, Status.ANSWERED):
        return Event.ACCEPT
    return Event.MARK_RESOLVED


def answer_submit(
    *,
    complaint_id: int,
    author: User,
    text: str,
    verdict: str,
    attachments: Sequence[UploadedFile] = (),
    via: str = "",
) -> CustomerAnswer:
    """The complainant adds information (`none`), accepts (`accept`) or rejects (`reject`) an answer.

    Accepting marks the complaint Resolved from any open state, and late after Answered.
    Rejecting needs a reason, sends the case back to the business for a second response, or to
    staff review once the business has responded twice. `attachments` and `via` are as for
    `response_submit`.
    """
    if verdict not in Verdict.values:
        raise InvalidInput("Unknown verdict.", field_errors={"verdict": ["Choose accept, reject or none."]})
    text = _clean_text(text, required=verdict != Verdict.ACCEPT)
    files = _attachments(complaint_id, author, attachments)
    for attempt in range(ATTEMPTS):
        status = Complaint.objects.filter(pk=complaint_id).values_list("status", flat=True).first() or ""
        answer = CustomerAnswer(complaint_id=complaint_id, author=author, text=text, verdict=verdict)
        try:
            complaint_transition(
                complaint_id=complaint_id,
                event=answer_event(status, verdict),
                actor=author,
                actor_role=Actor.COMPLAINANT,
                reason=text if verdict == Verdict.REJECT else "",
                data=_move_data(via, files),
                records=_carried(answer, files),
                # Accepting and marking resolved are told apart by the state read here.
                expect={"status": status} if verdict == Verdict.ACCEPT else None,
            )
        except ChangedMeanwhile:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return answer
    raise AssertionError("unreachable")  # pragma: no cover


def business_information_add(
    *, complaint_id: int, author: User, text: str, attachments: Sequence[UploadedFile] = (), via: str = ""
) -> BusinessInformation:
    """A representative adds information where no response is due from the business.

    It goes on the thread beside the responses, keeps the state and every due date, and counts
    no round; the complainant is told. `attachments` and `via` are as for `response_submit`.
    """
    text = _clean_text(text, required=True)
    files = _attachments(complaint_id, author, attachments)
    information = BusinessInformation(complaint_id=complaint_id, author=author, text=text)
    complaint_transition(
        complaint_id=complaint_id,
        event=Event.BUSINESS_INFORMATION,
        actor=author,
        actor_role=Actor.REPRESENTATIVE,
        # The notices quote the information, and the timeline's hash covers it.
        data={"text": text, **_move_data(via, files)},
        records=_carried(information, files),
    )
    return information


def complaint_staff_act(
    *,
    complaint_id: int,
    staff: User,
    action: str,
    reason: str = "",
    reject_reason: str = "",
    mediation_kind: str = "mediation",
    duplicate_of: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> ComplaintEvent:
    """Apply one staff action (see STAFF_ACTIONS) through the move writer.

    A rejection as a duplicate names the case it duplicates (`duplicate_of`, a case number): the
    event carries the link, and both cases show it. `attachments` are checked as filing checks
    them and attached to the complaint with the move, listed under the act in its history (linked
    to its event); a refused file refuses the act and nothing is saved.
    """
    if not staff.is_staff:
        # Callers fetch the complaint for the user first (complaint_get_for_user), so someone who
        # reaches this far may see the complaint: they may not act on it.
        raise NotAllowed("Only Redress staff can do this.")
    if action not in STAFF_ACTIONS:
        choices = ", ".join(STAFF_ACTIONS)
        raise InvalidInput("Unknown action.", field_errors={"action": [f"Choose one of: {choices}."]})
    event = Event(action)
    if event is Event.REJECT and reject_reason not in RejectReason.values:
        raise InvalidInput(
            "A reason code is required.",
            field_errors={"reject_reason": [f"Choose one of: {', '.join(RejectReason.values)}."]},
        )
    duplicate_of = (duplicate_of or "").strip().lstrip("#")
    original: Complaint | None = None
    if event is Event.REJECT and reject_reason == RejectReason.DUPLICATE:
        original = Complaint.objects.filter(number=duplicate_of).first() if duplicate_of else None
        if original is None or original.pk == complaint_id:
            problem = "Give the number of the other complaint it duplicates."
            if original is not None:
                problem = "A complaint cannot duplicate itself."
            raise InvalidInput("The other complaint is required.", field_errors={"duplicate_of": [problem]})
    elif duplicate_of:
        raise InvalidInput(
            "Only a duplicate names another complaint.",
            field_errors={"duplicate_of": ["Leave this empty unless the reason code is a duplicate."]},
        )
    if event is Event.OPEN_MEDIATION and mediation_kind not in MediationCase.Kind.values:
        raise InvalidInput("Unknown kind.", field_errors={"mediation_kind": ["Choose mediation or arbitration."]})
    files = _attachments(complaint_id, staff, attachments)

    now = timezone.now()
    data: dict[str, Any] = _move_data("", files)
    records: list[Model] = []
    if event is Event.REJECT:
        data["reject_reason"] = reject_reason
        if original is not None:
            data["duplicate_of"] = original.number
            data["duplicate_of_id"] = original.pk
    elif event in (Event.RULE_ANSWERED, Event.RULE_UNRESOLVED):
        ruling = StaffRuling.Outcome.ANSWERED if event is Event.RULE_ANSWERED else StaffRuling.Outcome.UNRESOLVED
        records.append(StaffRuling(complaint_id=complaint_id, staff=staff, outcome=ruling, reason=reason.strip()))
    elif event is Event.OPEN_MEDIATION:
        data["kind"] = mediation_kind
        records.append(
            MediationCase(complaint_id=complaint_id, kind=mediation_kind, opened_by=staff, notes=reason.strip())
        )
    elif event in (Event.MEDIATION_RESOLVED, Event.MEDIATION_UNRESOLVED):
        settled = (
            MediationCase.Outcome.RESOLVED if event is Event.MEDIATION_RESOLVED else MediationCase.Outcome.UNRESOLVED
        )
        for mediation in MediationCase.objects.filter(complaint_id=complaint_id, closed_at__isnull=True):
            mediation.outcome, mediation.closed_at = settled, now
            records.append(mediation)
    with transaction.atomic():
        recorded = complaint_transition(
            complaint_id=complaint_id,
            event=event,
            actor=staff,
            actor_role=Actor.STAFF,
            reason=reason,
            data=data,
            records=[*records, *files],
        )
        # The move writer saves its records before the event; the links to the event follow it,
        # in the same transaction.
        ThreadAttachment.objects.bulk_create([ThreadAttachment(attachment=file, event=recorded) for file in files])
    return recorded


ThreadItem = BusinessResponse | CustomerAnswer | BusinessInformation


def thread_for(complaint: Complaint) -> list[ThreadItem]:
    """Business responses, customer answers and information from the business, in date order."""
    items: list[ThreadItem] = [
        *complaint.responses.all(),
        *complaint.answers.all(),
        *complaint.business_information.all(),
    ]
    return sorted(items, key=lambda item: (item.created_at, item.pk))


__all__ = [
    "STAFF_ACTIONS",
    "ComplaintEvent",
    "answer_event",
    "answer_submit",
    "business_information_add",
    "complaint_staff_act",
    "response_submit",
    "thread_for",
]


def complainant_records_erase(user: User, cut: Cutter, reason: str) -> None:
    """Cut a deleted account's name and address from staff rulings and mediation notes on its complaints.

    The thread (responses and answers) is cut by `complaints.services.personal` with the complaint.
    """
    rulings = list(StaffRuling.objects.filter(complaint__complainant=user).order_by("pk"))
    for ruling in rulings:
        ruling.reason = cut(ruling.reason)
    bulk_set(rulings, ["reason"])
    mediations = list(MediationCase.objects.filter(complaint__complainant=user).order_by("pk"))
    for mediation in mediations:
        mediation.notes = cut(mediation.notes)
    bulk_set(mediations, ["notes"])
