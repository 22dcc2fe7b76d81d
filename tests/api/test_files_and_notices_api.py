"""What the case page and /notifications/ offer, through the API: attachments and notifications."""

import pytest

from complaints.models import Complaint, Notification, Status
from complaints.tests.factories import DESCRIPTION, complaint_in, staff_user
from complaints.tests.test_services import executable_bytes, pdf_bytes, png_bytes
from disputes.services import complaint_staff_act, response_submit

pytestmark = pytest.mark.django_db

FILING = {
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
    data = {**FILING, "business": business.slug, "attachments": list(files)}
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
    data = {**FILING, "business": business.slug, "affirm_true": True, "affirm_not_in_court": True}
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
