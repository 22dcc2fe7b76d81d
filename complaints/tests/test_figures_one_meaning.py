"""One business with a known mix of outcomes: every figure, the same on the profile, the dashboard and the API."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import BusinessFactory
from complaints.models import Complaint, Status
from complaints.services import complaint_enforce_deadline
from complaints.tests.factories import complaint_in, representative_of
from disputes.services import answer_submit, response_submit

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def business():
    """Five complaints forwarded at T0, seen 40 days later.

    - quick: responded on day 2, accepted: counted, responded, on time (48 hours);
    - silent: no response, second notice on day 14, Unanswered on day 28: counted, not responded;
    - slow: no response by day 14 (second notice), responded on day 20, accepted: counted, responded, late (480 hours);
    - settled: marked resolved by the complainant on day 3, before any due date: counts neither way;
    - pending: forwarded on day 30, still awaiting the business: not published, not counted.
    """
    business = BusinessFactory(name="Gigwork Market")
    rep = representative_of(business)
    with time_machine.travel(T0, tick=False) as clock:
        quick, silent, slow, settled = (complaint_in(Status.AWAITING_BUSINESS, business=business) for _ in range(4))
        clock.move_to(T0 + 2 * DAY)
        response_submit(complaint_id=quick.pk, author=rep, text="We released the funds today.")
        answer_submit(complaint_id=quick.pk, author=quick.complainant, text="", verdict="accept")
        clock.move_to(T0 + 3 * DAY)
        answer_submit(complaint_id=settled.pk, author=settled.complainant, text="Sorted out.", verdict="accept")
        clock.move_to(T0 + 14 * DAY + timedelta(minutes=1))
        complaint_enforce_deadline(complaint_id=silent.pk)
        complaint_enforce_deadline(complaint_id=slow.pk)
        clock.move_to(T0 + 20 * DAY)
        response_submit(complaint_id=slow.pk, author=rep, text="Sorry for the delay; reinstated.")
        answer_submit(complaint_id=slow.pk, author=slow.complainant, text="", verdict="accept")
        clock.move_to(T0 + 28 * DAY + timedelta(minutes=2))
        complaint_enforce_deadline(complaint_id=silent.pk)
        clock.move_to(T0 + 30 * DAY)
        complaint_in(Status.AWAITING_BUSINESS, business=business)
    statuses = sorted(Complaint.objects.filter(business=business).values_list("status", flat=True))
    assert statuses == ["awaiting_business", "resolved", "resolved", "resolved", "unanswered"]
    return business


def _figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1).strip()


def test_every_figure_is_the_same_on_the_profile_the_dashboard_and_the_api(client, business):
    with time_machine.travel(T0 + 40 * DAY, tick=False):
        profile = client.get(f"/businesses/{business.slug}/").content.decode()
        api = client.get(f"/api/v1/businesses/{business.slug}/").json()["figures"]
        client.force_login(representative_of(business))
        dashboard = client.get("/dashboard/").content.decode()

    # 4 published; 3 counted (the one settled before its first due date counts neither way);
    # 2 responded (67%), 1 of them on time (33%); median of 48 and 480 hours = 264 hours = 11 days.
    assert (api["total"], api["counted"], api["responded"], api["answered_on_time"]) == (4, 3, 2, 1)
    assert (api["response_percent"], api["on_time_percent"], api["median_response_hours"]) == (67, 33, 264.0)
    for page in (profile, dashboard):
        assert _figure(page, "response-rate") == "67%"
        assert _figure(page, "on-time") == "33%"
        assert _figure(page, "median") == "11 days"
        assert _figure(page, "total") == "4"
    definition = (
        "Of the complaints whose first response date passed or that got a response, the share the business "
        "responded to. Unanswered complaints lower it."
    )
    assert api["definitions"]["response_rate"] == definition
    assert definition in profile and definition in dashboard
