"""Django admin as staff use it: filters, search, staff actions through their reason form, read-only records."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, RepresentationRequest, User
from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, ComplaintEvent, Status
from complaints.tests.factories import complaint_in, file_complaint
from disputes.models import BusinessResponse, MediationCase, StaffRuling
from disputes.services import business_information_add

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:complaints_complaint_changelist")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {complaint.number for complaint in response.context["cl"].result_list}


def run_action(client, action: str, complaints, **form) -> object:
    """Post the action from the changelist, then its reason form, as a person would."""
    ids = [str(c.pk) for c in complaints]
    first = client.post(CHANGELIST, {"action": f"act_{action}", "_selected_action": ids})
    assert first.status_code == 200
    assert b'name="reason"' in first.content
    return client.post(CHANGELIST, {"action": f"act_{action}", "_selected_action": ids, "apply": "1", **form})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_staff_member_who_is_not_superuser_sees_the_complaint_list(staff_client, staff):
    assert not staff.is_superuser
    complaint = file_complaint()
    assert listed(staff_client.get(CHANGELIST)) == {complaint.number}


def test_a_non_staff_user_is_sent_to_the_admin_login(client, complainant):
    client.force_login(complainant)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_changelist_filters_by_status_type_business_and_overdue(staff_client):
    gig, telecom = BusinessFactory(name="Gig Co"), BusinessFactory(name="Tele Co")
    submitted = file_complaint(business=gig)
    billing = file_complaint(business=telecom, type="billing_collection")
    waiting = complaint_in(Status.AWAITING_BUSINESS, business=gig)
    Complaint.objects.filter(pk=waiting.pk).update(due_at=timezone.now() - timedelta(days=1))

    assert listed(staff_client.get(CHANGELIST, {"status__exact": "awaiting_business"})) == {waiting.number}
    assert listed(staff_client.get(CHANGELIST, {"type__exact": "billing_collection"})) == {billing.number}
    assert listed(staff_client.get(CHANGELIST, {"business__id__exact": gig.pk})) == {submitted.number, waiting.number}
    assert listed(staff_client.get(CHANGELIST, {"overdue": "yes"})) == {waiting.number}
    assert listed(staff_client.get(CHANGELIST, {"overdue": "no"})) == {submitted.number, billing.number}


def test_search_finds_by_case_number_business_name_and_complainant_email(staff_client):
    alice = UserFactory(email="alice@example.org")
    first = file_complaint(complainant=alice, business=BusinessFactory(name="Harbor Furniture"))
    second = file_complaint(business=BusinessFactory(name="Swift Courier"))

    assert listed(staff_client.get(CHANGELIST, {"q": first.number})) == {first.number}
    assert listed(staff_client.get(CHANGELIST, {"q": "courier"})) == {second.number}
    assert listed(staff_client.get(CHANGELIST, {"q": "alice@example.org"})) == {first.number}


def test_forward_action_asks_for_a_reason_then_moves_the_complaint_and_writes_an_event(staff_client, staff):
    complaint = file_complaint()

    response = run_action(staff_client, "forward", [complaint], reason="Eligible; business is in the directory")

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS
    event = complaint.events.last()
    assert (event.event, event.actor, event.reason) == ("forward", staff, "Eligible; business is in the directory")
    assert any(complaint.number in message for message in messages_of(response))


def test_reject_needs_a_reason_code_and_records_it(staff_client):
    complaint = file_complaint()

    refused = run_action(staff_client, "reject", [complaint], reason="Duplicate filing")
    assert refused.status_code == 200
    assert refused.context["form"].errors["reject_reason"]
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED

    run_action(staff_client, "reject", [complaint], reason="Not enough to go on", reject_reason="insufficient")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reject_reason) == (Status.REJECTED, "insufficient")


def test_an_action_the_workflow_refuses_becomes_an_error_message_not_a_server_error(staff_client):
    submitted = file_complaint()
    review = complaint_in(Status.STAFF_REVIEW)

    response = run_action(staff_client, "rule_unresolved", [submitted, review], reason="No good-faith effort")

    assert response.status_code == 302
    submitted.refresh_from_db()
    review.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert review.status == Status.UNRESOLVED
    assert StaffRuling.objects.get(complaint=review).outcome == "unresolved"
    texts = messages_of(response)
    assert any(submitted.number in text and "does not accept" in text for text in texts)
    assert any(review.number in text and "done" in text for text in texts)


def test_open_mediation_asks_for_the_kind(staff_client):
    review = complaint_in(Status.STAFF_REVIEW)
    run_action(staff_client, "open_mediation", [review], reason="Both agreed", mediation_kind="arbitration")
    review.refresh_from_db()
    assert review.status == Status.IN_MEDIATION
    assert MediationCase.objects.get(complaint=review).kind == "arbitration"


def test_reopen_returns_a_closed_complaint_to_the_state_it_left(staff_client):
    answered = complaint_in(Status.ANSWERED)
    run_action(staff_client, "reopen", [answered], reason="The complainant wrote in before the deadline")
    answered.refresh_from_db()
    assert answered.status == Status.AWAITING_CONSUMER


def _change_form(page, complaint, **fields):
    """The change page posted back as it was rendered, with `fields` changed."""
    data = {"edit_reason": ""}
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = str(fs.total_form_count())
        data[f"{fs.prefix}-INITIAL_FORMS"] = str(fs.initial_form_count())
        data[f"{fs.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{fs.prefix}-MAX_NUM_FORMS"] = "1000"
        for index, inline_form in enumerate(fs.forms):
            data[f"{fs.prefix}-{index}-id"] = str(inline_form.instance.pk)
            data[f"{fs.prefix}-{index}-complaint"] = str(complaint.pk)
            if "text_masked" in inline_form.fields:
                data[f"{fs.prefix}-{index}-text_masked"] = inline_form.instance.text_masked
    form = page.context["adminform"].form
    if "description_masked" in form.fields:
        data["description_masked"] = complaint.description_masked
    data.update(fields)
    return data


def test_status_is_not_editable_and_the_public_text_is_edited_with_a_reason_on_the_record(staff_client, staff):
    complaint = complaint_in(Status.ANSWERED)
    response_row = BusinessResponse.objects.get(complaint=complaint)
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])

    page = staff_client.get(url)
    assert page.status_code == 200
    form_fields = page.context["adminform"].form.fields
    assert "status" not in form_fields
    assert "due_at" not in form_fields
    assert "description" not in form_fields
    assert "description_masked" in form_fields

    edits = {
        "status": "resolved",
        "description_masked": "My seller account was suspended by ****.",
        "responses-0-text_masked": "We restored access for ****.",
    }
    refused = staff_client.post(url, _change_form(page, complaint, **edits), follow=True)
    assert "A reason is required." in refused.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).description_masked == complaint.description_masked

    saved = staff_client.post(url, _change_form(page, complaint, **edits, edit_reason="Removed a name"), follow=True)
    assert "The published text was replaced and search follows it." in saved.content.decode()
    complaint.refresh_from_db()
    response_row.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert complaint.description_masked == "My seller account was suspended by ****."
    assert response_row.text_masked == "We restored access for ****."
    edit = complaint.events.get(event="edit_public_text")
    assert (edit.actor, edit.actor_role, edit.reason) == (staff, "staff", "Removed a name")
    assert edit.data == {
        "description": "My seller account was suspended by ****.",
        "thread": [["disputes.businessresponse", response_row.pk]],
    }


def test_an_open_complaint_has_no_public_text_to_edit(staff_client):
    complaint = complaint_in(Status.AWAITING_CONSUMER)
    page = staff_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert "description_masked" not in page.context["adminform"].form.fields
    responses = next(f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "responses")
    assert "text_masked" not in responses.forms[0].fields


def test_staff_read_the_business_s_information_on_the_complaint_and_in_its_own_list(
    staff_client, business, representative
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    business_information_add(complaint_id=complaint.pk, author=representative, text="Courier booked for 6 May.")
    page = staff_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    (inline,) = [f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "business_information"]
    assert [form.instance.text for form in inline.forms] == ["Courier booked for 6 May."]
    assert "text_masked" not in inline.forms[0].fields  # open: nothing published to edit
    listing = staff_client.get(reverse("admin:disputes_businessinformation_changelist"))
    assert listing.status_code == 200 and str(complaint.number) in listing.content.decode()
    assert staff_client.get(reverse("admin:disputes_businessinformation_add")).status_code == 403


def test_linking_an_unlisted_business_is_an_event_with_its_reason(staff_client, staff):
    complaint = file_complaint(business=None, business_name="Quickfix Repairs Ltd")
    listed = BusinessFactory(name="Quickfix Repairs")
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    page = staff_client.get(url)
    data = _change_form(page, complaint, business=str(listed.pk), edit_reason="Same company, trading name")
    done = staff_client.post(url, data, follow=True)
    assert "The complaint is linked to the directory entry." in done.content.decode()
    complaint.refresh_from_db()
    assert (complaint.business_id, complaint.business_name) == (listed.pk, "Quickfix Repairs")
    link = complaint.events.get(event="link_business")
    assert (link.actor, link.reason, link.from_status, link.to_status) == (
        staff,
        "Same company, trading name",
        "submitted",
        "submitted",
    )
    assert link.data == {"business_id": listed.pk, "business_name": "Quickfix Repairs"}


def test_the_timeline_is_read_only(staff_client):
    complaint = file_complaint()
    event = ComplaintEvent.objects.get(complaint=complaint)

    assert staff_client.get(reverse("admin:complaints_complaintevent_add")).status_code == 403
    assert staff_client.post(reverse("admin:complaints_complaintevent_delete", args=[event.pk])).status_code == 403
    change_url = reverse("admin:complaints_complaintevent_change", args=[event.pk])
    assert staff_client.get(change_url).status_code == 200
    staff_client.post(change_url, {"event": "reopen", "to_status": "resolved", "reason": "edited"})
    event.refresh_from_db()
    assert (event.event, event.to_status, event.reason) == ("file", "submitted", "")

    complaint_page = staff_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    timeline = next(fs for fs in complaint_page.context["inline_admin_formsets"] if fs.formset.prefix == "events")
    assert not timeline.has_add_permission and not timeline.has_change_permission
    assert not timeline.has_delete_permission


def test_complaints_cannot_be_added_or_deleted_in_admin(staff_client):
    complaint = file_complaint()
    assert staff_client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    assert staff_client.post(reverse("admin:complaints_complaint_delete", args=[complaint.pk])).status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_csv_export_lists_the_selected_complaints(staff_client):
    business = BusinessFactory(name="=HYPERLINK Ltd")
    chosen = file_complaint(business=business)
    other = file_complaint()

    response = staff_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["number"] for row in rows] == [chosen.number]
    assert rows[0]["status"] == "submitted"
    assert rows[0]["business"] == "'=HYPERLINK Ltd"
    assert other.number not in response.content.decode()


def test_every_model_has_an_admin_page_that_loads(staff_client, admin_client):
    complaint_in(Status.IN_MEDIATION)
    names = [
        "accounts_business",
        "accounts_location",
        "accounts_membership",
        "accounts_invitation",
        "accounts_representationrequest",
        "knox_authtoken",
        "complaints_complaint",
        "complaints_attachment",
        "complaints_complaintevent",
        "complaints_notification",
        "core_outboundemail",
        "complaints_businessstatsday",
        "disputes_businessresponse",
        "disputes_customeranswer",
        "disputes_staffruling",
        "disputes_mediationcase",
    ]
    for name in names:
        assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_representation_request_approval_makes_the_user_a_representative(staff_client, staff):
    business = BusinessFactory(name="Northwind Telecom")
    asking, refused = UserFactory(), UserFactory()
    approve = RepresentationRequest.objects.create(user=asking, business=business, message="I run support")
    refuse = RepresentationRequest.objects.create(user=refused, business=business, message="Let me in")
    url = reverse("admin:accounts_representationrequest_changelist")

    staff_client.post(url, {"action": "approve", "_selected_action": [approve.pk]})
    staff_client.post(url, {"action": "refuse", "_selected_action": [refuse.pk]})
    again = staff_client.post(url, {"action": "refuse", "_selected_action": [approve.pk]}, follow=True)

    approve.refresh_from_db()
    refuse.refresh_from_db()
    assert (approve.status, approve.decided_by) == ("approved", staff)
    assert refuse.status == "refused"
    assert Membership.objects.filter(user=asking, business=business).exists()
    assert not Membership.objects.filter(user=refused, business=business).exists()
    assert any("already approved" in text for text in messages_of(again))


def test_admin_creates_a_user_who_signs_in_with_an_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.com",
            "name": "New Person",
            "usable_password": "true",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a long enough passphrase 42")
