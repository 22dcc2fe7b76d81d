"""The one writer of moves: `complaint_transition` for one complaint, `complaints_enforce_deadlines` for a page.

Both lock the complaint rows, check each move against the workflow table
(`complaints.workflow`), plan what it changes (`complaints.changes`), and hand the moves to
`moves_write`, which writes them all the same way: the records a move carries (a response, an
answer, a ruling), the complaint rows (exactly the fields the moves set, with the masked text
and search vector of complaints entering the public record), the events, the notices and
e-mails, and the businesses' figures. Side effects are data (`records`, the event's `data`),
never callbacks. Nothing else assigns `status`. See docs/architecture.md ("One write path").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from core.bulk import bulk_insert, bulk_set
from core.errors import ChangedMeanwhile, InvalidInput, InvalidTransition, NotAllowed, NotFound
from core.security import security_event

from ..announcements import announce, event_announcements, reminder_announcements
from ..changes import move_changes
from ..deadlines import ENFORCED_KINDS
from ..models import Complaint, ComplaintEvent
from ..notifications import notices_for, reminder_notices
from ..permissions import roles_for
from ..publication import (
    MASK_FIELDS,
    SEARCH_VECTOR,
    complaints_publishing,
    names_to_mask,
    references_to_mask,
    thread_documents,
)
from ..redaction import mask_text
from ..selectors.staff_queues import staff_queues_forget
from ..timeline import chain_hash, event_content
from ..workflow import (
    CLOSED_STATES,
    DEADLINE_EVENTS,
    OPEN_STATES,
    PUBLIC_CLOSED_STATES,
    REASON_REQUIRED,
    Actor,
    Event,
    Facts,
    Refusal,
    resolve,
)
from .notices import outbox_write
from .record import counts_forget, figures_write, public_versions_bump, thread_items_write

if TYPE_CHECKING:
    from accounts.models import Business, User

# The reason recorded when a ruling's due date passes without one (the default the table applies).
DEFAULT_RULING_REASON = "No ruling was made by the due date; a rejected answer counts as Answered."
CHANGED_MEANWHILE = "The complaint changed while you were working on it. Reload it and try again."
# The published text is a masked copy of a description of at most 10,000 characters; edits may add a note.
DESCRIPTION_LIMIT = 12_000


def _reopen_to(complaint: Complaint, events: Sequence[ComplaintEvent] | None) -> str | None:
    """The state a closed complaint came from when it entered its closed state (the last such event)."""
    if events is not None:
        for event in reversed(events):
            if event.to_status == complaint.status and event.from_status != complaint.status:
                return event.from_status
        return None
    return (
        ComplaintEvent.objects.filter(complaint=complaint, to_status=complaint.status)
        .exclude(from_status=complaint.status)
        .order_by("-created_at", "-id")
        .values_list("from_status", flat=True)
        .first()
    )


def complaint_facts(complaint: Complaint, *, events: Sequence[ComplaintEvent] | None = None) -> Facts:
    """What the workflow's conditions need to know about a complaint.

    `events`: its whole timeline in order, where the caller has read it (the case page), so that a
    closed complaint's state before closing is found there rather than by a query.
    """
    reopen_to = _reopen_to(complaint, events) if complaint.status in CLOSED_STATES else None
    return Facts(
        response_count=complaint.response_count,
        second_notice_sent=complaint.second_notice_sent_at is not None,
        business_known=complaint.business_id is not None,
        on_hold=complaint.on_hold,
        complainant_verified=complaint.complainant.email_verified_at is not None,
        reopen_to=reopen_to,
    )


@dataclass
class Move:
    """One allowed move of a locked complaint, planned and applied in memory, not yet written."""

    complaint: Complaint
    event: ComplaintEvent
    fields: frozenset[str]  # the complaint fields the move set
    records: Sequence[Model] = ()  # rows the move carries, saved before the event


def _planned(
    complaint: Complaint,
    *,
    event: Event,
    actor: User | None,
    actor_role: Actor,
    reason: str,
    data: Mapping[str, Any],
    records: Sequence[Model],
    facts: Facts,
    now: datetime,
) -> Move | None:
    """Plan one move and apply it to the complaint in memory; None if the table does not allow it."""
    source = complaint.status
    outcome = resolve(source, event, actor_role, facts)
    if outcome.transition is None or outcome.target is None:
        return None
    changes = move_changes(complaint, outcome=outcome, event=event, data=data, now=now)
    for name, value in changes.items():
        setattr(complaint, name, value)
    for record in records:
        # A record the move carries is created at the move's time, like its event.
        if record.pk is None and hasattr(record, "created_at"):
            record.created_at = now
    recorded = ComplaintEvent(
        complaint=complaint,
        actor=actor,
        actor_role=actor_role,
        event=event,
        from_status=source,
        to_status=outcome.target,
        reason=reason,
        data=dict(data),
        created_at=now,
    )
    chain(complaint, recorded)
    return Move(complaint, recorded, frozenset({*changes, "timeline_head"}), records)


def chain(complaint: Complaint, event: ComplaintEvent) -> None:
    """Link a new event to the complaint's hash chain (under the complaint's row lock)."""
    content = event_content(
        number=complaint.number,
        event=event.event,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        data=event.data,
        created_at=event.created_at,
    )
    event.hash = chain_hash(complaint.timeline_head, content)
    complaint.timeline_head = event.hash


def moves_write(moves: Sequence[Move]) -> None:
    """Write planned moves of locked complaints: records, complaint rows, public record, events, notices.

    One path for one complaint or a page: the complaint rows are written in one statement with
    exactly the fields the moves set (`Move.fields`), plus the masked text and, on PostgreSQL,
    the search vector of complaints entering the public record (others keep theirs).
    """
    if not moves:
        return
    for move in moves:
        for record in move.records:
            record.save()
    complaints = [move.complaint for move in moves]
    publishing = complaints_publishing(
        [(move.complaint, move.event.from_status) for move in moves if move.event.from_status != move.event.to_status]
    )
    documents_by_id = {**publishing.documents, **_reindexed(moves, publishing.documents)}
    fields = sorted(set().union(*(move.fields for move in moves)) - set(MASK_FIELDS))
    computed = None
    if connection.vendor == "postgresql":
        documents = [documents_by_id.get(complaint.pk) for complaint in complaints]
        # A complaint not entering the public record keeps its vector (to_tsvector(NULL) is NULL).
        vector = f"COALESCE({SEARCH_VECTOR.format('{}')}, t.search_vector)"
        computed = {"search_vector": (vector, documents)}
    bulk_set(complaints, [*fields, *MASK_FIELDS], computed=computed)
    thread_items_write(publishing.masked)
    events = [move.event for move in moves]
    bulk_insert(events)
    # The e-mails quote the new text a move carried (a response, an answer, information).
    quoted = [next((str(text) for r in move.records if (text := getattr(r, "text", ""))), "") for move in moves]
    outbox_write(notices_for(events, quoted))
    announce(event_announcements(events))
    figures_write(publishing)
    # Last, after the day rows: a move into, out of or within the public record changes the profile.
    public_versions_bump(
        [
            move.complaint.business_id
            for move in moves
            if move.event.from_status in PUBLIC_CLOSED_STATES or move.event.to_status in PUBLIC_CLOSED_STATES
        ]
    )
    counts_forget([complaint.business_id for complaint in complaints if complaint.business_id is not None])
    if any(move.event.actor_role == Actor.STAFF for move in moves):
        staff_queues_forget()


def _reindexed(moves: Sequence[Move], documents: Mapping[int, str]) -> dict[int, str]:
    """Search documents of published complaints whose consent or masked text a move changed."""
    changed = [
        move.complaint
        for move in moves
        if move.complaint.pk not in documents
        and move.complaint.status in PUBLIC_CLOSED_STATES
        and move.complaint.masked_at is not None
        and move.fields & {"publish_consent", "description_masked", "masked_at", "public_response_masked"}
    ]
    return thread_documents(changed) if changed else {}


def complaint_transition(
    *,
    complaint_id: int,
    event: Event,
    actor: User | None,
    actor_role: Actor,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    records: Sequence[Model] = (),
    expect: Mapping[str, Any] | None = None,
) -> ComplaintEvent:
    """Apply one workflow event: lock the row, check the table, write the move and one event.

    `data` is what the event carries (stored on the event; `changes.event_changes` reads it).
    `records` are rows the move carries, saved with it. `expect` names complaint fields as the
    caller read them before the lock (for records that depend on them, such as a response's
    round): the move is refused with `ChangedMeanwhile` if any changed, and the caller retries.
    Notifications are stored in the same transaction and sent after it commits.
    """
    if actor_role is Actor.SYSTEM and actor is not None:
        raise NotAllowed("Deadline events have no human actor.")
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("complainant")
            .filter(pk=complaint_id)
            .first()
        )
        if complaint is None:
            raise NotFound("No such complaint.")
        if actor_role is not Actor.SYSTEM:
            roles = roles_for(actor, complaint)
            if not roles:
                raise NotFound("No such complaint.")
            if actor_role not in roles:
                raise NotAllowed(f"You cannot act as {actor_role} on this complaint.")
        if any(getattr(complaint, name) != value for name, value in (expect or {}).items()):
            raise ChangedMeanwhile(CHANGED_MEANWHILE)
        facts = complaint_facts(complaint)
        outcome = resolve(complaint.status, event, actor_role, facts)
        if outcome.transition is None:
            if outcome.refusal is Refusal.ACTOR_NOT_ALLOWED:
                raise NotAllowed(outcome.message)
            raise InvalidTransition(outcome.message)
        reason = (reason or "").strip()
        if event in REASON_REQUIRED and actor_role is not Actor.SYSTEM and not reason:
            raise InvalidInput("A reason is required.", field_errors={"reason": ["A reason is required."]})
        move = _planned(
            complaint,
            event=event,
            actor=actor,
            actor_role=actor_role,
            reason=reason,
            data=data or {},
            records=records,
            facts=facts,
            now=timezone.now(),
        )
        assert move is not None  # resolve() allowed it above
        moves_write([move])
    if actor_role is Actor.STAFF:
        security_event(
            "staff_act",
            user=actor,
            complaint=complaint.number,
            act=str(event),
            from_status=move.event.from_status,
            to_status=move.event.to_status,
            reason=reason,
        )
    return move.event


@dataclass
class Enforced:
    """What `complaints_enforce_deadlines` did with the complaints it was given."""

    events: list[ComplaintEvent] = field(default_factory=list)
    locked: int = 0  # held by another transaction: left for the next sweep
    unchanged: int = 0  # nothing due any more (a party or another sweep got there first)


def complaints_enforce_deadlines(
    *, complaint_ids: Sequence[int], now: datetime | None = None, skip_locked: bool = True
) -> Enforced:
    """Apply what each passed due date means, for a page of complaints in one transaction.

    The rows are locked together (rows another transaction holds are skipped, unless
    `skip_locked` is False) and their state, due date and due kind read again under the lock,
    so a complaint that moved on since it was selected is left alone. Each move is checked
    against the workflow table like any other and written by `moves_write`.
    """
    now = now or timezone.now()
    ids = list(dict.fromkeys(complaint_ids))
    result = Enforced()
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .select_related("complainant", "business")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        complaints = list(locked)
        result.locked = len(ids) - len(complaints)
        moves: list[Move] = []
        for complaint in complaints:
            event = DEADLINE_EVENTS.get(complaint.due_kind)
            if event is None or complaint.due_at is None or complaint.due_at > now:
                result.unchanged += 1
                continue
            move = _planned(
                complaint,
                event=event,
                actor=None,
                actor_role=Actor.SYSTEM,
                reason=DEFAULT_RULING_REASON if event is Event.RULING_DEADLINE else "",
                data={},
                records=(),
                facts=complaint_facts(complaint),
                now=now,
            )
            if move is None:
                result.unchanged += 1
                continue
            moves.append(move)
        moves_write(moves)
        result.events = [move.event for move in moves]
    return result


def complaint_enforce_deadline(*, complaint_id: int) -> ComplaintEvent | None:
    """Apply what a passed due date means for one complaint; None if nothing is due now.

    Waits for the row if another transaction holds it, then reads it again under the lock.
    """
    events = complaints_enforce_deadlines(complaint_ids=[complaint_id], skip_locked=False).events
    return events[0] if events else None


def _lock(pk: int) -> Complaint | None:
    """Lock one complaint for this transaction, or None if another transaction holds it."""
    return Complaint.objects.select_for_update(skip_locked=True).filter(pk=pk).first()


def complaint_remind(*, complaint_id: int, now: datetime | None = None) -> Complaint | None:
    """Send the reminder for a complaint's current due date if it is time; the complaint if sent.

    Locks the row (skipping it if it is locked), re-checks under the lock, and clears
    `remind_at`, so a reminder goes out once however many sweeps run. A reminder overtaken by
    its own due date (the sweep acts on that instead) or by a closed state is dropped.
    """
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _lock(complaint_id)
        if complaint is None or complaint.remind_at is None or complaint.remind_at > now:
            return None
        overtaken = (
            complaint.status not in OPEN_STATES
            or complaint.due_at is None
            or (complaint.due_kind in ENFORCED_KINDS and complaint.due_at <= now)
        )
        if not overtaken:
            outbox_write(reminder_notices(complaint))
            announce(reminder_announcements(complaint, now))
            complaint.reminded_at = now
        complaint.remind_at = None
        complaint.save(update_fields=["remind_at", "reminded_at", "updated_at"])
        return None if overtaken else complaint


def complaint_withdraw(*, complaint_id: int, user: User, reason: str = "") -> ComplaintEvent:
    return complaint_transition(
        complaint_id=complaint_id, event=Event.WITHDRAW, actor=user, actor_role=Actor.COMPLAINANT, reason=reason
    )


def complaint_set_consent(*, complaint_id: int, user: User, publish_consent: bool) -> ComplaintEvent:
    """Give or revoke consent to publish the text, at any time.

    Withdrawn after closing, the published text and its search entry go at once (same transaction).
    """
    return complaint_transition(
        complaint_id=complaint_id,
        event=Event.CHANGE_CONSENT,
        actor=user,
        actor_role=Actor.COMPLAINANT,
        data={"publish_consent": publish_consent},
    )


def complaint_public_text_set(
    *,
    complaint_id: int,
    staff: User,
    reason: str,
    description: str | None = None,
    thread: Sequence[Model] = (),
) -> ComplaintEvent:
    """Staff replace the masked, published text (description, thread items); search follows at once.

    `thread` holds responses or answers with a new `text_masked`. The event records who edited
    what and why; the public sees that the text was edited, never the original.
    """
    if not staff.is_staff:
        raise NotAllowed("Only Redress staff can do this.")
    data: dict[str, Any] = {}
    if description is not None:
        description = description.strip()
        if not description:
            raise InvalidInput("The text is required.", field_errors={"description": ["Write the published text."]})
        if len(description) > DESCRIPTION_LIMIT:
            message = f"Keep it to {DESCRIPTION_LIMIT:,} characters."
            raise InvalidInput("Too long.", field_errors={"description": [message]})
        data["description"] = description
    if thread:
        data["thread"] = [[item._meta.label_lower, item.pk] for item in thread]
    if not data:
        raise InvalidInput("Nothing changes.", field_errors={"description": ["Change the published text first."]})
    return complaint_transition(
        complaint_id=complaint_id,
        event=Event.EDIT_PUBLIC_TEXT,
        actor=staff,
        actor_role=Actor.STAFF,
        reason=reason,
        data=data,
        records=thread,
    )


def complaint_business_link(*, complaint_id: int, staff: User, business: Business, reason: str) -> ComplaintEvent:
    """Staff link a complaint being screened to a directory entry; its paused screening clock resumes."""
    if not staff.is_staff:
        raise NotAllowed("Only Redress staff can do this.")
    return complaint_transition(
        complaint_id=complaint_id,
        event=Event.LINK_BUSINESS,
        actor=staff,
        actor_role=Actor.STAFF,
        reason=reason,
        data={"business_id": business.pk, "business_name": business.name},
    )


PUBLIC_RESPONSE_LIMIT = 2_000


def complaint_public_response_add(*, complaint_id: int, author: User, text: str) -> ComplaintEvent:
    """The business adds its one public response to a published complaint (docs/open-data.md).

    The text is masked as the complaint's own text is (the names of the people involved, contact
    details) and shown only where the complainant's consent lets the complaint's text be shown.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidInput("The text is required.", field_errors={"text": ["Write the public response."]})
    if len(text) > PUBLIC_RESPONSE_LIMIT:
        message = f"Keep it to {PUBLIC_RESPONSE_LIMIT:,} characters."
        raise InvalidInput("Too long.", field_errors={"text": [message]})
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    if complaint.public_response_at is not None:
        raise InvalidTransition("The business has already added its public response.")
    masked = mask_text(
        text,
        names=names_to_mask([complaint])[complaint.pk],
        region=settings.REDRESS_PHONE_REGION,
        references=references_to_mask(complaint),
    )
    return complaint_transition(
        complaint_id=complaint_id,
        event=Event.PUBLIC_RESPONSE,
        actor=author,
        actor_role=Actor.REPRESENTATIVE,
        data={"public_response": text, "public_response_masked": masked},
        expect={"public_response_at": None},
    )
