"""More than one desired outcome: filed through the service, the filing page and the API, shown on
every page that names what the complainant wants, and filled in for complaints filed before."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from complaints.models import Complaint, Status, outcomes_label
from complaints.tests.factories import DESCRIPTION, complaint_in, file_complaint
from complaints.tests.test_views import business_step, consent_step, details_step
from core.errors import InvalidInput

pytestmark = pytest.mark.django_db

outcomes_migration = importlib.import_module("complaints.migrations.0010_desired_outcomes")

FILING = {
    "type": "account_suspension",
    "description": DESCRIPTION,
    "desired_outcome_detail": "Release the withheld earnings",
    "affirm_true": True,
    "affirm_not_in_court": True,
}


# The service ---------------------------------------------------------------------------------------


def test_a_complaint_keeps_every_outcome_in_order_with_the_first_as_the_main_one():
    complaint = file_complaint(desired_outcome="", desired_outcomes=["release_funds", "reinstatement"])
    complaint.refresh_from_db()
    assert complaint.desired_outcomes == ["release_funds", "reinstatement"]
    assert complaint.desired_outcome == "release_funds"
    assert complaint.desired_outcomes_display == "Release of withheld funds and Account reinstatement"


def test_one_outcome_given_alone_becomes_a_list_of_one():
    complaint = file_complaint(desired_outcome="refund")
    complaint.refresh_from_db()
    assert complaint.desired_outcomes == ["refund"]
    assert complaint.desired_outcome == "refund"
    assert complaint.desired_outcomes_display == "Refund"


def test_three_outcomes_read_as_a_sentence():
    assert outcomes_label(["refund", "repair", "explanation"]) == "Refund, Repair and Explanation"
    assert outcomes_label([]) == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"desired_outcome": "", "desired_outcomes": []}, "desired_outcomes", "Choose at least one outcome you want."),
        (
            {"desired_outcome": "", "desired_outcomes": ["refund", "revenge"]},
            "desired_outcomes",
            "Choose the outcome you want from the list.",
        ),
        (
            {"desired_outcome": "", "desired_outcomes": ["refund", "refund"]},
            "desired_outcomes",
            "Choose each outcome once.",
        ),
        (
            {"desired_outcome": "", "desired_outcomes": ["refund", "other"], "desired_outcome_detail": " "},
            "desired_outcome_detail",
            "Say what outcome you want.",
        ),
    ],
    ids=["none", "unknown", "repeated", "other-without-words"],
)
def test_the_service_refuses_a_bad_list_and_stores_nothing(overrides, field, message):
    with pytest.raises(InvalidInput) as error:
        file_complaint(**overrides)
    assert error.value.field_errors == {field: [message]}
    assert not Complaint.objects.exists()


# The filing page -----------------------------------------------------------------------------------


def test_the_details_step_offers_checkboxes_and_files_every_outcome_ticked(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    page = client.get(reverse("complaints:file-step", kwargs={"step": "details"})).content.decode()
    assert page.count('type="checkbox" name="desired_outcomes"') == 9
    assert "<legend>Outcomes you want</legend>" in page

    assert details_step(client, desired_outcomes=["release_funds", "reinstatement"]).status_code == 302
    consent_step(client)
    review = client.get(reverse("complaints:file-step", kwargs={"step": "review"})).content.decode()
    assert (
        "<dt>Outcomes you want</dt><dd>Release of withheld funds and Account reinstatement: Refund the parcel</dd>"
        in (review)
    )
    filed = client.post(reverse("complaints:file-step", kwargs={"step": "review"}), {"action": "file"})
    assert filed.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.desired_outcomes == ["release_funds", "reinstatement"]
    assert complaint.desired_outcome == "release_funds"


def test_the_details_step_asks_for_at_least_one_outcome_and_keeps_the_rest(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    response = details_step(client, desired_outcomes=[])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one outcome you want." in page
    assert "Refund the parcel" in page  # what was typed stays
    back = client.get(reverse("complaints:file-step", kwargs={"step": "details"})).content.decode()
    assert "Choose at least one outcome you want." in back


def test_the_details_step_refuses_an_outcome_not_on_the_list(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    response = details_step(client, desired_outcomes=["refund", "revenge"])
    assert response.status_code == 200
    assert "Choose the outcome you want from the list." in response.content.decode()


def test_ticked_outcomes_stay_ticked_when_coming_back_to_the_step(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    details_step(client, desired_outcomes=["repair", "explanation"], action="back")
    page = client.get(reverse("complaints:file-step", kwargs={"step": "details"})).content.decode()
    assert 'value="repair" id="id_desired_outcomes_2" checked' in page
    assert 'value="explanation" id="id_desired_outcomes_7" checked' in page
    assert 'value="refund" id="id_desired_outcomes_0" checked' not in page


# The API -------------------------------------------------------------------------------------------


def test_the_api_files_a_list_of_outcomes_and_lists_them(api, complainant, business):
    data = {**FILING, "business": business.slug, "desired_outcomes": ["release_funds", "reinstatement"]}
    response = api(complainant).post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["desired_outcomes"] == ["release_funds", "reinstatement"]
    assert body["desired_outcome"] == "release_funds"
    detail = api(complainant).get(f"/api/v1/complaints/{body['number']}/").json()
    assert detail["desired_outcomes"] == ["release_funds", "reinstatement"]
    listed = api(complainant).get("/api/v1/complaints/").json()["results"]
    assert [row["desired_outcomes"] for row in listed] == [["release_funds", "reinstatement"]]


def test_the_api_still_takes_one_outcome(api, complainant, business):
    data = {**FILING, "business": business.slug, "desired_outcome": "refund"}
    response = api(complainant).post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["desired_outcomes"] == ["refund"]


def test_the_api_takes_the_list_as_repeated_multipart_parts(api, complainant, business):
    data = {
        **FILING,
        "business": business.slug,
        "affirm_true": "true",
        "affirm_not_in_court": "true",
        "desired_outcomes": ["reinstatement", "explanation"],
    }
    response = api(complainant).post("/api/v1/complaints/", data, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["desired_outcomes"] == ["reinstatement", "explanation"]


@pytest.mark.parametrize(
    ("outcomes", "field", "message"),
    [
        ({}, "desired_outcomes", "Choose at least one outcome you want."),
        ({"desired_outcomes": []}, "desired_outcomes", "This list may not be empty."),
        ({"desired_outcomes": ["refund", "refund"]}, "desired_outcomes", "Choose each outcome once."),
        ({"desired_outcomes": "refund"}, "desired_outcomes", 'Expected a list of items but got type "str".'),
        (
            {"desired_outcomes": ["refund"], "desired_outcome": "repair"},
            "desired_outcome",
            "Give the main outcome first in `desired_outcomes`, or leave this out.",
        ),
        ({"desired_outcome": "revenge"}, "desired_outcome", '"revenge" is not a valid choice.'),
    ],
    ids=["missing", "empty", "repeated", "not-a-list", "disagreeing", "unknown"],
)
def test_the_api_answers_400_with_the_field_for_bad_outcomes(api, complainant, business, outcomes, field, message):
    response = api(complainant).post(
        "/api/v1/complaints/", {**FILING, "business": business.slug, **outcomes}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {field: [message]}
    assert not Complaint.objects.exists()


def test_the_api_refuses_an_unknown_value_inside_the_list(api, complainant, business):
    data = {**FILING, "business": business.slug, "desired_outcomes": ["refund", "revenge"]}
    response = api(complainant).post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["desired_outcomes"]


def test_both_fields_agreeing_are_accepted(api, complainant, business):
    data = {
        **FILING,
        "business": business.slug,
        "desired_outcome": "release_funds",
        "desired_outcomes": ["release_funds", "reinstatement"],
    }
    response = api(complainant).post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["desired_outcomes"] == ["release_funds", "reinstatement"]


# The pages that show them --------------------------------------------------------------------------

BOTH = "Release of withheld funds and Account reinstatement"


def test_the_case_page_names_every_outcome(client, complainant, business):
    complaint = file_complaint(
        complainant, business, desired_outcome="", desired_outcomes=["release_funds", "reinstatement"]
    )
    client.force_login(complainant)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f"<dt>Outcomes wanted</dt><dd>{BOTH}: Release the withheld earnings</dd>" in page


def test_the_case_page_of_one_outcome_says_outcome(client, complainant, business):
    complaint = file_complaint(complainant, business, desired_outcome="refund")
    client.force_login(complainant)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "<dt>Outcome wanted</dt><dd>Refund: Release the withheld earnings</dd>" in page


def test_the_dashboard_row_names_every_outcome(client, business, representative):
    complaint_in(
        Status.AWAITING_BUSINESS,
        business=business,
        desired_outcome="",
        desired_outcomes=["release_funds", "reinstatement"],
    )
    client.force_login(representative)
    page = client.get(reverse("complaints:dashboard")).content.decode()
    assert f'<td data-label="Outcome wanted">{BOTH}</td>' in page


def test_the_published_entry_names_every_outcome(client, business, complainant):
    complaint_in(
        Status.ANSWERED,
        complainant=complainant,
        business=business,
        desired_outcome="",
        desired_outcomes=["release_funds", "reinstatement"],
    )
    page = client.get(f"/businesses/{business.slug}/").content.decode()
    assert f"· wanted: {BOTH}" in page
    listed = client.get(f"/api/v1/businesses/{business.slug}/complaints/").json()["results"]
    assert [entry["desired_outcomes"] for entry in listed] == [["release_funds", "reinstatement"]]


def test_admin_shows_every_outcome_and_the_export_lists_them(client, staff, business):
    complaint = file_complaint(
        business=business, desired_outcome="", desired_outcomes=["release_funds", "reinstatement"]
    )
    client.force_login(staff)
    change = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).content.decode()
    assert "Outcomes wanted:</label>" in change
    assert f'<div class="readonly">{BOTH}</div>' in change
    export = client.post(
        reverse("admin:complaints_complaint_changelist"), {"action": "export_csv", "_selected_action": [complaint.pk]}
    )
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert rows[0]["desired_outcomes"] == "release_funds reinstatement"


# Complaints filed before the list --------------------------------------------------------------------


def test_the_data_migration_fills_an_empty_list_from_the_one_outcome():
    older = file_complaint(desired_outcome="repair")
    newer = file_complaint(desired_outcome="", desired_outcomes=["release_funds", "reinstatement"])
    Complaint.objects.filter(pk=older.pk).update(desired_outcomes=[])
    with connection.schema_editor() as editor:
        outcomes_migration.fill(apps, editor)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.desired_outcomes == ["repair"]
    assert newer.desired_outcomes == ["release_funds", "reinstatement"]  # a list already there stays
