"""Files staff send with their acts (a forward, a ruling, ...): checked like filing's, private, listed
under the act in the case history, on the page and in the API."""

import pytest
import yaml
from django.test import Client

from complaints.models import Attachment, ComplaintEvent, Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_services import executable_bytes, pdf_bytes, png_bytes
from core.errors import InvalidInput, NotAllowed
from disputes.models import StaffRuling, ThreadAttachment
from disputes.services import complaint_staff_act

from .uploads import media_in_tmp, signed_in, upload  # noqa: F401 (media_in_tmp: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

NOT_A_FILE = "notes.pdf is not a PDF, PNG or JPEG file (checked by its content, not its name)."


# Services ---------------------------------------------------------------------------------


def test_a_ruling_keeps_its_files_linked_to_its_event(staff, complainant, business):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    event = complaint_staff_act(
        complaint_id=complaint.pk,
        staff=staff,
        action="rule_answered",
        reason="The refund was offered twice.",
        attachments=[upload("call-log.pdf", pdf_bytes()), upload("offer.png", png_bytes())],
    )
    files = list(Attachment.objects.filter(thread_link__event=event).order_by("pk"))
    assert [(f.original_name, f.content_type, f.uploaded_by, f.complaint_id) for f in files] == [
        ("call-log.pdf", "application/pdf", staff, complaint.pk),
        ("offer.png", "image/png", staff, complaint.pk),
    ]
    assert (event.event, event.actor_role, event.to_status) == ("rule_answered", "staff", Status.ANSWERED)
    assert event.data == {"attachments": ["call-log.pdf", "offer.png"]}
    assert ThreadAttachment.objects.filter(event=event, response=None, answer=None, information=None).count() == 2
    assert StaffRuling.objects.get(complaint=complaint).reason == "The refund was offered twice."


def test_a_forward_without_files_records_no_file_and_no_attachments_key(staff):
    complaint = complaint_in(Status.SUBMITTED)
    event = complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
    assert event.data == {}
    assert ThreadAttachment.objects.count() == 0


def test_a_refused_file_refuses_the_act_and_saves_nothing(staff):
    complaint = complaint_in(Status.SUBMITTED)
    events_before = ComplaintEvent.objects.filter(complaint=complaint).count()
    with pytest.raises(InvalidInput) as refused:
        complaint_staff_act(
            complaint_id=complaint.pk,
            staff=staff,
            action="forward",
            reason="Eligible",
            attachments=[upload("ok.png", png_bytes()), upload("notes.pdf", executable_bytes())],
        )
    assert refused.value.field_errors == {"attachments": [NOT_A_FILE]}
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events_before
    assert Attachment.objects.count() == 0
    assert ThreadAttachment.objects.count() == 0
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


def test_six_files_or_an_empty_one_are_refused(staff):
    complaint = complaint_in(Status.SUBMITTED)
    with pytest.raises(InvalidInput) as too_many:
        complaint_staff_act(
            complaint_id=complaint.pk,
            staff=staff,
            action="hold",
            reason="Checking the business's address.",
            attachments=[upload(f"p{i}.png", png_bytes()) for i in range(6)],
        )
    assert too_many.value.field_errors == {"attachments": ["Attach at most 5 files."]}
    with pytest.raises(InvalidInput) as empty:
        complaint_staff_act(
            complaint_id=complaint.pk,
            staff=staff,
            action="hold",
            reason="Checking the business's address.",
            attachments=[upload("blank.pdf", b"")],
        )
    assert empty.value.field_errors == {"attachments": ["blank.pdf is empty."]}
    assert Attachment.objects.count() == 0


def test_a_refused_act_with_good_files_saves_no_row(staff):
    complaint = complaint_in(Status.SUBMITTED)
    with pytest.raises(InvalidInput) as refused:
        complaint_staff_act(
            complaint_id=complaint.pk,
            staff=staff,
            action="hold",
            reason="",
            attachments=[upload("letter.pdf", pdf_bytes())],
        )
    assert refused.value.field_errors == {"reason": ["A reason is required."]}
    assert Attachment.objects.count() == 0


def test_only_staff_attach_files_to_staff_acts(complainant, representative, business):
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    for user in (complainant, representative):
        with pytest.raises(NotAllowed):
            complaint_staff_act(
                complaint_id=complaint.pk,
                staff=user,
                action="forward",
                reason="Eligible",
                attachments=[upload("letter.pdf", pdf_bytes())],
            )
    assert Attachment.objects.count() == 0


# Pages ----------------------------------------------------------------------------------------


def test_staff_attach_a_file_on_the_confirmation_step_and_it_is_listed_under_the_act(
    staff, complainant, representative, other_complainant, other_representative, business
):
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    client = signed_in(staff)
    case = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "You can attach files on the next step, before you confirm." in case
    url = f"/complaints/{complaint.number}/staff/forward/"
    step = client.post(url, {"reason": "Eligible: the receipt checks out."})
    assert step.status_code == 200
    page = step.content.decode()
    assert "data-confirm" in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "Files to send with it" in page
    assert '<p class="confirm-label">Reason</p>' in page
    done = client.post(
        url,
        {
            "reason": "Eligible: the receipt checks out.",
            "confirm": "yes",
            "attachments": upload("receipt-check.pdf", pdf_bytes()),
        },
    )
    assert done.status_code == 302
    attachment = Attachment.objects.get()
    link = f"/complaints/{complaint.number}/attachments/{attachment.pk}/"
    for reader in (staff, complainant, representative):
        case = signed_in(reader).get(f"/complaints/{complaint.number}/").content.decode()
        history = case.split('id="history-heading"', 1)[1]
        # Under the forward in the history, not among the filing's files.
        assert "forwarded" in history and link in history and "receipt-check.pdf" in history, reader
        assert case.count(link) == 1, reader
        download = signed_in(reader).get(link)
        assert download.status_code == 200, reader
        assert b"".join(download.streaming_content) == pdf_bytes()
    assert signed_in(other_complainant).get(link).status_code == 404
    assert signed_in(other_representative).get(link).status_code == 404
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"] == f"/accounts/signin/?next={link}"


def test_a_refused_file_on_the_staff_page_is_a_form_error_that_keeps_the_reason(staff):
    complaint = complaint_in(Status.STAFF_REVIEW)
    refused = signed_in(staff).post(
        f"/complaints/{complaint.number}/staff/rule_unresolved/",
        {
            "reason": "No reply to two rejections.",
            "confirm": "yes",
            "attachments": upload("notes.pdf", executable_bytes()),
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert NOT_A_FILE in page
    assert "data-confirm" in page
    assert 'value="No reply to two rejections."' in page
    assert Attachment.objects.count() == 0
    complaint.refresh_from_db()
    assert complaint.status == Status.STAFF_REVIEW


def test_the_parties_cannot_post_a_staff_act_with_a_file(complainant, business):
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    posted = signed_in(complainant).post(
        f"/complaints/{complaint.number}/staff/forward/",
        {"reason": "Mine.", "confirm": "yes", "attachments": upload("letter.pdf", pdf_bytes())},
    )
    assert posted.status_code == 404
    assert Attachment.objects.count() == 0


# API ----------------------------------------------------------------------------------------


def test_a_staff_act_with_files_through_the_api_lists_them_under_the_act(
    api, staff, complainant, representative, other_complainant, business
):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    acted = api(staff).post(
        f"/api/v1/complaints/{complaint.number}/transitions/",
        {
            "action": "rule_answered",
            "reason": "The refund was offered twice.",
            "attachments": [upload("call-log.pdf", pdf_bytes())],
        },
        format="multipart",
    )
    assert acted.status_code == 200, acted.content
    body = acted.json()
    ruling = body["timeline"][-1]
    assert (ruling["kind"], ruling["actor"], ruling["reason"]) == (
        "rule_answered",
        "staff",
        "The refund was offered twice.",
    )
    [file] = ruling["attachments"]
    assert (file["name"], file["content_type"], file["size"]) == ("call-log.pdf", "application/pdf", len(pdf_bytes()))
    assert file["url"] == f"/api/v1/complaints/{complaint.number}/attachments/{file['id']}/"
    assert [event["attachments"] for event in body["timeline"][:-1]] == [[]] * (len(body["timeline"]) - 1)
    # Neither the filing's files nor the thread's.
    assert body["attachments"] == []
    assert all(item["attachments"] == [] for item in body["thread"])
    for user, code in [(complainant, 200), (representative, 200), (staff, 200), (other_complainant, 404)]:
        got = api(user).get(file["url"])
        assert got.status_code == code, user
    assert api().get(file["url"]).status_code == 401
    read = api(complainant).get(f"/api/v1/complaints/{complaint.number}/").json()
    assert [f["name"] for f in read["timeline"][-1]["attachments"]] == ["call-log.pdf"]


def test_a_bad_file_through_the_transitions_api_is_400_with_the_field(api, staff):
    complaint = complaint_in(Status.SUBMITTED)
    url = f"/api/v1/complaints/{complaint.number}/transitions/"
    refused = api(staff).post(
        url,
        {"action": "forward", "reason": "Eligible", "attachments": [upload("notes.pdf", executable_bytes())]},
        format="multipart",
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["errors"]["attachments"] == [NOT_A_FILE]
    too_many = api(staff).post(
        url,
        {
            "action": "forward",
            "reason": "Eligible",
            "attachments": [upload(f"p{i}.png", png_bytes()) for i in range(6)],
        },
        format="multipart",
    )
    assert too_many.status_code == 400
    assert "attachments" in too_many.json()["errors"]
    assert Attachment.objects.count() == 0
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


def test_staff_act_files_are_never_published(api, staff, complainant, business):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business, publish_consent=True)
    complaint_staff_act(
        complaint_id=complaint.pk,
        staff=staff,
        action="rule_answered",
        reason="The refund was offered twice.",
        attachments=[upload("call-log.pdf", pdf_bytes())],
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    public = api().get(f"/api/v1/businesses/{business.slug}/complaints/")
    assert public.status_code == 200
    assert complaint.number in public.content.decode()
    assert "call-log.pdf" not in public.content.decode()
    profile = Client().get(f"/businesses/{business.slug}/")
    assert "call-log.pdf" not in profile.content.decode()
    open_data = api().get("/api/v1/open-data/complaints/")
    assert open_data.status_code == 200
    assert "call-log.pdf" not in open_data.content.decode()


def test_the_schema_shows_the_transitions_endpoint_taking_files(client):
    document = yaml.safe_load(client.get("/api/schema/").content)
    body = document["paths"]["/api/v1/complaints/{number}/transitions/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    schema = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    files = document["components"]["schemas"][schema]["properties"]["attachments"]
    assert files["type"] == "array"
    assert files["items"] == {"type": "string", "format": "binary"}
    assert files["maxItems"] == 5
    timeline = document["components"]["schemas"]["TimelineEvent"]
    assert "attachments" in timeline["required"]
    assert timeline["properties"]["attachments"]["items"]["$ref"] == "#/components/schemas/ThreadAttachment"
