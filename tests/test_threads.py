"""Whole complaint threads, as the demo data tells them, end in the statuses docs/domain.md defines.

The clock moves with time-machine; deadlines pass because days pass, not because due dates are edited.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, ComplaintEvent, DueKind, Status
from complaints.services import complaint_enforce_deadline
from complaints.tests.factories import file_complaint
from disputes.models import StaffRuling
from disputes.services import answer_submit, complaint_staff_act, response_submit

# Written out: what a passed ruling date records as the reason of its event.
DEFAULT_RULING_REASON = "No ruling was made by the due date; a rejected answer counts as Answered."

pytestmark = pytest.mark.django_db

START = datetime(2026, 4, 6, 9, 30, tzinfo=UTC)


class Clock:
    def __init__(self, traveller: time_machine.Traveller) -> None:
        self.traveller = traveller

    def days_pass(self, days: float) -> None:
        self.traveller.shift(timedelta(days=days))


@pytest.fixture
def clock() -> Iterator[Clock]:
    with time_machine.travel(START, tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def parties():
    business = BusinessFactory(name="Gigwork Market", notice_email="disputes@gigwork.example")
    rep = MembershipFactory(business=business, user=UserFactory(name="Ravi Patel")).user
    complainant = UserFactory(name="Dana Whitfield")
    staff = UserFactory(name="Sam Staff", is_staff=True)
    return business, rep, complainant, staff


def deadlines(complaint: Complaint) -> ComplaintEvent | None:
    return complaint_enforce_deadline(complaint_id=complaint.pk)


def status_of(complaint: Complaint) -> str:
    complaint.refresh_from_db()
    return complaint.status


def forwarded_after_screening(clock: Clock, complainant, business) -> Complaint:
    complaint = file_complaint(complainant=complainant, business=business)
    clock.days_pass(1)
    assert deadlines(complaint) is None
    clock.days_pass(1.01)
    assert deadlines(complaint) is not None
    assert status_of(complaint) == Status.AWAITING_BUSINESS
    return complaint


@pytest.mark.parametrize(
    ("ruling", "final"), [("rule_answered", Status.ANSWERED), ("rule_unresolved", Status.UNRESOLVED)]
)
def test_two_rounds_rejected_then_a_staff_ruling_closes_the_case(clock, parties, ruling, final):
    business, rep, complainant, staff = parties
    complaint = forwarded_after_screening(clock, complainant, business)

    clock.days_pass(5)
    response_submit(complaint_id=complaint.pk, author=rep, text="Your account was flagged for unusual logins.")
    clock.days_pass(3)
    answer_submit(
        complaint_id=complaint.pk, author=complainant, text="I logged in from home as always.", verdict="reject"
    )
    assert status_of(complaint) == Status.AWAITING_BUSINESS
    assert complaint.due_kind == DueKind.BUSINESS_REBUTTAL

    clock.days_pass(6)
    response_submit(complaint_id=complaint.pk, author=rep, text="The hold lasts 180 days under section 9.")
    clock.days_pass(2)
    answer_submit(
        complaint_id=complaint.pk, author=complainant, text="Section 9 is about chargebacks.", verdict="reject"
    )
    assert status_of(complaint) == Status.STAFF_REVIEW
    assert complaint.due_kind == DueKind.STAFF_RULING

    clock.days_pass(4)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action=ruling, reason="Read both sides")

    assert status_of(complaint) == final
    assert complaint.response_count == 2
    assert complaint.closed_at == START + timedelta(days=2.01 + 5 + 3 + 6 + 2 + 4)
    assert StaffRuling.objects.get(complaint=complaint).outcome == final
    assert [e.to_status for e in complaint.events.all()] == [
        "submitted",
        "awaiting_business",
        "awaiting_consumer",
        "awaiting_business",
        "awaiting_consumer",
        "staff_review",
        final,
    ]


def test_a_response_met_with_silence_is_answered_after_the_answer_due_date(clock, parties):
    business, rep, complainant, _ = parties
    complaint = forwarded_after_screening(clock, complainant, business)
    clock.days_pass(3)
    response_submit(complaint_id=complaint.pk, author=rep, text="We released the withheld earnings today.")

    clock.days_pass(9.9)
    assert deadlines(complaint) is None
    assert status_of(complaint) == Status.AWAITING_CONSUMER
    clock.days_pass(0.2)
    recorded = deadlines(complaint)

    assert recorded is not None and recorded.actor_role == "system"
    assert status_of(complaint) == Status.ANSWERED
    assert complaint.late_response is False


def test_more_information_then_acceptance_is_resolved(clock, parties):
    business, rep, complainant, _ = parties
    complaint = forwarded_after_screening(clock, complainant, business)
    clock.days_pass(1)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Contract IDs: 4471, 4472.", verdict="none")
    assert status_of(complaint) == Status.AWAITING_BUSINESS
    clock.days_pass(4)
    response_submit(complaint_id=complaint.pk, author=rep, text="Found both contracts; paid out in full.")
    clock.days_pass(2)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Received, thank you.", verdict="accept")

    assert status_of(complaint) == Status.RESOLVED
    assert [a.verdict for a in complaint.answers.all()] == ["none", "accept"]


def test_business_silence_brings_a_second_notice_then_unanswered(clock, parties):
    business, rep, complainant, _ = parties
    complaint = forwarded_after_screening(clock, complainant, business)

    clock.days_pass(13.9)
    assert deadlines(complaint) is None
    clock.days_pass(0.2)
    deadlines(complaint)
    assert status_of(complaint) == Status.AWAITING_BUSINESS
    assert complaint.due_kind == DueKind.BUSINESS_FINAL
    assert complaint.second_notice_sent_at is not None

    clock.days_pass(13.9)
    assert deadlines(complaint) is None
    clock.days_pass(0.2)
    deadlines(complaint)
    assert status_of(complaint) == Status.UNANSWERED

    # A late answer still reaches the complainant, marked late.
    clock.days_pass(30)
    response_submit(complaint_id=complaint.pk, author=rep, text="Apologies, your ticket was lost.")
    assert status_of(complaint) == Status.AWAITING_CONSUMER
    assert complaint.late_response is True


def test_silence_after_a_rebuttal_goes_to_staff_review_then_answered_by_default(clock, parties):
    business, rep, complainant, _ = parties
    complaint = forwarded_after_screening(clock, complainant, business)
    response_submit(complaint_id=complaint.pk, author=rep, text="Refund is on its way.")
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Nothing arrived.", verdict="reject")

    clock.days_pass(14.1)
    deadlines(complaint)
    assert status_of(complaint) == Status.STAFF_REVIEW
    clock.days_pass(7.1)
    deadlines(complaint)
    assert status_of(complaint) == Status.ANSWERED
    default = complaint.events.get(event="ruling_deadline")
    assert (default.actor_id, default.reason) == (
        None,
        DEFAULT_RULING_REASON,
    )


def test_the_demo_data_has_a_complaint_in_every_state_and_loads_once():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert {c.status for c in Complaint.objects.all()} == set(Status.values)
    assert "admin@redress.example" in out.getvalue()
    count = Complaint.objects.count()

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Complaint.objects.count() == count
