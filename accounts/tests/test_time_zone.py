"""Each user's time zone: asked at sign-up (page and API), changed on its page, shown on every page
(docs/domain.md, "Dates and times")."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase"


def test_the_sign_up_page_asks_for_the_zone_and_loads_the_script_that_fills_it_in(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert '<select name="time_zone"' in page and "data-time-zone" in page
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in page
    assert '<option value="" selected>The site&#x27;s zone (UTC)</option>' in page
    assert '<script src="/static/js/time-zone.js" defer></script>' in page
    client.post(
        reverse("accounts:signup"),
        {"email": "berlin@example.com", "name": "Bea Berlin", "password": PASSWORD, "time_zone": "Europe/Berlin"},
    )
    assert User.objects.get(email="berlin@example.com").time_zone == "Europe/Berlin"


def test_an_unknown_zone_is_a_field_error_on_the_page_and_in_the_api(client, api):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "mars@example.com", "name": "Max Mars", "password": PASSWORD, "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in response.content.decode()
    answer = api().post(
        "/api/v1/auth/signup/",
        {"email": "mars@example.com", "name": "Max Mars", "password": PASSWORD, "time_zone": "Mars/Olympus"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"time_zone": ["Unknown time zone: give an IANA name such as Europe/Berlin."]}
    assert not User.objects.filter(email="mars@example.com").exists()


def test_the_api_sign_up_keeps_the_zone(api):
    answer = api().post(
        "/api/v1/auth/signup/",
        {"email": "tokyo@example.com", "name": "Toru Tokyo", "password": PASSWORD, "time_zone": "Asia/Tokyo"},
        format="json",
    )
    assert answer.status_code == 202
    assert User.objects.get(email="tokyo@example.com").time_zone == "Asia/Tokyo"


def test_the_zone_is_changed_on_its_page_and_the_case_page_shows_times_in_it(client):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        complaint = complaint_in(Status.AWAITING_BUSINESS)  # forwarded now: due 15 Dec 2026, 09:00 UTC
        user = complaint.complainant
        client.force_login(user)
        case = reverse("complaints:detail", kwargs={"number": complaint.number})
        assert "due 15 Dec 2026, 09:00 UTC" in client.get(case).content.decode()
        changed = client.post(reverse("accounts:time-zone"), {"time_zone": "Europe/Paris"}, follow=True)
        assert "Times are now shown in Europe/Paris." in changed.content.decode()
        assert "It is now 1 Dec 2026, 10:00 CET for you." in changed.content.decode()
        assert "due 15 Dec 2026, 10:00 CET" in client.get(case).content.decode()
        refused = client.post(reverse("accounts:time-zone"), {"time_zone": "Nowhere/Land"})
        assert refused.status_code == 400
    user.refresh_from_db()
    assert user.time_zone == "Europe/Paris"
