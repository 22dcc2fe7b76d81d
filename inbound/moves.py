"""Which move a reply by e-mail is: a planner, pure (docs/domain.md, "Replies by e-mail").

A representative's reply is the business response while one is due (or late, after Unanswered),
and information from the business where the business may add it and no response is due.
A complainant's reply is added information, or an acceptance or rejection when its first line
says so and that move is open. The services and the workflow then check the move like any
other; this only chooses it, and says why when there is none to choose.
"""

from __future__ import annotations

from dataclasses import dataclass

from complaints.models import Status
from complaints.workflow import BUSINESS_INFORMATION_STATES, CLOSED_STATES, OPEN_STATES, Actor, label

RESPONSE, ANSWER, INFORMATION = "response", "answer", "information"
# Refusal codes (InboundMessage.reason_code).
CLOSED, NOT_OPEN = "closed", "move_not_open"

# Where a representative's reply is the business response (the workflow's `respond` rows).
RESPONSE_STATES = frozenset({Status.AWAITING_BUSINESS, Status.UNANSWERED})
# Where a complainant's "accept" accepts the business's response (the `accept` rows).
ACCEPT_STATES = frozenset({Status.AWAITING_CONSUMER, Status.ANSWERED})
REJECT_STATES = frozenset({Status.AWAITING_CONSUMER})


@dataclass(frozen=True)
class ReplyMove:
    """The service to call (`response`, `information` or `answer`) and the answer's verdict; or why there is none."""

    kind: str = ""
    verdict: str = "none"
    refusal: str = ""
    message: str = ""


def _closed(status: str) -> ReplyMove:
    return ReplyMove(refusal=CLOSED, message=f"The case is closed ({label(status)}), so a reply cannot be added to it.")


def reply_move(*, role: Actor, status: str, verdict: str) -> ReplyMove:
    """The move a reply by this party makes in this state; `verdict` is what its first line says."""
    if role is Actor.REPRESENTATIVE:
        if status in RESPONSE_STATES:
            return ReplyMove(RESPONSE)
        if status in BUSINESS_INFORMATION_STATES:
            return ReplyMove(INFORMATION)
        if status in CLOSED_STATES:
            return _closed(status)
        return ReplyMove(
            refusal=NOT_OPEN,
            message=f"A business response is not due now: the case is {label(status)}. "
            "The business can respond again when the case is back with it.",
        )
    if verdict == "accept":
        if status in ACCEPT_STATES:
            return ReplyMove(ANSWER, "accept")
        if status in CLOSED_STATES:
            return _closed(status)
        return ReplyMove(
            refusal=NOT_OPEN,
            message=f"There is no business response to accept now: the case is {label(status)}.",
        )
    if verdict == "reject":
        if status in REJECT_STATES:
            return ReplyMove(ANSWER, "reject")
        if status in CLOSED_STATES:
            return _closed(status)
        return ReplyMove(
            refusal=NOT_OPEN,
            message=f"There is no business response to reject now: the case is {label(status)}.",
        )
    if status in OPEN_STATES:
        return ReplyMove(ANSWER, "none")
    return _closed(status)
