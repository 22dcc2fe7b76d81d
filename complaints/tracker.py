"""The case page's step tracker: where a complaint is on its way, as ordered steps for one viewer.

Filed → Screening → With the business → the complainant's answer → Closed, with Staff review and
Mediation shown only once the complaint has been there. Each step says in words whether it is
done, where the complaint is now, or still to come, and when it was reached. A pure function of
the status and the timeline: no database, no request. The case page writes the steps with
`complaints.views.case_html.tracker_html`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from .models import Status
from .workflow import CLOSED_STATES, Actor, Event


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    NEXT = "next"


# The word shown beside each step, so the state never rests on colour alone.
STATE_WORDS = {StepState.DONE: "Done", StepState.CURRENT: "Now", StepState.NEXT: "Next"}


class TimelineEvent(Protocol):
    """What the tracker reads of one timeline event (complaints.models.ComplaintEvent has these)."""

    @property
    def event(self) -> str: ...
    @property
    def to_status(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True)
class Passage:
    """One timeline event as the tracker reads it: for callers without the model rows (tests, the API)."""

    event: str
    to_status: str
    created_at: datetime


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: StepState
    reached_at: datetime | None = None
    # Where the complaint is now: the current step, or Closed once closed (aria-current="step").
    here: bool = False

    @property
    def word(self) -> str:
        return STATE_WORDS[self.state]


FILED, SCREENING, BUSINESS, ANSWER, STAFF_REVIEW, MEDIATION, CLOSED = (
    "filed",
    "screening",
    "business",
    "answer",
    "staff_review",
    "mediation",
    "closed",
)
ORDER = (FILED, SCREENING, BUSINESS, ANSWER, STAFF_REVIEW, MEDIATION, CLOSED)
# Shown only once the complaint has been there.
OCCASIONAL = frozenset({STAFF_REVIEW, MEDIATION})

# The step each status puts the complaint on.
STEP_OF_STATUS: dict[str, str] = {
    Status.SUBMITTED: SCREENING,
    Status.AWAITING_BUSINESS: BUSINESS,
    Status.AWAITING_CONSUMER: ANSWER,
    Status.STAFF_REVIEW: STAFF_REVIEW,
    Status.IN_MEDIATION: MEDIATION,
    **dict.fromkeys(CLOSED_STATES, CLOSED),
}


def step_label(key: str, roles: Collection[Actor]) -> str:
    """The step's name, written for the viewer: each party's own step reads "Your …"."""
    if key == BUSINESS and Actor.REPRESENTATIVE in roles and Actor.COMPLAINANT not in roles:
        return "Your response"
    if key == ANSWER:
        return "Your answer" if Actor.COMPLAINANT in roles else "The complainant's answer"
    return {
        FILED: "Filed",
        SCREENING: "Screening",
        BUSINESS: "With the business",
        STAFF_REVIEW: "Staff review",
        MEDIATION: "Mediation",
        CLOSED: "Closed",
    }[key]


def _last_reached(events: Sequence[TimelineEvent]) -> dict[str, datetime]:
    """When the complaint last arrived on each step (an event that keeps the state is no arrival)."""
    reached: dict[str, datetime] = {}
    on: str | None = None
    for item in sorted(events, key=lambda e: e.created_at):
        if item.event == Event.FILE:
            reached[FILED] = item.created_at
        step = STEP_OF_STATUS.get(item.to_status)
        if step is not None and step != on:
            reached[step] = item.created_at
            on = step
    return reached


def tracker_steps(status: str, events: Iterable[TimelineEvent], roles: Collection[Actor]) -> list[Step]:
    """The complaint's steps in order for a viewer acting in `roles`.

    Steps before the complaint's current step are done, later ones are to come. A complaint
    that has gone back to the business (its answer rejected) shows the answer as to come again,
    and a late response reopens a closed Unanswered complaint the same way. A closed complaint
    shows only the steps it passed through, then Closed; Staff review and Mediation appear only
    once reached. Dates are those of the latest arrival on each step already passed.
    """
    timeline = list(events)
    reached = _last_reached(timeline)
    visited = {STEP_OF_STATUS[e.to_status] for e in timeline if e.to_status in STEP_OF_STATUS}
    visited.add(FILED)
    current = STEP_OF_STATUS.get(status, SCREENING)
    position = ORDER.index(current)
    closed = current == CLOSED

    steps: list[Step] = []
    for index, key in enumerate(ORDER):
        if key != current and (key in OCCASIONAL or closed) and key not in visited:
            continue
        if closed or index < position:
            state = StepState.DONE
        elif index == position:
            state = StepState.CURRENT
        else:
            state = StepState.NEXT
        steps.append(
            Step(
                key=key,
                label=step_label(key, roles),
                state=state,
                reached_at=reached.get(key) if state is not StepState.NEXT else None,
                here=key == current,
            )
        )
    return steps
