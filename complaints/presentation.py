"""What pages say about where a complaint stands, decided from the workflow for one viewer.

Templates show these values; they never compare statuses themselves. Pure functions: no
database, no request.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.utils.text import capfirst

from .models import Status
from .workflow import LATE_RESPONSE_STATES, OPEN_STATES, WAITING_ON, Actor

# The party each state waits on. Unanswered is closed, but the business may still respond (late).
AWAITED_PARTY: dict[str, Actor] = {
    Status.AWAITING_BUSINESS: Actor.REPRESENTATIVE,
    Status.UNANSWERED: Actor.REPRESENTATIVE,
    Status.AWAITING_CONSUMER: Actor.COMPLAINANT,
}


LATE_RESPONSE_ROW = "Closed — you may still respond late"


@dataclass(frozen=True)
class Move:
    """Whose move it is on a complaint, for one viewer."""

    waiting_on: str  # who the state waits on, in words ("the business"); "" once closed
    yours: bool = False  # the viewer is the party the state waits on
    confirm_email: bool = False  # the viewer must confirm their e-mail address before it is forwarded
    row: str = "—"  # what a list's "Whose move" column says for this viewer


def whose_move(status: str, roles: Collection[Actor], *, complainant_verified: bool = True) -> Move:
    """Whose move it is in `status` for a viewer acting in `roles`.

    A complaint being screened waits on its complainant until they confirm their e-mail
    address: only then is it forwarded.

    A closed Unanswered complaint still takes a late response from its business: its row reads
    "Closed — you may still respond late" for a representative, never "Yours".
    """
    waiting_on = WAITING_ON.get(status, "")
    if Actor.COMPLAINANT in roles and status == Status.SUBMITTED and not complainant_verified:
        return Move(waiting_on, yours=True, confirm_email=True, row="Yours: confirm your e-mail address")
    yours = AWAITED_PARTY.get(status) in roles
    if yours and not is_open(status):
        row = LATE_RESPONSE_ROW
    elif yours:
        row = "Yours"
    else:
        row = capfirst(waiting_on) or "—"
    return Move(waiting_on, yours=yours, row=row)


def is_open(status: str) -> bool:
    return status in OPEN_STATES


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """An open complaint whose due date has passed."""
    return is_open(status) and due_at is not None and due_at < now


def response_is_late(status: str) -> bool:
    """A business response sent now would be recorded as late."""
    return status in LATE_RESPONSE_STATES


@dataclass(frozen=True)
class Standing:
    """Where a complaint stands, for one viewer: what a list row or the case page shows."""

    is_open: bool
    is_overdue: bool
    move: Move


def standing(
    status: str, due_at: datetime | None, roles: Collection[Actor], *, now: datetime, complainant_verified: bool = True
) -> Standing:
    return Standing(
        is_open=is_open(status),
        is_overdue=is_overdue(status, due_at, now),
        move=whose_move(status, roles, complainant_verified=complainant_verified),
    )
