"""Acts on a business go on its audit log, which PostgreSQL keeps append-only."""

import pytest
from django.db import InternalError, connection, transaction
from django.urls import reverse

from accounts.models import BusinessAuditEntry, Membership, RepresentationRequest
from accounts.services import (
    business_alert_set,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    representation_request_decide,
    representative_add,
)
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from core.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

ALERT = "A review of complaints completed in November 2026 found a pattern of accounts suspended without reason."


def entries(business):
    return list(business.audit.order_by("id").values_list("kind", "actor_id", "reason", "data"))


@pytest.fixture
def staff():
    return UserFactory(email="sam.staff@redress.example", is_staff=True)


def test_the_audit_log_cannot_be_rewritten(staff):
    business = BusinessFactory()
    business_alert_set(business_id=business.pk, staff=staff, alert=ALERT, reason="Pattern review confirmed")
    entry = business.audit.get()
    for sql in (
        "UPDATE accounts_businessauditentry SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM accounts_businessauditentry WHERE id = %s",
    ):
        with (
            pytest.raises(InternalError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert business.audit.get().reason == "Pattern review confirmed"


def test_staff_publish_and_remove_an_alert_with_a_reason_each_time(staff):
    business = BusinessFactory()
    business_alert_set(business_id=business.pk, staff=staff, alert=ALERT, reason="Pattern review confirmed")
    business.refresh_from_db()
    assert business.alert == ALERT and business.alert_set_at is not None
    business_alert_set(business_id=business.pk, staff=staff, alert="", reason="The business changed its process")
    business.refresh_from_db()
    assert (business.alert, business.alert_set_at) == ("", None)
    assert entries(business) == [
        ("alert_set", staff.pk, "Pattern review confirmed", {"alert": ALERT}),
        ("alert_cleared", staff.pk, "The business changed its process", {"alert": ""}),
    ]


def test_an_alert_needs_staff_a_reason_and_a_change(staff):
    business = BusinessFactory()
    with pytest.raises(NotAllowed):
        business_alert_set(business_id=business.pk, staff=UserFactory(), alert=ALERT, reason="Why")
    with pytest.raises(InvalidInput) as refused:
        business_alert_set(business_id=business.pk, staff=staff, alert=ALERT, reason=" ")
    assert refused.value.field_errors == {"reason": ["Say why the alert changes."]}
    with pytest.raises(InvalidInput) as same:
        business_alert_set(business_id=business.pk, staff=staff, alert="", reason="Nothing")
    assert same.value.field_errors == {"alert": ["The alert already reads like this."]}
    assert entries(business) == []


def test_representation_decisions_invitations_and_staff_additions_are_recorded(staff):
    business = BusinessFactory()
    asking, refused, added = UserFactory(), UserFactory(), UserFactory(email="new.rep@example.com")
    approve = RepresentationRequest.objects.create(user=asking, business=business)
    refuse = RepresentationRequest.objects.create(user=refused, business=business)
    representation_request_decide(request_id=approve.pk, staff=staff, approve=True)
    representation_request_decide(request_id=refuse.pk, staff=staff, approve=False)
    representative_add(staff=staff, business=business, email="new.rep@example.com")
    representative_add(staff=staff, business=business, email="new.rep@example.com")  # already one: no entry
    inviter = MembershipFactory(business=business).user
    invited = UserFactory(email="invited@example.com")
    invitation, token = invitation_create(business=business, email="invited@example.com", invited_by=inviter)
    invitation_accept(token=token, user=invited)
    withdrawn, _ = invitation_create(business=business, email="late@example.com", invited_by=inviter)
    invitation_revoke(invitation_id=withdrawn.pk, user=inviter, reason="Sent to the wrong colleague")
    assert entries(business) == [
        ("representative_approved", staff.pk, "", {"user": asking.pk, "request": approve.pk}),
        ("representative_refused", staff.pk, "", {"user": refused.pk, "request": refuse.pk}),
        ("representative_added", staff.pk, "", {"user": added.pk}),
        ("invitation_sent", inviter.pk, "", {"invitation": invitation.pk}),
        ("invitation_accepted", invited.pk, "", {"invitation": invitation.pk, "user": invited.pk}),
        ("invitation_sent", inviter.pk, "", {"invitation": withdrawn.pk}),
        (
            "invitation_revoked",
            inviter.pk,
            "Sent to the wrong colleague",
            {"invitation": withdrawn.pk, "email": "late@example.com"},
        ),
    ]


def _business_form(business, **changes):
    data = {
        "name": business.name,
        "slug": business.slug,
        "category": business.category,
        "is_listed": "on",
        "notice_email": business.notice_email,
        "website": "",
        "phone": "",
        "address": "",
        "city": business.city,
        "region": "",
        "postal_code": "",
        "country": "US",
        "alert": business.alert,
        "alert_reason": "",
        "locations-TOTAL_FORMS": "0",
        "locations-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "audit-TOTAL_FORMS": "0",
        "audit-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_admin_alert_edit_asks_why_and_goes_through_the_audit_log(admin_client, admin_user):
    business = BusinessFactory()
    url = reverse("admin:accounts_business_change", args=[business.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    refused = admin_client.post(url, _business_form(business, alert=ALERT))
    assert refused.status_code == 200
    assert "Say why the alert changes." in refused.content.decode()
    business.refresh_from_db()
    assert business.alert == ""
    done = admin_client.post(url, _business_form(business, alert=ALERT, alert_reason="Pattern review confirmed"))
    assert done.status_code == 302
    business.refresh_from_db()
    assert business.alert == ALERT and business.alert_set_at is not None
    assert entries(business) == [("alert_set", admin_user.pk, "Pattern review confirmed", {"alert": ALERT})]
    # Saving again without touching the alert adds nothing.
    assert admin_client.post(url, _business_form(business, category="Marketplace")).status_code == 302
    assert len(entries(business)) == 1


def test_a_representative_added_in_the_admin_is_recorded(admin_client, admin_user):
    business = BusinessFactory()
    person = UserFactory()
    url = reverse("admin:accounts_business_change", args=[business.pk])
    data = _business_form(
        business,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(person.pk),
            "memberships-0-role": "representative",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(business=business, user=person).exists()
    assert entries(business) == [("representative_added", admin_user.pk, "", {"user": person.pk})]
    assert BusinessAuditEntry.objects.count() == 1
