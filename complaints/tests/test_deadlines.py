"""Due dates, reminders and the deadline sweep, in-process with the clock moved by time-machine."""

import base64
import io
import json
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from complaints.deadlines import due_complaints, reminders_due
from complaints.models import Complaint, ComplaintEvent, DueKind, Notification, Status
from complaints.services import complaint_file, complaint_set_consent
from complaints.sweep import enforce, remind, sweep
from complaints.tasks import enforce_deadlines, enforce_deadlines_page
from complaints.tests.factories import DESCRIPTION, complaint_in, file_complaint, representative_of
from core.models import OutboundEmail
from core.outbox import email_bodies
from disputes.models import BusinessResponse, StaffRuling
from disputes.services import answer_submit, complaint_staff_act, response_submit
from tests.celery_worker import scratch_queue  # noqa: F401 - a fixture

# Written out: what a passed ruling date records as the reason of its event.
DEFAULT_RULING_REASON = "No ruling was made by the due date; a rejected answer counts as Answered."

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def reload(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def clock():
    """A stopped clock at T0 that tests move with `clock.move_to(when)`."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def in_state_at_t0(status: str, **kw) -> Complaint:
    return complaint_in(status, **kw)


# --- due dates, set by the transition service ---------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "due", "remind"),
    [
        (Status.SUBMITTED, DueKind.SCREENING, days(2), None),
        (Status.AWAITING_BUSINESS, DueKind.BUSINESS_FIRST, days(14), days(10)),
        (Status.AWAITING_CONSUMER, DueKind.CONSUMER_ANSWER, days(10), days(7)),
        (Status.STAFF_REVIEW, DueKind.STAFF_RULING, days(7), days(5)),
        (Status.IN_MEDIATION, DueKind.MEDIATION, days(30), days(30)),
    ],
)
def test_each_open_state_gets_its_due_date_and_reminder_time(clock, status, kind, due, remind):
    complaint = in_state_at_t0(status)
    assert (complaint.status, complaint.due_kind, complaint.due_at) == (status, kind, T0 + due)
    assert complaint.remind_at == (T0 + remind if remind else None)


def test_a_rejected_first_response_gives_the_business_a_rebuttal_due_date(clock):
    complaint = in_state_at_t0(Status.AWAITING_CONSUMER)
    answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Not enough.", verdict="reject")
    complaint = reload(complaint)
    assert (complaint.status, complaint.due_kind) == (Status.AWAITING_BUSINESS, DueKind.BUSINESS_REBUTTAL)
    assert complaint.due_at == T0 + days(14)
    assert complaint.remind_at == T0 + days(10)


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.ANSWERED, Status.UNANSWERED, Status.WITHDRAWN])
def test_closed_states_have_nothing_due(clock, status):
    complaint = in_state_at_t0(status)
    assert (complaint.due_at, complaint.due_kind, complaint.remind_at) == (None, DueKind.NONE, None)


# --- each rule fires when due, and not a minute before --------------------------------------------


def _events(complaint: Complaint) -> list[str]:
    return list(complaint.events.order_by("created_at", "id").values_list("event", flat=True))


@pytest.mark.parametrize(
    ("status", "due_after", "expected_status", "expected_kind"),
    [
        (Status.SUBMITTED, days(2), Status.AWAITING_BUSINESS, DueKind.BUSINESS_FIRST),
        (Status.AWAITING_BUSINESS, days(14), Status.AWAITING_BUSINESS, DueKind.BUSINESS_FINAL),
        (Status.AWAITING_CONSUMER, days(10), Status.ANSWERED, DueKind.NONE),
        (Status.STAFF_REVIEW, days(7), Status.ANSWERED, DueKind.NONE),
    ],
)
def test_a_deadline_fires_when_due_and_not_a_minute_before(clock, status, due_after, expected_status, expected_kind):
    complaint = in_state_at_t0(status)
    events_before = _events(complaint)

    clock.move_to(T0 + due_after - MINUTE)
    report = sweep()
    assert report.applied == []
    assert _events(reload(complaint)) == events_before

    clock.move_to(T0 + due_after)
    report = sweep()
    complaint = reload(complaint)
    assert [item.number for item in report.applied] == [complaint.number]
    assert (complaint.status, complaint.due_kind) == (expected_status, expected_kind)
    assert len(_events(complaint)) == len(events_before) + 1


def test_a_second_notice_missed_during_an_outage_still_gives_the_business_its_final_period(clock):
    complaint = in_state_at_t0(Status.AWAITING_BUSINESS)
    clock.move_to(T0 + days(30))  # no sweep ran for 30 days
    sweep()
    complaint = reload(complaint)
    assert (complaint.status, complaint.due_kind, complaint.due_at) == (
        Status.AWAITING_BUSINESS,
        DueKind.BUSINESS_FINAL,
        T0 + days(44),
    )


def test_the_business_gets_a_second_notice_then_the_complaint_closes_unanswered(clock):
    complaint = in_state_at_t0(Status.AWAITING_BUSINESS)
    clock.move_to(T0 + days(14))
    sweep()
    complaint = reload(complaint)
    assert complaint.second_notice_sent_at == T0 + days(14)
    assert complaint.due_at == T0 + days(28)
    notice = OutboundEmail.objects.get(
        complaint=complaint, kind="event:business_deadline", to=complaint.business.notice_email
    )
    assert notice.subject == f"[Redress #{complaint.number}] Second notice: a response is overdue"

    clock.move_to(T0 + days(28) - MINUTE)
    sweep()
    assert reload(complaint).status == Status.AWAITING_BUSINESS
    clock.move_to(T0 + days(28))
    sweep()
    complaint = reload(complaint)
    assert complaint.status == Status.UNANSWERED
    assert complaint.closed_at == T0 + days(28)


def test_a_second_round_without_a_response_goes_to_staff_review(clock):
    complaint = in_state_at_t0(Status.AWAITING_CONSUMER)
    answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Not enough.", verdict="reject")
    clock.move_to(T0 + days(14) - MINUTE)
    sweep()
    assert reload(complaint).status == Status.AWAITING_BUSINESS
    clock.move_to(T0 + days(14))
    sweep()
    complaint = reload(complaint)
    assert (complaint.status, complaint.due_kind, complaint.due_at) == (
        Status.STAFF_REVIEW,
        DueKind.STAFF_RULING,
        T0 + days(21),
    )


def test_silence_on_the_rebuttal_after_a_second_notice_goes_to_staff_review_not_unanswered(clock):
    # business silent -> second notice -> business responds -> complainant rejects -> business silent again
    complaint = in_state_at_t0(Status.AWAITING_BUSINESS)
    rep = representative_of(complaint.business)
    clock.move_to(T0 + days(14))
    sweep()
    complaint = reload(complaint)
    assert (complaint.status, complaint.due_kind, complaint.due_at) == (
        Status.AWAITING_BUSINESS,
        DueKind.BUSINESS_FINAL,
        T0 + days(28),
    )
    clock.move_to(T0 + days(20))
    response_submit(complaint_id=complaint.pk, author=rep, text="We will refund half.")
    clock.move_to(T0 + days(21))
    answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Half is not enough.", verdict="reject")
    complaint = reload(complaint)
    assert (complaint.status, complaint.due_kind, complaint.due_at, complaint.remind_at) == (
        Status.AWAITING_BUSINESS,
        DueKind.BUSINESS_REBUTTAL,
        T0 + days(35),
        T0 + days(31),
    )
    assert complaint.second_notice_sent_at == T0 + days(14) and complaint.response_count == 1

    clock.move_to(T0 + days(35) - MINUTE)
    assert sweep().applied == []
    clock.move_to(T0 + days(35))
    [applied] = sweep().applied
    complaint = reload(complaint)
    assert (applied.event, applied.from_status, applied.to_status) == (
        "business_deadline",
        Status.AWAITING_BUSINESS,
        Status.STAFF_REVIEW,
    )
    assert (complaint.status, complaint.due_kind, complaint.due_at, complaint.remind_at, complaint.closed_at) == (
        Status.STAFF_REVIEW,
        DueKind.STAFF_RULING,
        T0 + days(42),
        T0 + days(40),
        None,
    )
    assert [(e.event, e.to_status) for e in complaint.events.order_by("created_at", "id")] == [
        ("file", Status.SUBMITTED),
        ("forward", Status.AWAITING_BUSINESS),
        ("business_deadline", Status.AWAITING_BUSINESS),
        ("respond", Status.AWAITING_CONSUMER),
        ("reject_answer", Status.AWAITING_BUSINESS),
        ("business_deadline", Status.STAFF_REVIEW),
    ]


def test_a_passed_ruling_date_closes_as_answered_with_a_default_ruling(clock):
    complaint = in_state_at_t0(Status.STAFF_REVIEW)
    clock.move_to(T0 + days(7))
    sweep()
    complaint = reload(complaint)
    assert complaint.status == Status.ANSWERED
    default = complaint.events.get(event="ruling_deadline")
    assert (default.actor_id, default.reason) == (
        None,
        DEFAULT_RULING_REASON,
    )
    assert not StaffRuling.objects.filter(complaint=complaint).exists()


@pytest.mark.parametrize(
    ("status", "remind_after", "recipient"),
    [
        (Status.AWAITING_BUSINESS, days(10), "business"),
        (Status.AWAITING_CONSUMER, days(7), "complainant"),
        (Status.STAFF_REVIEW, days(5), "staff"),
        (Status.IN_MEDIATION, days(30), "staff"),
    ],
)
def test_a_reminder_goes_out_when_due_not_a_minute_before_and_once(clock, settings, status, remind_after, recipient):
    complaint = in_state_at_t0(status)
    address = {
        "business": complaint.business.notice_email,
        "complainant": complaint.complainant.email,
        "staff": settings.STAFF_NOTICE_EMAIL,
    }[recipient]

    def reminders() -> list[OutboundEmail]:
        return list(OutboundEmail.objects.filter(complaint=complaint, kind__startswith="reminder:"))

    clock.move_to(T0 + remind_after - MINUTE)
    assert sweep().reminded == []
    assert reminders() == []

    clock.move_to(T0 + remind_after)
    assert sweep().reminded == [(complaint.number, complaint.due_kind)]
    sent = reminders()
    assert address in {email.to for email in sent}
    assert all(email.subject.startswith(f"[Redress #{complaint.number}] ") for email in sent)
    complaint = reload(complaint)
    assert (complaint.reminded_at, complaint.remind_at, complaint.status) == (T0 + remind_after, None, status)

    clock.move_to(T0 + remind_after + MINUTE)
    assert sweep().reminded == []
    assert len(reminders()) == len(sent)


def test_the_final_notice_period_gets_its_own_reminder_four_days_before(clock):
    complaint = in_state_at_t0(Status.AWAITING_BUSINESS)
    clock.move_to(T0 + days(10))
    sweep()
    clock.move_to(T0 + days(14))
    sweep()
    assert reload(complaint).remind_at == T0 + days(24)
    clock.move_to(T0 + days(24))
    assert sweep().reminded == [(complaint.number, DueKind.BUSINESS_FINAL)]
    kinds = OutboundEmail.objects.filter(complaint=complaint, to=complaint.business.notice_email).values_list(
        "kind", flat=True
    )
    assert sorted(kinds) == sorted(
        ["event:forward", "reminder:business_first", "event:business_deadline", "reminder:business_final"]
    )


def test_a_reminder_overtaken_by_its_due_date_is_dropped_not_sent(clock):
    complaint = in_state_at_t0(Status.AWAITING_CONSUMER)
    clock.move_to(T0 + days(11))  # both the reminder (day 7) and the due date (day 10) passed meanwhile
    report = sweep()
    assert reload(complaint).status == Status.ANSWERED
    assert report.reminded == []
    assert not OutboundEmail.objects.filter(complaint=complaint, kind__startswith="reminder:").exists()


# --- what the sweep may and may not forward ---------------------------------------------------------


def test_complaints_that_cannot_be_forwarded_are_not_selected_and_wait_for_verification(clock):
    unverified = UserFactory(email_verified_at=None)
    waiting = file_complaint(complainant=unverified)
    held = complaint_in(Status.SUBMITTED)
    complaint_staff_act(complaint_id=held.pk, staff=UserFactory(is_staff=True), action="hold", reason="Checking")
    unknown = complaint_file(
        complainant=UserFactory(),
        business_name="Shady Traders",
        type="order",
        description=DESCRIPTION,
        desired_outcome="refund",
        affirm_true=True,
        affirm_not_in_court=True,
    )
    assert Complaint.objects.get(pk=unknown.pk).business_id is None

    clock.move_to(T0 + days(3))
    assert list(due_complaints(T0 + days(3))) == []
    report = sweep()
    assert (report.applied, report.unchanged, report.skipped_locked) == ([], 0, 0)
    assert {reload(c).status for c in (waiting, held, unknown)} == {Status.SUBMITTED}

    unverified.email_verified_at = T0 + days(3)
    unverified.save()
    report = sweep()
    assert [item.number for item in report.applied] == [waiting.number]
    assert reload(waiting).status == Status.AWAITING_BUSINESS
    assert {reload(c).status for c in (held, unknown)} == {Status.SUBMITTED}


def test_running_the_sweep_twice_changes_nothing_more(clock):
    complaints = [in_state_at_t0(s) for s in (Status.SUBMITTED, Status.AWAITING_CONSUMER, Status.STAFF_REVIEW)]
    clock.move_to(T0 + days(10))
    first = sweep()
    counts = (ComplaintEvent.objects.count(), OutboundEmail.objects.count(), Notification.objects.count())
    second = sweep()
    assert len(first.applied) == 3
    assert second.applied == [] and second.reminded == []
    assert (ComplaintEvent.objects.count(), OutboundEmail.objects.count(), Notification.objects.count()) == counts
    assert [reload(c).status for c in complaints] == [Status.AWAITING_BUSINESS, Status.ANSWERED, Status.ANSWERED]


def test_the_sweep_pages_through_more_due_complaints_than_one_batch(clock, settings):
    settings.REDRESS_SWEEP_BATCH_SIZE = 2
    complaints = [in_state_at_t0(Status.AWAITING_CONSUMER) for _ in range(5)]
    clock.move_to(T0 + days(10))
    report = sweep()
    assert sorted(item.number for item in report.applied) == sorted(c.number for c in complaints)
    assert {reload(c).status for c in complaints} == {Status.ANSWERED}


# --- cost: follows the due complaints, not all complaints --------------------------------------------


def _bulk_not_due(n: int) -> None:
    """Many complaints whose due dates are far away (rows only: the sweep must not touch them)."""
    base = complaint_in(Status.SUBMITTED)
    owner = base.complainant
    Complaint.objects.filter(pk=base.pk).update(due_at=T0 + days(60))
    rows = [
        Complaint(
            number=str(20_000_000 + i),
            complainant=owner,
            business=base.business,
            type=base.type,
            description=base.description,
            desired_outcome=base.desired_outcome,
            status=Status.AWAITING_BUSINESS,
            due_kind=DueKind.BUSINESS_FIRST,
            due_at=T0 + days(14 + i % 30),
            remind_at=T0 + days(10 + i % 30),
            forwarded_at=T0,
        )
        for i in range(n)
    ]
    Complaint.objects.bulk_create(rows, batch_size=1000)


def _sweep_queries(now: datetime) -> int:
    with CaptureQueriesContext(connection) as queries:
        sweep(now=now)
    return len(queries)


def test_the_sweep_costs_the_same_however_many_complaints_are_not_due(clock):
    def due_pair() -> None:
        in_state_at_t0(Status.AWAITING_CONSUMER)
        in_state_at_t0(Status.STAFF_REVIEW)

    due_pair()
    clock.move_to(T0 + days(8))
    few = _sweep_queries(T0 + days(8))

    clock.move_to(T0)
    _bulk_not_due(500)
    due_pair()
    clock.move_to(T0 + days(8))
    many = _sweep_queries(T0 + days(8))
    assert few == many


def test_the_sweep_finds_due_and_reminded_rows_through_the_partial_indexes(clock):
    _bulk_not_due(3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
    now = T0 + days(1)
    due_plan = due_complaints(now).order_by("due_at", "pk").values_list("due_at", "pk")[:200].explain()
    remind_plan = reminders_due(now).order_by("remind_at", "pk").values_list("remind_at", "pk")[:200].explain()
    assert "complaint_due_idx" in due_plan
    assert "complaint_remind_idx" in remind_plan
    assert "Seq Scan on complaints_complaint" not in due_plan + remind_plan


# --- concurrency -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch_queue")
def test_a_row_locked_elsewhere_is_skipped_and_taken_by_the_next_sweep(settings):
    settings.REDRESS_SWEEP_BATCH_SIZE = 1
    complaints = [complaint_in(Status.AWAITING_CONSUMER) for _ in range(3)]
    Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(due_at=T0)
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        with transaction.atomic():
            Complaint.objects.select_for_update().get(pk=complaints[1].pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(10)
    try:
        report = sweep()
    finally:
        release.set()
        holder.join()
    assert report.skipped_locked == 1
    assert [reload(c).status for c in complaints] == [Status.ANSWERED, Status.AWAITING_CONSUMER, Status.ANSWERED]
    assert [item.number for item in sweep().applied] == [complaints[1].number]
    assert ComplaintEvent.objects.filter(event="answer_deadline").count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch_queue")
def test_a_response_racing_the_sweep_gives_one_consistent_outcome():
    complaints = []
    for _ in range(12):
        complaint = complaint_in(Status.AWAITING_BUSINESS)
        # The final notice has run out: the sweep would close these as Unanswered.
        Complaint.objects.filter(pk=complaint.pk).update(
            second_notice_sent_at=T0, due_kind=DueKind.BUSINESS_FINAL, due_at=T0
        )
        complaints.append(complaint)
    start = threading.Barrier(2)

    def respond_to_all() -> None:
        start.wait()
        for complaint in complaints:
            response_submit(
                complaint_id=complaint.pk, author=representative_of(complaint.business), text="Refund issued today."
            )
        connection.close()

    def sweep_all() -> None:
        start.wait()
        sweep(batch_size=1)
        sweep(batch_size=1)  # a row skipped while the response held it is met again
        connection.close()

    threads = [threading.Thread(target=respond_to_all), threading.Thread(target=sweep_all)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    outcomes = set()
    for complaint in complaints:
        complaint = reload(complaint)
        events = [(e.event, e.to_status) for e in complaint.events.order_by("created_at", "id")][2:]
        response = BusinessResponse.objects.get(complaint=complaint)
        assert complaint.status == Status.AWAITING_CONSUMER
        if events == [("respond", Status.AWAITING_CONSUMER)]:
            assert not response.is_late and not complaint.late_response
            outcomes.add("in time")
        else:
            assert events == [("business_deadline", Status.UNANSWERED), ("respond", Status.AWAITING_CONSUMER)]
            assert response.is_late and complaint.late_response
            outcomes.add("late")
    assert outcomes <= {"in time", "late"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch_queue")
def test_a_response_holding_the_row_makes_the_sweep_leave_it_in_time():
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    Complaint.objects.filter(pk=complaint.pk).update(
        second_notice_sent_at=T0, due_kind=DueKind.BUSINESS_FINAL, due_at=T0
    )
    rep = representative_of(complaint.business)
    with transaction.atomic():
        # The response's transaction holds the row while a sweep runs in another connection.
        response_submit(complaint_id=complaint.pk, author=rep, text="We refunded the order.")
        reports = []
        sweeper = threading.Thread(target=lambda: (reports.append(sweep()), connection.close()))
        sweeper.start()
        sweeper.join()
    assert reports[0].skipped_locked == 1
    assert sweep().applied == []
    complaint = reload(complaint)
    assert (complaint.status, complaint.late_response) == (Status.AWAITING_CONSUMER, False)
    assert not complaint.events.filter(event="business_deadline").exists()


def test_a_response_after_the_sweep_closed_it_is_accepted_late(clock):
    complaint = in_state_at_t0(Status.AWAITING_BUSINESS)
    clock.move_to(T0 + days(14))
    sweep()
    clock.move_to(T0 + days(28))
    sweep()
    assert reload(complaint).status == Status.UNANSWERED
    response = response_submit(
        complaint_id=complaint.pk, author=representative_of(complaint.business), text="Sorry for the delay."
    )
    complaint = reload(complaint)
    assert response.is_late and complaint.late_response
    assert (complaint.status, complaint.due_kind) == (Status.AWAITING_CONSUMER, DueKind.CONSUMER_ANSWER)


# --- the command ------------------------------------------------------------------------------------


def test_enforce_deadlines_command_runs_the_sweep_once_and_prints_it(clock, capsys):
    answered = in_state_at_t0(Status.AWAITING_CONSUMER)
    forwarded = in_state_at_t0(Status.SUBMITTED)
    clock.move_to(T0 + days(10))
    call_command("enforce_deadlines", "--send-emails")
    out = capsys.readouterr().out
    assert f"#{answered.number}: closed answered (awaiting_consumer -> answered)" in out
    assert f"#{forwarded.number}: forwarded (submitted -> awaiting_business)" in out
    assert "closed answered: 1" in out and "forwarded: 1" in out
    assert "E-mails: sent:" in out
    assert not OutboundEmail.objects.filter(state="pending").exists()
    call_command("enforce_deadlines")
    assert "nothing due" in capsys.readouterr().out


def test_the_beat_schedule_runs_the_sweep_and_the_outbox_at_the_configured_interval(settings):
    from config.celery import app
    from config.schedule import beat_schedule

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "complaints.tasks.enforce_deadlines",
        "complaints.tasks.alert_failed_emails",
        "core.tasks.send_pending_emails",
        "inbound.tasks.poll_mailbox",
        "webhooks.tasks.send_due_deliveries",
        "complaints.tasks.detect_patterns",
    }
    assert all(entry["task"] in app.tasks for entry in schedule.values())
    assert schedule == beat_schedule(sweep_seconds=60, imap_seconds=60)
    assert schedule["poll-mailbox"]["schedule"] == 60.0


# --- the batch: one transaction per page, written set-wise ---------------------------------------


def _due_mix(per_state: int) -> list[Complaint]:
    """Complaints of every kind the sweep acts on, all due at T0 + 15 days."""
    complaints = []
    for status in (Status.SUBMITTED, Status.AWAITING_BUSINESS, Status.AWAITING_CONSUMER, Status.STAFF_REVIEW):
        complaints += [in_state_at_t0(status) for _ in range(per_state)]
    return complaints


def test_a_batch_of_every_kind_has_the_same_outcome_as_one_complaint_at_a_time(clock, settings):
    from complaints.publication import names_to_mask
    from complaints.redaction import mask_text
    from complaints.services import business_stats_rebuild, complaint_refresh_search, complaints_enforce_deadlines

    complaints = _due_mix(3)
    # A complaint that moves without entering the public record keeps the vector it has.
    kept = complaints[3]
    assert kept.status == Status.AWAITING_BUSINESS
    Complaint.objects.filter(pk=kept.pk).update(search_vector=SearchVector(Value("kept word")))
    clock.move_to(T0 + days(15))
    done = complaints_enforce_deadlines(complaint_ids=[c.pk for c in complaints])
    assert (done.locked, done.unchanged, len(done.events)) == (0, 0, len(complaints))

    expected = {
        Status.SUBMITTED: Status.AWAITING_BUSINESS,
        Status.AWAITING_BUSINESS: Status.AWAITING_BUSINESS,  # second notice
        Status.AWAITING_CONSUMER: Status.ANSWERED,
        Status.STAFF_REVIEW: Status.ANSWERED,
    }
    for before in complaints:
        after = reload(before)
        assert after.status == expected[Status(before.status)]
        [event] = ComplaintEvent.objects.filter(complaint=after, created_at=T0 + days(15))
        sent = {
            "screening": "forward",
            "business_first": "business_deadline",
            "consumer_answer": "answer_deadline",
            "staff_ruling": "ruling_deadline",
        }
        assert event.event == sent[before.due_kind] and event.actor_role == "system"
        # Every party gets the e-mail the single-complaint path gives it, with its own case number.
        emails = OutboundEmail.objects.filter(event=event)
        assert after.complainant.email in {email.to for email in emails}
        assert all(f"#{after.number}]" in email.subject and after.number in email_bodies(email)[0] for email in emails)
        assert after.due_at is None or after.due_at > T0 + days(15)
        if after.status == Status.ANSWERED:
            assert after.description_masked == mask_text(after.description, names=names_to_mask([after])[after.pk])
    defaults = ComplaintEvent.objects.filter(event="ruling_deadline", reason=DEFAULT_RULING_REASON)
    assert defaults.count() == 3

    # The figures and the search index written for the batch are what a recount gives.
    business = complaints[0].business
    from complaints.models import BusinessStatsDay

    written = dict(BusinessStatsDay.objects.filter(business=business).values_list("day", "counts"))
    business_stats_rebuild(business_id=business.pk)
    assert dict(BusinessStatsDay.objects.filter(business=business).values_list("day", "counts")) == written
    closed = [c for c in complaints if reload(c).status == Status.ANSWERED]
    vectors = {c.pk: reload(c).search_vector for c in closed}
    # Written in the same statement as the state: the masked description and the thread are found.
    assert all("restor" in vector and "account" in vector for vector in vectors.values())
    for complaint in closed:
        complaint_refresh_search(complaint_id=complaint.pk)
    assert {c.pk: reload(c).search_vector for c in closed} == vectors
    assert reload(kept).search_vector == "'kept':1 'word':2"


def test_a_batch_costs_the_same_number_of_queries_for_8_complaints_as_for_40(clock, settings):
    settings.REDRESS_SWEEP_BATCH_SIZE = 100
    _due_mix(2)
    clock.move_to(T0 + days(15))
    few = _sweep_queries(T0 + days(15))
    clock.move_to(T0)
    _due_mix(10)
    clock.move_to(T0 + days(30))
    many = _sweep_queries(T0 + days(30))
    assert ComplaintEvent.objects.filter(created_at=T0 + days(30)).count() >= 40
    assert few == many


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch_queue")
def test_one_broken_complaint_fails_alone_and_its_batch_is_applied_around_it(settings):
    settings.REDRESS_SWEEP_BATCH_SIZE = 10
    complaints = [complaint_in(Status.AWAITING_CONSUMER) for _ in range(5)]
    Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(due_at=T0)
    broken = complaints[2]
    with connection.cursor() as cursor:  # a row the database refuses to change, whatever the cause
        cursor.execute(
            "CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.id = {broken.pk} THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_row BEFORE UPDATE ON complaints_complaint FOR EACH ROW EXECUTE FUNCTION refuse_row()"
        )
    try:
        report = sweep()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_row ON complaints_complaint; DROP FUNCTION refuse_row()")
    assert report.errors == 1
    assert sorted(item.number for item in report.applied) == sorted(c.number for c in complaints if c != broken)
    assert reload(broken).status == Status.AWAITING_CONSUMER
    assert not ComplaintEvent.objects.filter(complaint=broken, event="answer_deadline").exists()
    assert not OutboundEmail.objects.filter(complaint=broken, kind="event:answer_deadline").exists()
    assert [item.number for item in sweep().applied] == [broken.number]  # and the next sweep takes it


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch_queue")
def test_a_page_stops_at_once_when_the_database_cannot_be_reached(caplog):
    complaints = [complaint_in(Status.AWAITING_CONSUMER) for _ in range(5)]
    ids = [c.pk for c in complaints]
    Complaint.objects.filter(pk__in=ids).update(due_at=T0)
    db = connection.settings_dict
    port = db["PORT"]
    connection.close()
    db["PORT"] = str(_free_port())  # nothing listens there: every connection attempt is refused
    try:
        report = enforce(ids, T0 + MINUTE)
        reminders = remind(ids, T0 + MINUTE)
    finally:
        connection.close()
        db["PORT"] = port
    assert (report.failed, report.applied, reminders.failed) == (ids, [], ids)
    # One attempt for the page and one to see the database is gone, not one per complaint.
    failures = [r.getMessage() for r in caplog.records if r.name == "complaints.sweep" and r.levelname == "ERROR"]
    assert failures == [
        f"Deadline sweep failed on 5 complaints ({ids[0]}, ...)",
        f"Deadline sweep failed to remind complaint {ids[0]}",
        f"Deadline sweep cannot reach the database; 4 complaints ({ids[1]}, ...) left undone",
    ]
    assert {reload(c).status for c in complaints} == {Status.AWAITING_CONSUMER}
    assert [item.number for item in sweep(now=T0 + MINUTE).applied] == [c.number for c in complaints]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the periodic task: one task per page, for the workers ---------------------------------------


def _queued(queue: str) -> list[tuple[str, list[int], str, str]]:
    """The messages waiting in `queue` in the broker, oldest first: (task, ids, sweep time, expires)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    messages = [json.loads(raw) for raw in reversed(client.lrange(queue, 0, -1))]
    client.close()
    result = []
    for message in messages:
        (ids, now), _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        result.append((message["headers"]["task"], ids, now, message["headers"]["expires"]))
    return result


def test_the_periodic_task_queues_one_task_per_page_with_the_sweeps_time(clock, settings, scratch_queue):  # noqa: F811
    settings.REDRESS_SWEEP_BATCH_SIZE = 2
    ruling = [in_state_at_t0(Status.STAFF_REVIEW).pk for _ in range(3)]  # due T0 + 7 days, reminder T0 + 5
    answer = [in_state_at_t0(Status.AWAITING_CONSUMER).pk for _ in range(5)]  # due T0 + 10, reminder T0 + 7
    clock.move_to(T0 + days(8))

    assert enforce_deadlines() == {"due-date": 2, "reminder": 4}

    now = (T0 + days(8)).isoformat()
    expires = (T0 + days(8) + timedelta(seconds=settings.REDRESS_SWEEP_SECONDS)).isoformat()
    due, reminders = "complaints.tasks.enforce_deadlines_page", "complaints.tasks.send_reminders_page"
    assert _queued(scratch_queue) == [
        (due, ruling[:2], now, expires),
        (due, ruling[2:], now, expires),
        # Every reminder whose time has come, in (remind_at, id) order; the page task drops those
        # the due-date pages overtake.
        (reminders, ruling[:2], now, expires),
        (reminders, [ruling[2], answer[0]], now, expires),
        (reminders, answer[1:3], now, expires),
        (reminders, answer[3:], now, expires),
    ]
    # Queued, not applied: the workers do that.
    assert set(Complaint.objects.values_list("status", flat=True)) == {Status.STAFF_REVIEW, Status.AWAITING_CONSUMER}


def test_with_nothing_due_the_periodic_task_queues_nothing_in_two_queries(clock, scratch_queue):  # noqa: F811
    in_state_at_t0(Status.AWAITING_CONSUMER)
    in_state_at_t0(Status.AWAITING_BUSINESS)
    clock.move_to(T0 + days(7) - MINUTE)
    with CaptureQueriesContext(connection) as queries:
        assert enforce_deadlines() == {"due-date": 0, "reminder": 0}
    assert len(queries) == 2  # one page of due dates, one of reminders, both empty
    assert _queued(scratch_queue) == []


def test_enforce_deadlines_command_with_queue_hands_the_pages_to_the_workers(clock, capsys, scratch_queue):  # noqa: F811
    complaint = in_state_at_t0(Status.AWAITING_CONSUMER)
    clock.move_to(T0 + days(10))
    call_command("enforce_deadlines", "--queue")
    out = capsys.readouterr().out
    # Its answer period has run out, and the reminder of day 7 is still to be dropped.
    assert f"Deadline sweep at {(T0 + days(10)).isoformat()}: queued 1 due-date page and 1 reminder page" in out
    assert [(task, ids) for task, ids, _, _ in _queued(scratch_queue)] == [
        ("complaints.tasks.enforce_deadlines_page", [complaint.pk]),
        ("complaints.tasks.send_reminders_page", [complaint.pk]),
    ]
    assert reload(complaint).status == Status.AWAITING_CONSUMER


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--queue", "--send-emails"], "--send-emails goes with the sweep run here"),
        (["--batch-size", "0"], "--batch-size must be at least 1."),
    ],
)
def test_enforce_deadlines_command_refuses_options_that_do_not_go_together(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("enforce_deadlines", *arguments)


def test_a_page_that_waited_is_dated_when_applied_so_the_timeline_stays_in_order(clock, scratch_queue):  # noqa: F811
    complaint = in_state_at_t0(Status.AWAITING_CONSUMER)
    clock.move_to(T0 + days(10))
    enforce_deadlines()
    [(_, ids, swept_at, _), _reminders] = _queued(scratch_queue)
    # While the page waits for a worker, the complainant acts on the complaint, leaving it due.
    clock.move_to(T0 + days(10) + MINUTE)
    complaint_set_consent(
        complaint_id=complaint.pk, user=complaint.complainant, publish_consent=not complaint.publish_consent
    )
    clock.move_to(T0 + days(10) + 2 * MINUTE)
    enforce_deadlines_page.apply(args=(ids, swept_at))

    complaint = reload(complaint)
    assert complaint.status == Status.ANSWERED
    timeline = list(complaint.events.order_by("created_at", "id").values_list("event", "created_at"))
    assert timeline[-2:] == [
        ("change_consent", T0 + days(10) + MINUTE),
        ("answer_deadline", T0 + days(10) + 2 * MINUTE),
    ]
    out = io.StringIO()
    call_command("verify_timeline", "--number", complaint.number, stdout=out)
    assert out.getvalue().strip().endswith("no broken link.")
