"""Who may see a complaint, and in which roles: the visibility rule, written once.

A complainant sees their own complaints; a representative sees the complaints against a
business they represent once they have been forwarded to it; staff see every complaint; an
anonymous or inactive user sees none. The rule is written as database filters: lists filter by
them (`visible_complaints`, `as_representative`), and one complaint is fetched with which of
them it meets (`role_annotations`, read by `roles_for`; complaints.selectors.visibility).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from accounts.models import Membership

from .models import Complaint
from .workflow import Actor

if TYPE_CHECKING:
    from accounts.models import User


def sees_nothing(user: User | None) -> bool:
    return user is None or not user.is_authenticated or not user.is_active


def represented_business_ids(user: User) -> QuerySet[Membership, Any]:
    """The ids of the businesses `user` represents, as a subquery."""
    return Membership.objects.filter(user=user).values("business_id")


def as_complainant(user: User) -> Q:
    """The complaints `user` filed."""
    return Q(complainant_id=user.pk)


def as_representative(business_ids: Sequence[int] | QuerySet[Membership, Any]) -> Q:
    """The complaints the representatives of these businesses see: against them, once forwarded.

    `business_ids` is a list of ids or a subquery (`represented_business_ids`). PostgreSQL plans
    the two differently: a list lets it walk complaint_dashboard_idx in due order and stop at
    the page (see complaints.selectors.visibility).
    """
    return Q(business_id__in=business_ids, forwarded_at__isnull=False)


def visible_complaints(user: User | None, complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Narrow `complaints` to those `user` may see."""
    if user is None or sees_nothing(user):
        return complaints.none()
    if user.is_staff:
        return complaints
    return complaints.filter(as_complainant(user) | as_representative(represented_business_ids(user)))


def role_annotations(user: User) -> dict[str, ExpressionWrapper]:
    """Whether a complaint's row meets each of the two filters above, as annotations of a fetch."""
    return {
        ROLE_FIELDS[0]: ExpressionWrapper(as_complainant(user), output_field=BooleanField()),
        ROLE_FIELDS[1]: ExpressionWrapper(
            as_representative(represented_business_ids(user)), output_field=BooleanField()
        ),
    }


ROLE_FIELDS = ("role_complainant", "role_representative")


def roles_for(user: User | None, complaint: Complaint) -> set[Actor]:
    """The roles in which `user` may act on `complaint` (none means not theirs to see).

    No query when the complaint was fetched for this user with `role_annotations` (the case
    page); one otherwise: which of the two filters above the complaint's row meets.
    """
    if user is None or sees_nothing(user):
        return set()
    roles: set[Actor] = set()
    known = getattr(complaint, "roles_fetched_for", None)
    row: Any
    if known is not None and known == user.pk:
        row = tuple(getattr(complaint, name) for name in ROLE_FIELDS)
    else:
        row = Complaint.objects.filter(pk=complaint.pk).values_list(*role_annotations(user).values()).first()
    if row is not None:
        complainant, representative = row
        if complainant:
            roles.add(Actor.COMPLAINANT)
        if representative:
            roles.add(Actor.REPRESENTATIVE)
    if user.is_staff:
        roles.add(Actor.STAFF)
    return roles
