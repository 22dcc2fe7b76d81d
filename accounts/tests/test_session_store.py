"""accounts.session_store: Django's database sessions, the session read by a prepared statement."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.session_store import SessionStore
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_keeps_its_sessions_in_this_store():
    assert settings.SESSION_ENGINE == "accounts.session_store"


def test_a_saved_session_is_read_back_by_the_prepared_read():
    store = SessionStore()
    store["redress_last_activity"] = 1_790_000_000
    store["note"] = "kept"
    store.save()
    with CaptureQueriesContext(connection) as queries:
        again = SessionStore(session_key=store.session_key)
        assert (again["note"], again["redress_last_activity"]) == ("kept", 1_790_000_000)
    (read,) = [q["sql"] for q in queries.captured_queries]
    assert read.startswith(f"EXECUTE redress_session('{store.session_key}', ")


def test_an_expired_session_reads_empty_and_its_key_is_not_reused():
    store = SessionStore()
    store["note"] = "old"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    again = SessionStore(session_key=store.session_key)
    assert again.load() == {}
    assert again.session_key is None  # as Django's store: the next save starts a session of its own
    again["note"] = "new"
    again.save()
    assert again.session_key != store.session_key
    assert Session.objects.get(session_key=store.session_key).get_decoded() == {"note": "old"}  # left to clearsessions


def test_a_key_with_no_session_and_no_key_read_empty():
    assert SessionStore(session_key="nosuchsessionkeyatallxyz12345678").load() == {}
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore().load() == {}
    assert queries.captured_queries == []  # no key: nothing to read


def test_a_signed_in_visit_goes_through_the_store(client):
    user = UserFactory(email="dana@example.com")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/complaints/")
    assert page.status_code == 200 and page.wsgi_request.user == user
    assert any(q["sql"].startswith("EXECUTE redress_session(") for q in queries.captured_queries)


def test_the_orm_read_is_used_where_statements_are_not_prepared(monkeypatch):
    store = SessionStore()
    store["note"] = "either way"
    store.save()
    monkeypatch.setattr("accounts.session_store.prepared_reads", lambda: False)
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(session_key=store.session_key)["note"] == "either way"
    assert queries.captured_queries[0]["sql"].startswith('SELECT "django_session"."session_key"')
