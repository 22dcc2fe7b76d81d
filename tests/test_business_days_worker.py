"""Business-day deadlines through a real Celery worker (docs/domain.md, "Deadlines").

The worker runs with `REDRESS_DEADLINE_DAYS_KIND=business` and US holidays in its own environment
and its clock moved by libfaketime (tests/celery_worker.py); the complaint is filed, held and
resumed in this process with time-machine at chosen instants and the same settings. Every
expected date is written out. The due date the worker sets is then read on the case page and in
the e-mail the worker sent for the same complaint, which must show it identically.
"""

import email
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, DueKind, Status
from complaints.tests.factories import file_complaint
from core.models import OutboundEmail
from disputes.services import complaint_staff_act
from tests.celery_worker import (
    Worker,
    celery_worker_factory,  # noqa: F401 - a fixture
    publishing_to,
    wait_until,
)

MINUTE = timedelta(minutes=1)
BUSINESS_DAYS = {
    "REDRESS_DEADLINE_DAYS_KIND": "business",
    "REDRESS_HOLIDAYS_COUNTRY": "US",
    "REDRESS_HOLIDAYS_REGION": "",
}


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def mailed_text(worker: Worker, email_id: int) -> str:
    """The plain-text body of the e-mail the worker handed to the mail backend for this id."""
    for path in worker.mail_dir.glob("*.log"):
        for chunk in path.read_text(errors="replace").split("-" * 79 + "\n"):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk)
            if message["X-Redress-Email-Id"] != str(email_id):
                continue
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    payload = part.get_payload(decode=True)
                    assert isinstance(payload, bytes)
                    return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"The worker sent no e-mail {email_id}")


@pytest.fixture
def business_days(settings):
    settings.REDRESS_DEADLINE_DAYS_KIND = "business"
    settings.REDRESS_HOLIDAYS_COUNTRY = "US"
    settings.REDRESS_HOLIDAYS_REGION = ""


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_counts_business_days_over_holidays_and_adds_back_the_time_on_hold(
    celery_worker_factory,  # noqa: F811
    business_days,
):
    worker = celery_worker_factory(**BUSINESS_DAYS)
    staff = UserFactory(is_staff=True)
    with publishing_to(worker.queue):
        with time_machine.travel(at(2026, 12, 24), tick=False) as clock:
            # Filed Thursday 24 Dec 2026 09:30 UTC; Friday 25 is Christmas Day, then the weekend:
            # two business days are Monday 28 and Tuesday 29 Dec.
            business = BusinessFactory()
            representative = MembershipFactory(business=business).user
            complaint = file_complaint(business=business)
            assert fresh(complaint).due_at == at(2026, 12, 29)
            clock.move_to(at(2026, 12, 24, 10, 30))
            complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="hold", reason="Checking the business")
            clock.move_to(at(2026, 12, 28, 10, 30))  # four days on hold, over Christmas and the weekend
            complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="resume", reason="Business confirmed")
        resumed = fresh(complaint)
        assert resumed.paused_total == timedelta(days=4)
        # Tuesday 29 Dec 09:30 plus the four days paused is Saturday 2 Jan; Sunday 3 does not count
        # either: Monday 4 Jan 2027 09:30.
        assert (resumed.status, resumed.due_kind) == (Status.SUBMITTED, DueKind.SCREENING)
        assert resumed.due_at == at(2027, 1, 4)

        worker.wait_until_ready()
        # While the complaint is held the sweep leaves it; after the resume it waits for the new date.
        worker.set_clock(at(2027, 1, 4) - MINUTE)
        worker.wait_for_sweep_at_or_after(at(2027, 1, 4) - MINUTE)
        assert fresh(complaint).status == Status.SUBMITTED
        worker.set_clock(at(2027, 1, 4))
        worker.wait_for_sweep_at_or_after(at(2027, 1, 4))
        forwarded = fresh(complaint)
        assert (forwarded.status, forwarded.due_kind) == (Status.AWAITING_BUSINESS, DueKind.BUSINESS_FIRST)
        assert forwarded.forwarded_at is not None
        # The worker forwarded it on Monday 4 Jan (its clock runs on from 09:30, so the due date keeps
        # the forwarding's time of day). Fourteen business days in the worker's own settings:
        # 5, 6, 7, 8, 11, 12, 13, 14, 15, (Saturday 16, Sunday 17, Monday 18 Martin Luther King Jr.
        # Day off), 19, 20, 21, 22, 25: due Monday 25 Jan 2027. In calendar days it would be 18 Jan.
        assert forwarded.forwarded_at.date() == date(2027, 1, 4)
        assert forwarded.forwarded_at - at(2027, 1, 4) < MINUTE
        assert forwarded.due_at == datetime.combine(date(2027, 1, 25), forwarded.forwarded_at.timetz())
        # The business is reminded four business days before: 22, 21, 20, 19 Jan (over the long weekend).
        assert forwarded.remind_at == datetime.combine(date(2027, 1, 19), forwarded.forwarded_at.timetz())

        # Pages and e-mails show the same date: the forwarding e-mail to the complainant (sent by the
        # worker) and the complainant's case page, while that due date stands.
        wait_until(lambda: not OutboundEmail.objects.filter(state="pending").exists(), message="the outbox to drain")
        forwarding = OutboundEmail.objects.get(
            complaint=complaint, to=complaint.complainant.email, event__event="forward"
        )
        text = mailed_text(worker, forwarding.pk)
        written = "25 Jan 2027, 09:30 UTC"
        assert f"Next due date: {written}" in text
        # The sentence of what happens next gives the day, the same as the case page's.
        assert "does not respond by 25 Jan 2027, Redress sends it a second notice" in text

        to_business = OutboundEmail.objects.get(complaint=complaint, to=representative.email, event__event="forward")
        business_text = mailed_text(worker, to_business.pk)
        assert f"Next due date: {written}" in business_text
        assert "If you do not respond by 25 Jan 2027, Redress sends a second notice" in business_text

        # The complainant's and the representative's case pages show the same words for the date.
        for reader in (complaint.complainant, representative):
            client = Client()
            with time_machine.travel(at(2027, 1, 5), tick=False):
                client.force_login(reader)
                page = client.get(f"/complaints/{complaint.number}/")
            assert page.status_code == 200
            assert written in re.sub(r"\s+", " ", page.content.decode())

        # The first response period ends on the business day the worker counted, not a minute before.
        due = forwarded.due_at
        worker.set_clock(due - MINUTE)
        worker.wait_for_sweep_at_or_after(due - MINUTE)
        assert fresh(complaint).due_kind == DueKind.BUSINESS_FIRST
        worker.set_clock(due)
        worker.wait_for_sweep_at_or_after(due)
        assert fresh(complaint).due_kind == DueKind.BUSINESS_FINAL
