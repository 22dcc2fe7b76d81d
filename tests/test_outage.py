"""A broker outage delays mail and deadlines but loses nothing, and never fails a user's request.

The broker is a private redis-server on a port of its own: down (nothing listens) while users
file, respond and answer; then started, with a worker whose clock is 11 days on, so deadlines
passed during the outage too.
"""

import logging
import shutil
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in, file_complaint, representative_of
from core.models import OutboundEmail
from disputes.services import answer_submit, response_submit
from tests.celery_worker import (
    celery_worker_factory,  # noqa: F401 - a fixture
    publishing_to,
    wait_until,
)
from tests.processes import free_port, process_stop

REQUEST_BUDGET_SECONDS = 1.0


@pytest.fixture
def private_broker(tmp_path):
    """A broker URL on a port where nothing listens yet; `start()` brings a redis-server up there."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: scripts/test installs it")
    port = free_port()
    processes: list[subprocess.Popen[bytes]] = []

    class Broker:
        url = f"redis://127.0.0.1:{port}/0"

        def start(self) -> None:
            processes.append(
                subprocess.Popen(
                    ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                    cwd=tmp_path,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            client = redis.Redis(port=port, socket_connect_timeout=0.5)
            wait_until(lambda: _pings(client), timeout=10, message="the private redis-server")
            client.close()

    yield Broker()
    for process in processes:
        process_stop(process, timeout=10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_requests_succeed_and_everything_is_caught_up_later(
    private_broker,
    celery_worker_factory,  # noqa: F811
    caplog,
):
    caplog.set_level(logging.WARNING, logger="core.outbox")
    with publishing_to("redress-outage-test", broker_url=private_broker.url):
        # Made first, these also warm the code paths up, so the timings below are of one request each.
        awaiting_response = complaint_in(Status.AWAITING_BUSINESS)
        awaiting_answer = complaint_in(Status.AWAITING_CONSUMER)
        # Left alone: its answer period (10 days) runs out while the broker is down.
        left_alone = complaint_in(Status.AWAITING_CONSUMER)
        complainant, business = UserFactory(), BusinessFactory()

        filed, filing_time = timed(lambda: file_complaint(complainant, business))
        _, response_time = timed(
            lambda: response_submit(
                complaint_id=awaiting_response.pk,
                author=representative_of(awaiting_response.business),
                text="We have refunded the order in full.",
            )
        )
        _, answer_time = timed(
            lambda: answer_submit(
                complaint_id=awaiting_answer.pk,
                author=awaiting_answer.complainant,
                text="The refund never arrived.",
                verdict="reject",
            )
        )

    assert max(filing_time, response_time, answer_time) < REQUEST_BUDGET_SECONDS
    assert Complaint.objects.get(pk=filed.pk).status == Status.SUBMITTED
    assert Complaint.objects.get(pk=awaiting_response.pk).status == Status.AWAITING_CONSUMER
    assert Complaint.objects.get(pk=awaiting_answer.pk).status == Status.AWAITING_BUSINESS
    assert any("Could not queue e-mail" in record.getMessage() for record in caplog.records)
    pending = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert pending and set(OutboundEmail.objects.values_list("state", flat=True)) == {"pending"}

    # The broker comes back, and a worker with it: eleven days have passed.
    private_broker.start()
    worker = celery_worker_factory(broker_url=private_broker.url)
    later = timezone.now() + timedelta(days=11)
    worker.set_clock(later)
    worker.wait_for_sweep_at_or_after(later, timeout=60)
    wait_until(lambda: not OutboundEmail.objects.filter(state="pending").exists(), message="the outbox to drain")

    left_alone = Complaint.objects.get(pk=left_alone.pk)
    assert left_alone.status == Status.ANSWERED
    assert Complaint.objects.get(pk=filed.pk).status == Status.AWAITING_BUSINESS
    assert Complaint.objects.get(pk=awaiting_response.pk).status == Status.ANSWERED
    # every due kind the sweep acts on (mediation only reminds staff)
    enforced = ["screening", "business_first", "business_final", "business_rebuttal", "consumer_answer", "staff_ruling"]
    overdue = Complaint.objects.filter(due_at__lte=later, due_kind__in=enforced)
    assert not overdue.exists()

    sent = worker.sent_mail()
    all_ids = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert pending < all_ids  # the deadlines enforced after the outage wrote mail of their own
    assert set(sent) == {str(pk) for pk in all_ids}
    assert set(sent.values()) == {1}
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"sent"}
