"""Sign-in protection on every path: the lockout (page, admin, API token), the client address behind
trusted proxies, and the security log of failed, refused and locked sign-ins."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from core.security import JsonLineFormatter, client_ip
from core.tests.api_client import clear_own_cache_keys

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOCKED = "Too many failed sign-ins for this account or from this address."


@pytest.fixture(autouse=True)
def fresh_counters():
    clear_own_cache_keys()
    yield
    clear_own_cache_keys()


@pytest.fixture
def security_log(caplog):
    """The JSON lines written to the `redress.security` logger during the test, as dicts."""
    logger = logging.getLogger("redress.security")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="redress.security")
    yield lambda: [json.loads(record.getMessage()) for record in caplog.records if record.name == "redress.security"]
    logger.removeHandler(caplog.handler)


def rates(settings, **changed):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **changed},
    }


def page_signin(client, email, password, **extra):
    return client.post("/accounts/signin/", {"username": email, "password": password}, **extra)


def admin_signin(client, email, password, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password}, **extra)


def api_token(client, email, password, **extra):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json", **extra)


# The client address ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.9"),
        (0, "203.0.113.7", "10.0.0.9"),  # no proxy trusted: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the right-most entry is the proxy's
        (2, "6.6.6.6, 198.51.100.4, 203.0.113.7", "198.51.100.4"),
        (1, "", "10.0.0.9"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.REDRESS_TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", **extra)
    assert client_ip(request) == expected


def test_a_new_forwarded_for_on_every_request_still_meets_the_token_limit(settings):
    rates(settings, signin="3/minute")
    user = UserFactory.create(email="dana@example.com")
    codes = [
        api_token(APIClient(), user.email, "wrong guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_a_new_forwarded_for_on_every_request_still_meets_the_sign_in_page_limit(settings):
    rates(settings, signin="3/minute")
    UserFactory.create(email="dana@example.com")
    codes = [
        page_signin(Client(), "dana@example.com", "wrong guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_fifteen_password_resets_to_one_inbox_with_spoofed_addresses_send_only_the_limit(settings):
    rates(settings, mail="10/hour")
    UserFactory.create(email="target@example.com")
    codes = [
        Client()
        .post("/accounts/password-reset/", {"email": "target@example.com"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        .status_code
        for n in range(15)
    ]
    assert codes == [302] * 10 + [429] * 5
    assert len(mail.outbox) == 10


def test_behind_one_trusted_proxy_the_right_most_address_is_the_client(settings):
    settings.REDRESS_TRUSTED_PROXIES = 1
    rates(settings, signin="2/minute")
    UserFactory.create(email="dana@example.com")
    # The client writes anything it likes on the left; the proxy appends the address it saw.
    same_client = [
        api_token(
            APIClient(),
            "dana@example.com",
            "wrong",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.7",
        ).status_code
        for n in range(3)
    ]
    assert same_client == [400, 400, 429]
    other_client = api_token(
        APIClient(), "dana@example.com", "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other_client.status_code == 400


# The lockout ----------------------------------------------------------------------------------


def test_the_sign_in_page_locks_the_account_after_five_failures_and_says_when_to_retry():
    user = UserFactory.create(email="dana@example.com", password=RIGHT)
    with time_machine.travel(START, tick=False) as traveller:
        codes = [page_signin(Client(), "dana@example.com", f"guess {n}").status_code for n in range(5)]
        assert codes == [200, 200, 200, 200, 429]
        client = Client()
        refused = page_signin(client, "Dana@Example.com", RIGHT)
        page = refused.content.decode()
        assert refused.status_code == 429
        assert refused["Retry-After"] == "900"
        assert f"{LOCKED} Try again in 15 minutes, after 09:15 UTC." in page
        assert "Sign-in paused" in page and "reset it by e-mail" in page
        assert "_auth_user_id" not in client.session

        traveller.shift(timedelta(minutes=14))
        still = page_signin(client, "dana@example.com", RIGHT)
        assert still.status_code == 429 and still["Retry-After"] == "60"
        assert "Try again in 1 minute, after 09:15 UTC." in still.content.decode()

        traveller.shift(timedelta(minutes=1, seconds=1))
        allowed = page_signin(client, "dana@example.com", RIGHT)
        assert allowed.status_code == 302 and allowed.url == "/complaints/"
        assert client.session["_auth_user_id"] == str(user.pk)


def test_five_failures_on_other_accounts_from_one_address_lock_that_address():
    UserFactory.create(email="dana@example.com", password=RIGHT)
    with time_machine.travel(START, tick=False):
        for n in range(5):
            page_signin(Client(), f"guess{n}@example.com", "wrong guess", REMOTE_ADDR="198.51.100.20")
        from_there = page_signin(Client(), "dana@example.com", RIGHT, REMOTE_ADDR="198.51.100.20")
        from_elsewhere = page_signin(Client(), "dana@example.com", RIGHT, REMOTE_ADDR="198.51.100.21")
    assert from_there.status_code == 429 and LOCKED in from_there.content.decode()
    assert from_elsewhere.status_code == 302


def test_five_failures_from_many_addresses_lock_the_account_everywhere():
    UserFactory.create(email="dana@example.com", password=RIGHT)
    with time_machine.travel(START, tick=False):
        for n in range(5):
            page_signin(Client(), "dana@example.com", "wrong guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
        refused = page_signin(Client(), "dana@example.com", RIGHT, REMOTE_ADDR="192.0.2.50")
        other_account = UserFactory.create(email="olu@example.com", password=RIGHT)
        other = page_signin(Client(), other_account.email, RIGHT, REMOTE_ADDR="192.0.2.50")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert other.status_code == 302


def test_the_admin_sign_in_locks_too_and_opens_after_the_cool_off():
    UserFactory.create(email="sam@redress.example", password=RIGHT, is_staff=True, is_superuser=True)
    with time_machine.travel(START, tick=False) as traveller:
        codes = [admin_signin(Client(), "sam@redress.example", f"guess {n}").status_code for n in range(5)]
        assert codes == [200, 200, 200, 200, 429]
        client = Client()
        refused = admin_signin(client, "sam@redress.example", RIGHT)
        assert refused.status_code == 429 and refused["Retry-After"] == "900"
        assert f"{LOCKED} Try again in 15 minutes, after 09:15 UTC." in refused.content.decode()
        assert client.get("/admin/").status_code == 302  # not signed in

        traveller.shift(timedelta(minutes=15, seconds=1))
        allowed = admin_signin(client, "sam@redress.example", RIGHT)
        assert allowed.status_code == 302 and allowed.url == "/admin/"
        assert client.get("/admin/").status_code == 200


def test_the_token_endpoint_locks_with_the_error_body_and_retry_after():
    UserFactory.create(email="dana@example.com", password=RIGHT)
    with time_machine.travel(START, tick=False) as traveller:
        codes = [api_token(APIClient(), "dana@example.com", f"guess {n}").status_code for n in range(5)]
        assert codes == [400, 400, 400, 400, 429]
        refused = api_token(APIClient(), "dana@example.com", RIGHT)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "900"
        assert refused.json() == {
            "detail": f"{LOCKED} Try again in 15 minutes, after 09:15 UTC.",
            "code": "locked_out",
            "errors": {},
        }
        traveller.shift(timedelta(minutes=15, seconds=1))
        allowed = api_token(APIClient(), "dana@example.com", RIGHT)
    assert allowed.status_code == 200 and len(allowed.json()["token"]) >= 20


def test_failures_on_the_page_the_admin_and_the_api_count_together():
    UserFactory.create(email="sam@redress.example", password=RIGHT, is_staff=True)
    with time_machine.travel(START, tick=False):
        page_signin(Client(), "sam@redress.example", "wrong 1")
        page_signin(Client(), "sam@redress.example", "wrong 2")
        admin_signin(Client(), "sam@redress.example", "wrong 3")
        api_token(APIClient(), "sam@redress.example", "wrong 4")
        fifth = admin_signin(Client(), "sam@redress.example", "wrong 5")
        refused = api_token(APIClient(), "sam@redress.example", RIGHT)
    assert fifth.status_code == 429
    assert refused.status_code == 429 and refused.json()["code"] == "locked_out"


def test_spoofed_forwarded_for_headers_do_not_escape_the_address_lockout():
    UserFactory.create(email="dana@example.com", password=RIGHT)
    with time_machine.travel(START, tick=False):
        for n in range(5):
            page_signin(Client(), f"guess{n}@example.com", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        refused = page_signin(Client(), "dana@example.com", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert refused.status_code == 429


# The security log -----------------------------------------------------------------------------


def test_a_failed_sign_in_is_logged_with_the_email_and_the_address(security_log):
    UserFactory.create(email="dana@example.com")
    page_signin(Client(), "Dana@Example.com", "wrong guess", REMOTE_ADDR="198.51.100.7")
    api_token(APIClient(), "dana@example.com", "wrong again", REMOTE_ADDR="198.51.100.8")
    assert security_log() == [
        {"event": "signin_failed", "user": "dana@example.com", "ip": "198.51.100.7", "path": "/accounts/signin/"},
        {"event": "signin_failed", "user": "dana@example.com", "ip": "198.51.100.8", "path": "/api/v1/auth/token/"},
    ]


def test_a_sign_in_to_an_inactive_account_is_logged_as_refused(security_log):
    UserFactory.create(email="gone@example.com", password=RIGHT, is_active=False)
    response = admin_signin(Client(), "gone@example.com", RIGHT, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 200
    assert security_log() == [
        {
            "event": "signin_refused",
            "user": "gone@example.com",
            "ip": "198.51.100.9",
            "path": "/admin/login/",
            "reason": "inactive account",
        }
    ]


def test_a_locked_out_sign_in_is_logged_with_when_it_ends(security_log):
    UserFactory.create(email="dana@example.com", password=RIGHT)
    with time_machine.travel(START, tick=False):
        for n in range(5):
            page_signin(Client(), "dana@example.com", f"guess {n}", REMOTE_ADDR="198.51.100.7")
        page_signin(Client(), "dana@example.com", RIGHT, REMOTE_ADDR="198.51.100.7")
    events = security_log()
    assert [event["event"] for event in events] == ["signin_failed"] * 5 + ["signin_locked_out"] * 2
    assert events[-1] == {
        "event": "signin_locked_out",
        "user": "dana@example.com",
        "ip": "198.51.100.7",
        "path": "/accounts/signin/",
        "until": "2026-03-02T09:15:00+00:00",
    }


def test_the_security_log_writes_one_json_object_a_line():
    record = logging.LogRecord(
        "redress.security", logging.WARNING, __file__, 1, '{"event": "signin_failed", "ip": "198.51.100.7"}', None, None
    )
    record.created = START.timestamp()
    line = JsonLineFormatter().format(record)
    assert json.loads(line) == {
        "event": "signin_failed",
        "ip": "198.51.100.7",
        "level": "WARNING",
        "time": "2026-03-02T09:00:00.000+00:00",
    }
    assert "\n" not in line


def test_a_name_longer_than_any_address_is_a_failed_sign_in_on_every_path_not_an_error():
    too_long = "a" * 300 + "@example.com"
    assert admin_signin(Client(), too_long, "whatever").status_code == 200
    page = Client().post("/accounts/signin/", {"username": too_long, "password": "whatever"})
    assert page.status_code == 200
    token = Client().post("/api/v1/auth/token/", {"email": too_long, "password": "x"}, content_type="application/json")
    assert token.status_code == 400
