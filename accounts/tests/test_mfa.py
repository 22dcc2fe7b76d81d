"""Staff sign-in with a second factor: set-up, verification, recovery codes, the admin gate.

Codes come from pyotp, computed from the key the set-up page shows (or a key the test chose),
never from django-otp, which is the code under test.
"""

import json
import os
import re
import subprocess
import sys
import time
from base64 import b32decode
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pyotp
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.checks import mfa_middleware_check
from accounts.services import mfa_setup_confirm, mfa_setup_start
from accounts.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a key the test chose, in the base32 an app is given
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff_member(db):
    return UserFactory(email="sam@redress.example", name="Sam Staff", is_staff=True)


def enrol(user, secret: str = SECRET) -> list[str]:
    """Give the user a confirmed authenticator with a known key; return its recovery codes."""
    device = mfa_setup_start(user=user)
    device.key = b32decode(secret).hex()
    device.save()
    _, codes = mfa_setup_confirm(user=user, code=pyotp.TOTP(secret).now())
    return codes


def next_code(secret: str = SECRET) -> str:
    """The code of the next 30-second step: the current one was spent at set-up (a code works once)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def sign_in(client, email: str = "sam@redress.example", password: str = PASSWORD):
    return client.post(reverse("accounts:signin"), {"username": email, "password": password})


def security_events(caplog, kind: str) -> list[dict]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "redress.security" and json.loads(record.getMessage())["event"] == kind
    ]


def shown_secret(page: str) -> str:
    match = re.search(r'<code class="mfa-secret" id="mfa-secret">([A-Z2-7 ]+)</code>', page)
    assert match, page
    return match.group(1).replace(" ", "")


def test_set_up_shows_a_qr_code_and_the_key_and_a_first_code_shows_ten_recovery_codes_once(client, staff_member):
    client.force_login(staff_member)
    response = client.get(reverse("accounts:mfa-setup"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title>QR code for your authenticator app</title>" in svg
    assert "style=" not in svg
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script: only the site's own file
    assert "style=" not in page
    secret = shown_secret(page)
    assert len(secret) == 32  # 20 random bytes
    # Reloading before confirming shows the same key: the app may already hold it.
    assert shown_secret(client.get(reverse("accounts:mfa-setup")).content.decode()) == secret

    response = client.post(reverse("accounts:mfa-setup"), {"code": pyotp.TOTP(secret).now()})
    page = response.content.decode()
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "shown only once" in page
    device = TOTPDevice.objects.get(user=staff_member)
    assert device.confirmed is True
    assert StaticToken.objects.filter(device__user=staff_member).count() == 10

    # The session that set it up is verified; the key and the codes are never shown again.
    assert client.get(reverse("accounts:mfa-setup")).url == reverse("accounts:mfa")
    manage = client.get(reverse("accounts:mfa")).content.decode()
    assert "Two-step sign-in is on" in manage and "10 unused" in manage
    assert secret not in manage and secret[:4] + " " + secret[4:8] not in manage
    assert not any(code in manage for code in codes)


def test_a_wrong_first_code_is_a_form_error_and_a_security_event(client, staff_member, caplog):
    client.force_login(staff_member)
    client.get(reverse("accounts:mfa-setup"))
    response = client.post(reverse("accounts:mfa-setup"), {"code": "000000"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "That code is not right" in page and "You can try again in 1 second." in page
    assert "mfa-secret" in page  # still on set-up, key still shown
    assert TOTPDevice.objects.get(user=staff_member).confirmed is False
    (event,) = security_events(caplog, "mfa_failed")
    assert event["user"] == "sam@redress.example" and event["stage"] == "setup" and event["reason"] == "wrong_code"
    assert event["ip"] == "127.0.0.1"


def test_signing_in_with_an_authenticator_asks_for_the_code_before_landing(client, staff_member):
    enrol(staff_member)
    # Staff land on their workbench, once the code is confirmed.
    response = sign_in(client)
    assert response.status_code == 302 and response.url == "/staff/workbench/"
    response = client.get("/staff/workbench/")
    assert response.status_code == 302
    assert response.url == "/accounts/mfa/verify/?next=%2Fstaff%2Fworkbench%2F"
    page = client.get(response.url).content.decode()
    assert "Confirm your sign-in" in page and "sam@redress.example" in page

    response = client.post("/accounts/mfa/verify/", {"code": next_code(), "next": "/staff/workbench/"})
    assert response.status_code == 302 and response.url == "/staff/workbench/"
    assert client.get("/staff/workbench/").status_code == 200


def test_a_staff_representative_confirms_the_code_and_then_lands_on_the_dashboard(client, staff_member):
    MembershipFactory(user=staff_member)
    enrol(staff_member)
    response = sign_in(client)
    assert response.status_code == 302 and response.url == "/dashboard/"
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response.url == "/accounts/mfa/verify/?next=%2Fdashboard%2F"
    response = client.post("/accounts/mfa/verify/", {"code": next_code(), "next": "/dashboard/"})
    assert response.status_code == 302 and response.url == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_verification_gives_the_session_a_new_key(client, staff_member):
    enrol(staff_member)
    sign_in(client)
    before = client.session.session_key
    client.post("/accounts/mfa/verify/", {"code": next_code()})
    assert client.session.session_key != before


def test_a_recovery_code_signs_in_once(client, staff_member, caplog):
    codes = enrol(staff_member)
    sign_in(client)
    typed = f"{codes[0][:4].upper()}-{codes[0][4:8]} {codes[0][8:]}"  # as a person might type it
    response = client.post("/accounts/mfa/verify/", {"code": typed, "next": "/complaints/"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [("/complaints/", 302)]
    assert "You signed in with a recovery code; it will not work again. 9 left." in page
    (event,) = security_events(caplog, "mfa_verified")
    assert event["method"] == "recovery_code" and event["recovery_codes_left"] == 9

    client.post(reverse("accounts:signout"))
    sign_in(client)
    response = client.post("/accounts/mfa/verify/", {"code": codes[0]})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/complaints/").status_code == 302  # still not verified
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = client.post("/accounts/mfa/verify/", {"code": codes[1], "next": "/complaints/"})
    assert response.status_code == 302 and response.url == "/complaints/"
    assert StaticToken.objects.filter(device__user=staff_member).count() == 8


def test_a_wrong_code_is_refused_and_the_next_try_waits(client, staff_member, caplog):
    enrol(staff_member)
    sign_in(client)
    response = client.post("/accounts/mfa/verify/", {"code": "123456"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That code is not right. Use the newest code your app shows, or a recovery code." in page
    assert "You can try again in 1 second." in page

    # Within the wait even the right code is not checked: the page says when to retry.
    response = client.post("/accounts/mfa/verify/", {"code": next_code()})
    assert response.status_code == 429
    assert "Too many wrong codes in a row. Try again in 1 second." in response.content.decode()
    assert client.get("/admin/").status_code == 302

    # Each further wrong code doubles the wait: 1, 2, 4, 8 seconds.
    start = timezone.now()
    for wrong, seconds in ((2, 2), (3, 4), (4, 8)):
        with time_machine.travel(start + timedelta(seconds=20 * wrong)):
            response = client.post("/accounts/mfa/verify/", {"code": "654321"})
        assert f"You can try again in {seconds} seconds." in response.content.decode()
    assert TOTPDevice.objects.get(user=staff_member).throttling_failure_count == 4
    reasons = [event["reason"] for event in security_events(caplog, "mfa_failed")]
    assert reasons == ["wrong_code", "throttled", "wrong_code", "wrong_code", "wrong_code"]

    with time_machine.travel(start + timedelta(seconds=100)):
        response = client.post("/accounts/mfa/verify/", {"code": pyotp.TOTP(SECRET).now(), "next": "/complaints/"})
        assert response.status_code == 302 and response.url == "/complaints/"
    assert TOTPDevice.objects.get(user=staff_member).throttling_failure_count == 0


def test_a_used_code_does_not_work_twice(client, staff_member):
    enrol(staff_member)
    code = next_code()
    sign_in(client)
    assert client.post("/accounts/mfa/verify/", {"code": code}).status_code == 302
    client.post(reverse("accounts:signout"))
    sign_in(client)
    assert client.post("/accounts/mfa/verify/", {"code": code}).status_code == 400


def test_admin_refuses_staff_without_a_verified_session_where_mfa_is_required(client, staff_member, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = True
    client.force_login(staff_member)
    # No authenticator yet: sent to set one up, from every admin page.
    assert client.get("/admin/").url == "/accounts/mfa/setup/?next=%2Fadmin%2F"
    assert client.get("/admin/accounts/user/").url == "/accounts/mfa/setup/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert client.get("/complaints/").url == "/accounts/mfa/setup/?next=%2Fcomplaints%2F"
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"

    enrol(staff_member)
    client.post(reverse("accounts:signout"))
    response = client.post("/admin/login/?next=/admin/", {"username": "sam@redress.example", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").url == "/accounts/mfa/verify/?next=%2Fadmin%2F"
    assert client.post("/admin/accounts/user/", {}).url == "/accounts/mfa/verify/"

    response = client.post("/accounts/mfa/verify/", {"code": next_code(), "next": "/admin/"})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/api/v1/complaints/").status_code == 200


def test_without_the_requirement_staff_without_an_authenticator_reach_admin_as_before(client, staff_member, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = False
    client.force_login(staff_member)
    assert client.get("/admin/").status_code == 200


def test_complainants_are_not_asked_and_have_no_mfa_pages(client, complainant, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = True
    client.force_login(complainant)
    assert client.get("/complaints/").status_code == 200
    for name in ("accounts:mfa", "accounts:mfa-setup", "accounts:mfa-verify"):
        assert client.get(reverse(name)).status_code == 404


def test_new_recovery_codes_need_the_password_and_replace_the_old(client, staff_member, caplog):
    old = enrol(staff_member)
    sign_in(client)
    client.post("/accounts/mfa/verify/", {"code": next_code()})

    response = client.post(reverse("accounts:mfa-recovery-codes"), {"codes-password": "not it"})
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)

    response = client.post(reverse("accounts:mfa-recovery-codes"), {"codes-password": PASSWORD})
    shown = re.findall(r"<li><code>([a-z2-9-]{14})</code></li>", response.content.decode())
    new = [code.replace("-", "") for code in shown]
    assert len(new) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert not set(new) & set(old)
    assert len(security_events(caplog, "mfa_recovery_codes_replaced")) == 1


def test_removing_the_authenticator_needs_the_password(client, staff_member, caplog, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = False
    enrol(staff_member)
    sign_in(client)
    client.post("/accounts/mfa/verify/", {"code": next_code()})

    response = client.post(reverse("accounts:mfa-remove"), {"remove-password": "wrong"})
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff_member).count() == 1
    assert security_events(caplog, "mfa_failed")[-1]["stage"] == "remove"

    response = client.post(reverse("accounts:mfa-remove"), {"remove-password": PASSWORD})
    assert response.url == reverse("accounts:mfa")
    assert not TOTPDevice.objects.filter(user=staff_member).exists()
    assert not StaticDevice.objects.filter(user=staff_member).exists()
    (event,) = security_events(caplog, "mfa_removed")
    assert event["reason"] == "removed by the account holder" and event["devices"] == 2
    client.post(reverse("accounts:signout"))
    sign_in(client)
    assert client.get("/admin/").status_code == 200  # password only again, as the page said


def test_an_operator_resets_a_lost_authenticator_with_a_reason(client, staff_member, caplog, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = True
    enrol(staff_member)
    with pytest.raises(CommandError, match="A reason is required"):
        call_command("mfa_reset", "sam@redress.example", "--reason", "  ")
    with pytest.raises(CommandError, match=r"No user with the e-mail address nobody@example\.com"):
        call_command("mfa_reset", "nobody@example.com", "--reason", "phone lost")
    assert TOTPDevice.objects.filter(user=staff_member).exists()

    out = StringIO()
    reason = "phone lost, checked by call"
    call_command("mfa_reset", "Sam@Redress.example", "--reason", reason, "--operator", "ops", stdout=out)
    assert out.getvalue() == "Removed the authenticator and recovery codes of sam@redress.example (2 device(s)).\n"
    (event,) = security_events(caplog, "mfa_reset")
    assert event == {
        "event": "mfa_reset",
        "user_id": staff_member.pk,
        "user": "sam@redress.example",
        "reason": "phone lost, checked by call",
        "operator": "ops",
        "devices": 2,
    }
    # The next sign-in asks for a new set-up.
    sign_in(client)
    assert client.get("/admin/").url == "/accounts/mfa/setup/?next=%2Fadmin%2F"


def test_admin_shows_who_has_an_authenticator_but_never_the_secrets(client, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = True
    admin = UserFactory(email="alex@redress.example", is_staff=True, is_superuser=True)
    enrol(admin)
    client.post(reverse("accounts:signin"), {"username": "alex@redress.example", "password": PASSWORD})
    client.post("/accounts/mfa/verify/", {"code": next_code()})
    page = client.get("/admin/accounts/user/").content.decode()
    assert "Two-step sign-in" in page
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_requirement_cannot_be_on_without_its_middleware(settings):
    assert mfa_middleware_check() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffVerificationMiddleware"]
    (error,) = mfa_middleware_check()
    assert error.id == "accounts.E001"


def test_production_settings_require_mfa_for_admin_by_default():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 50}
    env.pop("REDRESS_ADMIN_REQUIRE_MFA", None)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/redress")  # read, never connected to
    code = "import django; django.setup(); from django.conf import settings; print(settings.REDRESS_ADMIN_REQUIRE_MFA)"
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_long_wait_is_said_in_minutes(client, staff_member):
    enrol(staff_member)
    # Eight wrong codes in a row were just given: the next check waits 2**(8-1) = 128 seconds.
    TOTPDevice.objects.filter(user=staff_member).update(
        throttling_failure_count=8, throttling_failure_timestamp=timezone.now()
    )
    sign_in(client)
    response = client.post("/accounts/mfa/verify/", {"code": next_code()})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many wrong codes in a row. Try again in 3 minutes." in page, re.findall(r"Too many[^<]*", page)


def test_verification_never_sends_the_browser_to_another_site(client, staff_member):
    enrol(staff_member)
    sign_in(client)
    response = client.post("/accounts/mfa/verify/", {"code": next_code(), "next": "https://evil.example/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"


def test_queries_added_to_a_staff_page_by_the_second_factor(client, staff_member, settings):
    """A verified session pays one query (django-otp loads its device); one that owes a code, one to find out."""
    settings.REDRESS_ADMIN_REQUIRE_MFA = True
    enrol(staff_member)
    sign_in(client)
    with CaptureQueriesContext(connection) as owing:
        assert client.get("/complaints/").status_code == 302
    devices = [q["sql"] for q in owing.captured_queries if "otp_" in q["sql"]]
    assert len(devices) == 1
    client.post("/accounts/mfa/verify/", {"code": next_code()})
    with CaptureQueriesContext(connection) as verified:
        assert client.get("/complaints/").status_code == 200
    assert len([q for q in verified.captured_queries if "otp_" in q["sql"]]) == 1
