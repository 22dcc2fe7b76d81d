"""The pattern task through real Celery workers on Redis: sent twice at once, it opens one review."""

import re
import uuid

import pytest
from django.utils import timezone

from accounts.tests.factories import BusinessFactory
from complaints.models import PatternReview
from complaints.tasks import detect_patterns
from complaints.tests.test_patterns import history_of
from tests.celery_worker import (
    celery_worker_factory,  # noqa: F401 - a fixture
    publishing_to,
    wait_until,
)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_pattern_task_sent_twice_to_two_workers_opens_one_review(celery_worker_factory):  # noqa: F811
    business = BusinessFactory(name="Wave Market")
    history_of(business, weekly={"account_suspension": 5}, this_week={"account_suspension": 15}, now=timezone.now())
    queue = f"redress-test-{uuid.uuid4().hex[:12]}"
    workers = [celery_worker_factory(queue=queue, beat=False) for _ in range(2)]
    for worker in workers:
        worker.wait_until_ready()
    with publishing_to(queue):
        detect_patterns.apply_async()
        detect_patterns.apply_async()

    def finished() -> list[str]:
        logs = "\n".join(worker.log() for worker in workers)
        return re.findall(r"Task complaints\.tasks\.detect_patterns\[[^\]]+\] succeeded in [\d.]+s: (\d+)", logs)

    wait_until(lambda: len(finished()) == 2, timeout=120, interval=0.5, message="both pattern tasks")
    assert sorted(finished()) == ["0", "1"]  # one run opened the review, the other found it
    review = PatternReview.objects.get()
    assert (review.business, review.scope, review.key, review.observed) == (
        business,
        "type",
        "account_suspension",
        15,
    )
