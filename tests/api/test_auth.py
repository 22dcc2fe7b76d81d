"""Sign-up, tokens and the throttles on the writes people could abuse."""

import pytest
from django.core import mail
from django.test import override_settings
from rest_framework.settings import api_settings

from accounts.models import User
from complaints.tests.factories import complaint_in
from complaints.tests.test_api import FILING

pytestmark = pytest.mark.django_db


def rates(**changed):
    """REST_FRAMEWORK with some throttle rates changed."""
    from django.conf import settings

    config = {**settings.REST_FRAMEWORK}
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **changed}
    return override_settings(REST_FRAMEWORK=config)


def test_sign_up_creates_an_unverified_account_and_the_token_signs_in(api):
    response = api().post(
        "/api/v1/auth/signup/",
        {"email": "New.Person@Example.com", "password": "a long enough secret 42", "name": "New Person"},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert response.json() == {
        "email": "new.person@example.com",
        "detail": "We sent a message to new.person@example.com: open its link to confirm the address.",
    }
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a long enough secret 42")
    assert user.email_verified_at is None

    token = api().post(
        "/api/v1/auth/token/", {"email": "new.person@example.com", "password": "a long enough secret 42"}
    )
    assert token.status_code == 200
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/v1/complaints/").status_code == 200


def test_sign_up_with_a_taken_address_answers_as_for_a_new_one_and_mails_the_owner(
    api, complainant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = api().post(
            "/api/v1/auth/signup/",
            {"email": "DANA@example.com", "password": "a long enough secret 42", "name": "Not Dana"},
            format="json",
        )
    assert taken.status_code == 202
    assert taken.json() == {
        "email": "dana@example.com",
        "detail": "We sent a message to dana@example.com: open its link to confirm the address.",
    }
    complainant.refresh_from_db()
    assert complainant.name == "Dana Whitfield" and complainant.check_password("correct horse battery")
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["dana@example.com"], "Redress: someone tried to sign up with your address")
    ]


def test_sign_up_refuses_weak_passwords_per_field_and_never_says_an_address_is_taken(api, complainant):
    weak = api().post("/api/v1/auth/signup/", {"email": "x@example.com", "password": "123", "name": "X"}, format="json")
    assert weak.status_code == 400
    assert list(weak.json()["errors"]) == ["password"]
    weak_taken = api().post(
        "/api/v1/auth/signup/", {"email": complainant.email, "password": "123", "name": "X"}, format="json"
    )
    assert weak_taken.status_code == 400
    assert weak_taken.json() == weak.json()
    short = api().post(
        "/api/v1/auth/signup/", {"email": "y@example.com", "password": "elevenchars", "name": "Y"}, format="json"
    )
    assert short.json()["errors"] == {
        "password": ["This password is too short. It must contain at least 12 characters."]
    }


def test_a_wrong_password_gets_no_token(api, complainant):
    response = api().post("/api/v1/auth/token/", {"email": complainant.email, "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Wrong e-mail address or password."]}
    assert "token" not in response.json()


def test_an_invalid_token_is_401(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_sign_in_is_throttled_with_retry_after(api, complainant):
    with rates(signin="3/minute"):
        codes = [
            api().post("/api/v1/auth/token/", {"email": complainant.email, "password": "wrong"}).status_code
            for _ in range(4)
        ]
        assert codes == [400, 400, 400, 429]
        throttled = api().post("/api/v1/auth/token/", {"email": complainant.email, "password": "correct horse battery"})
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json()["code"] == "throttled"


def test_sign_up_is_throttled(api):
    with rates(signup="1/hour"):
        first = api().post(
            "/api/v1/auth/signup/", {"email": "a@example.com", "password": "a long enough secret 42", "name": "A"}
        )
        second = api().post(
            "/api/v1/auth/signup/", {"email": "b@example.com", "password": "a long enough secret 42", "name": "B"}
        )
    assert first.status_code == 202
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 60
    assert not User.objects.filter(email="b@example.com").exists()


def test_filing_is_throttled_per_user_but_reading_is_not(api, complainant, other_complainant, business):
    data = {**FILING, "business": business.slug}
    with rates(filing="2/hour"):
        client = api(complainant)
        codes = [client.post("/api/v1/complaints/", data, format="json").status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        assert client.get("/api/v1/complaints/").status_code == 200
        assert api(other_complainant).post("/api/v1/complaints/", data, format="json").status_code == 201


def test_answering_is_throttled(api, complainant, business):
    complaint = complaint_in("awaiting_consumer", complainant=complainant, business=business)
    url = f"/api/v1/complaints/{complaint.number}/answers/"
    with rates(answering="2/hour"):
        client = api(complainant)
        codes = [
            client.post(url, {"text": f"More information {n}", "verdict": "none"}, format="json").status_code
            for n in range(3)
        ]
    assert codes == [201, 201, 429]
    assert complaint.answers.count() == 2


def test_the_rates_come_from_settings():
    assert set(api_settings.DEFAULT_THROTTLE_RATES) >= {"signup", "signin", "filing", "answering", "mail"}
