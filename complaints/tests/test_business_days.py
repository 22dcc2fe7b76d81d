"""Deadlines that respect the calendar (docs/domain.md, "Deadlines"): business days over weekends
and public holidays, and the screening clock's pause and resume. Expected dates written out."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.deadlines import days_after, days_before
from complaints.models import Complaint, DueKind, Status
from complaints.services import complaint_business_link, complaint_file
from complaints.sweep import sweep
from complaints.tests.factories import DESCRIPTION, file_complaint
from disputes.services import complaint_staff_act


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def business_days(settings):
    settings.REDRESS_DEADLINE_DAYS_KIND = "business"
    settings.REDRESS_HOLIDAYS_COUNTRY = "US"
    settings.REDRESS_HOLIDAYS_REGION = ""


# --- counting days, no database ----------------------------------------------------------------------


def test_calendar_days_count_weekends_and_holidays(settings):
    settings.REDRESS_DEADLINE_DAYS_KIND = "calendar"
    # Thursday 24 December 2026 + 2 days: Saturday 26, Christmas counted like any day.
    assert days_after(at(2026, 12, 24), 2) == at(2026, 12, 26)


def test_business_days_skip_christmas_and_the_weekend_after_it(business_days):
    # Thursday 24 Dec; Friday 25 is Christmas Day, then Saturday and Sunday: Monday 28 is day one.
    assert days_after(at(2026, 12, 24), 2) == at(2026, 12, 29)


def test_business_days_skip_thanksgiving(business_days):
    # Wednesday 25 Nov 2026; Thursday 26 is Thanksgiving; Friday 27 counts, then Monday 30.
    assert days_after(at(2026, 11, 25, 14, 0), 2) == at(2026, 11, 30, 14, 0)


def test_fourteen_business_days_over_christmas_and_new_year(business_days):
    # From Monday 21 Dec 2026: 22, 23, 24, (25 off), 28, 29, 30, 31, (1 Jan off), 4, 5, 6, 7, 8, 11, 12.
    assert days_after(at(2026, 12, 21, 9, 0), 14) == at(2027, 1, 12, 9, 0)


def test_a_period_starting_on_a_saturday_counts_from_monday(business_days):
    assert days_after(at(2026, 3, 14), 1) == at(2026, 3, 16)


def test_reminders_count_business_days_back_from_the_due_date(business_days):
    # Four business days before Tuesday 29 Dec: 28, (25 off), 24, 23, 22.
    assert days_before(at(2026, 12, 29), 4) == at(2026, 12, 22)


def test_the_region_adds_its_own_holidays(settings):
    settings.REDRESS_DEADLINE_DAYS_KIND = "business"
    settings.REDRESS_HOLIDAYS_COUNTRY = "GB"
    # Wednesday 31 Dec 2025 + 2: 1 Jan is a holiday everywhere; 2 Jan only in Scotland.
    settings.REDRESS_HOLIDAYS_REGION = "ENG"
    assert days_after(at(2025, 12, 31), 2) == at(2026, 1, 5)
    settings.REDRESS_HOLIDAYS_REGION = "SCT"
    assert days_after(at(2025, 12, 31), 2) == at(2026, 1, 6)


def test_an_unknown_days_kind_is_refused(settings):
    settings.REDRESS_DEADLINE_DAYS_KIND = "lunar"
    with pytest.raises(ValueError, match="REDRESS_DEADLINE_DAYS_KIND"):
        days_after(at(2026, 3, 10), 1)


# --- due dates set by the services, and the sweep honouring them -------------------------------------


def reload(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@pytest.mark.django_db
def test_in_business_days_the_business_response_is_due_after_the_holidays_and_the_sweep_waits(business_days):
    with time_machine.travel(at(2026, 12, 10), tick=False) as clock:
        complaint = file_complaint()
        # Thursday 10 Dec + 2 business days: Monday 14 Dec.
        assert reload(complaint).due_at == at(2026, 12, 14)
        clock.move_to(at(2026, 12, 14))
        sweep()
        complaint = reload(complaint)
        # Forwarded on Monday 14 Dec: 15, 16, 17, 18, 21, 22, 23, 24, (25 off), 28, 29, 30, 31,
        # (1 Jan off), 4, 5: the fourteenth business day is Tuesday 5 Jan.
        assert (complaint.status, complaint.due_kind) == (Status.AWAITING_BUSINESS, DueKind.BUSINESS_FIRST)
        assert complaint.due_at == at(2027, 1, 5)
        # Reminded four business days before: 4 Jan, 31, 30, 29 Dec.
        assert complaint.remind_at == at(2026, 12, 29)

        clock.move_to(at(2027, 1, 5) - timedelta(minutes=1))
        report = sweep()
        assert (report.applied, report.reminded) == ([], [(complaint.number, DueKind.BUSINESS_FIRST)])
        clock.move_to(at(2027, 1, 5))
        assert [item.number for item in sweep().applied] == [complaint.number]
        assert reload(complaint).due_kind == DueKind.BUSINESS_FINAL


@pytest.mark.django_db
def test_a_hold_pauses_screening_and_the_time_paused_is_added_back():
    staff = UserFactory(is_staff=True)
    with time_machine.travel(at(2026, 3, 10), tick=False) as clock:
        complaint = file_complaint()
        assert reload(complaint).due_at == at(2026, 3, 12)

        clock.move_to(at(2026, 3, 10, 10, 30))
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="hold", reason="Checking the business")
        held = reload(complaint)
        assert (held.due_at, held.due_kind, held.paused_at) == (None, DueKind.NONE, at(2026, 3, 10, 10, 30))

        clock.move_to(at(2026, 3, 13, 10, 30))  # three days on hold
        assert sweep().applied == []
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="resume", reason="Business confirmed")
        resumed = reload(complaint)
        assert resumed.on_hold is False
        assert resumed.paused_at is None
        assert resumed.paused_total == timedelta(days=3)
        # Due Thursday 12 Mar 09:30 at filing, plus the three days paused: Sunday 15 Mar 09:30.
        assert (resumed.due_kind, resumed.due_at) == (DueKind.SCREENING, at(2026, 3, 15))

        clock.move_to(at(2026, 3, 15) - timedelta(minutes=1))
        assert sweep().applied == []
        clock.move_to(at(2026, 3, 15))
        assert [item.number for item in sweep().applied] == [complaint.number]
        assert reload(complaint).status == Status.AWAITING_BUSINESS


@pytest.mark.django_db
def test_a_pause_in_business_days_resumes_on_the_next_business_day(business_days):
    staff = UserFactory(is_staff=True)
    with time_machine.travel(at(2026, 12, 24), tick=False) as clock:
        complaint = file_complaint()
        assert reload(complaint).due_at == at(2026, 12, 29)
        clock.move_to(at(2026, 12, 24, 10, 30))
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="hold", reason="Checking")
        clock.move_to(at(2026, 12, 28, 10, 30))  # four days paused
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="resume", reason="Checked")
        # Tuesday 29 Dec + 4 days is Saturday 2 Jan; Sunday 3 does not count either: Monday 4 Jan.
        assert reload(complaint).due_at == at(2027, 1, 4)


@pytest.mark.django_db
def test_an_unlisted_business_pauses_screening_until_staff_link_it():
    staff = UserFactory(is_staff=True)
    business = BusinessFactory()
    with time_machine.travel(at(2026, 3, 10), tick=False) as clock:
        complaint = complaint_file(
            complainant=UserFactory(),
            business_name="Shady Traders",
            type="order",
            description=DESCRIPTION,
            desired_outcome="refund",
            affirm_true=True,
            affirm_not_in_court=True,
        )
        waiting = reload(complaint)
        assert (waiting.due_at, waiting.due_kind, waiting.paused_at) == (None, DueKind.NONE, at(2026, 3, 10))

        clock.move_to(at(2026, 3, 15))  # five days waiting for staff
        complaint_business_link(complaint_id=complaint.pk, staff=staff, business=business, reason="Found it")
        linked = reload(complaint)
        assert linked.paused_total == timedelta(days=5)
        # Due 12 Mar at filing, plus the five days waited: Tuesday 17 Mar 09:30.
        assert (linked.due_kind, linked.due_at) == (DueKind.SCREENING, at(2026, 3, 17))
