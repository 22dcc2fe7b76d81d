"""API tokens: hashed, expiring after 30 days, listed and revoked by their owner, ended by a new password."""

import datetime as dt
import hashlib
import json
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from knox.models import AuthToken

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


def sign_in(api, email="dana@example.com", password=PASSWORD):
    response = api().post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def with_token(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(api, token) -> int:
    return with_token(api, token).get("/api/v1/complaints/").status_code


def security_events(caplog) -> list[dict]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "redress.security"]


@time_machine.travel(NOW, tick=False)
def test_a_token_works_for_30_days_and_says_when_it_ends(api, complainant):
    body = sign_in(api)
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"] == "2026-12-31T12:00:00Z"
    assert re.fullmatch(r"[0-9a-f]{64}", body["token"])
    assert works(api, body["token"]) == 200
    with time_machine.travel(NOW + dt.timedelta(days=29, hours=23), tick=False):
        assert works(api, body["token"]) == 200
    with time_machine.travel(NOW + dt.timedelta(days=30, seconds=1), tick=False):
        expired = with_token(api, body["token"]).get("/api/v1/complaints/")
    assert expired.status_code == 401
    assert expired.json()["code"] == "authentication_failed"
    assert expired["WWW-Authenticate"] == "Token"


def test_the_database_holds_a_digest_never_the_token(api, complainant):
    token = sign_in(api)["token"]
    row = AuthToken.objects.values().get(user=complainant)
    assert row["digest"] == hashlib.sha512(token.encode()).hexdigest()
    assert row["token_key"] == token[:15]
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(t)::text FROM knox_authtoken t")
        stored = " ".join(text for (text,) in cursor.fetchall())
    assert token not in stored and token[15:] not in stored


@time_machine.travel(NOW, tick=False)
def test_the_owner_lists_their_tokens_and_no_one_elses(api, complainant, other_complainant):
    first = sign_in(api)["token"]
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        second = sign_in(api)["token"]
    sign_in(api, email="olu@example.com")

    response = with_token(api, second).get("/api/v1/auth/tokens/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": second[:15],
            "created_at": "2026-12-01T13:00:00Z",
            "expires_at": "2026-12-31T13:00:00Z",
            "current": True,
        },
        {
            "id": first[:15],
            "created_at": "2026-12-01T12:00:00Z",
            "expires_at": "2026-12-31T12:00:00Z",
            "current": False,
        },
    ]


def test_listing_needs_a_sign_in(api):
    assert api().get("/api/v1/auth/tokens/").status_code == 401


def test_a_revoked_token_is_401_and_the_others_still_work(api, complainant, caplog):
    caplog.set_level(logging.WARNING, logger="redress.security")
    first, second = sign_in(api)["token"], sign_in(api)["token"]

    response = with_token(api, second).delete(f"/api/v1/auth/tokens/{first[:15]}/")

    assert response.status_code == 204
    assert works(api, first) == 401
    assert works(api, second) == 200
    assert [(e["event"], e["user"], e["tokens"], e["reason"]) for e in security_events(caplog)] == [
        ("api_token_revoked", "dana@example.com", [first[:15]], "owner")
    ]


def test_no_one_revokes_another_users_token(api, complainant, other_complainant):
    theirs = sign_in(api, email="olu@example.com")["token"]
    mine = sign_in(api)["token"]
    response = with_token(api, mine).delete(f"/api/v1/auth/tokens/{theirs[:15]}/")
    assert response.status_code == 404
    assert works(api, theirs) == 200


def test_revoke_all_ends_every_token_of_the_owner_only(api, complainant, other_complainant, caplog):
    caplog.set_level(logging.WARNING, logger="redress.security")
    first, second = sign_in(api)["token"], sign_in(api)["token"]
    theirs = sign_in(api, email="olu@example.com")["token"]

    response = with_token(api, first).post("/api/v1/auth/tokens/revoke-all/")

    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert (works(api, first), works(api, second), works(api, theirs)) == (401, 401, 200)
    assert [(e["event"], e["count"], e["reason"]) for e in security_events(caplog)] == [
        ("api_tokens_ended", 2, "owner")
    ]


def test_signing_in_again_beyond_the_limit_ends_the_oldest_token(api, complainant, settings, caplog):
    settings.REDRESS_API_TOKENS_PER_USER = 2
    caplog.set_level(logging.WARNING, logger="redress.security")
    tokens = []
    for hour in range(3):
        with time_machine.travel(NOW + dt.timedelta(hours=hour), tick=False):
            tokens.append(sign_in(api)["token"])
    assert [works(api, token) for token in tokens] == [401, 200, 200]
    assert [(e["event"], e["tokens"], e["reason"]) for e in security_events(caplog)] == [
        ("api_token_revoked", [tokens[0][:15]], "limit")
    ]


@pytest.mark.parametrize("header", ["Token abc\x00def", "Token caf\xe9", "Token " + "f" * 300])
def test_a_malformed_token_is_401(api, header):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/complaints/").status_code == 401


def test_a_password_change_ends_every_token(api, client, complainant, caplog):
    caplog.set_level(logging.WARNING, logger="redress.security")
    tokens = [sign_in(api)["token"], sign_in(api)["token"]]
    client.force_login(complainant)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "a brand new phrase 7", "new_password2": "a brand new phrase 7"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password-change-done")
    assert [works(api, token) for token in tokens] == [401, 401]
    assert client.get(reverse("accounts:tokens")).status_code == 200  # the session stays signed in
    assert [(e["event"], e["count"], e["reason"]) for e in security_events(caplog)] == [
        ("api_tokens_ended", 2, "password_change")
    ]


def test_a_wrong_old_password_changes_nothing_and_keeps_the_tokens(api, client, complainant):
    token = sign_in(api)["token"]
    client.force_login(complainant)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "not it", "new_password1": "a brand new phrase 7", "new_password2": "a brand new phrase 7"},
    )
    assert response.status_code == 200
    assert works(api, token) == 200


def test_a_password_reset_ends_every_token(api, client, complainant, caplog):
    caplog.set_level(logging.WARNING, logger="redress.security")
    token = sign_in(api)["token"]
    client.post(reverse("accounts:password-reset"), {"email": "dana@example.com"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "another good phrase", "new_password2": "another good phrase"})
    assert works(api, token) == 401
    assert [(e["event"], e["count"], e["reason"]) for e in security_events(caplog)] == [
        ("api_tokens_ended", 1, "password_reset")
    ]
    assert sign_in(api, password="another good phrase")["token"]


def test_a_password_set_by_staff_in_admin_ends_every_token(api, admin_client, complainant, caplog):
    caplog.set_level(logging.WARNING, logger="redress.security")
    token = sign_in(api)["token"]
    url = reverse("admin:auth_user_password_change", args=[complainant.pk])
    response = admin_client.post(
        url, {"password1": "set by staff phrase 9", "password2": "set by staff phrase 9", "usable_password": "true"}
    )
    assert response.status_code == 302
    assert works(api, token) == 401
    events = security_events(caplog)
    assert [(e["event"], e["user"], e["reason"]) for e in events] == [
        ("api_tokens_ended", "dana@example.com", "password_set_by_staff")
    ]
    assert events[0]["by"] == "admin@example.com"


def test_the_tokens_page_lists_and_revokes_them(api, client, complainant, other_complainant):
    # Every step at a fixed time, so the session's idle clock (accounts/sessions.py) never meets the real one.
    with time_machine.travel(NOW, tick=False):
        first = sign_in(api)["token"]
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        second = sign_in(api)["token"]
        theirs = sign_in(api, email="olu@example.com")["token"]
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        # Signed in a day later: a session idle for a day has ended.
        client.force_login(complainant)
        page = client.get(reverse("accounts:tokens")).content.decode()
        assert f"<code>{first[:15]}…</code> issued 1 Dec 2026, 12:00 UTC, expires 31 Dec 2026, 12:00 UTC." in page
        assert f"<code>{second[:15]}…</code> issued 1 Dec 2026, 13:00 UTC, expires 31 Dec 2026, 13:00 UTC." in page
        assert theirs[:15] not in page
        revoked = client.post(reverse("accounts:token-revoke", args=[first[:15]]), follow=True)
        assert "The token was revoked. Programs that used it must sign in again." in revoked.content.decode()
        assert (works(api, first), works(api, second)) == (401, 200)
        assert client.post(reverse("accounts:token-revoke", args=[theirs[:15]])).status_code == 404
        everything = client.post(reverse("accounts:tokens-revoke-all"), follow=True).content.decode()
        assert "1 token revoked." in everything and "You have no API token that still works." in everything
        assert (works(api, second), works(api, theirs)) == (401, 200)


def test_staff_see_a_tokens_id_and_revoke_it_in_admin(api, admin_client, complainant, caplog):
    caplog.set_level(logging.WARNING, logger="redress.security")
    token = sign_in(api)["token"]
    digest = AuthToken.objects.get(user=complainant).digest
    changelist = reverse("admin:knox_authtoken_changelist")
    page = admin_client.get(changelist).content.decode()
    assert token[:15] in page and token not in page
    assert "Add auth token" not in page  # no token is made without a sign-in
    admin_client.post(changelist, {"action": "revoke", "_selected_action": [digest]})
    assert works(api, token) == 401
    assert [(e["event"], e["reason"], e["by"]) for e in security_events(caplog)] == [
        ("api_token_revoked", "staff", "admin@example.com")
    ]


def test_a_user_without_tokens_has_none_to_list(client):
    client.force_login(UserFactory())
    assert "You have no API token that still works." in client.get(reverse("accounts:tokens")).content.decode()
