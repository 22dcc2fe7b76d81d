"""Reads of complaints for the people involved: each starts from what the user may see
(complaints.permissions), and one complaint is fetched and authorised together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects

from accounts.models import Business, Membership, User
from core.errors import NotFound
from core.prepared import Columns, PreparedRead, prepared_reads, split

from ..models import Complaint
from ..permissions import (
    ROLE_FIELDS,
    as_complainant,
    as_representative,
    role_annotations,
    sees_nothing,
    visible_complaints,
)


def complaint_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints the user may open: their own, their businesses' (once forwarded), or all for staff."""
    return visible_complaints(user, Complaint.objects.select_related("business", "complainant"))


def complaint_get_for_user(*, user: User, number: str, prefetch: Sequence[Any] = ()) -> Complaint:
    """Fetch one complaint the user may see; missing and forbidden both raise NotFound.

    `prefetch` names related rows (the thread) to load with it, once the complaint is known to be
    the user's to see. The row comes with the user's roles on it (`role_annotations`), which are
    the visibility rule's two filters as values: a complaint the user meets neither of, and is not
    staff for, is not theirs (complaints.permissions), and `roles_for` then needs no query of its own.
    """
    # Case numbers are 8 ASCII digits; anything else (including a NUL byte PostgreSQL refuses) is not one.
    if not (len(number) == 8 and number.isascii() and number.isdigit()) or sees_nothing(user):
        raise NotFound("No such complaint.")
    if prepared_reads():
        complaint = _case_fetch(number, user)
    else:
        complaint = (
            Complaint.objects.select_related("business", "complainant")
            .filter(number=number)
            .annotate(**role_annotations(user))
            .first()
        )
    if complaint is None or not (user.is_staff or any(getattr(complaint, name) for name in ROLE_FIELDS)):
        raise NotFound("No such complaint.")
    complaint.roles_fetched_for = user.pk  # type: ignore[attr-defined]
    prefetch_related_objects([complaint], *prefetch)
    return complaint


_COMPLAINT, _BUSINESS, _PERSON = Columns(Complaint), Columns(Business), Columns(User)


def _case_fetch_sql() -> str:
    """The complaint by number with its business and complainant, and the user's two roles on it.

    The roles are `role_annotations`' two filters written as values, the same rule: `$2` filed it,
    or represents its business and it was forwarded (complaints.permissions). Then its duplicate
    links' numbers, as `duplicate_links` reads them: the case staff rejected it as a duplicate of,
    and the cases rejected as duplicates of it, oldest filed first (both by their partial index).
    Every name comes from the models' meta; the number and the user's id are the parameters.
    """
    complaint, business = Complaint._meta.db_table, Business._meta.db_table
    person, membership = User._meta.db_table, Membership._meta.db_table
    return (
        f"SELECT {_COMPLAINT.select('c')}, {_BUSINESS.select('b')}, {_PERSON.select('u')}, "  # nosec B608
        "c.complainant_id = $2, "
        f"(c.business_id IN (SELECT m.business_id FROM {membership} m WHERE m.user_id = $2) "
        "AND c.forwarded_at IS NOT NULL), "
        f"(SELECT o.number FROM {complaint} o WHERE o.id = c.duplicate_of_id), "
        f"ARRAY(SELECT d.number FROM {complaint} d WHERE d.duplicate_of_id = c.id ORDER BY d.filed_at, d.id) "
        f"FROM {complaint} c LEFT JOIN {business} b ON b.id = c.business_id "
        f"JOIN {person} u ON u.id = c.complainant_id WHERE c.number = $1"
    )


# The case page's fetch: prepared once on each connection (core.prepared), as building the ORM's
# query (a join of three tables, two annotations with a subquery) took several times running it.
CASE_FETCH = PreparedRead("redress_case_complaint", _case_fetch_sql)


def _case_fetch(number: str, user: User) -> Complaint | None:
    """What the ORM's fetch gives: the complaint with `business` and `complainant` selected and its role
    fields; and, as `duplicate_numbers`, what `duplicate_links` would read."""
    rows = CASE_FETCH.rows(number, user.pk)
    if not rows:
        return None
    own, business, person, rest = split(rows[0], _COMPLAINT, _BUSINESS, _PERSON)
    complaint = _COMPLAINT.instance(own)
    complaint._state.fields_cache["business"] = _BUSINESS.instance_or_none(business)
    complaint._state.fields_cache["complainant"] = _PERSON.instance(person)
    *roles, duplicate_of, duplicates = rest
    for name, value in zip(ROLE_FIELDS, roles, strict=True):
        setattr(complaint, name, value)
    complaint.duplicate_numbers = (duplicate_of or "", list(duplicates))  # type: ignore[attr-defined]
    return complaint


def complaint_list_for_complainant(*, user: User) -> QuerySet[Complaint]:
    return complaint_visible_to(user).filter(as_complainant(user))


def complaint_list_for_representative(*, business_ids: Sequence[int]) -> QuerySet[Complaint]:
    """The complaints the representatives of these businesses see (see complaints.permissions).

    The ids come as values, not a subquery: with `business_id IN (2)` PostgreSQL walks
    complaint_dashboard_idx in due order and stops at the page; with the subquery it sorted all
    15,000 rows of a large business first (bench/README.md).
    """
    return Complaint.objects.select_related("business", "complainant").filter(as_representative(list(business_ids)))
