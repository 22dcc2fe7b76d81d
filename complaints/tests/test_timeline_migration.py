"""The migration that chained the existing events gives the hashes the write path gives.

Events written before the chain existed had no hash. Migration 0008 hashed them in order; its
function is run here again on events whose hashes were blanked (the append-only trigger set
aside for the test), and must restore exactly the hashes the services wrote.
"""

import importlib

import pgtrigger
import pytest
from django.apps import apps

from complaints.models import Complaint, ComplaintEvent, Status
from complaints.tests.factories import complaint_in

chain_migration = importlib.import_module("complaints.migrations.0008_timeline_chain")

pytestmark = pytest.mark.django_db


def test_chaining_existing_events_restores_the_hashes_the_services_wrote():
    closed = complaint_in(Status.RESOLVED)
    screened = complaint_in(Status.SUBMITTED)
    written = {
        number: list(
            ComplaintEvent.objects.filter(complaint__number=number)
            .order_by("created_at", "id")
            .values_list("hash", flat=True)
        )
        for number in (closed.number, screened.number)
    }
    heads = dict(Complaint.objects.values_list("number", "timeline_head"))
    assert len(written[closed.number]) >= 3
    assert all(len(value) == 64 for values in written.values() for value in values)

    with pgtrigger.ignore("complaints.ComplaintEvent:event_append_only"):
        ComplaintEvent.objects.update(hash="")
        Complaint.objects.update(timeline_head="")
        chain_migration.chain_existing_events(apps, None)

    for number, hashes in written.items():
        restored = list(
            ComplaintEvent.objects.filter(complaint__number=number)
            .order_by("created_at", "id")
            .values_list("hash", flat=True)
        )
        assert restored == hashes
    assert dict(Complaint.objects.values_list("number", "timeline_head")) == heads
    assert heads[closed.number] == written[closed.number][-1]
