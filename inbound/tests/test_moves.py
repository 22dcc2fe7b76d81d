"""The move a reply by e-mail makes, for each party, state and first-line word (written out by hand)."""

import pytest

from complaints.workflow import Actor
from inbound.moves import reply_move

REP, COMPLAINANT = Actor.REPRESENTATIVE, Actor.COMPLAINANT

# (role, status, first-line verdict) -> (kind, verdict) or the refusal code.
CASES = [
    (REP, "awaiting_business", "none", ("response", "none")),
    (REP, "unanswered", "none", ("response", "none")),  # late, after Unanswered
    # No response due: the reply is information from the business.
    (REP, "awaiting_consumer", "none", ("information", "none")),  # the complainant's turn
    (REP, "staff_review", "none", ("information", "none")),
    (REP, "in_mediation", "none", ("information", "none")),
    (REP, "submitted", "none", "move_not_open"),  # not yet forwarded: the business does not see the case
    (REP, "resolved", "none", "closed"),
    (REP, "answered", "none", "closed"),
    (COMPLAINANT, "submitted", "none", ("answer", "none")),
    (COMPLAINANT, "awaiting_business", "none", ("answer", "none")),
    (COMPLAINANT, "awaiting_consumer", "none", ("answer", "none")),
    (COMPLAINANT, "staff_review", "none", ("answer", "none")),
    (COMPLAINANT, "in_mediation", "none", ("answer", "none")),
    (COMPLAINANT, "resolved", "none", "closed"),
    (COMPLAINANT, "withdrawn", "none", "closed"),
    (COMPLAINANT, "awaiting_consumer", "accept", ("answer", "accept")),
    (COMPLAINANT, "answered", "accept", ("answer", "accept")),  # late acceptance
    (COMPLAINANT, "awaiting_business", "accept", "move_not_open"),  # nothing to accept yet
    (COMPLAINANT, "staff_review", "accept", "move_not_open"),
    (COMPLAINANT, "unresolved", "accept", "closed"),
    (COMPLAINANT, "awaiting_consumer", "reject", ("answer", "reject")),
    (COMPLAINANT, "awaiting_business", "reject", "move_not_open"),
    (COMPLAINANT, "answered", "reject", "closed"),
]


@pytest.mark.parametrize(("role", "status", "verdict", "expected"), CASES)
def test_the_move_of_a_reply(role, status, verdict, expected):
    move = reply_move(role=role, status=status, verdict=verdict)
    if isinstance(expected, tuple):
        assert (move.kind, move.verdict, move.refusal) == (*expected, "")
    else:
        assert (move.kind, move.refusal) == ("", expected)
        assert move.message


def test_a_refusal_says_why_in_the_words_of_the_case():
    move = reply_move(role=REP, status="submitted", verdict="none")
    assert move.message == (
        "A business response is not due now: the case is submitted. "
        "The business can respond again when the case is back with it."
    )
    assert reply_move(role=COMPLAINANT, status="resolved", verdict="none").message == (
        "The case is closed (resolved), so a reply cannot be added to it."
    )
