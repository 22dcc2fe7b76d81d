"""Idle sessions end: 2 hours without a request (30 minutes for staff), then sign in again."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def signed_in(client, user):
    client.force_login(user)
    assert client.get("/complaints/").status_code == 200  # the first request starts the idle clock


def test_a_session_idle_for_more_than_two_hours_is_signed_out_with_a_message(client):
    user = UserFactory.create()
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, user)
        traveller.shift(timedelta(minutes=119))
        assert client.get("/complaints/").status_code == 200  # still active; the clock starts again
        traveller.shift(timedelta(minutes=119))
        assert client.get("/complaints/").status_code == 200
        traveller.shift(timedelta(minutes=120, seconds=1))
        response = client.get("/complaints/?status=open")
        assert response.status_code == 302
        assert response.url == "/accounts/signin/?next=%2Fcomplaints%2F%3Fstatus%3Dopen"
        assert "_auth_user_id" not in client.session
        page = client.get(response.url).content.decode()
    assert "You were signed out after 120 minutes without activity. Please sign in again." in page


def test_staff_sessions_end_after_thirty_idle_minutes(client):
    staff = UserFactory.create(is_staff=True)
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, staff)
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/admin/")
    assert response.status_code == 302 and response.url == "/accounts/signin/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session


def test_the_idle_limits_come_from_settings(client, settings):
    settings.REDRESS_SESSION_IDLE_MINUTES = 5
    user = UserFactory.create()
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, user)
        traveller.shift(timedelta(minutes=5, seconds=1))
        assert client.get("/complaints/").status_code == 302


def test_an_idle_session_on_the_api_continues_signed_out(client):
    user = UserFactory.create()
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, user)
        assert client.get("/api/v1/complaints/").status_code == 200
        traveller.shift(timedelta(hours=3))
        response = client.get("/api/v1/complaints/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
