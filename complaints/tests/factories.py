"""Complaints built through the services, so every state is reached the way users reach it."""

from datetime import date
from decimal import Decimal
from typing import Any

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.services import complaint_enforce_deadline, complaint_file
from disputes.services import answer_submit, complaint_staff_act, response_submit

DESCRIPTION = (
    "My seller account was suspended without warning on 3 March, and the platform is holding "
    "the earnings from four finished contracts. Support closed my tickets without an answer."
)


def file_complaint(complainant=None, business=None, **overrides) -> Complaint:
    complainant = complainant or UserFactory()
    business = business if business is not None else BusinessFactory()
    fields: dict[str, Any] = {
        "type": "account_suspension",
        "description": DESCRIPTION,
        "desired_outcome": "release_funds",
        "desired_outcome_detail": "Release the withheld earnings",
        "transaction_date": date(2026, 3, 3),
        "amount": Decimal("1240.00"),
        "currency": "USD",
        "reference": "ACC-99812",
        "publish_consent": True,
        "affirm_true": True,
        "affirm_not_in_court": True,
    }
    fields.update(overrides)
    return complaint_file(complainant=complainant, business=business, **fields)


def staff_user():
    return UserFactory(email="screening@redress.example", name="Screening Staff", is_staff=True)


def representative_of(business):
    membership = business.memberships.select_related("user").first()
    if membership:
        return membership.user
    return MembershipFactory(business=business).user


def complaint_in(status: str, complainant=None, business=None, **overrides) -> Complaint:
    """A complaint brought to `status` through the services, as users would bring it there."""
    complaint = file_complaint(complainant, business, **overrides)
    staff = staff_user()
    if status == Status.SUBMITTED:
        return complaint
    if status == Status.REJECTED:
        complaint_staff_act(
            complaint_id=complaint.pk,
            staff=staff,
            action="reject",
            reason="Not enough to pursue",
            reject_reason="insufficient",
        )
        return _reload(complaint)
    if status == Status.WITHDRAWN:
        answer = complaint.complainant
        from complaints.services import complaint_withdraw

        complaint_withdraw(complaint_id=complaint.pk, user=answer, reason="Sorted it out myself")
        return _reload(complaint)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
    if status == Status.AWAITING_BUSINESS:
        return _reload(complaint)
    if status == Status.UNPURSUABLE:
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="unpursuable", reason="Notices bounced")
        return _reload(complaint)
    rep = representative_of(complaint.business)
    if status == Status.UNANSWERED:
        _expire(complaint)
        complaint_enforce_deadline(complaint_id=complaint.pk)
        _expire(complaint)
        complaint_enforce_deadline(complaint_id=complaint.pk)
        return _reload(complaint)
    response_submit(complaint_id=complaint.pk, author=rep, text="We have reviewed the account and restored access.")
    if status == Status.AWAITING_CONSUMER:
        return _reload(complaint)
    if status == Status.RESOLVED:
        answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Thank you.", verdict="accept")
        return _reload(complaint)
    if status == Status.ANSWERED:
        _expire(complaint)
        complaint_enforce_deadline(complaint_id=complaint.pk)
        return _reload(complaint)
    answer_submit(
        complaint_id=complaint.pk, author=complaint.complainant, text="The funds are still held.", verdict="reject"
    )
    response_submit(complaint_id=complaint.pk, author=rep, text="The funds are held under our terms of service.")
    answer_submit(
        complaint_id=complaint.pk, author=complaint.complainant, text="That does not apply to me.", verdict="reject"
    )
    if status == Status.STAFF_REVIEW:
        return _reload(complaint)
    if status == Status.UNRESOLVED:
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="rule_unresolved", reason="No good faith")
        return _reload(complaint)
    if status == Status.IN_MEDIATION:
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="open_mediation", reason="Both agreed")
        return _reload(complaint)
    raise ValueError(status)


def _expire(complaint: Complaint) -> None:
    """Move the due date into the past, as if the clock had run out."""
    from datetime import timedelta

    from django.utils import timezone

    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(minutes=1))


def _reload(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)
