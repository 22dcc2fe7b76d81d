"""What pages say about where a complaint stands, for each viewer: pure functions, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from complaints.models import Status
from complaints.presentation import Move, is_overdue, response_is_late, standing, whose_move
from complaints.workflow import Actor

NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
COMPLAINANT, REPRESENTATIVE, STAFF = {Actor.COMPLAINANT}, {Actor.REPRESENTATIVE}, {Actor.STAFF}

# status: (who it waits on, yours as complainant, yours as representative,
#          the row's "Whose move" text for the complainant, the representative, anyone else)
MOVES = {
    Status.SUBMITTED: ("Redress staff (screening)", False, False, *["Redress staff (screening)"] * 3),
    Status.AWAITING_BUSINESS: ("the business", False, True, "The business", "Yours", "The business"),
    Status.AWAITING_CONSUMER: ("the complainant", True, False, "Yours", "The complainant", "The complainant"),
    Status.STAFF_REVIEW: ("Redress staff (ruling)", False, False, *["Redress staff (ruling)"] * 3),
    Status.IN_MEDIATION: ("mediation", False, False, "Mediation", "Mediation", "Mediation"),
    Status.RESOLVED: ("", False, False, "—", "—", "—"),
    Status.ANSWERED: ("", False, False, "—", "—", "—"),
    # Closed, but the business may still respond (late): never "Yours".
    Status.UNANSWERED: ("", False, True, "—", "Closed — you may still respond late", "—"),
    Status.UNRESOLVED: ("", False, False, "—", "—", "—"),
    Status.UNPURSUABLE: ("", False, False, "—", "—", "—"),
    Status.REJECTED: ("", False, False, "—", "—", "—"),
    Status.WITHDRAWN: ("", False, False, "—", "—", "—"),
}


def test_the_table_covers_every_state():
    assert set(MOVES) == set(Status)


@pytest.mark.parametrize(("status", "expected"), MOVES.items())
def test_whose_move_it_is_for_each_party_in_each_state(status, expected):
    waiting_on, complainants, representatives, complainant_row, representative_row, other_row = expected
    assert whose_move(status, COMPLAINANT) == Move(waiting_on, yours=complainants, row=complainant_row)
    assert whose_move(status, REPRESENTATIVE) == Move(waiting_on, yours=representatives, row=representative_row)
    assert whose_move(status, STAFF) == Move(waiting_on, yours=False, row=other_row)
    assert whose_move(status, set()) == Move(waiting_on, yours=False, row=other_row)
    both = whose_move(status, COMPLAINANT | REPRESENTATIVE)
    assert both.yours is (complainants or representatives)


def test_an_unverified_complainant_must_confirm_their_address_before_screening_ends():
    assert whose_move(Status.SUBMITTED, COMPLAINANT, complainant_verified=False) == Move(
        "Redress staff (screening)", yours=True, confirm_email=True, row="Yours: confirm your e-mail address"
    )
    # Only the complainant is asked, and only while the complaint is being screened.
    assert whose_move(Status.SUBMITTED, STAFF, complainant_verified=False) == Move(
        "Redress staff (screening)", row="Redress staff (screening)"
    )
    assert whose_move(Status.AWAITING_BUSINESS, COMPLAINANT, complainant_verified=False) == Move(
        "the business", row="The business"
    )


@pytest.mark.parametrize(
    ("status", "due_at", "expected"),
    [
        (Status.AWAITING_BUSINESS, NOW - timedelta(seconds=1), True),
        (Status.AWAITING_BUSINESS, NOW, False),
        (Status.AWAITING_BUSINESS, NOW + timedelta(days=1), False),
        (Status.AWAITING_BUSINESS, None, False),
        (Status.SUBMITTED, NOW - timedelta(days=1), True),
        (Status.RESOLVED, NOW - timedelta(days=1), False),
        (Status.UNANSWERED, NOW - timedelta(days=1), False),
    ],
)
def test_only_an_open_complaint_past_its_due_date_is_overdue(status, due_at, expected):
    assert is_overdue(status, due_at, NOW) is expected


def test_a_response_would_be_late_only_after_unanswered():
    assert [status for status in Status if response_is_late(status)] == [Status.UNANSWERED]


def test_standing_puts_the_three_together():
    assert standing(Status.AWAITING_BUSINESS, NOW - timedelta(hours=1), REPRESENTATIVE, now=NOW).__dict__ == {
        "is_open": True,
        "is_overdue": True,
        "move": Move("the business", yours=True, row="Yours"),
    }
    assert standing(Status.WITHDRAWN, None, COMPLAINANT, now=NOW).__dict__ == {
        "is_open": False,
        "is_overdue": False,
        "move": Move("", row="—"),
    }
