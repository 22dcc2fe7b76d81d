"""The status workflow of docs/domain.md as plain data, and the pure functions that read it.

`TRANSITIONS` is the whole table: for each state, the events it accepts, who may send each,
the condition under which a row applies, and where it leads. `complaints.services` applies
it; this module touches no database, so the table is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .models import DueKind, Status

OPEN_STATES = frozenset(
    {Status.SUBMITTED, Status.AWAITING_BUSINESS, Status.AWAITING_CONSUMER, Status.STAFF_REVIEW, Status.IN_MEDIATION}
)
PUBLIC_CLOSED_STATES = frozenset(
    {Status.RESOLVED, Status.ANSWERED, Status.UNANSWERED, Status.UNRESOLVED, Status.UNPURSUABLE}
)
PRIVATE_CLOSED_STATES = frozenset({Status.REJECTED, Status.WITHDRAWN})
CLOSED_STATES = PUBLIC_CLOSED_STATES | PRIVATE_CLOSED_STATES
INITIAL_STATE = Status.SUBMITTED

# Where the business may add information: the open states it can see in which no response is
# due from it. Before forwarding it does not see the case; while a response is due, what it
# writes is the response, which the clock waits for (docs/decisions/0021-business-information.md).
BUSINESS_INFORMATION_STATES = frozenset({Status.AWAITING_CONSUMER, Status.STAFF_REVIEW, Status.IN_MEDIATION})

# After this many business responses, a rejected answer goes to staff instead of back to the business.
MAX_BUSINESS_ROUNDS = 2


class Actor(StrEnum):
    COMPLAINANT = "complainant"
    REPRESENTATIVE = "representative"
    STAFF = "staff"
    SYSTEM = "system"


class Event(StrEnum):
    FILE = "file"
    ADD_INFORMATION = "add_information"
    BUSINESS_INFORMATION = "business_information"
    CHANGE_CONSENT = "change_consent"
    EDIT_PUBLIC_TEXT = "edit_public_text"
    PUBLIC_RESPONSE = "public_response"
    LINK_BUSINESS = "link_business"
    FORWARD = "forward"
    HOLD = "hold"
    RESUME = "resume"
    REJECT = "reject"
    UNPURSUABLE = "unpursuable"
    RESPOND = "respond"
    ACCEPT = "accept"
    REJECT_ANSWER = "reject_answer"
    MARK_RESOLVED = "mark_resolved"
    WITHDRAW = "withdraw"
    BUSINESS_DEADLINE = "business_deadline"
    ANSWER_DEADLINE = "answer_deadline"
    RULING_DEADLINE = "ruling_deadline"
    RULE_ANSWERED = "rule_answered"
    RULE_UNRESOLVED = "rule_unresolved"
    OPEN_MEDIATION = "open_mediation"
    MEDIATION_RESOLVED = "mediation_resolved"
    MEDIATION_UNRESOLVED = "mediation_unresolved"
    REOPEN = "reopen"


class Condition(StrEnum):
    """When a row applies; each is a pure test of `Facts`."""

    ALWAYS = "always"
    BUSINESS_KNOWN = "business_known"
    AUTO_FORWARDABLE = "auto_forwardable"
    NOT_ON_HOLD = "not_on_hold"
    ON_HOLD = "on_hold"
    ROUNDS_LEFT = "rounds_left"
    NO_ROUNDS_LEFT = "no_rounds_left"
    FIRST_NOTICE = "first_notice"
    FINAL_NOTICE = "final_notice"
    LATER_ROUND = "later_round"


# A target meaning "the open state the complaint was in when it closed" (reopen).
PREVIOUS = "previous"

STAFF_EVENTS = frozenset(
    {
        Event.FORWARD,
        Event.HOLD,
        Event.RESUME,
        Event.REJECT,
        Event.UNPURSUABLE,
        Event.RULE_ANSWERED,
        Event.RULE_UNRESOLVED,
        Event.OPEN_MEDIATION,
        Event.MEDIATION_RESOLVED,
        Event.MEDIATION_UNRESOLVED,
        Event.REOPEN,
        Event.EDIT_PUBLIC_TEXT,
        Event.LINK_BUSINESS,
    }
)
# Staff must say why they did these.
REASON_REQUIRED = frozenset(
    {
        Event.REJECT,
        Event.UNPURSUABLE,
        Event.RULE_ANSWERED,
        Event.RULE_UNRESOLVED,
        Event.REOPEN,
        Event.REJECT_ANSWER,
        Event.HOLD,
        Event.RESUME,
        Event.EDIT_PUBLIC_TEXT,
        Event.LINK_BUSINESS,
    }
)


@dataclass(frozen=True)
class Facts:
    """What the table's conditions may look at."""

    response_count: int = 0
    second_notice_sent: bool = False
    business_known: bool = True
    on_hold: bool = False
    complainant_verified: bool = True
    reopen_to: str | None = None


@dataclass(frozen=True)
class Transition:
    source: str
    event: Event
    actors: frozenset[Actor]
    target: str
    when: Condition = Condition.ALWAYS
    # Same-state rows that set a new due date (a hold clears it; a second notice sets the final one).
    resets_due: bool = False


def _row(source: str, event: Event, actors: set[Actor], target: str, **kw: object) -> Transition:
    return Transition(source, event, frozenset(actors), target, **kw)  # type: ignore[arg-type]


S, A = Status, Actor
TRANSITIONS: tuple[Transition, ...] = (
    _row(S.SUBMITTED, Event.FORWARD, {A.STAFF}, S.AWAITING_BUSINESS, when=Condition.BUSINESS_KNOWN),
    _row(S.SUBMITTED, Event.FORWARD, {A.SYSTEM}, S.AWAITING_BUSINESS, when=Condition.AUTO_FORWARDABLE),
    _row(S.SUBMITTED, Event.HOLD, {A.STAFF}, S.SUBMITTED, when=Condition.NOT_ON_HOLD, resets_due=True),
    # Staff end a hold; the screening clock resumes with the time paused added back.
    _row(S.SUBMITTED, Event.RESUME, {A.STAFF}, S.SUBMITTED, when=Condition.ON_HOLD, resets_due=True),
    # Staff link the complaint to a directory entry (a business the complainant described); screening starts over.
    _row(S.SUBMITTED, Event.LINK_BUSINESS, {A.STAFF}, S.SUBMITTED, resets_due=True),
    _row(S.SUBMITTED, Event.REJECT, {A.STAFF}, S.REJECTED),
    _row(S.SUBMITTED, Event.UNPURSUABLE, {A.STAFF}, S.UNPURSUABLE),
    _row(S.AWAITING_BUSINESS, Event.UNPURSUABLE, {A.STAFF}, S.UNPURSUABLE),
    _row(S.AWAITING_BUSINESS, Event.RESPOND, {A.REPRESENTATIVE}, S.AWAITING_CONSUMER),
    _row(
        S.AWAITING_BUSINESS,
        Event.BUSINESS_DEADLINE,
        {A.SYSTEM},
        S.AWAITING_BUSINESS,
        when=Condition.FIRST_NOTICE,
        resets_due=True,
    ),
    _row(S.AWAITING_BUSINESS, Event.BUSINESS_DEADLINE, {A.SYSTEM}, S.UNANSWERED, when=Condition.FINAL_NOTICE),
    _row(S.AWAITING_BUSINESS, Event.BUSINESS_DEADLINE, {A.SYSTEM}, S.STAFF_REVIEW, when=Condition.LATER_ROUND),
    _row(S.AWAITING_CONSUMER, Event.ACCEPT, {A.COMPLAINANT}, S.RESOLVED),
    _row(S.AWAITING_CONSUMER, Event.REJECT_ANSWER, {A.COMPLAINANT}, S.AWAITING_BUSINESS, when=Condition.ROUNDS_LEFT),
    _row(S.AWAITING_CONSUMER, Event.REJECT_ANSWER, {A.COMPLAINANT}, S.STAFF_REVIEW, when=Condition.NO_ROUNDS_LEFT),
    _row(S.AWAITING_CONSUMER, Event.ANSWER_DEADLINE, {A.SYSTEM}, S.ANSWERED),
    _row(S.STAFF_REVIEW, Event.RULE_ANSWERED, {A.STAFF}, S.ANSWERED),
    _row(S.STAFF_REVIEW, Event.RULE_UNRESOLVED, {A.STAFF}, S.UNRESOLVED),
    _row(S.STAFF_REVIEW, Event.RULING_DEADLINE, {A.SYSTEM}, S.ANSWERED),
    _row(S.STAFF_REVIEW, Event.OPEN_MEDIATION, {A.STAFF}, S.IN_MEDIATION),
    _row(S.IN_MEDIATION, Event.MEDIATION_RESOLVED, {A.STAFF}, S.RESOLVED),
    _row(S.IN_MEDIATION, Event.MEDIATION_UNRESOLVED, {A.STAFF}, S.UNRESOLVED),
    _row(S.UNANSWERED, Event.RESPOND, {A.REPRESENTATIVE}, S.AWAITING_CONSUMER),
    _row(S.ANSWERED, Event.ACCEPT, {A.COMPLAINANT}, S.RESOLVED),
    *(_row(state, Event.MARK_RESOLVED, {A.COMPLAINANT}, S.RESOLVED) for state in sorted(OPEN_STATES)),
    *(_row(state, Event.WITHDRAW, {A.COMPLAINANT}, S.WITHDRAWN) for state in sorted(OPEN_STATES)),
    *(_row(state, Event.ADD_INFORMATION, {A.COMPLAINANT}, state) for state in sorted(OPEN_STATES)),
    # The business adds information where no response is due from it; like the complainant's, it keeps the clock.
    *(
        _row(state, Event.BUSINESS_INFORMATION, {A.REPRESENTATIVE}, state)
        for state in sorted(BUSINESS_INFORMATION_STATES)
    ),
    # Consent can be given or withdrawn at any time; withdrawn after closing, it unpublishes the text.
    *(_row(state, Event.CHANGE_CONSENT, {A.COMPLAINANT}, state) for state in sorted(OPEN_STATES | CLOSED_STATES)),
    # Staff edit the masked copy of a published complaint (the original is never shown).
    *(_row(state, Event.EDIT_PUBLIC_TEXT, {A.STAFF}, state) for state in sorted(PUBLIC_CLOSED_STATES)),
    # The business adds its one public response to a published complaint (docs/open-data.md).
    *(_row(state, Event.PUBLIC_RESPONSE, {A.REPRESENTATIVE}, state) for state in sorted(PUBLIC_CLOSED_STATES)),
    *(_row(state, Event.REOPEN, {A.STAFF}, PREVIOUS) for state in sorted(CLOSED_STATES)),
)


def condition_holds(condition: Condition, facts: Facts) -> bool:
    match condition:
        case Condition.ALWAYS:
            return True
        case Condition.BUSINESS_KNOWN:
            return facts.business_known
        case Condition.AUTO_FORWARDABLE:
            return facts.business_known and not facts.on_hold and facts.complainant_verified
        case Condition.NOT_ON_HOLD:
            return not facts.on_hold
        case Condition.ON_HOLD:
            return facts.on_hold
        case Condition.ROUNDS_LEFT:
            return facts.response_count < MAX_BUSINESS_ROUNDS
        case Condition.NO_ROUNDS_LEFT:
            return facts.response_count >= MAX_BUSINESS_ROUNDS
        case Condition.FIRST_NOTICE:
            return facts.response_count == 0 and not facts.second_notice_sent
        case Condition.FINAL_NOTICE:
            return facts.response_count == 0 and facts.second_notice_sent
        case Condition.LATER_ROUND:
            return facts.response_count > 0
    raise ValueError(condition)


CONDITION_REFUSALS = {
    Condition.BUSINESS_KNOWN: "The business must be linked to a directory entry before it can be forwarded.",
    Condition.AUTO_FORWARDABLE: "Only complaints against a known business, not on hold, whose complainant "
    "verified their e-mail, are forwarded automatically.",
    Condition.NOT_ON_HOLD: "The complaint is already on hold.",
    Condition.ON_HOLD: "The complaint is not on hold.",
}


class Refusal(StrEnum):
    NOT_ACCEPTED = "not_accepted"  # the state does not accept this event at all
    ACTOR_NOT_ALLOWED = "actor_not_allowed"  # the event exists here, but not for this actor
    CONDITION_FAILED = "condition_failed"  # the actor may, but not now


@dataclass(frozen=True)
class Outcome:
    transition: Transition | None
    target: str | None
    refusal: Refusal | None = None
    message: str = ""


def resolve(state: str, event: Event, actor: Actor, facts: Facts) -> Outcome:
    """Find the row that applies, or say why none does."""
    rows = [row for row in TRANSITIONS if row.source == state and row.event == event]
    if not rows:
        return Outcome(
            None, None, Refusal.NOT_ACCEPTED, f"A complaint that is {label(state)} does not accept '{event}'."
        )
    rows_for_actor = [row for row in rows if actor in row.actors]
    if not rows_for_actor:
        return Outcome(None, None, Refusal.ACTOR_NOT_ALLOWED, f"A {actor} may not '{event}' this complaint.")
    for row in rows_for_actor:
        if condition_holds(row.when, facts):
            target = row.target
            if target == PREVIOUS:
                if facts.reopen_to not in OPEN_STATES:
                    return Outcome(None, None, Refusal.CONDITION_FAILED, "There is no open state to reopen it to.")
                target = facts.reopen_to  # type: ignore[assignment]
            return Outcome(row, target)
    message = CONDITION_REFUSALS.get(rows_for_actor[0].when, f"'{event}' is not possible right now.")
    return Outcome(None, None, Refusal.CONDITION_FAILED, message)


def events_for(state: str, actor: Actor, facts: Facts) -> list[Event]:
    """The events this actor may send now, in table order: what pages offer as actions."""
    seen: list[Event] = []
    for row in TRANSITIONS:
        applicable = row.source == state and actor in row.actors and row.event not in seen
        if applicable and resolve(state, row.event, actor, facts).transition is not None:
            seen.append(row.event)
    return seen


def label(state: str) -> str:
    return str(Status(state).label).lower() if state in Status.values else state


@dataclass(frozen=True)
class Deadline:
    kind: DueKind
    setting: str | None  # name of the REDRESS_* setting holding the days


def deadline_for(state: str, facts: Facts) -> Deadline:
    """Which due date a complaint entering `state` gets (facts as they are after the move)."""
    match state:
        case Status.SUBMITTED:
            # The screening clock pauses on hold and while staff must link an unlisted business.
            if facts.on_hold or not facts.business_known:
                return Deadline(DueKind.NONE, None)
            return Deadline(DueKind.SCREENING, "REDRESS_SCREENING_DAYS")
        case Status.AWAITING_BUSINESS:
            if facts.response_count > 0:
                return Deadline(DueKind.BUSINESS_REBUTTAL, "REDRESS_REBUTTAL_DAYS")
            if facts.second_notice_sent:
                return Deadline(DueKind.BUSINESS_FINAL, "REDRESS_SECOND_NOTICE_DAYS")
            return Deadline(DueKind.BUSINESS_FIRST, "REDRESS_BUSINESS_RESPONSE_DAYS")
        case Status.AWAITING_CONSUMER:
            return Deadline(DueKind.CONSUMER_ANSWER, "REDRESS_CONSUMER_ANSWER_DAYS")
        case Status.STAFF_REVIEW:
            return Deadline(DueKind.STAFF_RULING, "REDRESS_RULING_DAYS")
        case Status.IN_MEDIATION:
            return Deadline(DueKind.MEDIATION, "REDRESS_MEDIATION_DAYS")
    return Deadline(DueKind.NONE, None)


# The event the deadline sweep sends when a due date of each kind passes; None: staff are reminded only.
DEADLINE_EVENTS: dict[str, Event | None] = {
    DueKind.SCREENING: Event.FORWARD,
    DueKind.BUSINESS_FIRST: Event.BUSINESS_DEADLINE,
    DueKind.BUSINESS_FINAL: Event.BUSINESS_DEADLINE,
    DueKind.BUSINESS_REBUTTAL: Event.BUSINESS_DEADLINE,
    DueKind.CONSUMER_ANSWER: Event.ANSWER_DEADLINE,
    DueKind.STAFF_RULING: Event.RULING_DEADLINE,
    DueKind.MEDIATION: None,
}

# Whose move it is in each open state, for lists and dashboards.
WAITING_ON: dict[str, str] = {
    Status.SUBMITTED: "Redress staff (screening)",
    Status.AWAITING_BUSINESS: "the business",
    Status.AWAITING_CONSUMER: "the complainant",
    Status.STAFF_REVIEW: "Redress staff (ruling)",
    Status.IN_MEDIATION: "mediation",
}

# A business response in these states comes after the business's due date and is recorded as late.
LATE_RESPONSE_STATES = frozenset({Status.UNANSWERED})
