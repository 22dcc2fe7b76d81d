"""Reads of complaints for the people involved: each starts from what the user may see
(complaints.permissions), and one complaint is fetched and authorised together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects

from accounts.models import Business, Membership, User
from core.errors import NotFound
from core.prepared import Branch, Columns, UnionRead, prepared_reads, split

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
    if not may_be_a_case(user, number):
        raise NotFound("No such complaint.")
    if prepared_reads():
        (rows,) = CASE_FETCH.rows(number, user.pk)
        complaint = complaint_of_case_row(rows[0]) if rows else None
    else:
        complaint = (
            Complaint.objects.select_related("business", "complainant")
            .filter(number=number)
            .annotate(**role_annotations(user))
            .first()
        )
    complaint = complaint_authorised(complaint, user)
    prefetch_related_objects([complaint], *prefetch)
    return complaint


def may_be_a_case(user: User, number: str) -> bool:
    """Whether `number` can name a complaint this user may see, before any read."""
    # Case numbers are 8 ASCII digits; anything else (including a NUL byte PostgreSQL refuses) is not one.
    return len(number) == 8 and number.isascii() and number.isdigit() and not sees_nothing(user)


def complaint_authorised(complaint: Complaint | None, user: User) -> Complaint:
    """The complaint fetched with the user's roles on it, if it is theirs to see; NotFound otherwise."""
    if complaint is None or not (user.is_staff or any(getattr(complaint, name) for name in ROLE_FIELDS)):
        raise NotFound("No such complaint.")
    complaint.roles_fetched_for = user.pk  # type: ignore[attr-defined]
    return complaint


_COMPLAINT, _BUSINESS, _PERSON = Columns(Complaint), Columns(Business), Columns(User)


def case_branch(*extras: tuple[str, str]) -> Branch:
    """The complaint by number (`$1`) with its business and complainant, and the user's (`$2`) two roles on it.

    The roles are `role_annotations`' two filters written as values, the same rule: `$2` filed it,
    or represents its business and it was forwarded (complaints.permissions). Then its duplicate
    links' numbers, as `duplicate_links` reads them: the case staff rejected it as a duplicate of,
    and the cases rejected as duplicates of it, oldest filed first (both by their partial index).
    `extras` (an expression and its type each) follow. Every name comes from the models' meta;
    the number and the user's id are the parameters. Read its row with `complaint_of_case_row`.
    """
    complaint, business = Complaint._meta.db_table, Business._meta.db_table
    person, membership = User._meta.db_table, Membership._meta.db_table
    return Branch(
        ((_COMPLAINT, "c"), (_BUSINESS, "b"), (_PERSON, "u")),
        f"FROM {complaint} c LEFT JOIN {business} b ON b.id = c.business_id "
        f"JOIN {person} u ON u.id = c.complainant_id WHERE c.number = $1",
        extras=(
            ("c.complainant_id = $2", "boolean"),
            (
                f"c.business_id IN (SELECT m.business_id FROM {membership} m WHERE m.user_id = $2) "  # nosec B608
                "AND c.forwarded_at IS NOT NULL",
                "boolean",
            ),
            (f"SELECT o.number FROM {complaint} o WHERE o.id = c.duplicate_of_id", "text"),  # nosec B608
            (
                f"ARRAY(SELECT d.number FROM {complaint} d WHERE d.duplicate_of_id = c.id ORDER BY d.filed_at, d.id)",  # nosec B608
                "text[]",
            ),
            *extras,
        ),
    )


# The case's fetch: prepared once on each connection (core.prepared), as building the ORM's
# query (a join of three tables, two annotations with a subquery) took several times running it.
CASE_FETCH = UnionRead("redress_case_complaint", [case_branch()])


def complaint_of_case_row(values: Sequence[Any]) -> Complaint:
    """What the ORM's fetch gives, from a row of `case_branch`: the complaint with `business` and
    `complainant` selected and its role fields; and, as `duplicate_numbers`, what `duplicate_links`
    would read. The branch's `extras` are left to the caller."""
    own, business, person, rest = split(values, _COMPLAINT, _BUSINESS, _PERSON)
    complaint = _COMPLAINT.instance(own)
    complaint._state.fields_cache["business"] = _BUSINESS.instance_or_none(business)
    complaint._state.fields_cache["complainant"] = _PERSON.instance(person)
    *roles, duplicate_of, duplicates = rest[: len(ROLE_FIELDS) + 2]
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
