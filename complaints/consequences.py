"""What happens next, in words, for one reader: if the awaited side stays silent, and if the reader acts.

Every sentence is derived from the workflow table (`workflow.resolve`: where a passed due date,
or an act, leads in this round) and from the due dates the complaint would get there
(`workflow.deadline_for`, the same periods `complaints.changes` applies), so a page or an e-mail
never says "the business may respond again" when the next rejection goes to staff
(docs/domain.md, "What each party is told"). Pure functions: no database, no request.

`complaint_consequence` is the one sentence for a reader of a complaint as it stands now; the
case page, the dashboard and the e-mails all use it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.dates import day_text

from .deadlines import days_after
from .models import DueKind, Status
from .workflow import (
    CLOSED_STATES,
    DEADLINE_EVENTS,
    MAX_BUSINESS_ROUNDS,
    Actor,
    Event,
    Facts,
    deadline_for,
    resolve,
)

COMPLAINANT, BUSINESS, STAFF = Actor.COMPLAINANT, Actor.REPRESENTATIVE, Actor.STAFF


def reader_of(roles: Collection[Actor]) -> Actor:
    """Whom the sentences address: the complainant, the business, or anyone else (staff, in the third person)."""
    if Actor.COMPLAINANT in roles:
        return COMPLAINANT
    if Actor.REPRESENTATIVE in roles:
        return BUSINESS
    return STAFF


def due_of(state: str, facts: Facts, start: datetime) -> datetime | None:
    """The due date a complaint entering `state` at `start` gets (as complaints.changes sets it)."""
    deadline = deadline_for(state, facts)
    return days_after(start, getattr(settings, deadline.setting)) if deadline.setting else None


def _closes(target: str) -> str:
    return f"the complaint closes as {Status(target).label}"


@dataclass(frozen=True)
class Situation:
    """What the sentences read of a complaint: its state, due date and the workflow's facts."""

    status: str
    due_kind: str
    due_at: datetime | None
    facts: Facts
    business: str


def situation_of(complaint: Any) -> Situation:
    """The situation of a Complaint row (no query: only its own fields)."""
    return Situation(
        status=complaint.status,
        due_kind=complaint.due_kind,
        due_at=complaint.due_at,
        facts=Facts(
            response_count=complaint.response_count,
            second_notice_sent=complaint.second_notice_sent_at is not None,
            business_known=complaint.business_id is not None,
            on_hold=complaint.on_hold,
            # Read only where it matters (screening), so a list of complaints costs no query per row.
            complainant_verified=complaint.status != Status.SUBMITTED
            or complaint.complainant.email_verified_at is not None,
        ),
        business=complaint.business_display_name,
    )


def due_line(situation: Situation, reader: Actor) -> str:
    """What the due date is for, named for the reader ("Your answer due", "Response from X due")."""
    name = situation.business
    yours_business = reader is BUSINESS
    match situation.due_kind:
        case DueKind.SCREENING:
            return "Screening by Redress staff due"
        case DueKind.BUSINESS_FIRST | DueKind.BUSINESS_FINAL:
            final = " (final notice)" if situation.due_kind == DueKind.BUSINESS_FINAL else ""
            return f"Your response{final} due" if yours_business else f"Response from {name}{final} due"
        case DueKind.BUSINESS_REBUTTAL:
            return "Your new response due" if yours_business else f"New response from {name} due"
        case DueKind.CONSUMER_ANSWER:
            return "Your answer due" if reader is COMPLAINANT else "The complainant's answer due"
        case DueKind.STAFF_RULING:
            return "Staff ruling due"
        case DueKind.MEDIATION:
            return "Mediation due to end"
    return ""


def silence_consequence(situation: Situation, reader: Actor, *, now: datetime) -> str:
    """What happens if the side whose move it is stays silent until the due date, for this reader.

    Empty once the complaint is closed (the closing summary says why), except for a closed
    Unanswered complaint read by its business, which may still respond late. Once the due date
    has passed but the sweep has not yet run, it says what the next check does, never "if you do
    not answer by" a day already gone (docs/domain.md, "What each party is told").
    """
    s, due = situation.status, situation.due_at
    if s in CLOSED_STATES:
        if s == Status.UNANSWERED and reader is BUSINESS:
            return (
                "The complaint closed as Unanswered. You may still respond: your response is recorded as late "
                "and the complainant is asked to answer it."
            )
        return ""
    passed = due is not None and due <= now
    if s == Status.SUBMITTED:
        return _screening(situation, reader, passed=passed)
    if due is None:
        return ""
    event = DEADLINE_EVENTS.get(situation.due_kind)
    if event is None:  # mediation: nothing closes by itself
        if passed:
            return (
                f"The mediation was due to end by {day_text(due)}. Nothing closes by itself: Redress staff are "
                "reminded and decide what happens."
            )
        return (
            f"The mediation is due to end by {day_text(due)}. Nothing closes by itself: if it has not ended by then, "
            "Redress staff are reminded and decide what happens."
        )
    outcome = resolve(s, event, Actor.SYSTEM, situation.facts)
    target = outcome.target or s
    day = day_text(due)
    if passed:
        return _overdue(situation, reader, target, day)
    if s == Status.AWAITING_BUSINESS:
        return _business_silent(situation, reader, target, day)
    if s == Status.AWAITING_CONSUMER:
        if reader is COMPLAINANT:
            return f"If you do not answer by {day}, {_closes(target)}."
        return f"If the complainant does not answer by {day}, {_closes(target)}."
    if s == Status.STAFF_REVIEW:
        return f"Redress staff will rule by {day}. If they have not ruled by then, {_closes(target)}."
    return ""


def _overdue(situation: Situation, reader: Actor, target: str, day: str) -> str:
    """The due date has passed and the sweep has not run yet: what its next check does."""
    name, s = situation.business, situation.status
    if s == Status.AWAITING_CONSUMER:
        what = "Your answer" if reader is COMPLAINANT else "The complainant's answer"
    elif s == Status.AWAITING_BUSINESS:
        what = "Your response" if reader is BUSINESS else f"The response from {name}"
    else:
        what = "The ruling"
    if target == Status.AWAITING_BUSINESS:  # a first notice: the second one follows
        then = "sends a second notice" if reader is BUSINESS else "sends it a second notice"
    elif target == Status.STAFF_REVIEW:
        then = "passes the complaint to Redress staff to rule"
    else:
        then = f"closes the complaint as {Status(target).label}"
    return f"{what} was due by {day}; Redress {then} at its next check."


def _screening(situation: Situation, reader: Actor, *, passed: bool = False) -> str:
    name, due, facts = situation.business, situation.due_at, situation.facts
    subject = "your complaint" if reader is COMPLAINANT else "the complaint"
    if facts.on_hold or due is None:
        return (
            f"Redress staff have put {subject} on hold while they look into it; nothing happens by itself "
            "until they forward it or close it."
        )
    day = day_text(due)
    forwarded = resolve(Status.SUBMITTED, Event.FORWARD, Actor.SYSTEM, facts).target == Status.AWAITING_BUSINESS
    if passed:
        screening = f"Screening of {subject} was due by {day}; "
        if forwarded:
            return f"{screening}Redress sends it to {name} at its next check."
        if not facts.complainant_verified:
            if reader is COMPLAINANT:
                return f"{screening}it is sent to {name} only once you confirm your e-mail address."
            return f"{screening}it waits for the complainant to confirm their e-mail."
        return f"{screening}it is not sent on by itself: {name} must first be found in the directory."
    if forwarded:
        return f"Redress staff screen {subject} by {day}. If they have not acted by then, it is sent to {name}."
    if not facts.complainant_verified:
        if reader is COMPLAINANT:
            return (
                f"Redress staff screen your complaint by {day}. It is sent to {name} only once you confirm "
                "your e-mail address."
            )
        return f"Redress staff screen the complaint by {day}; it waits for the complainant to confirm their e-mail."
    return (
        f"Redress staff screen {subject} by {day}. It is not sent on by itself: {name} must first be found in the "
        "directory."
    )


def _business_silent(situation: Situation, reader: Actor, target: str, day: str) -> str:
    name, facts, due = situation.business, situation.facts, situation.due_at
    assert due is not None
    if target == Status.AWAITING_BUSINESS:  # a first notice: a second one follows
        after = Facts(response_count=facts.response_count, second_notice_sent=True)
        final = due_of(Status.AWAITING_BUSINESS, after, due)
        final_day = day_text(final) if final else ""
        if reader is BUSINESS:
            return (
                f"If you do not respond by {day}, Redress sends a second notice; with no response by "
                f"{final_day}, the complaint closes as Unanswered on your business's public record."
            )
        return (
            f"If {name} does not respond by {day}, Redress sends it a second notice; with no response by "
            f"{final_day}, the complaint closes as Unanswered."
        )
    if target == Status.STAFF_REVIEW:
        ruling = due_of(Status.STAFF_REVIEW, facts, due)
        by = f" by {day_text(ruling)}" if ruling else ""
        if reader is BUSINESS:
            return f"If you do not respond again by {day}, Redress staff will rule on the complaint{by}."
        return f"If {name} does not respond again by {day}, Redress staff will rule on the complaint{by}."
    if reader is BUSINESS:
        return f"If you do not respond by {day}, {_closes(target)} on your business's public record."
    return f"If {name} does not respond by {day}, {_closes(target)}."


def complaint_consequence(complaint: Any, *, reader: Actor, now: datetime | None = None) -> str:
    """The one sentence saying what happens next on this complaint if its awaited side stays silent.

    For pages and e-mails alike: `reader` is the recipient (COMPLAINANT, REPRESENTATIVE, or STAFF
    for third-person text).
    """
    return silence_consequence(situation_of(complaint), reader, now=now or timezone.now())


def next_steps(complaint: Any, *, reader: Actor, now: datetime | None = None) -> tuple[str, ...]:
    """What an e-mail says happens next: the case page's own sentences for this reader.

    For the complainant asked to accept or reject a response, what rejecting it leads to in this
    round (the page's reject block), then what silence leads to (the page's consequence line);
    for everyone else, the consequence line alone. Dates are in the active time zone: the e-mail
    activates its reader's (docs/decisions/0035-one-planner-for-pages-and-e-mails.md).
    """
    now = now or timezone.now()
    situation = situation_of(complaint)
    steps = []
    waiting = situation.status == Status.AWAITING_CONSUMER and (situation.due_at is None or situation.due_at > now)
    if reader is COMPLAINANT and waiting:
        steps.append(reject_consequence(situation, now=now))
    steps.append(silence_consequence(situation, reader, now=now))
    return tuple(step for step in steps if step)


# The actions a page may offer, in the order the parties most expect them in each kind of state:
# the act the state waits for first, then adding to the case, then closing it yourself.
WAITED_FOR_ORDER = ("respond", "accept", "reject_answer", "business_information", "add_information", "public_response")
OTHER_ORDER = ("mark_resolved", "change_consent", "withdraw")
ACTION_ORDER = WAITED_FOR_ORDER + OTHER_ORDER


@dataclass(frozen=True)
class PlannedAction:
    """One "What you can do" block: which action, what doing it leads to, and whether it is the main one."""

    name: str
    consequence: str
    primary: bool = False


def action_consequence(action: str, situation: Situation, *, now: datetime) -> str:
    """What taking `action` now leads to, in this round, for the one who may take it."""
    s, facts = situation.status, situation.facts
    match action:
        case "respond":
            target = resolve(s, Event.RESPOND, Actor.REPRESENTATIVE, facts).target or Status.AWAITING_CONSUMER
            after = Facts(response_count=facts.response_count + 1, second_notice_sent=facts.second_notice_sent)
            due = due_of(target, after, now)
            late = (
                "The complaint is marked Unanswered; this response is recorded as late. "
                if s == Status.UNANSWERED
                else ""
            )
            by = f"until {day_text(due)}" if due else "time"
            return f"{late}If you respond now, the complainant has {by} to accept or reject it."
        case "accept":
            target = resolve(s, Event.ACCEPT, Actor.COMPLAINANT, facts).target or Status.RESOLVED
            return f"If you accept this answer, {_closes(target)}."
        case "reject_answer":
            return reject_consequence(situation, now=now)
        case "mark_resolved":
            target = resolve(s, Event.MARK_RESOLVED, Actor.COMPLAINANT, facts).target or Status.RESOLVED
            return f"If you mark it resolved, {_closes(target)}, whatever is still due."
        case "add_information":
            return f"What you add goes on the thread{_seen_by(situation)}; the state and due date stay as they are."
        case "business_information":
            return (
                "No response is due from you now; what you add goes on the thread and to the complainant. "
                "The state and due date stay as they are."
            )
        case "public_response":
            return (
                "Your business may add one public response now that the complaint is closed. It is shown, masked, "
                "with the published complaint where the complainant's text is shown, and cannot be changed."
            )
        case "change_consent":
            return "With consent, the text is published masked once the complaint closes; without it, it is not."
        case "withdraw":
            return "If you withdraw the complaint, it closes for good and is not published."
    return ""


def _seen_by(situation: Situation) -> str:
    """Who reads what the complainant adds: the business only once it has been sent the complaint."""
    if situation.status == Status.SUBMITTED:
        return f" for Redress staff, and for {situation.business} once it is sent the complaint"
    return f" for {situation.business}"


def reject_consequence(situation: Situation, *, now: datetime) -> str:
    """What rejecting the business's answer leads to in this round (docs/domain.md, "Rounds").

    Once the answer's due date has passed and the sweep has not run yet, it says so first: the
    next check closes the complaint, and rejecting still counts only if it comes before then.
    """
    facts = situation.facts
    target = resolve(situation.status, Event.REJECT_ANSWER, Actor.COMPLAINANT, facts).target
    due = due_of(target, facts, now) if target else None
    by = f" by {day_text(due)}" if due else ""
    if target == Status.STAFF_REVIEW:
        leads = f"Redress staff will rule{by}."
    elif target == Status.AWAITING_BUSINESS:
        # The business's next response is its last when its count then reaches the rounds allowed.
        last = facts.response_count + 1 >= MAX_BUSINESS_ROUNDS
        then = " If you reject that response too, Redress staff will rule." if last else ""
        leads = f"{situation.business} is asked to respond again{by}.{then}"
    else:
        return ""
    answer_due = situation.due_at if situation.due_kind == DueKind.CONSUMER_ANSWER else None
    if answer_due is not None and answer_due <= now:
        closed = resolve(situation.status, Event.ANSWER_DEADLINE, Actor.SYSTEM, facts).target or situation.status
        return (
            f"Your answer was due by {day_text(answer_due)}, and Redress's next check closes the complaint as "
            f"{Status(closed).label}. If you reject this answer before then, {leads}"
        )
    return f"If you reject this answer, {leads}"


def reject_help(situation: Situation) -> str:
    """The help text under the rejection's reason: who reads it, in this round."""
    target = resolve(situation.status, Event.REJECT_ANSWER, Actor.COMPLAINANT, situation.facts).target
    if target == Status.STAFF_REVIEW:
        return f"Required. {situation.business} and Redress staff read this; staff rule on it."
    return f"Required. {situation.business} reads this before it responds again."


def action_plan(actions: Collection[str], situation: Situation, *, now: datetime) -> list[PlannedAction]:
    """The offered actions in the order expected in this state, each with its consequence; the first is primary.

    Withdrawing and marking resolved end the case and are never the main action.
    """
    ordered = [name for name in ACTION_ORDER if name in actions]
    plan: list[PlannedAction] = []
    for index, name in enumerate(ordered):
        primary = index == 0 and name not in OTHER_ORDER
        plan.append(PlannedAction(name, action_consequence(name, situation, now=now), primary))
    return plan
