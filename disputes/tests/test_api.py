"""Business responses and customer answers through the API: parse, call the service, return the complaint."""

import pytest

from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db


def responses_url(complaint) -> str:
    return f"/api/v1/complaints/{complaint.number}/responses/"


def answers_url(complaint) -> str:
    return f"/api/v1/complaints/{complaint.number}/answers/"


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


def test_a_response_comes_back_in_the_complaints_thread(api, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    body = api(representative).post(responses_url(complaint), {"text": "Refund issued."}, format="json").json()
    item = body["thread"][-1]
    assert (item["kind"], item["author_role"], item["author_name"], item["text"]) == (
        "response",
        "representative",
        "Ravi Patel",
        "Refund issued.",
    )
    assert (item["round"], item["is_late"], item["verdict"]) == (1, False, None)
    assert (body["late_response"], body["due_kind"]) == (False, "consumer_answer")


def test_a_response_after_unanswered_is_marked_late(api, representative, business):
    complaint = complaint_in(Status.UNANSWERED, business=business)
    response = api(representative).post(responses_url(complaint), {"text": "Sorry, refunded."}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["late_response"], body["thread"][-1]["is_late"]) == ("awaiting_consumer", True, True)


@pytest.mark.parametrize(
    ("state", "body", "status", "verdict"),
    [
        (Status.AWAITING_CONSUMER, {"verdict": "accept"}, "resolved", "accept"),
        (Status.ANSWERED, {"verdict": "accept", "text": "Late, but yes."}, "resolved", "accept"),
        (Status.AWAITING_BUSINESS, {"verdict": "accept", "text": "They paid."}, "resolved", "accept"),
        (Status.AWAITING_CONSUMER, {"verdict": "reject", "text": "Not refunded."}, "awaiting_business", "reject"),
        (Status.AWAITING_BUSINESS, {"verdict": "none", "text": "Receipt no. 7."}, "awaiting_business", "none"),
    ],
)
def test_each_verdict_moves_the_complaint_and_is_in_its_thread(
    api, complainant, business, state, body, status, verdict
):
    complaint = complaint_in(state, complainant=complainant, business=business)
    response = api(complainant).post(answers_url(complaint), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == status
    item = data["thread"][-1]
    assert (item["kind"], item["author_role"], item["verdict"], item["text"], item["round"]) == (
        "answer",
        "complainant",
        verdict,
        body.get("text", ""),
        None,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Hm."}, "verdict"),
        ({"text": "Hm.", "verdict": "maybe"}, "verdict"),
        ({"verdict": "none"}, "text"),
        ({"verdict": "none", "text": "x" * 10_001}, "text"),
    ],
)
def test_a_bad_answer_is_a_field_error_and_changes_nothing(api, complainant, business, body, field):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    response = api(complainant).post(answers_url(complaint), body, format="json")
    assert response.status_code == 400, response.content
    assert (response.json()["code"], list(response.json()["errors"])) == ("invalid", [field])
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answers.count()) == (Status.AWAITING_CONSUMER, 0)


def test_an_empty_response_is_a_field_error(api, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    response = api(representative).post(responses_url(complaint), {"text": "  "}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"text": ["Write your message."]}


def test_a_move_the_workflow_refuses_is_409_and_changes_nothing(api, complainant, representative, business):
    waiting = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    rejected = api(complainant).post(answers_url(waiting), {"verdict": "reject", "text": "No."}, format="json")
    assert (rejected.status_code, rejected.json()["code"]) == (409, "invalid_transition")
    closed = complaint_in(Status.RESOLVED, complainant=complainant, business=business)
    again = api(representative).post(responses_url(closed), {"text": "One more."}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    assert (waiting.answers.count(), closed.responses.count()) == (0, 1)


def test_outsiders_get_404_and_anonymous_callers_401(
    api, complainant, business, other_complainant, other_representative
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    assert api(other_complainant).post(answers_url(complaint), {"verdict": "accept"}, format="json").status_code == 404
    assert api(other_representative).post(responses_url(complaint), {"text": "Hi."}, format="json").status_code == 404
    assert api().post(answers_url(complaint), {"verdict": "accept"}, format="json").status_code == 401
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answers.count()) == (Status.AWAITING_CONSUMER, 0)


def information_url(complaint) -> str:
    return f"/api/v1/complaints/{complaint.number}/business-information/"


def test_the_business_adds_information_while_the_complainant_decides(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    due_at = complaint.due_at
    response = api(representative).post(information_url(complaint), {"text": "Tracking: 1Z999."}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    item = body["thread"][-1]
    assert (item["kind"], item["author_role"], item["author_name"], item["text"]) == (
        "information",
        "representative",
        "Ravi Patel",
        "Tracking: 1Z999.",
    )
    assert (item["round"], item["is_late"], item["verdict"]) == (None, False, None)
    assert (body["status"], body["response_count"], body["due_kind"]) == ("awaiting_consumer", 1, "consumer_answer")
    complaint.refresh_from_db()
    assert complaint.due_at == due_at
    (event,) = [line for line in body["timeline"] if line["kind"] == "business_information"]
    assert (event["actor"], event["text"], event["reason"]) == (
        "representative",
        "Gigwork Market added information",
        "",
    )


def test_business_information_where_a_response_is_due_is_409_and_changes_nothing(api, representative, business):
    waiting = complaint_in(Status.AWAITING_BUSINESS, business=business)
    refused = api(representative).post(information_url(waiting), {"text": "Before we respond."}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "invalid_transition")
    closed = complaint_in(Status.RESOLVED, business=business)
    again = api(representative).post(information_url(closed), {"text": "After closing."}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    assert (waiting.business_information.count(), closed.business_information.count()) == (0, 0)


def test_business_information_is_the_business_s_alone_and_needs_text(
    api, complainant, representative, business, other_representative
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    by_complainant = api(complainant).post(information_url(complaint), {"text": "Me too."}, format="json")
    assert (by_complainant.status_code, by_complainant.json()["code"]) == (403, "not_allowed")
    outsider = api(other_representative).post(information_url(complaint), {"text": "Hi."}, format="json")
    assert outsider.status_code == 404
    assert api().post(information_url(complaint), {"text": "Hi."}, format="json").status_code == 401
    empty = api(representative).post(information_url(complaint), {"text": "  "}, format="json")
    assert (empty.status_code, empty.json()["errors"]) == (400, {"text": ["Write your message."]})
    missing = api(representative).post(information_url(complaint), {}, format="json")
    assert (missing.status_code, list(missing.json()["errors"])) == (400, ["text"])
    assert complaint.business_information.count() == 0
