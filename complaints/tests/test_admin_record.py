"""Every admin action leaves its record: a complaint event, a business audit entry or an e-mail row.

The actions are read from the admin itself, so an action added later without a record here fails.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Business, BusinessAuditEntry, RepresentationRequest
from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in
from core.models import OutboundEmail
from disputes.services import complaint_staff_act

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:complaints_complaint_changelist")

# For each staff action on complaints: the state it is tried in, its form, and the event it records.
STAFF_ACTION_CASES = {
    "act_forward": (Status.SUBMITTED, {}, "forward"),
    "act_hold": (Status.SUBMITTED, {}, "hold"),
    "act_reject": (Status.SUBMITTED, {"reject_reason": "insufficient"}, "reject"),
    "act_unpursuable": (Status.AWAITING_BUSINESS, {}, "unpursuable"),
    "act_rule_answered": (Status.STAFF_REVIEW, {}, "rule_answered"),
    "act_rule_unresolved": (Status.STAFF_REVIEW, {}, "rule_unresolved"),
    "act_open_mediation": (Status.STAFF_REVIEW, {"mediation_kind": "mediation"}, "open_mediation"),
    "act_mediation_resolved": (Status.IN_MEDIATION, {}, "mediation_resolved"),
    "act_mediation_unresolved": (Status.IN_MEDIATION, {}, "mediation_unresolved"),
    "act_reopen": (Status.ANSWERED, {}, "reopen"),
    # Tried on a complaint put on hold first (below).
    "act_resume": (Status.SUBMITTED, {}, "resume"),
}
# Assignment writes an audit row of its own, not an event (docs/decisions/0030-staff-assignment.md).
ASSIGNMENT_ACTIONS = {"assign_to_me", "unassign"}


def _actions(model) -> set[str]:
    model_admin = admin.site._registry[model]
    return set(model_admin.get_actions(_request())) - {"delete_selected"}


def _request():
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(email="probe@redress.example", is_staff=True, is_superuser=True)
    return request


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_every_complaint_action_is_known_here():
    assert _actions(Complaint) == {*STAFF_ACTION_CASES, *ASSIGNMENT_ACTIONS, "export_csv"}


@pytest.mark.parametrize("action", sorted(STAFF_ACTION_CASES))
def test_each_staff_action_records_an_event_with_the_staff_member_and_reason(staff_client, staff, action):
    state, form, event = STAFF_ACTION_CASES[action]
    complaint = complaint_in(state)
    if action == "act_resume":
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="hold", reason="Checking the business")
    before = complaint.events.count()
    staff_client.post(CHANGELIST, {"action": action, "_selected_action": [complaint.pk]})
    staff_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [complaint.pk], "apply": "1", "reason": "Read the file", **form},
    )
    assert complaint.events.count() == before + 1
    recorded = complaint.events.order_by("created_at", "id").last()
    assert (recorded.event, recorded.actor, recorded.actor_role, recorded.reason) == (
        event,
        staff,
        "staff",
        "Read the file",
    )


def test_an_export_is_on_the_audit_log_with_who_and_what(staff_client, staff):
    complaints = [complaint_in(Status.ANSWERED), complaint_in(Status.SUBMITTED)]
    response = staff_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [c.pk for c in complaints]})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    entry = BusinessAuditEntry.objects.get(kind="data_exported")
    assert (entry.business, entry.actor) == (None, staff)
    assert entry.data == {
        "what": "complaints CSV (admin)",
        "rows": 2,
        "numbers": sorted(c.number for c in complaints),
    }


def test_every_other_admin_action_is_known_and_leaves_its_record(staff_client, staff, admin_client, admin_user):
    assert _actions(RepresentationRequest) == {"approve", "refuse"}
    assert _actions(OutboundEmail) == {"resend"}
    assert _actions(Business) == set()

    business = BusinessFactory()
    asking, refused = UserFactory(), UserFactory()
    approve = RepresentationRequest.objects.create(user=asking, business=business)
    refuse = RepresentationRequest.objects.create(user=refused, business=business)
    url = reverse("admin:accounts_representationrequest_changelist")
    staff_client.post(url, {"action": "approve", "_selected_action": [approve.pk]})
    staff_client.post(url, {"action": "refuse", "_selected_action": [refuse.pk]})
    assert list(business.audit.values_list("kind", "actor_id")) == [
        ("representative_approved", staff.pk),
        ("representative_refused", staff.pk),
    ]

    failed = OutboundEmail.objects.create(to="dana@example.com", subject="S", body_text="B", state="failed")
    admin_client.post(
        reverse("admin:core_outboundemail_changelist"), {"action": "resend", "_selected_action": [failed.pk]}
    )
    assert list(OutboundEmail.objects.filter(resend_of=failed).values_list("resent_by_id", flat=True)) == [
        admin_user.pk
    ]
