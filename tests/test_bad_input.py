"""Odd input on pages and API answers 4xx, never 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Business, Invitation, User
from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "?page=abc",
    "?page=-1",
    "?page=999999",
    "?page=1e9",
    "?status=bogus",
    "?type=bogus",
    "?ordering=bogus",
    "?q=%00",
    "?search=%00",
    "?q=" + "x" * 5000,
    "?q=%27%22%3B--",
    "?state=bogus",
    "?business=abc",
    "?business=999999",
    "?overdue=maybe",
]


def test_odd_queries_on_public_and_private_pages_never_answer_500(client, business, representative, complainant):
    complaint = complaint_in(Status.RESOLVED, business=business, complainant=complainant)
    public = ["/businesses/", f"/businesses/{business.slug}/", "/api/v1/businesses/"]
    public += [f"/api/v1/businesses/{business.slug}/complaints/"]
    answers = {url + query: client.get(url + query).status_code for url in public for query in ODD_QUERIES}
    client.force_login(representative)
    answers |= {"/dashboard/" + query: client.get("/dashboard/" + query).status_code for query in ODD_QUERIES}
    client.force_login(complainant)
    for url in (
        "/complaints/%00/",
        "/complaints/12/",
        f"/complaints/{complaint.number}/%00/",
        "/complaints/new/?business=%00",
        "/complaints/new/?business=no-such-business",
        "/notifications/?page=abc",
        "/api/v1/complaints/?status=%00",
        "/api/v1/complaints/%00/",
    ):
        answers[url] = client.get(url).status_code
    assert not {url: code for url, code in answers.items() if code >= 500}
    assert answers["/businesses/?q=%00"] == 400 and answers["/api/v1/complaints/%00/"] in (400, 404)


def test_a_nul_character_in_an_api_query_answers_the_json_error_shape(client):
    response = client.get("/api/v1/businesses/?search=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# The input that answered 500 before (docs/api.md, "Limits of input") -----------------------------

NUL_MESSAGE = "Remove the NUL character (\\0): Redress does not accept it in any field."
# 64 + 1 + 63 + 1 + 63 + 1 + 58 + 4 = 255 characters: a well-formed address one over the column's 254.
EMAIL_255 = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".com"
FORM_TOO_LONG = "Ensure this value has at most 254 characters (it has 255)."
API_TOO_LONG = "Ensure this field has no more than 254 characters."
DEPTH_BODY = {
    "detail": "Invalid input.",
    "code": "invalid",
    "errors": {"non_field_errors": ["The JSON body is nested deeper than 32 levels."]},
}
PASSWORD = "a long and unusual passphrase 2026"


def test_the_address_is_255_characters_long():
    assert len(EMAIL_255) == 255


def business_step(client, data):
    return client.post("/complaints/new/business/", {"action": "next", **data})


def test_a_nul_in_the_business_step_is_refused_beside_its_field_and_the_step_still_opens(client, complainant, business):
    client.force_login(complainant)
    search = client.post("/complaints/new/business/", {"query": "Gig\x00work", "action": "search"})
    assert search.status_code == 200 and "Gigwork Market" in search.content.decode()
    assert client.get("/complaints/new/business/").status_code == 200

    chosen = business_step(client, {"query": "", "business": business.slug + "\x00"})
    assert chosen.status_code == 200
    assert NUL_MESSAGE in chosen.content.decode()

    described = business_step(client, {"not_listed": "on", "business_name": "Corner\x00Shop"})
    page = described.content.decode()
    assert described.status_code == 200
    assert NUL_MESSAGE in page and 'value="CornerShop"' in page
    # The step's draft in the session, read back on every visit, holds what was typed without the NUL.
    assert client.get("/complaints/new/business/").status_code == 200
    assert client.get("/complaints/new/details/").status_code == 200
    # What is shown again can be sent as it is.
    assert business_step(client, {"not_listed": "on", "business_name": "CornerShop"}).url == "/complaints/new/details/"


def test_a_nul_in_any_page_form_is_a_message_beside_the_field(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business, complainant=complainant)
    client.force_login(complainant)
    answer = client.post(f"/complaints/{complaint.number}/answer/add_information/", {"text": "More\x00 detail"})
    assert answer.status_code == 400 and NUL_MESSAGE in answer.content.decode()
    client.logout()
    signup = client.post("/accounts/signup/", {"email": "new@example.com", "name": "Ne\x00w", "password": PASSWORD})
    assert signup.status_code == 200 and NUL_MESSAGE in signup.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/auth/signup/", "/api/v1/auth/token/"])
def test_50000_brackets_to_an_open_endpoint_answer_400_in_the_error_body(api, path):
    response = api().post(path, "[" * 50_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == DEPTH_BODY


@pytest.mark.parametrize("path", ["/api/v1/complaints/", "/api/v1/notifications/read/"])
def test_50000_brackets_to_a_signed_in_endpoint_answer_400_in_the_error_body(api, complainant, path):
    response = api(complainant).post(path, "[" * 50_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == DEPTH_BODY


def test_json_nested_32_levels_reaches_the_serializer_and_33_do_not(api, complainant):
    at_limit = api(complainant).post(
        "/api/v1/notifications/read/", '{"ids": ' + "[" * 31 + "]" * 31 + "}", content_type="application/json"
    )
    assert at_limit.status_code == 400 and list(at_limit.json()["errors"]) == ["ids"]
    over = api(complainant).post(
        "/api/v1/notifications/read/", '{"ids": ' + "[" * 32 + "]" * 32 + "}", content_type="application/json"
    )
    assert over.status_code == 400 and over.json() == DEPTH_BODY


def test_a_body_that_is_not_json_is_a_parse_error(api):
    response = api().post("/api/v1/auth/token/", '{"email": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error" and response.json()["errors"] == {}


def test_a_nul_in_a_json_or_form_body_names_its_field(api):
    signup = api().post(
        "/api/v1/auth/signup/",
        '{"email": "new@example.com", "name": "Dana\\u0000", "password": "' + PASSWORD + '"}',
        content_type="application/json",
    )
    assert signup.status_code == 400
    assert signup.json() == {"detail": "Invalid input.", "code": "invalid", "errors": {"name": [NUL_MESSAGE]}}
    token = api().post("/api/v1/auth/token/", {"email": "dana\x00@example.com", "password": "x"})
    assert token.status_code == 400 and token.json()["errors"] == {"email": [NUL_MESSAGE]}


def test_a_255_character_address_is_refused_on_every_page_that_takes_one(client, complainant, representative, business):
    signup = client.post("/accounts/signup/", {"email": EMAIL_255, "name": "Long Address", "password": PASSWORD})
    assert signup.status_code == 200 and FORM_TOO_LONG in signup.content.decode()
    signin = client.post("/accounts/signin/", {"username": EMAIL_255, "password": PASSWORD})
    assert signin.status_code == 200 and FORM_TOO_LONG in signin.content.decode()

    client.force_login(complainant)
    unlisted = business_step(client, {"not_listed": "on", "business_name": "Corner Shop", "business_email": EMAIL_255})
    assert unlisted.status_code == 200 and FORM_TOO_LONG in unlisted.content.decode()

    client.force_login(representative)
    invite = client.post("/accounts/invite/", {"business": business.pk, "email": EMAIL_255})
    assert invite.status_code == 400 and FORM_TOO_LONG in invite.content.decode()
    assert not Invitation.objects.exists() and not User.objects.filter(name="Long Address").exists()


def test_a_255_character_address_is_refused_by_every_endpoint_that_takes_one(api, complainant, staff, business):
    answers = {
        "signup": api().post(
            "/api/v1/auth/signup/", {"email": EMAIL_255, "name": "Long", "password": PASSWORD}, format="json"
        ),
        "token": api().post("/api/v1/auth/token/", {"email": EMAIL_255, "password": PASSWORD}, format="json"),
        "filing": api(complainant).post(
            "/api/v1/complaints/",
            {
                "business_name": "Corner Shop",
                "business_email": EMAIL_255,
                "type": "delivery",
                "description": "The parcel never came and the shop stopped answering my messages after March.",
                "desired_outcome": "refund",
                "affirm_true": True,
                "affirm_not_in_court": True,
            },
            format="json",
        ),
        "business": api(staff).post(
            "/api/v1/businesses/", {"name": "Long Mail Ltd", "notice_email": EMAIL_255}, format="json"
        ),
        "representative": api(staff).post(
            f"/api/v1/businesses/{business.slug}/representatives/", {"email": EMAIL_255}, format="json"
        ),
    }
    fields = {"signup": "email", "token": "email", "filing": "business_email", "business": "notice_email"}
    fields["representative"] = "email"
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(answers, 400)
    assert {name: response.json()["errors"] for name, response in answers.items()} == {
        name: {field: [API_TOO_LONG]} for name, field in fields.items()
    }
    assert not Complaint.objects.exists() and not Business.objects.filter(name="Long Mail Ltd").exists()


def test_a_body_over_the_limit_answers_413_before_it_is_read(api, client, settings):
    settings.REDRESS_MAX_BODY_BYTES = 1024 * 1024
    body = '{"email": "dana@example.com", "password": "' + "x" * (1024 * 1024) + '"}'
    refused = api().post("/api/v1/auth/token/", body, content_type="application/json")
    assert refused.status_code == 413
    assert refused.json() == {
        "detail": "A request without files may be 1 MB (1,048,576 bytes) at most; this one is 1,048,621 bytes. "
        "Nothing was saved.",
        "code": "too_large",
        "errors": {},
    }
    # A browser sends a form without files url-encoded.
    page = client.post(
        "/accounts/signup/",
        "email=new%40example.com&name=" + "x" * (1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 413
    assert page.content.decode() == (
        "A request without files may be 1 MB (1,048,576 bytes) at most; this one is 1,048,605 bytes. "
        "Nothing was saved. Go back to the form and send a shorter text."
    )
    assert not User.objects.filter(email="new@example.com").exists()


def test_more_than_a_thousand_fields_are_refused_with_400(api, client):
    body = "&".join(f"f{index}=x" for index in range(1001))
    refused = api().post("/api/v1/auth/token/", body, content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid" and list(refused.json()["errors"]) == ["non_field_errors"]
    page = client.post("/accounts/signup/", body, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 400


def test_files_keep_their_own_larger_limit(api, complainant, business, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REDRESS_MAX_BODY_BYTES = 1024 * 1024
    settings.REDRESS_MAX_UPLOAD_BYTES = 52 * 1024 * 1024
    pdf = SimpleUploadedFile("statement.pdf", pdf_bytes() + b"%" + b"0" * (3 * 1024 * 1024) + b"\n")
    filed = api(complainant).post(
        "/api/v1/complaints/",
        {
            "business": business.slug,
            "type": "delivery",
            "description": "The parcel never came and the shop stopped answering my messages after March.",
            "desired_outcome": "refund",
            "affirm_true": "true",
            "affirm_not_in_court": "true",
            "attachments": [pdf],
        },
        format="multipart",
    )
    assert filed.status_code == 201, filed.content
    # A multipart body declaring more than the upload limit is refused before a byte of it is read.
    too_big = api(complainant).post(
        "/api/v1/complaints/", {"business": business.slug}, format="multipart", CONTENT_LENGTH=str(53 * 1024 * 1024)
    )
    assert too_big.status_code == 413
    assert too_big.json()["detail"] == (
        "A form with files may be 52 MB (54,525,952 bytes) at most; this one is 55,574,528 bytes. Nothing was saved."
    )
    assert Complaint.objects.count() == 1


def test_an_admin_action_on_a_selection_that_is_not_row_ids_is_a_message(client, staff, complainant, business):
    complaint = complaint_in(Status.SUBMITTED, business=business, complainant=complainant)
    client.force_login(staff)
    for selection in ("", "abc", "1.5", "\x00"):
        data = {"action": "act_reject", "_selected_action": selection, "apply": "1", "reason": "Not a dispute"}
        response = client.post("/admin/complaints/complaint/", {**data, "reject_reason": "other"}, follow=True)
        assert response.status_code == 200
        assert "The selection was not understood: choose the rows from the list." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED
