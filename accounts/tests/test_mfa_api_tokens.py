"""A staff account gives its second factor for an API token too, when second factors are required.

Otherwise a token would be a way round the code the pages ask for. Codes come from pyotp.
"""

import time

import pyotp
import pytest
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.test_mfa import PASSWORD, SECRET, enrol, security_events

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def staff_member(db):
    return UserFactory(email="sam@redress.example", name="Sam Staff", is_staff=True)


def ask(body: dict) -> tuple[int, dict]:
    response = APIClient().post(TOKEN_URL, body, format="json")
    return response.status_code, response.json()


@override_settings(REDRESS_ADMIN_REQUIRE_MFA=True)
def test_staff_without_a_code_get_no_token(staff_member, caplog):
    enrol(staff_member)
    status, body = ask({"email": "sam@redress.example", "password": PASSWORD})
    assert status == 403
    assert body["code"] == "mfa_required"
    assert body["detail"] == "Send a code from your authenticator app, or a recovery code, as `otp`."
    assert AuthToken.objects.count() == 0
    assert security_events(caplog, "mfa_failed")[-1]["stage"] == "token"


@override_settings(REDRESS_ADMIN_REQUIRE_MFA=True)
def test_staff_with_a_wrong_code_get_no_token(staff_member):
    enrol(staff_member)
    right = pyotp.TOTP(SECRET).at(time.time() + 30)
    wrong = "000000" if right != "000000" else "111111"
    status, body = ask({"email": "sam@redress.example", "password": PASSWORD, "otp": wrong})
    assert status == 403
    assert body["code"] == "mfa_required"
    assert body["detail"].startswith("That code is not right.")
    assert AuthToken.objects.count() == 0


@override_settings(REDRESS_ADMIN_REQUIRE_MFA=True)
def test_staff_with_the_next_code_or_a_recovery_code_get_a_token(staff_member):
    codes = enrol(staff_member)
    status, body = ask(
        {"email": "sam@redress.example", "password": PASSWORD, "otp": pyotp.TOTP(SECRET).at(time.time() + 30)}
    )
    assert status == 200, body
    assert set(body) == {"token", "expires_at"}
    status, body = ask({"email": "sam@redress.example", "password": PASSWORD, "otp": codes[0]})
    assert status == 200, body
    assert AuthToken.objects.filter(user=staff_member).count() == 2


@override_settings(REDRESS_ADMIN_REQUIRE_MFA=True)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(staff_member):
    status, body = ask({"email": "sam@redress.example", "password": PASSWORD})
    assert status == 403
    assert body["detail"] == "Set up your second factor at /accounts/mfa/setup/ before asking for an API token."


@override_settings(REDRESS_ADMIN_REQUIRE_MFA=True)
def test_complainants_need_no_code(db):
    UserFactory(email="dana@example.com")
    status, body = ask({"email": "dana@example.com", "password": PASSWORD})
    assert status == 200, body


@override_settings(REDRESS_ADMIN_REQUIRE_MFA=False)
def test_staff_who_enrolled_give_their_code_even_when_it_is_not_required(staff_member):
    enrol(staff_member)
    status, _ = ask({"email": "sam@redress.example", "password": PASSWORD})
    assert status == 403
