"""The complaint API end to end: filing (with files), reading with the thread, staff actions, errors,
notifications, and the public record of a business."""

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from complaints.models import Complaint, Notification, Status
from complaints.tests.factories import DESCRIPTION, complaint_in, file_complaint, staff_user
from complaints.tests.test_services import executable_bytes, pdf_bytes, png_bytes
from disputes.services import complaint_staff_act, response_submit

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
        {"action": "reject", "reason": "Not enough to go on", "reject_reason": "insufficient"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reject_reason"] == "insufficient"


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
    # Consent can still be changed once the complaint is closed (docs/domain.md).
    after = client.post(f"/api/v1/complaints/{complaint.number}/consent/", {"publish_consent": True}, format="json")
    assert after.status_code == 200
    assert (after.json()["status"], after.json()["publish_consent"]) == ("withdrawn", True)


def test_anonymous_calls_get_401_with_a_token_challenge(api):
    response = api().get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_unknown_api_paths_answer_json_404(api):
    response = api().get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_detail_reads_a_fixed_number_of_queries(api, complainant, business, django_assert_num_queries):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    client = api(complainant)
    # The token with its user, the complaint, its responses, its answers, its business information, its
    # attachments, its events; and the files of its responses and of its answers (one query per kind of
    # thread entry present, however long the thread).
    with django_assert_num_queries(9):
        response = client.get(f"/api/v1/complaints/{complaint.number}/")
    assert len(response.json()["thread"]) == 4


def test_filing_answers_with_the_filing_event_without_reading_the_history_back(
    api, complainant, business, django_assert_num_queries
):
    client = api(complainant)
    # The token with its user, the business; in the transaction (a savepoint in tests): the likely
    # duplicates, the complaint in a savepoint of its own (a case number may collide), its event,
    # the staff who screen, the notice, the e-mail. No read of the history just written.
    with django_assert_num_queries(12) as captured:
        response = client.post("/api/v1/complaints/", {**FILING, "business": business.slug}, format="json")
    assert response.status_code == 201, response.content
    timeline = response.json()["timeline"]
    assert [(event["kind"], event["actor"]) for event in timeline] == [("file", "complainant")]
    assert timeline[0]["hash"] == response.json()["timeline_head"] != ""
    reads = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")]
    assert not any('FROM "complaints_complaintevent"' in sql for sql in reads)


def test_the_list_reads_a_fixed_number_of_queries(api, complainant, business, django_assert_num_queries):
    for _ in range(4):
        complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client = api(complainant)
    # The token with its user, the count, the page.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/complaints/")
    assert response.json()["count"] == 4


# Attachments and notifications ------------------------------------------------------------

MULTIPART_FILING = {
    "type": "account_suspension",
    "description": DESCRIPTION,
    "desired_outcome": "release_funds",
    "affirm_true": "true",
    "affirm_not_in_court": "true",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def file_with_attachments(api, complainant, business, *files):
    data = {**MULTIPART_FILING, "business": business.slug, "attachments": list(files)}
    return api(complainant).post("/api/v1/complaints/", data, format="multipart")


def test_a_complaint_filed_with_files_lists_them_and_its_parties_download_them(
    api, complainant, other_complainant, representative, other_representative, business
):
    response = file_with_attachments(
        api, complainant, business, upload("receipt.pdf", pdf_bytes()), upload("screen.png", png_bytes())
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(a["name"], a["content_type"], a["size"]) for a in body["attachments"]] == [
        ("receipt.pdf", "application/pdf", len(pdf_bytes())),
        ("screen.png", "image/png", len(png_bytes())),
    ]
    number, (pdf, png) = body["number"], body["attachments"]
    assert pdf["url"] == f"/api/v1/complaints/{number}/attachments/{pdf['id']}/"

    mine = api(complainant).get(pdf["url"])
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == pdf_bytes()
    assert mine["Content-Type"] == "application/pdf" and "attachment" in mine["Content-Disposition"]
    assert mine["Cache-Control"] == "private, no-store" and mine["X-Content-Type-Options"] == "nosniff"
    image = api(complainant).get(png["url"], HTTP_ACCEPT="image/png")
    assert image.status_code == 200 and b"".join(image.streaming_content) == png_bytes()

    # The business sees the files once the complaint is forwarded to it; staff always; others never.
    assert api(representative).get(pdf["url"]).status_code == 404
    complaint = Complaint.objects.get(number=number)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="forward", reason="Eligible")
    assert api(representative).get(pdf["url"]).status_code == 200
    assert api(staff_user()).get(pdf["url"]).status_code == 200
    for outsider in (other_complainant, other_representative):
        refused = api(outsider).get(pdf["url"], HTTP_ACCEPT="application/pdf")
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert api().get(pdf["url"]).status_code == 401
    detail = api(representative).get(f"/api/v1/complaints/{number}/").json()
    assert [a["id"] for a in detail["attachments"]] == [pdf["id"], png["id"]]


def test_an_attachment_of_another_complaint_is_not_found_through_yours(api, complainant, business):
    first = file_with_attachments(api, complainant, business, upload("a.pdf", pdf_bytes())).json()
    second = file_with_attachments(api, complainant, business).json()
    assert second["attachments"] == []
    response = api(complainant).get(
        f"/api/v1/complaints/{second['number']}/attachments/{first['attachments'][0]['id']}/"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("notes.png", b"Just some text that calls itself a picture.")], "not a PDF, PNG or JPEG"),
        ([("run.pdf", executable_bytes())], "not a PDF, PNG or JPEG"),
        ([(f"f{i}.png", png_bytes()) for i in range(6)], "at most 5"),
        ([("empty.pdf", b"")], "empty"),
    ],
)
def test_refused_files_are_field_errors_and_nothing_is_filed(api, complainant, business, files, message):
    response = file_with_attachments(api, complainant, business, *(upload(name, data) for name, data in files))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and message in " ".join(body["errors"]["attachments"])
    assert not Complaint.objects.filter(complainant=complainant).exists()


def test_attachments_in_a_json_body_are_a_field_error(api, complainant, business):
    data = {**MULTIPART_FILING, "business": business.slug, "affirm_true": True, "affirm_not_in_court": True}
    response = api(complainant).post("/api/v1/complaints/", {**data, "attachments": ["a.pdf"]}, format="json")
    assert response.status_code == 400
    assert "attachments" in response.json()["errors"]


def test_notifications_list_your_own_newest_first_and_mark_read(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    response_submit(complaint_id=complaint.pk, author=representative, text="We restored the account.")
    mine = list(Notification.objects.filter(user=complainant).order_by("-created_at", "-id"))
    assert len(mine) >= 2

    body = api(complainant).get("/api/v1/notifications/").json()
    assert body["count"] == len(mine)
    assert [item["id"] for item in body["results"]] == [n.pk for n in mine]
    first = body["results"][0]
    assert first["complaint"] == complaint.number and first["message"].startswith(f"#{complaint.number}: ")
    assert first["url"] == f"/complaints/{complaint.number}/" and first["read_at"] is None
    # Reading the list marks nothing read.
    assert api(complainant).get("/api/v1/notifications/?unread=true").json()["count"] == len(mine)

    theirs = Notification.objects.filter(user=representative).values_list("pk", flat=True)
    marked = api(complainant).post("/api/v1/notifications/read/", {"ids": [mine[0].pk, *theirs]}, format="json")
    assert marked.status_code == 200 and marked.json() == {"marked": 1}
    assert api(complainant).get("/api/v1/notifications/?unread=true").json()["count"] == len(mine) - 1
    assert not Notification.objects.filter(pk__in=theirs, read_at__isnull=False).exists()
    again = api(complainant).post("/api/v1/notifications/read/", {"ids": [mine[0].pk]}, format="json")
    assert again.json() == {"marked": 0}


def test_read_all_marks_every_notification_of_mine_and_no_one_elses(api, complainant, representative):
    Notification.objects.bulk_create(Notification(user=complainant, message=f"Note {i}", url="/") for i in range(3))
    Notification.objects.create(user=representative, message="Theirs", url="/")
    Notification.objects.filter(user=complainant, message="Note 0").update(read_at=timezone.now())

    marked = api(complainant).post("/api/v1/notifications/read-all/")
    assert marked.status_code == 200 and marked.json() == {"marked": 2}
    assert api(complainant).get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert Notification.objects.get(user=representative).read_at is None
    assert api(complainant).post("/api/v1/notifications/read-all/").json() == {"marked": 0}


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/notifications/read/", {}, "ids"),
        ("post", "/api/v1/notifications/read/", {"ids": []}, "ids"),
        ("post", "/api/v1/notifications/read/", {"ids": ["x"]}, "ids"),
        ("post", "/api/v1/notifications/read/", {"ids": list(range(1, 502))}, "ids"),
        ("get", "/api/v1/notifications/?unread=maybe", None, "unread"),
    ],
)
def test_bad_notification_requests_are_field_errors(api, complainant, method, path, body, field):
    client = api(complainant)
    response = client.get(path) if method == "get" else client.post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_notifications_need_a_signed_in_user(api):
    assert api().get("/api/v1/notifications/").status_code == 401
    assert api().post("/api/v1/notifications/read/", {"ids": [1]}, format="json").status_code == 401
    assert api().post("/api/v1/notifications/read-all/").status_code == 401


# The public record -------------------------------------------------------------------------


def test_a_profile_carries_its_figures_and_definitions(api, business):
    complaint_in(Status.RESOLVED, business=business)
    complaint_in(Status.UNANSWERED, business=business)
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    body = api().get(f"/api/v1/businesses/{business.slug}/").json()
    assert body["name"] == "Gigwork Market"
    assert body["figures"]["total"] == 2
    assert body["figures"]["by_status"]["resolved"] == 1
    assert body["figures"]["by_status"]["unanswered"] == 1
    assert [d["status"] for d in body["status_definitions"]] == [
        "resolved",
        "answered",
        "unanswered",
        "unresolved",
        "unpursuable",
    ]
    assert api().get("/api/v1/businesses/no-such-business/").status_code == 404


def test_published_complaints_are_masked_and_respect_consent(api, business):
    complainant = UserFactory(name="Dana Whitfield")
    description = (
        "Dana Whitfield here. The seller kept my deposit; call me on 555-123-4567 or write to dana@example.com "
        "about order 99887766."
    )
    consented = complaint_in(Status.RESOLVED, complainant=complainant, business=business, description=description)
    private = complaint_in(Status.ANSWERED, business=business, publish_consent=False)
    complaint_in(Status.AWAITING_CONSUMER, business=business)  # open: not published

    response = api().get(f"/api/v1/businesses/{business.slug}/complaints/", {"ordering": "oldest"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["number"] for r in results] == [consented.number, private.number]
    shown = results[0]
    assert shown["status"] == "resolved"
    assert "555-123-4567" not in shown["text"] and "dana@example.com" not in shown["text"]
    assert "Whitfield" not in shown["text"]
    assert "7766" in shown["text"]
    assert [(i["kind"], i["author_role"]) for i in shown["thread"]] == [
        ("response", "representative"),
        ("answer", "complainant"),
    ]
    hidden = results[1]
    assert hidden["text"] is None
    assert all(item["text"] is None for item in hidden["thread"])
    assert "description" not in shown


def test_published_complaints_filter_by_status_and_type(api, business):
    resolved = complaint_in(Status.RESOLVED, business=business)
    complaint_in(Status.UNANSWERED, business=business, type="delivery")
    url = f"/api/v1/businesses/{business.slug}/complaints/"
    assert [r["number"] for r in api().get(url, {"status": "resolved"}).json()["results"]] == [resolved.number]
    assert len(api().get(url, {"type": "delivery"}).json()["results"]) == 1
    assert api().get(url, {"status": "withdrawn"}).json()["results"] == []
