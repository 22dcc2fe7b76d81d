"""Every write to a complaint. `complaint_transition` is the only code that assigns `status`."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Business
from core.bulk import bulk_insert, bulk_set
from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound

from . import notifications, publication
from .attachments import sniff_content_type, validate_attachments
from .deadlines import ENFORCED_KINDS, remind_at_for
from .models import Attachment, Complaint, ComplaintEvent, ComplaintType, DesiredOutcome, DueKind, RejectReason, Status
from .permissions import roles_for
from .workflow import (
    CLOSED_STATES,
    DEADLINE_EVENTS,
    INITIAL_STATE,
    OPEN_STATES,
    REASON_REQUIRED,
    Actor,
    Event,
    Facts,
    Outcome,
    Refusal,
    days,
    deadline_for,
    resolve,
)

if TYPE_CHECKING:
    from accounts.models import User

DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 10_000
MAX_ATTACHMENTS = 5


def complaint_facts(complaint: Complaint) -> Facts:
    """What the workflow's conditions need to know about a complaint."""
    reopen_to = None
    if complaint.status in CLOSED_STATES:
        reopen_to = (
            ComplaintEvent.objects.filter(complaint=complaint, to_status=complaint.status)
            .exclude(from_status=complaint.status)
            .order_by("-created_at", "-id")
            .values_list("from_status", flat=True)
            .first()
        )
    return Facts(
        response_count=complaint.response_count,
        second_notice_sent=complaint.second_notice_sent_at is not None,
        business_known=complaint.business_id is not None,
        on_hold=complaint.on_hold,
        complainant_verified=complaint.complainant.email_verified_at is not None,
        reopen_to=reopen_to,
    )


def _set_deadline(complaint: Complaint, facts: Facts, now: Any) -> None:
    deadline = deadline_for(complaint.status, facts)
    complaint.due_kind = deadline.kind
    complaint.due_at = now + days(getattr(settings, deadline.setting)) if deadline.setting else None
    complaint.reminded_at = None
    complaint.remind_at = remind_at_for(complaint.due_kind, complaint.due_at, now)


def _move(complaint: Complaint, source: str, outcome: Outcome, facts: Facts, now: datetime) -> None:
    """Put an allowed move on the (locked) complaint in memory: its state, then its due date."""
    assert outcome.transition is not None and outcome.target is not None
    target = outcome.target
    if target != source:
        complaint.status = target
        complaint.status_changed_at = now
        complaint.closed_at = now if target in CLOSED_STATES else None
    if target != source or outcome.transition.resets_due:
        _set_deadline(complaint, facts, now)
    complaint.updated_at = now


# What a deadline move may change on the complaint row, for the batch write in `_record`.
DEADLINE_FIELDS = (
    "status",
    "status_changed_at",
    "closed_at",
    "due_kind",
    "due_at",
    "reminded_at",
    "remind_at",
    "forwarded_at",
    "second_notice_sent_at",
    "updated_at",
)


def _record(events: Sequence[ComplaintEvent], *, fields: Sequence[str] | None = None) -> list[ComplaintEvent]:
    """Write moved complaints, their events, the public record and the notifications.

    Every move goes through here, one at a time from `complaint_transition` (the whole row is
    saved) or a batch at a time from `complaints_enforce_deadlines` (only `fields`, the masked
    text and the search vector, in one statement: each write of a complaint row writes every
    index of the table). The complaints are locked by the caller.
    """
    complaints = [event.complaint for event in events]
    publishing = publication.complaints_publishing(
        [(event.complaint, event.from_status) for event in events if event.from_status != event.to_status]
    )
    if fields is None:
        for complaint in complaints:
            complaint.save()
        publication.search_vectors_set(publishing.documents)
    else:
        computed = None
        if connection.vendor == "postgresql":
            documents = [publishing.documents.get(complaint.pk) for complaint in complaints]
            # A complaint not entering the public record keeps its vector (to_tsvector(NULL) is NULL).
            vector = f"COALESCE({publication.SEARCH_VECTOR.format('{}')}, t.search_vector)"
            computed = {"search_vector": (vector, documents)}
        bulk_set(complaints, [*fields, *publication.MASK_FIELDS], computed=computed)
    bulk_insert(events)
    notifications.events_recorded(events)
    publishing.figures_add()
    return list(events)


def complaint_transition(
    *,
    complaint_id: int,
    event: Event,
    actor: User | None,
    actor_role: Actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    apply: Callable[[Complaint], None] | None = None,
) -> ComplaintEvent:
    """Apply one workflow event: lock the row, check the table, write the state and one event.

    `apply` runs under the lock after the move is allowed and before the state is saved; it
    records what the event carries (a response, an answer, a ruling) and may update counters
    that the target state depends on. Notifications are stored in the same transaction and sent
    after it commits.
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

        source = complaint.status
        outcome = resolve(source, event, actor_role, complaint_facts(complaint))
        if outcome.transition is None or outcome.target is None:
            if outcome.refusal is Refusal.ACTOR_NOT_ALLOWED:
                raise NotAllowed(outcome.message)
            raise InvalidTransition(outcome.message)
        reason = (reason or "").strip()
        if event in REASON_REQUIRED and actor_role is not Actor.SYSTEM and not reason:
            raise InvalidInput("A reason is required.", field_errors={"reason": ["A reason is required."]})

        now = timezone.now()
        if apply is not None:
            apply(complaint)
        _move(complaint, source, outcome, complaint_facts(complaint), now)
        recorded = ComplaintEvent(
            complaint=complaint,
            actor=actor,
            actor_role=actor_role,
            event=event,
            from_status=source,
            to_status=outcome.target,
            reason=reason,
            data=data or {},
            created_at=now,
        )
        _record([recorded])
    return recorded


def _new_number() -> str:
    # 8 digits, never starting with 0, drawn at random so numbers reveal nothing about volume.
    return str(10_000_000 + secrets.randbelow(90_000_000))


def _clean_filing(
    *,
    business: Business | None,
    business_name: str,
    type: str,
    description: str,
    desired_outcome: str,
    desired_outcome_detail: str,
    currency: str,
    amount: Decimal | None,
    transaction_date: date | None,
    affirm_true: bool,
    affirm_not_in_court: bool,
    attachments: Sequence[UploadedFile],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if business is None and not business_name.strip():
        add("business", "Choose the business from the directory, or give its name if it is not listed.")
    if type not in ComplaintType.values:
        add("type", "Choose one of the complaint types.")
    length = len(description.strip())
    if length < DESCRIPTION_MIN:
        add("description", f"Describe what happened in at least {DESCRIPTION_MIN} characters (you wrote {length}).")
    elif length > DESCRIPTION_MAX:
        add("description", f"Keep the description to {DESCRIPTION_MAX:,} characters (you wrote {length:,}).")
    if desired_outcome not in DesiredOutcome.values:
        add("desired_outcome", "Choose the outcome you want.")
    if len(desired_outcome_detail) > 255:
        add("desired_outcome_detail", "Keep the detail to 255 characters.")
    if desired_outcome == DesiredOutcome.OTHER and not desired_outcome_detail.strip():
        add("desired_outcome_detail", "Say what outcome you want.")
    if currency and (len(currency) != 3 or not currency.isalpha()):
        add("currency", "Use a three-letter currency code such as USD or EUR.")
    if amount is not None and amount < 0:
        add("amount", "The amount cannot be negative.")
    if transaction_date is not None and transaction_date > timezone.localdate():
        add("transaction_date", "The transaction date cannot be in the future.")
    if not affirm_true:
        add("affirm_true", "You must affirm that the complaint is true.")
    if not affirm_not_in_court:
        add("affirm_not_in_court", "You must affirm that the matter is not in court.")
    if len(attachments) > MAX_ATTACHMENTS:
        add("attachments", f"Attach at most {MAX_ATTACHMENTS} files.")
    else:
        for message in validate_attachments(attachments):
            add("attachments", message)
    return errors


def complaint_file(
    *,
    complainant: User,
    type: str,
    description: str,
    desired_outcome: str,
    business: Business | None = None,
    business_name: str = "",
    business_website: str = "",
    business_address: str = "",
    business_email: str = "",
    business_phone: str = "",
    desired_outcome_detail: str = "",
    transaction_date: date | None = None,
    amount: Decimal | None = None,
    currency: str = "USD",
    reference: str = "",
    publish_consent: bool = False,
    affirm_true: bool = False,
    affirm_not_in_court: bool = False,
    attachments: Sequence[UploadedFile] = (),
) -> Complaint:
    """File a complaint: check it, give it a case number, store it with its first event."""
    currency = (currency or "USD").upper()
    errors = _clean_filing(
        business=business,
        business_name=business_name,
        type=type,
        description=description,
        desired_outcome=desired_outcome,
        desired_outcome_detail=desired_outcome_detail,
        currency=currency,
        amount=amount,
        transaction_date=transaction_date,
        affirm_true=affirm_true,
        affirm_not_in_court=affirm_not_in_court,
        attachments=attachments,
    )
    if errors:
        raise InvalidInput("The complaint could not be filed.", field_errors=errors)
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint(
            complainant=complainant,
            business=business,
            business_name=(business.name if business else business_name).strip(),
            business_website=business_website.strip(),
            business_address=business_address.strip(),
            business_email=business_email.strip(),
            business_phone=business_phone.strip(),
            type=type,
            description=description.strip(),
            desired_outcome=desired_outcome,
            desired_outcome_detail=desired_outcome_detail.strip(),
            transaction_date=transaction_date,
            amount=amount,
            currency=currency,
            reference=reference.strip(),
            publish_consent=publish_consent,
            affirm_true=affirm_true,
            affirm_not_in_court=affirm_not_in_court,
            status=INITIAL_STATE,
            status_changed_at=now,
            filed_at=now,
            due_kind=DueKind.SCREENING,
            due_at=now + days(settings.REDRESS_SCREENING_DAYS),
        )
        for _ in range(10):
            complaint.number = _new_number()
            try:
                with transaction.atomic():
                    complaint.save()
                break
            except IntegrityError:
                complaint.pk = None
        else:  # pragma: no cover - ten collisions in 90 million numbers
            raise RuntimeError("Could not allocate a case number")
        for upload in attachments:
            attachment_add(complaint=complaint, uploaded_by=complainant, upload=upload)
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            actor=complainant,
            actor_role=Actor.COMPLAINANT,
            event=Event.FILE,
            from_status="",
            to_status=INITIAL_STATE,
            created_at=now,
        )
        notifications.events_recorded([event])
    return complaint


def attachment_add(*, complaint: Complaint, uploaded_by: User, upload: UploadedFile) -> Attachment:
    """Store one already validated upload as a private attachment."""
    content_type = sniff_content_type(upload) or "application/octet-stream"
    upload.seek(0)
    attachment = Attachment(
        complaint=complaint,
        uploaded_by=uploaded_by,
        original_name=(upload.name or "attachment")[:255],
        content_type=content_type,
        size=upload.size or 0,
    )
    attachment.file.save(upload.name or "attachment", upload, save=False)
    attachment.save()
    return attachment


def complaint_withdraw(*, complaint_id: int, user: User, reason: str = "") -> ComplaintEvent:
    return complaint_transition(
        complaint_id=complaint_id, event=Event.WITHDRAW, actor=user, actor_role=Actor.COMPLAINANT, reason=reason
    )


def complaint_set_consent(*, complaint_id: int, user: User, publish_consent: bool) -> ComplaintEvent:
    """Give or revoke consent to publish the text; possible until the complaint closes."""

    def apply(complaint: Complaint) -> None:
        complaint.publish_consent = publish_consent

    return complaint_transition(
        complaint_id=complaint_id,
        event=Event.CHANGE_CONSENT,
        actor=user,
        actor_role=Actor.COMPLAINANT,
        data={"publish_consent": publish_consent},
        apply=apply,
    )


STAFF_ACTIONS: dict[str, Event] = {
    "forward": Event.FORWARD,
    "hold": Event.HOLD,
    "reject": Event.REJECT,
    "unpursuable": Event.UNPURSUABLE,
    "rule_answered": Event.RULE_ANSWERED,
    "rule_unresolved": Event.RULE_UNRESOLVED,
    "open_mediation": Event.OPEN_MEDIATION,
    "mediation_resolved": Event.MEDIATION_RESOLVED,
    "mediation_unresolved": Event.MEDIATION_UNRESOLVED,
    "reopen": Event.REOPEN,
}


def complaint_staff_act(
    *,
    complaint_id: int,
    staff: User,
    action: str,
    reason: str = "",
    reject_reason: str = "",
    mediation_kind: str = "mediation",
) -> ComplaintEvent:
    """Apply one staff action (see STAFF_ACTIONS) through the transition service."""
    from disputes.models import MediationCase, StaffRuling

    if not staff.is_staff:
        # Callers fetch the complaint for the user first (complaint_get_for_user), so someone who
        # reaches this far may see the complaint: they may not act on it.
        raise NotAllowed("Only Redress staff can do this.")
    event = STAFF_ACTIONS.get(action)
    if event is None:
        raise InvalidInput("Unknown action.", field_errors={"action": [f"Choose one of: {', '.join(STAFF_ACTIONS)}."]})
    if event is Event.REJECT and reject_reason not in RejectReason.values:
        raise InvalidInput(
            "A reason code is required.",
            field_errors={"reject_reason": [f"Choose one of: {', '.join(RejectReason.values)}."]},
        )
    if event is Event.OPEN_MEDIATION and mediation_kind not in MediationCase.Kind.values:
        raise InvalidInput("Unknown kind.", field_errors={"mediation_kind": ["Choose mediation or arbitration."]})

    def apply(complaint: Complaint) -> None:
        now = timezone.now()
        if event is Event.FORWARD:
            complaint.on_hold = False
            complaint.forwarded_at = complaint.forwarded_at or now
        elif event is Event.HOLD:
            complaint.on_hold = True
        elif event is Event.REJECT:
            complaint.reject_reason = reject_reason
        elif event in (Event.RULE_ANSWERED, Event.RULE_UNRESOLVED):
            ruling = StaffRuling.Outcome.ANSWERED if event is Event.RULE_ANSWERED else StaffRuling.Outcome.UNRESOLVED
            StaffRuling.objects.create(complaint=complaint, staff=staff, outcome=ruling, reason=reason)
        elif event is Event.OPEN_MEDIATION:
            MediationCase.objects.create(complaint=complaint, kind=mediation_kind, opened_by=staff, notes=reason)
        elif event in (Event.MEDIATION_RESOLVED, Event.MEDIATION_UNRESOLVED):
            settled = (
                MediationCase.Outcome.RESOLVED
                if event is Event.MEDIATION_RESOLVED
                else MediationCase.Outcome.UNRESOLVED
            )
            MediationCase.objects.filter(complaint=complaint, closed_at__isnull=True).update(
                outcome=settled, closed_at=now
            )

    data: dict[str, Any] = {}
    if event is Event.REJECT:
        data["reject_reason"] = reject_reason
    if event is Event.OPEN_MEDIATION:
        data["kind"] = mediation_kind
    return complaint_transition(
        complaint_id=complaint_id,
        event=event,
        actor=staff,
        actor_role=Actor.STAFF,
        reason=reason,
        data=data,
        apply=apply,
    )


@dataclass
class Enforced:
    """What `complaints_enforce_deadlines` did with the complaints it was given."""

    events: list[ComplaintEvent] = field(default_factory=list)
    locked: int = 0  # held by another transaction: left for the next sweep
    unchanged: int = 0  # nothing due any more (a party or another sweep got there first)


def complaints_enforce_deadlines(
    *, complaint_ids: Sequence[int], now: datetime | None = None, skip_locked: bool = True
) -> Enforced:
    """Apply what each passed due date means, for a batch of complaints in one transaction.

    The rows are locked together (rows another transaction holds are skipped, unless
    `skip_locked` is False) and their state, due date and due kind read again under the lock,
    so a complaint that moved on since it was selected is left alone. Each move is checked
    against the workflow table like any other; the batch is then written with one statement
    per table (`_record`).
    """
    from disputes.models import StaffRuling

    now = now or timezone.now()
    ids = list(dict.fromkeys(complaint_ids))
    result = Enforced()
    rulings: list[StaffRuling] = []
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .select_related("complainant", "business")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        complaints = list(locked)
        result.locked = len(ids) - len(complaints)
        for complaint in complaints:
            event = DEADLINE_EVENTS.get(complaint.due_kind)
            if event is None or complaint.due_at is None or complaint.due_at > now:
                result.unchanged += 1
                continue
            source = complaint.status
            facts = complaint_facts(complaint)
            outcome = resolve(source, event, Actor.SYSTEM, facts)
            if outcome.transition is None or outcome.target is None:
                result.unchanged += 1
                continue
            if event is Event.FORWARD:
                complaint.forwarded_at = complaint.forwarded_at or now
            elif event is Event.BUSINESS_DEADLINE and complaint.response_count == 0:
                complaint.second_notice_sent_at = complaint.second_notice_sent_at or now
            elif event is Event.RULING_DEADLINE:
                rulings.append(
                    StaffRuling(
                        complaint=complaint,
                        staff=None,
                        outcome=StaffRuling.Outcome.DEFAULT_ANSWERED,
                        reason="No ruling was made by the due date; a rejected answer counts as Answered.",
                        created_at=now,
                    )
                )
            _move(complaint, source, outcome, complaint_facts(complaint), now)
            result.events.append(
                ComplaintEvent(
                    complaint=complaint,
                    actor=None,
                    actor_role=Actor.SYSTEM,
                    event=event,
                    from_status=source,
                    to_status=outcome.target,
                    created_at=now,
                )
            )
        if result.events:
            StaffRuling.objects.bulk_create(rulings)
            _record(result.events, fields=DEADLINE_FIELDS)
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
            notifications.reminder_due(complaint)
            complaint.reminded_at = now
        complaint.remind_at = None
        complaint.save(update_fields=["remind_at", "reminded_at", "updated_at"])
        return None if overtaken else complaint


def is_open(status: str) -> bool:
    return status in OPEN_STATES


__all__ = [
    "Status",
    "complaint_enforce_deadline",
    "complaint_file",
    "complaint_remind",
    "complaint_set_consent",
    "complaint_staff_act",
    "complaint_transition",
    "complaint_withdraw",
    "complaints_enforce_deadlines",
]
