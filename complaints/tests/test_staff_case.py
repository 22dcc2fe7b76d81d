"""Staff work from the case page: the workflow's actions allowed now, each with its reason, and private notes."""

import pytest
from django.db import InternalError, transaction
from django.test import Client

from complaints.models import ComplaintEvent, StaffNote, Status
from complaints.services import staff_note_add
from complaints.tests.factories import complaint_in
from core.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

NOTE = "Called the business's support line: they promise a reply by Friday."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Services -------------------------------------------------------------------------------------


def test_a_staff_note_is_its_own_record_and_leaves_the_timeline_alone(staff):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    events_before = ComplaintEvent.objects.filter(complaint=complaint).count()
    note = staff_note_add(complaint_id=complaint.pk, staff=staff, text=f"  {NOTE}  ")
    assert (note.complaint_id, note.author, note.text) == (complaint.pk, staff, NOTE)
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events_before


def test_only_staff_write_notes_and_an_empty_note_is_refused(staff, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    for user in (complainant, representative):
        with pytest.raises(NotAllowed):
            staff_note_add(complaint_id=complaint.pk, staff=user, text=NOTE)
    with pytest.raises(InvalidInput) as refused:
        staff_note_add(complaint_id=complaint.pk, staff=staff, text="   ")
    assert refused.value.field_errors == {"text": ["Write the note."]}
    assert StaffNote.objects.count() == 0


def test_the_database_refuses_to_change_or_delete_a_note(staff):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    note = staff_note_add(complaint_id=complaint.pk, staff=staff, text=NOTE)
    with pytest.raises(InternalError), transaction.atomic():
        StaffNote.objects.filter(pk=note.pk).update(text="Rewritten.")
    with pytest.raises(InternalError), transaction.atomic():
        StaffNote.objects.filter(pk=note.pk).delete()
    assert StaffNote.objects.get(pk=note.pk).text == NOTE


# API: every role ------------------------------------------------------------------------------


def test_the_notes_api_answers_staff_and_404s_everyone_else(
    api, staff, complainant, representative, other_complainant, other_representative, business
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    url = f"/api/v1/complaints/{complaint.number}/notes/"
    created = api(staff).post(url, {"text": NOTE}, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["text"], created.json()["author_name"]) == (NOTE, "Sam Staff")
    listed = api(staff).get(url)
    assert listed.status_code == 200
    assert [n["text"] for n in listed.json()] == [NOTE]
    for user in (complainant, representative, other_complainant, other_representative):
        assert api(user).get(url).status_code == 404, user
        assert api(user).post(url, {"text": "Let me in."}, format="json").status_code == 404, user
    assert api().get(url).status_code == 401
    assert api().post(url, {"text": "Let me in."}, format="json").status_code == 401
    assert StaffNote.objects.count() == 1
    assert api(staff).get("/api/v1/complaints/99999999/notes/").status_code == 404


def test_a_bad_note_through_the_api_is_400_with_the_field(api, staff):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    url = f"/api/v1/complaints/{complaint.number}/notes/"
    blank = api(staff).post(url, {"text": ""}, format="json")
    assert blank.status_code == 400
    assert blank.json()["errors"]["text"] == ["Write the note."]
    long = api(staff).post(url, {"text": "x" * 10_001}, format="json")
    assert long.status_code == 400
    assert "text" in long.json()["errors"]


def test_notes_never_reach_the_parties_views_of_the_case(api, staff, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    staff_note_add(complaint_id=complaint.pk, staff=staff, text=NOTE)
    for user in (complainant, representative):
        detail = api(user).get(f"/api/v1/complaints/{complaint.number}/")
        assert detail.status_code == 200
        assert "promise a reply by Friday" not in detail.content.decode()
        page = signed_in(user).get(f"/complaints/{complaint.number}/")
        assert "promise a reply by Friday" not in page.content.decode()
        assert "Private staff notes" not in page.content.decode()
    export = api(complainant).get("/api/v1/auth/me/export/")
    assert export.status_code == 200
    assert complaint.number in export.content.decode()
    assert "promise a reply by Friday" not in export.content.decode()


# Pages ----------------------------------------------------------------------------------------


def test_staff_see_the_actions_allowed_now_with_their_reason_forms(staff):
    complaint = complaint_in(Status.SUBMITTED)
    page = signed_in(staff).get(f"/complaints/{complaint.number}/").content.decode()
    assert "data-staff-actions" in page
    assert "use the list" not in page and "are in <a" not in page
    section = page.split("data-staff-actions", 1)[1].split("</section>", 1)[0]
    actions = [f"/complaints/{complaint.number}/staff/{name}/" for name in ("forward", "hold", "reject", "unpursuable")]
    assert [a in section for a in actions] == [True, True, True, True]
    assert section.index(actions[0]) < section.index(actions[1]) < section.index(actions[2])
    assert f"/complaints/{complaint.number}/staff/rule_answered/" not in section
    assert 'name="reason"' in section and 'name="reject_reason"' in section


def test_the_parties_see_no_staff_actions_and_cannot_post_them(complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    for user in (complainant, representative):
        client = signed_in(user)
        assert "data-staff-actions" not in client.get(f"/complaints/{complaint.number}/").content.decode()
        posted = client.post(f"/complaints/{complaint.number}/staff/hold/", {"reason": "Mine now.", "confirm": "yes"})
        assert posted.status_code == 404
        assert client.post(f"/complaints/{complaint.number}/notes/", {"text": NOTE}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.on_hold is False
    assert StaffNote.objects.count() == 0


def test_staff_forward_from_the_case_page_with_a_reason_through_the_service(staff):
    complaint = complaint_in(Status.SUBMITTED)
    client = signed_in(staff)
    url = f"/complaints/{complaint.number}/staff/forward/"
    confirm = client.post(url, {"reason": "In scope: the business should answer."})
    assert confirm.status_code == 200 and "data-confirm" in confirm.content.decode()
    done = client.post(url, {"reason": "In scope: the business should answer.", "confirm": "yes"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS
    event = complaint.events.order_by("-created_at", "-id").first()
    assert (event.event, event.actor, event.reason) == ("forward", staff, "In scope: the business should answer.")
    # An action the state no longer allows is not found, as for a complaint out of sight.
    assert client.post(url, {"reason": "Again.", "confirm": "yes"}).status_code == 404


def test_a_ruling_without_its_required_reason_is_a_form_error(staff):
    complaint = complaint_in(Status.STAFF_REVIEW)
    response = signed_in(staff).post(f"/complaints/{complaint.number}/staff/rule_answered/", {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.STAFF_REVIEW


def test_staff_add_a_private_note_from_the_case_page_and_read_it_there(staff):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    client = signed_in(staff)
    url = f"/complaints/{complaint.number}/notes/"
    assert client.post(url, {"text": NOTE}).status_code == 200
    assert client.post(url, {"text": NOTE, "confirm": "yes"}).status_code == 302
    page = client.get(f"/complaints/{complaint.number}/").content.decode()
    notes = page.split("data-staff-notes", 1)[1].split("</section>", 1)[0]
    assert "promise a reply by Friday" in notes and "Sam Staff" in notes
    history = page.split('id="history-heading"', 1)[1]
    assert "promise a reply by Friday" not in history


def test_the_admin_shows_the_notes_read_only_on_the_complaint(staff):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    staff_note_add(complaint_id=complaint.pk, staff=staff, text=NOTE)
    page = signed_in(staff).get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Private staff notes" in body and "promise a reply by Friday" in body
    assert 'name="staff_notes-0-text"' not in body  # read-only: no input for it
