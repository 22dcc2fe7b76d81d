"""The complaint API end to end: filing, reading with the thread, answering, staff actions, errors."""

import pytest

from complaints.models import Complaint, Status
from complaints.tests.factories import DESCRIPTION, complaint_in, file_complaint, staff_user
from disputes.services import response_submit

pytestmark = pytest.mark.django_db

FILING = {
    "type": "account_suspension",
    "description": DESCRIPTION,
    "desired_outcome": "release_funds",
    "desired_outcome_detail": "Release the withheld earnings",
    "transaction_date": "2026-01-15",
    "amount": "1240.00",
    "currency": "usd",
    "reference": "ACC-99812",
    "publish_consent": True,
    "affirm_true": True,
    "affirm_not_in_court": True,
}


def test_a_complainant_files_against_a_listed_business_and_gets_a_number(api, complainant, business):
    response = api(complainant).post("/api/v1/complaints/", {**FILING, "business": business.slug}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["number"]) == 8 and body["number"].isdigit()
    assert body["status"] == "submitted"
    assert body["business"] == business.slug
    assert body["due_at"] is not None
    assert body["thread"] == []
    complaint = Complaint.objects.get(number=body["number"])
    assert complaint.complainant == complainant and complaint.currency == "USD"


def test_filing_against_an_unlisted_business_by_name(api, complainant):
    data = {**FILING, "business_name": "Corner Shop", "business_website": "corner.example"}
    response = api(complainant).post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["business"] is None
    assert response.json()["business_name"] == "Corner Shop"


def test_shape_errors_and_rule_errors_share_one_body(api, complainant, business):
    shape = api(complainant).post("/api/v1/complaints/", {**FILING, "type": "nonsense"}, format="json")
    assert shape.status_code == 400
    assert shape.json()["code"] == "invalid"
    assert set(shape.json()["errors"]) == {"type"}

    rule = api(complainant).post(
        "/api/v1/complaints/",
        {**FILING, "business": business.slug, "description": "Too short.", "affirm_true": False},
        format="json",
    )
    assert rule.status_code == 400
    assert rule.json()["code"] == "invalid"
    assert set(rule.json()["errors"]) == {"description", "affirm_true"}
    assert "at least 50 characters" in rule.json()["errors"]["description"][0]
    assert not Complaint.objects.exists()


def test_an_unknown_business_slug_is_a_field_error(api, complainant):
    response = api(complainant).post("/api/v1/complaints/", {**FILING, "business": "no-such-shop"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["business"]


def test_each_role_lists_only_what_it_may_see(api, complainant, other_complainant, representative, business, staff):
    mine_forwarded = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    mine_unscreened = file_complaint(complainant, business)
    theirs = complaint_in(Status.AWAITING_BUSINESS, complainant=other_complainant)

    def numbers(user):
        response = api(user).get("/api/v1/complaints/")
        assert response.status_code == 200
        return {item["number"] for item in response.json()["results"]}

    assert numbers(complainant) == {mine_forwarded.number, mine_unscreened.number}
    assert numbers(other_complainant) == {theirs.number}
    assert numbers(representative) == {mine_forwarded.number}
    assert numbers(staff) >= {mine_forwarded.number, mine_unscreened.number, theirs.number}


def test_list_filters_search_and_ordering(api, complainant, business):
    first = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    second = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business, type="delivery")
    client = api(complainant)
    by_status = client.get("/api/v1/complaints/", {"status": "awaiting_consumer"}).json()
    assert [c["number"] for c in by_status["results"]] == [second.number]
    by_type = client.get("/api/v1/complaints/", {"type": "account_suspension"}).json()
    assert [c["number"] for c in by_type["results"]] == [first.number]
    oldest_first = client.get("/api/v1/complaints/", {"ordering": "filed_at"}).json()
    assert [c["number"] for c in oldest_first["results"]] == [first.number, second.number]
    searched = client.get("/api/v1/complaints/", {"search": second.number}).json()
    assert [c["number"] for c in searched["results"]] == [second.number]
    assert client.get("/api/v1/complaints/", {"status": "bogus"}).status_code == 400


def test_the_thread_lists_responses_and_answers_in_date_order_with_roles(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    response_submit(complaint_id=complaint.pk, author=representative, text="We restored the account.")
    client = api(complainant)
    answered = client.post(
        f"/api/v1/complaints/{complaint.number}/answers/",
        {"text": "The funds are still held.", "verdict": "reject"},
        format="json",
    )
    assert answered.status_code == 201, answered.content
    assert answered.json()["status"] == "awaiting_business"

    body = api(representative).get(f"/api/v1/complaints/{complaint.number}/").json()
    assert [(item["kind"], item["author_role"], item["text"]) for item in body["thread"]] == [
        ("response", "representative", "We restored the account."),
        ("answer", "complainant", "The funds are still held."),
    ]
    assert body["thread"][0]["author_name"] == "Ravi Patel"
    assert body["thread"][1]["verdict"] == "reject"
    # Representatives read the original, unmasked text.
    assert body["description"] == complaint.description
    assert body["complainant_name"] == "Dana Whitfield"


def test_a_representative_responds_and_the_complainant_accepts(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    responded = api(representative).post(
        f"/api/v1/complaints/{complaint.number}/responses/", {"text": "Refund issued today."}, format="json"
    )
    assert responded.status_code == 201, responded.content
    assert responded.json()["status"] == "awaiting_consumer"
    assert responded.json()["response_count"] == 1
    accepted = api(complainant).post(
        f"/api/v1/complaints/{complaint.number}/answers/", {"verdict": "accept"}, format="json"
    )
    assert accepted.status_code == 201
    assert accepted.json()["status"] == "resolved"
    assert accepted.json()["due_at"] is None


def test_a_move_the_workflow_refuses_is_409(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    response = api(representative).post(
        f"/api/v1/complaints/{complaint.number}/responses/", {"text": "Again."}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    closed = complaint_in(Status.RESOLVED, complainant=complainant, business=business)
    withdraw = api(complainant).post(f"/api/v1/complaints/{closed.number}/withdraw/", {}, format="json")
    assert withdraw.status_code == 409


def test_a_rule_broken_in_a_service_is_400_with_the_field(api, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    response = api(complainant).post(
        f"/api/v1/complaints/{complaint.number}/answers/", {"text": "", "verdict": "reject"}, format="json"
    )
    assert response.status_code == 400
    assert "text" in response.json()["errors"]


def test_a_party_who_may_see_but_not_act_gets_403(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    response = api(complainant).post(
        f"/api/v1/complaints/{complaint.number}/responses/", {"text": "I am not the business."}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS


def test_missing_and_not_yours_look_the_same(api, other_complainant, complainant):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant)
    not_yours = api(other_complainant).get(f"/api/v1/complaints/{complaint.number}/")
    missing = api(other_complainant).get("/api/v1/complaints/00000000/")
    malformed = api(other_complainant).get("/api/v1/complaints/not-a-number/")
    assert not_yours.status_code == missing.status_code == malformed.status_code == 404
    assert not_yours.json() == missing.json()


def test_staff_act_through_transitions(api, staff):
    complaint = file_complaint()
    client = api(staff)
    forwarded = client.post(f"/api/v1/complaints/{complaint.number}/transitions/", {"action": "forward"}, format="json")
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["status"] == "awaiting_business"
    no_reason = client.post(
        f"/api/v1/complaints/{complaint.number}/transitions/", {"action": "unpursuable"}, format="json"
    )
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["errors"]
    refused = client.post(
        f"/api/v1/complaints/{complaint.number}/transitions/",
        {"action": "rule_answered", "reason": "Good faith"},
        format="json",
    )
    assert refused.status_code == 409


def test_staff_reject_needs_a_reason_code(api):
    complaint = file_complaint()
    client = api(staff_user())
    response = client.post(
        f"/api/v1/complaints/{complaint.number}/transitions/",
        {"action": "reject", "reason": "Duplicate"},
        format="json",
    )
    assert response.status_code == 400
    assert "reject_reason" in response.json()["errors"]
    response = client.post(
        f"/api/v1/complaints/{complaint.number}/transitions/",
        {"action": "reject", "reason": "Duplicate", "reject_reason": "duplicate"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reject_reason"] == "duplicate"


def test_the_complainant_withdraws_and_changes_consent(api, complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client = api(complainant)
    consent = client.post(f"/api/v1/complaints/{complaint.number}/consent/", {"publish_consent": False}, format="json")
    assert consent.status_code == 200
    assert consent.json()["publish_consent"] is False
    withdrawn = client.post(
        f"/api/v1/complaints/{complaint.number}/withdraw/", {"reason": "Settled privately"}, format="json"
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    too_late = client.post(f"/api/v1/complaints/{complaint.number}/consent/", {"publish_consent": True}, format="json")
    assert too_late.status_code == 409


def test_anonymous_calls_get_401_with_a_token_challenge(api):
    response = api().get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_unknown_api_paths_answer_json_404(api):
    response = api().get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_detail_reads_a_fixed_number_of_queries(api, complainant, business, django_assert_max_num_queries):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    client = api(complainant)
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/complaints/{complaint.number}/")
    assert len(response.json()["thread"]) == 4


def test_the_list_reads_a_fixed_number_of_queries(api, complainant, business, django_assert_max_num_queries):
    for _ in range(4):
        complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client = api(complainant)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/complaints/")
    assert response.json()["count"] == 4
