"""The attacks of the security review, repeated against production settings behind gunicorn.

Each test is an outsider with an HTTP client: no Django test client, no settings overridden in
the process that serves. The server is `config.settings.production` with its defaults (one
trusted proxy, HTTPS only, second factors required for staff); the test plays the TLS proxy in
front of it, which appends the address it saw to `X-Forwarded-For`.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from knox.models import AuthToken

from accounts.models import Membership
from accounts.services import invitation_create
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Status
from complaints.tests.factories import complaint_in
from tests.production_server import ProductionServer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
PROXY_SAW = "198.51.100.23"  # the attacker's real address, as the proxy appends it


def spoofed(index: int, saw: str = PROXY_SAW) -> dict[str, str]:
    """A new invented address on every request, left of the one the proxy appends (`saw`)."""
    return {"X-Forwarded-For": f"10.{index % 250}.{index // 250}.7, {saw}"}


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, url
    return match.group(1)


def post_form(server: ProductionServer, session: requests.Session, path: str, data: dict, **headers: str):
    token = csrf_token(session, server.url + path)
    return session.post(
        server.url + path,
        data={"csrfmiddlewaretoken": token, **data},
        headers=headers,
        allow_redirects=False,
        timeout=30,
    )


def test_new_forwarded_for_headers_do_not_escape_the_token_lockout(production_server):
    UserFactory(email="dana@example.com")
    session = production_server.session()
    url = production_server.url + "/api/v1/auth/token/"
    codes = [
        session.post(url, json={"email": "dana@example.com", "password": f"guess {i}"}, headers=spoofed(i)).status_code
        for i in range(8)
    ]
    # The fifth failure reaches the limit: it and every later attempt are refused as locked.
    assert codes == [400] * 4 + [429] * 4
    right = session.post(url, json={"email": "dana@example.com", "password": PASSWORD}, headers=spoofed(99))
    assert right.status_code == 429
    assert right.json()["code"] == "locked_out"
    assert right.json()["detail"].startswith("Too many failed sign-ins for this account or from this address.")
    assert 840 <= int(right.headers["Retry-After"]) <= 900


def test_an_account_is_locked_even_when_every_guess_comes_from_another_real_address(production_server):
    UserFactory(email="olu@example.com")
    session = production_server.session()
    url = production_server.url + "/api/v1/auth/token/"
    for i in range(4):
        headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"}
        assert (
            session.post(url, json={"email": "olu@example.com", "password": "no"}, headers=headers).status_code == 400
        )
    fifth = session.post(
        url, json={"email": "olu@example.com", "password": "no"}, headers={"X-Forwarded-For": "203.0.113.5"}
    )
    assert fifth.status_code == 429
    right = session.post(
        url, json={"email": "olu@example.com", "password": PASSWORD}, headers={"X-Forwarded-For": "203.0.113.77"}
    )
    assert right.status_code == 429


def test_the_sign_in_page_and_the_admin_lock_out_and_say_when_to_retry(production_server):
    UserFactory(email="dana@example.com")
    UserFactory(email="sam@redress.example", is_staff=True, is_superuser=True)
    # From two addresses: five failures from one address lock that address for every account too.
    paths = (
        ("/accounts/signin/", "dana@example.com", "198.51.100.1"),
        ("/admin/login/", "sam@redress.example", "198.51.100.2"),
    )
    for path, email, saw in paths:
        session = production_server.session()
        for i in range(4):
            failed = post_form(
                production_server, session, path, {"username": email, "password": "no"}, **spoofed(i, saw)
            )
            assert failed.status_code == 200, (path, i)
        fifth = post_form(production_server, session, path, {"username": email, "password": "no"}, **spoofed(5, saw))
        assert fifth.status_code == 429, path
        locked = post_form(
            production_server, session, path, {"username": email, "password": PASSWORD}, **spoofed(9, saw)
        )
        assert locked.status_code == 429, path
        assert "Try again in 15 minutes" in locked.text
        assert "sessionid" not in session.cookies


def test_staff_with_the_right_password_still_need_a_second_factor_for_the_admin(production_server):
    UserFactory(email="sam@redress.example", is_staff=True, is_superuser=True)
    session = production_server.session()
    signed_in = post_form(
        production_server,
        session,
        "/admin/login/",
        {"username": "sam@redress.example", "password": PASSWORD, "next": "/admin/"},
        **spoofed(1),
    )
    assert signed_in.status_code == 302
    admin = session.get(production_server.url + "/admin/", allow_redirects=False, timeout=30)
    assert admin.status_code == 302
    assert admin.headers["Location"].startswith("/accounts/mfa/setup/")
    token = session.post(
        production_server.url + "/api/v1/auth/token/",
        json={"email": "sam@redress.example", "password": PASSWORD},
        headers=spoofed(2),
    )
    assert token.status_code == 403 and token.json()["code"] == "mfa_required"


def test_password_resets_to_one_inbox_stop_at_the_limit_whatever_the_forwarded_for(production_server):
    UserFactory(email="dana@example.com")
    session = production_server.session()
    codes = [
        post_form(
            production_server, session, "/accounts/password-reset/", {"email": "dana@example.com"}, **spoofed(i)
        ).status_code
        for i in range(15)
    ]
    assert codes == [302] * 10 + [429] * 5
    assert production_server.mail_to("dana@example.com") == 10


def test_sign_up_answers_the_same_for_a_taken_and_a_free_address(production_server):
    UserFactory(email="dana@example.com")
    session = production_server.session()
    url = production_server.url + "/api/v1/auth/signup/"
    body = {"password": "a long and unusual passphrase", "name": "Someone"}
    taken = session.post(url, json={**body, "email": "dana@example.com"}, headers=spoofed(1))
    free = session.post(url, json={**body, "email": "new.person@example.com"}, headers=spoofed(2))
    assert (taken.status_code, free.status_code) == (202, 202)
    assert set(taken.json()) == set(free.json()) == {"email", "detail"}
    assert taken.json()["detail"].replace("dana@example.com", "ADDRESS") == free.json()["detail"].replace(
        "new.person@example.com", "ADDRESS"
    )
    short = session.post(url, json={**body, "password": "eight ch", "email": "x@example.com"}, headers=spoofed(3))
    assert short.status_code == 400
    assert "password" in short.json()["errors"]


def test_inputs_that_once_answered_500_are_refused_with_a_message(production_server):
    session = production_server.session()
    for path in ("/api/v1/auth/signup/", "/api/v1/auth/token/"):
        nested = session.post(
            production_server.url + path,
            data="[" * 50_000,
            headers={"Content-Type": "application/json", **spoofed(1)},
        )
        assert nested.status_code == 400, path
        assert nested.json()["errors"] == {"non_field_errors": ["The JSON body is nested deeper than 32 levels."]}
    long_email = "a" * 243 + "@example.com"
    assert len(long_email) == 255
    signup = session.post(
        production_server.url + "/api/v1/auth/signup/",
        json={"email": long_email, "password": "a long and unusual passphrase", "name": "A"},
        headers=spoofed(2),
    )
    assert signup.status_code == 400 and "email" in signup.json()["errors"]
    nul = session.post(
        production_server.url + "/api/v1/auth/token/",
        json={"email": "dana@exam\x00ple.com", "password": "x"},
        headers=spoofed(3),
    )
    assert nul.status_code == 400 and "email" in nul.json()["errors"]
    assert "Internal Server Error" not in production_server.log_text()


def test_filing_bursts_meet_the_limit(production_server):
    UserFactory(email="dana@example.com")
    business = BusinessFactory()
    session = production_server.session()
    token = session.post(
        production_server.url + "/api/v1/auth/token/",
        json={"email": "dana@example.com", "password": PASSWORD},
        headers=spoofed(1),
    )
    assert token.status_code == 200, token.text
    token = token.json()["token"]
    filing = {
        "business": business.slug,
        "type": "account_suspension",
        "description": "My account was suspended without a reason and my earnings are held.",
        "desired_outcome": "release_funds",
        "publish_consent": False,
        "affirm_true": True,
        "affirm_not_in_court": True,
    }
    codes = [
        session.post(
            production_server.url + "/api/v1/complaints/",
            json=filing,
            headers={"Authorization": f"Token {token}", **spoofed(i)},
        ).status_code
        for i in range(25)
    ]
    assert codes == [201] * 20 + [429] * 5


def test_a_leaked_invitation_link_does_not_make_another_account_a_representative(production_server):
    business = BusinessFactory(name="Gigwork Market")
    inviter = UserFactory(email="ravi@gigwork.example")
    MembershipFactory(user=inviter, business=business, role=Membership.Role.OWNER)
    _, token = invitation_create(business=business, email="colleague@gigwork.example", invited_by=inviter)
    UserFactory(email="mallory@example.com")
    session = production_server.session()
    signed_in = post_form(
        production_server, session, "/accounts/signin/", {"username": "mallory@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    opened = session.get(f"{production_server.url}/accounts/invitations/{token}/", timeout=30)
    assert opened.status_code == 403
    assert not Membership.objects.filter(user__email="mallory@example.com").exists()


def test_every_page_carries_the_security_headers_and_plain_http_is_redirected(production_server):
    session = production_server.session()
    page = session.get(production_server.url + "/businesses/", timeout=30)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in page.headers["Permissions-Policy"]
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    plain = requests.get(
        production_server.url + "/businesses/", headers={"Host": "redress.test"}, allow_redirects=False, timeout=10
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://redress.test/businesses/"


def test_tokens_are_stored_hashed_and_expire(production_server):
    UserFactory(email="dana@example.com")
    session = production_server.session()
    answer = session.post(
        production_server.url + "/api/v1/auth/token/",
        json={"email": "dana@example.com", "password": PASSWORD},
        headers=spoofed(uuid.uuid4().int % 1000),
    ).json()
    assert set(answer) == {"token", "expires_at"}
    stored = AuthToken.objects.get()
    assert answer["token"] not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128


def test_personal_details_written_the_odd_ways_are_not_published(production_server):
    business = BusinessFactory(name="Gigwork Market")
    dana = UserFactory(email="dana.whitfield@example.com", name="Dana Whitfield")
    description = (
        "They charged 4111\u20131111\u20131111\u20131111 and my SSN 123\u201345\u20136789 is on file. "
        "Call me on 555 - 123 - 4567 or write to dana at gmail dot com or dana@gmail .com. "
        "I am @dana_whitfield85 there; the reset link was https://gigwork.example/reset?token=9f8e7d6c5b4a. "
        "Post goes to 12 elm st, springfield IL 62704. Signed Da\u200bna Whit\u00adfield."
    )
    complaint_in(Status.RESOLVED, complainant=dana, business=business, description=description)
    page = production_server.session().get(f"{production_server.url}/businesses/{business.slug}/", timeout=30)
    assert page.status_code == 200
    for shown in (
        "4111",
        "6789",
        "4567",
        "555",
        "gmail",
        "dana_whitfield85",
        "9f8e7d6c5b4a",
        "elm st",
        "62704",
        "Whitfield",
        "Whit\u00adfield",
    ):
        assert shown not in page.text, shown
    assert "They charged" in page.text and "the reset link was https://gigwork.example/reset?token=" in page.text
