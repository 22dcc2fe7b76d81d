"""Every staff act goes on the security log with the staff member, the act, the reason and the client's address."""

import json
import logging

import pytest

from accounts.services import business_alert_set
from accounts.tests.factories import BusinessFactory
from complaints.models import Status
from complaints.tests.factories import complaint_in, staff_user
from core.tests.api_client import client_for

pytestmark = pytest.mark.django_db


def staff_acts(caplog) -> list[dict]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "redress.security"]
    return [line for line in lines if line["event"] == "staff_act"]


def test_a_ruling_through_the_api_is_logged_with_the_staff_member_and_the_address(caplog):
    caplog.set_level(logging.INFO, logger="redress.security")
    complaint = complaint_in(Status.SUBMITTED)
    staff = staff_user()
    caplog.clear()
    response = client_for(staff).post(
        f"/api/v1/complaints/{complaint.number}/transitions/",
        {"action": "forward", "reason": "Within scope: the business should answer."},
        format="json",
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 200, response.content
    [act] = staff_acts(caplog)
    assert act["user"] == staff.email and act["user_id"] == staff.pk
    assert (act["act"], act["from_status"], act["to_status"]) == ("forward", "submitted", "awaiting_business")
    assert act["reason"] == "Within scope: the business should answer."
    assert act["complaint"] == complaint.number
    assert (act["ip"], act["path"]) == ("192.0.2.44", f"/api/v1/complaints/{complaint.number}/transitions/")


def test_an_alert_set_by_staff_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="redress.security")
    business = BusinessFactory(name="Gigwork Market")
    staff = staff_user()
    business_alert_set(business_id=business.pk, staff=staff, alert="A pattern of suspensions.", reason="Review done")
    [act] = staff_acts(caplog)
    assert (act["act"], act["business"], act["reason"]) == ("alert_set", business.slug, "Review done")
    assert "ip" not in act  # called outside a request: no address to give


def test_the_parties_moves_are_not_staff_acts(caplog):
    caplog.set_level(logging.INFO, logger="redress.security")
    complaint_in(Status.AWAITING_CONSUMER)
    assert [act["act"] for act in staff_acts(caplog)] == ["forward"]
