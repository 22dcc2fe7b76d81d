"""Deadlines and e-mail through real processes: Celery workers with beat on Redis, racing sweeps.

The worker's clock is moved with libfaketime (see tests/celery_worker.py); the complaints are
made in this process with time-machine at chosen instants, so each due date is known exactly.
The deadline sweep's pages are shared by real worker processes on one queue; the in-process
command is raced against itself.
"""

import os
import subprocess
import sys
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Business, User
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, ComplaintEvent, DueKind, Status
from complaints.tasks import enforce_deadlines
from complaints.tests.factories import DESCRIPTION, complaint_in
from core.models import OutboundEmail
from tests.celery_worker import (
    Worker,
    celery_worker_factory,  # noqa: F401 - a fixture
    completed_sweeps,
    database_url,
    delete_queue,
    page_summary,
    publishing_to,
    wait_until,
)

MINUTE = timedelta(minutes=1)
BASE_DIR = Path(__file__).resolve().parent.parent


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_and_the_worker_apply_each_rule_when_due_and_not_a_minute_before(celery_worker_factory):  # noqa: F811
    worker = celery_worker_factory()
    t0 = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=5)
    made = {}
    with publishing_to(worker.queue):
        # One complaint per rule, each made an hour after the previous so no two due dates are close.
        for hour, (name, status) in enumerate(
            [
                ("screened", Status.SUBMITTED),
                ("ruling", Status.STAFF_REVIEW),
                ("answer", Status.AWAITING_CONSUMER),
                ("business", Status.AWAITING_BUSINESS),
                ("mediation", Status.IN_MEDIATION),
            ]
        ):
            with time_machine.travel(t0 + timedelta(hours=hour), tick=False):
                made[name] = complaint_in(status)

    def due(name: str):
        return lambda: fresh(made[name]).due_at

    def remind(name: str):
        return lambda: fresh(made[name]).remind_at

    def reminded(name: str):
        return lambda: fresh(made[name]).reminded_at is not None

    def status_is(name: str, status: str):
        return lambda: fresh(made[name]).status == status

    # (what, when it is due, what is true once it has fired), in the order they fall due.
    rules = [
        ("screening forwards", due("screened"), status_is("screened", Status.AWAITING_BUSINESS)),
        ("staff reminded of ruling", remind("ruling"), reminded("ruling")),
        ("ruling defaults to answered", due("ruling"), status_is("ruling", Status.ANSWERED)),
        ("complainant reminded", remind("answer"), reminded("answer")),
        ("answer period closes answered", due("answer"), status_is("answer", Status.ANSWERED)),
        ("business reminded", remind("business"), reminded("business")),
        ("second notice", due("business"), lambda: fresh(made["business"]).second_notice_sent_at is not None),
        ("business reminded of final notice", remind("business"), reminded("business")),
        ("final notice closes unanswered", due("business"), status_is("business", Status.UNANSWERED)),
        ("staff reminded of overdue mediation", remind("mediation"), reminded("mediation")),
    ]
    for what, when_due, fired in rules:
        when = when_due()
        assert when is not None, what
        worker.set_clock(when - MINUTE)
        worker.wait_for_sweep_at_or_after(when - MINUTE)
        assert not fired(), f"{what} fired a minute early"
        worker.set_clock(when)
        worker.wait_for_sweep_at_or_after(when)
        assert fired(), f"{what} did not fire when due"

    assert fresh(made["mediation"]).status == Status.IN_MEDIATION  # staff decide mediation, not the clock
    # Every e-mail of all that was sent by the worker, each exactly once.
    wait_until(lambda: not OutboundEmail.objects.filter(state="pending").exists(), message="the outbox to drain")
    ids = set(map(str, OutboundEmail.objects.values_list("pk", flat=True)))
    sent = worker.sent_mail()
    assert set(sent) == ids
    assert set(sent.values()) == {1}
    kinds = Counter(OutboundEmail.objects.filter(kind__startswith="reminder:").values_list("kind", flat=True))
    assert set(kinds) == {
        "reminder:staff_ruling",
        "reminder:consumer_answer",
        "reminder:business_first",
        "reminder:business_final",
        "reminder:mediation",
    }


def _due_complaints(n: int) -> list[int]:
    """`n` complaints whose answer period has run out, written as rows (the setup, not the subject).

    Their due dates are spread over the past hour, so the sweep's pages are not in id order.
    """
    business: Business = BusinessFactory(notice_email="complaints@racing.example")  # type: ignore[assignment]
    MembershipFactory(business=business, user=UserFactory(email="rep@racing.example"))
    complainant: User = UserFactory(email="consumer@racing.example")  # type: ignore[assignment]
    now = timezone.now()
    rows = Complaint.objects.bulk_create(
        Complaint(
            number=str(30_000_000 + i),
            complainant=complainant,
            business=business,
            business_name=business.name,
            type="order",
            description=DESCRIPTION,
            desired_outcome="refund",
            status=Status.AWAITING_CONSUMER,
            due_kind=DueKind.CONSUMER_ANSWER,
            due_at=now - timedelta(minutes=1 + i % 60),
            forwarded_at=now - timedelta(days=20),
            response_count=1,
            first_response_at=now - timedelta(days=11),
        )
        for i in range(n)
    )
    return [row.pk for row in rows]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_over_500_due_complaints_close_each_exactly_once(tmp_path):
    ids = _due_complaints(500)
    queue = f"redress-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "REDRESS_SWEEP_BATCH_SIZE": "50",
    }
    command = [sys.executable, "manage.py", "enforce_deadlines", "--send-emails"]
    try:
        sweeps = [
            subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=240) for process in sweeps]
    finally:
        delete_queue(settings.CELERY_BROKER_URL, queue)
    assert [process.returncode for process in sweeps] == [0, 0], outputs

    assert Counter(Complaint.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.ANSWERED: 500}
    per_complaint = Counter(
        ComplaintEvent.objects.filter(complaint_id__in=ids, event="answer_deadline").values_list(
            "complaint_id", flat=True
        )
    )
    assert set(per_complaint.values()) == {1} and len(per_complaint) == 500
    # One set of e-mails per complaint: the complainant, the notice address, the representative.
    emails = list(OutboundEmail.objects.filter(complaint_id__in=ids).values_list("pk", "complaint_id", "to", "state"))
    assert len(emails) == 1500
    assert len({(complaint_id, to) for _, complaint_id, to, _ in emails}) == 1500
    assert {state for *_, state in emails} == {"sent"}
    sent: Counter[str] = Counter()
    for path in (tmp_path / "mail").glob("*.log"):
        sent.update(
            line.split(":", 1)[1].strip()
            for line in path.read_text().splitlines()
            if line.startswith("X-Redress-Email-Id:")
        )
    assert set(sent) == {str(pk) for pk, *_ in emails}
    assert set(sent.values()) == {1}
    # What the two commands report adds up to 500: no complaint was applied by both.
    closed = [int(out.decode().split("closed answered: ")[1].split(",")[0]) for out, _ in outputs if b"closed" in out]
    assert sum(closed) == 500


# --- one sweep, many worker processes ------------------------------------------------------------

# Beat off, pages of 50, and a page wait long enough for any queue this suite builds.
SHARED_SWEEP_ENV = {"REDRESS_SWEEP_BATCH_SIZE": "50", "REDRESS_SWEEP_SECONDS": "600"}


def _shared_workers(factory, n: int, **env: str) -> list[Worker]:
    queue = f"redress-test-{uuid.uuid4().hex[:12]}"
    workers = [factory(queue=queue, beat=False, **{**SHARED_SWEEP_ENV, **env}) for _ in range(n)]
    for worker in workers:
        worker.wait_until_ready()
    return workers


def _run_periodic_task(workers: list[Worker], times: int = 1) -> None:
    """Send the periodic task as beat does, `times` at once, and wait for every page it queued."""
    with publishing_to(workers[0].queue):
        for _ in range(times):
            enforce_deadlines.apply_async()

    def all_pages_done() -> bool:
        for worker in workers:
            worker.assert_alive()
        return len(completed_sweeps("\n".join(worker.log() for worker in workers))) == times

    wait_until(all_pages_done, timeout=240, interval=0.5, message="every page of the sweep")


def _assert_each_closed_once_with_one_set_of_emails(ids: list[int], workers: list[Worker]) -> None:
    assert Counter(Complaint.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.ANSWERED: len(ids)}
    per_complaint = Counter(
        ComplaintEvent.objects.filter(complaint_id__in=ids, event="answer_deadline").values_list(
            "complaint_id", flat=True
        )
    )
    assert len(per_complaint) == len(ids) and set(per_complaint.values()) == {1}
    wait_until(
        lambda: not OutboundEmail.objects.filter(state="pending").exists(), timeout=240, message="the outbox to drain"
    )
    # One set of e-mails per complaint: the complainant, the notice address, the representative.
    emails = list(OutboundEmail.objects.filter(complaint_id__in=ids).values_list("pk", "complaint_id", "to"))
    assert len(emails) == 3 * len(ids)
    assert len({(complaint_id, to) for _, complaint_id, to in emails}) == 3 * len(ids)
    sent: Counter[str] = Counter()
    for worker in workers:
        sent.update(worker.sent_mail())
    assert set(sent) == {str(pk) for pk, *_ in emails}
    assert set(sent.values()) == {1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_one_sweep_over_2000_due_complaints_each_closed_once(
    celery_worker_factory,  # noqa: F811
):
    ids = _due_complaints(2000)
    workers = _shared_workers(celery_worker_factory, 2)
    _run_periodic_task(workers)

    _assert_each_closed_once_with_one_set_of_emails(ids, workers)
    log = "\n".join(worker.log() for worker in workers)
    assert "queued 40 due-date pages and 0 reminder pages" in log
    pages = [worker.page_lines() for worker in workers]
    # Both processes took pages of the one sweep, and no page was applied twice or in part.
    assert all(len(taken) > 0 for taken in pages), [len(taken) for taken in pages]
    assert sum(len(taken) for taken in pages) == 40
    assert len({stamp for taken in pages for stamp, *_ in taken}) == 1
    totals = sum((page_summary(summary) for taken in pages for *_, summary in taken), Counter())
    assert totals == {"closed answered": 2000}
    assert "Retry in" not in log


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_run_twice_at_once_closes_each_complaint_once(celery_worker_factory):  # noqa: F811
    ids = _due_complaints(400)
    workers = _shared_workers(celery_worker_factory, 2, REDRESS_SWEEP_BATCH_SIZE="20")
    _run_periodic_task(workers, times=2)  # two beats, or one message delivered twice

    _assert_each_closed_once_with_one_set_of_emails(ids, workers)
    pages = [line for worker in workers for line in worker.page_lines()]
    totals = sum((page_summary(summary) for *_, summary in pages), Counter())
    assert totals["closed answered"] == 400 and totals["errors"] == 0
    # A second copy of a page found its rows held by the first, or no longer due: nothing else.
    assert sum(totals.values()) == sum(size for _, _, size, _ in pages)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failed_page_is_retried_alone_and_the_pages_that_succeeded_are_not_repeated(
    celery_worker_factory,  # noqa: F811
):
    ids = _due_complaints(30)
    in_sweep_order = list(Complaint.objects.filter(pk__in=ids).order_by("due_at", "pk").values_list("pk", flat=True))
    broken = in_sweep_order[14]  # on the second page of three
    with connection.cursor() as cursor:
        # The database refuses this complaint's row twice (the page's transaction, then the
        # complaint on its own), then lets it through. A sequence counts the attempts because
        # it is not rolled back with the transaction that failed.
        cursor.execute("CREATE SEQUENCE refuse_twice_attempts")
        cursor.execute(
            "CREATE FUNCTION refuse_twice() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.id = {broken} THEN IF nextval('refuse_twice_attempts') <= 2 THEN "
            "RAISE EXCEPTION 'refused for now'; END IF; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_twice BEFORE UPDATE ON complaints_complaint "
            "FOR EACH ROW EXECUTE FUNCTION refuse_twice()"
        )
    try:
        [worker] = _shared_workers(celery_worker_factory, 1, REDRESS_SWEEP_BATCH_SIZE="10")
        _run_periodic_task([worker])
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM refuse_twice_attempts")
            assert cursor.fetchone() == (3,)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER refuse_twice ON complaints_complaint; DROP FUNCTION refuse_twice(); "
                "DROP SEQUENCE refuse_twice_attempts"
            )

    _assert_each_closed_once_with_one_set_of_emails(ids, [worker])
    attempts = [(size, summary) for _, _, size, summary in worker.page_lines()]
    # Three pages ran once each; the second applied nine and queued its broken complaint alone,
    # which the retry then closed. No complaint was met a second time ("unchanged").
    assert sorted(attempts) == sorted(
        [
            (10, "closed answered: 10"),
            (10, "closed answered: 9, errors: 1 (retrying 1)"),
            (1, "closed answered: 1"),
            (10, "closed answered: 10"),
        ]
    )
    assert worker.log().count("Retry in") == 1
