"""Who a user is with respect to one complaint (complaints.permissions), on PostgreSQL."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint
from complaints.permissions import represented_business_ids, roles_for, sees_nothing, visible_complaints
from complaints.tests.factories import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    business = BusinessFactory()
    return {
        "complainant": UserFactory(),
        "representative": MembershipFactory(business=business).user,
        "elsewhere": MembershipFactory().user,
        "staff": UserFactory(is_staff=True),
        "stranger": UserFactory(),
        "business": business,
    }


def complaint(people, *, forwarded=True, business=True, complainant=None) -> Complaint:
    """A stored complaint (roles are read from its row) against the people's business, or none."""
    filed = file_complaint(complainant or people["complainant"], people["business"])
    Complaint.objects.filter(pk=filed.pk).update(
        business=people["business"] if business else None, forwarded_at=timezone.now() if forwarded else None
    )
    return Complaint.objects.get(pk=filed.pk)


def test_each_party_has_its_role_on_a_forwarded_complaint(people):
    case = complaint(people)
    assert roles_for(people["complainant"], case) == {"complainant"}
    assert roles_for(people["representative"], case) == {"representative"}
    assert roles_for(people["staff"], case) == {"staff"}
    assert roles_for(people["elsewhere"], case) == set()
    assert roles_for(people["stranger"], case) == set()


def test_the_business_is_a_party_only_once_the_complaint_is_forwarded_to_it(people):
    assert roles_for(people["representative"], complaint(people, forwarded=False)) == set()
    assert roles_for(people["representative"], complaint(people, business=False)) == set()
    assert roles_for(people["complainant"], complaint(people, forwarded=False)) == {"complainant"}


def test_one_user_can_hold_several_roles(people):
    everyone = MembershipFactory(business=people["business"], user=UserFactory(is_staff=True)).user
    case = complaint(people, complainant=everyone)
    assert roles_for(everyone, case) == {"complainant", "representative", "staff"}


def test_nobody_signed_in_or_deactivated_has_no_role(people):
    case = complaint(people)
    assert roles_for(None, case) == set()
    assert roles_for(AnonymousUser(), case) == set()
    for name in ("complainant", "representative", "staff"):
        user = people[name]
        user.is_active = False
        assert roles_for(user, case) == set(), name


def test_the_businesses_a_user_represents(people):
    second = BusinessFactory()
    MembershipFactory(user=people["representative"], business=second)
    ids = [row["business_id"] for row in represented_business_ids(people["representative"])]
    assert sorted(ids) == sorted([people["business"].pk, second.pk])
    assert list(represented_business_ids(people["stranger"])) == []


def test_nobody_signed_in_and_a_deactivated_user_see_nothing(people):
    assert sees_nothing(None) is True
    assert sees_nothing(AnonymousUser()) is True
    assert sees_nothing(people["stranger"]) is False
    people["stranger"].is_active = False
    assert sees_nothing(people["stranger"]) is True


def test_each_user_sees_the_complaints_of_the_visibility_rule(people):
    ours = complaint(people)
    not_forwarded = complaint(people, forwarded=False)
    no_business = complaint(people, business=False)
    elsewhere = file_complaint(people["stranger"], BusinessFactory())
    Complaint.objects.filter(pk=elsewhere.pk).update(forwarded_at=timezone.now())
    every = Complaint.objects.all()

    def seen(user):
        return {c.pk for c in visible_complaints(user, every)}

    assert seen(people["complainant"]) == {ours.pk, not_forwarded.pk, no_business.pk}
    assert seen(people["representative"]) == {ours.pk}
    assert seen(people["stranger"]) == {elsewhere.pk}
    assert seen(people["elsewhere"]) == set()
    assert seen(people["staff"]) == {ours.pk, not_forwarded.pk, no_business.pk, elsewhere.pk}
    assert seen(None) == set()
    assert seen(AnonymousUser()) == set()
    for name in ("complainant", "representative", "staff"):
        user = people[name]
        user.is_active = False
        assert seen(user) == set(), name


def test_visibility_narrows_the_list_it_is_given(people):
    ours = complaint(people)
    complaint(people, forwarded=False)
    only_forwarded = Complaint.objects.filter(forwarded_at__isnull=False)
    assert [c.pk for c in visible_complaints(people["complainant"], only_forwarded)] == [ours.pk]
    assert [c.pk for c in visible_complaints(people["staff"], only_forwarded)] == [ours.pk]
