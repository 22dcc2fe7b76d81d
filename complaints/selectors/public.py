"""Reads for the public record: listed businesses' profiles and their published complaints.

Pages and the public API read the same lists through here, and only their public fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Business
from core.errors import NotFound

from ..models import Complaint, ComplaintType
from ..publication import publication_cutoff
from ..workflow import PUBLIC_CLOSED_STATES

PUBLIC_ORDERINGS = {"newest": ("-filed_at", "-id"), "oldest": ("filed_at", "id")}
# What a public page may read of a complaint: never the original description.
PUBLIC_COMPLAINT_FIELDS = (
    "id",
    "number",
    "business_id",
    "type",
    "status",
    "filed_at",
    "closed_at",
    "publish_consent",
    "description_masked",
    "masked_at",
    "late_response",
)
NOT_PUBLISHED_LINE = "The details of this complaint are not published at the complainant's request."


def business_get_public(*, slug: str) -> Business:
    """A listed business by slug, with its locations; unlisted and missing both raise NotFound."""
    business = Business.objects.filter(slug=slug, is_listed=True).prefetch_related("locations").first()
    if business is None:
        raise NotFound("No such business.")
    return business


def published_complaints(
    business: Business | int,
    *,
    status: str | None = None,
    type: str | None = None,
    ordering: str = "newest",
    search: str = "",
) -> QuerySet[Complaint]:
    """A business's published complaints, thread prefetched, for pages and API alike.

    Published: in a public closed state, closed within REDRESS_PUBLICATION_MONTHS. Unknown
    status or type values give an empty list. Search looks only at consented, masked text:
    PostgreSQL full-text search (websearch syntax) there, `icontains` elsewhere. Only public
    fields are loaded; render the text through `published_entry`.
    """
    # The thread's models sit in the layer above (disputes): an upward import, as in publication.py.
    from disputes.models import BusinessResponse, CustomerAnswer

    business_id = business if isinstance(business, int) else business.pk
    qs = Complaint.objects.filter(
        business_id=business_id, status__in=PUBLIC_CLOSED_STATES, closed_at__gte=publication_cutoff()
    )
    if status:
        qs = qs.filter(status=status) if status in PUBLIC_CLOSED_STATES else qs.none()
    if type:
        qs = qs.filter(type=type) if type in ComplaintType.values else qs.none()
    search = (search or "").strip()
    if search:
        qs = qs.filter(publish_consent=True)
        if connection.vendor == "postgresql":
            qs = qs.filter(search_vector=SearchQuery(search, config="english", search_type="websearch"))
        else:
            qs = qs.filter(
                Q(description_masked__icontains=search)
                | Exists(BusinessResponse.objects.filter(complaint=OuterRef("pk"), text_masked__icontains=search))
                | Exists(CustomerAnswer.objects.filter(complaint=OuterRef("pk"), text_masked__icontains=search))
            )
    return (
        qs.only(*PUBLIC_COMPLAINT_FIELDS)
        .order_by(*PUBLIC_ORDERINGS.get(ordering, PUBLIC_ORDERINGS["newest"]))
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=BusinessResponse.objects.only("id", "complaint_id", "text_masked", "is_late", "created_at"),
            ),
            Prefetch(
                "answers",
                queryset=CustomerAnswer.objects.only("id", "complaint_id", "text_masked", "verdict", "created_at"),
            ),
        )
    )


def page_rows(qs: QuerySet[Any], offset: int, limit: int) -> list[Any]:
    """One page of a list: its ids first (an index-only scan of complaint_published_idx), then its rows.

    Page 2,000 of a business with 100,000 complaints skips 20,000 index entries instead of
    20,000 table rows (bench/README.md). The ids are read into Python rather than nested as
    `id IN (SELECT ... OFFSET n)`: with stale statistics PostgreSQL could run that subquery once
    per outer row, which took minutes on a freshly loaded table.
    """
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    return list(qs.filter(pk__in=ids)) if ids else []


@dataclass(frozen=True)
class PublishedItem:
    """One business response or customer answer as the public sees it."""

    kind: str  # "response" or "answer"
    created_at: datetime
    text: str | None  # masked text, or None where the complainant did not consent
    is_late: bool = False
    verdict: str = ""

    @property
    def heading(self) -> str:
        if self.kind == "response":
            return "Business response" + (" (late)" if self.is_late else "")
        return {"accept": "Customer answer: accepted", "reject": "Customer answer: rejected"}.get(
            self.verdict, "Customer answer"
        )


@dataclass(frozen=True)
class PublishedEntry:
    """A published complaint as the public sees it: masked, consented text only."""

    complaint: Complaint
    text: str | None  # None: not published at the complainant's request (see NOT_PUBLISHED_LINE)
    thread: tuple[PublishedItem, ...]

    @property
    def not_published_line(self) -> str:
        return NOT_PUBLISHED_LINE


def published_entry(complaint: Complaint) -> PublishedEntry:
    """The public view of one complaint from `published_complaints` (uses its prefetched thread)."""
    consent = complaint.publish_consent and complaint.masked_at is not None
    items = [
        PublishedItem("response", r.created_at, r.text_masked if consent else None, is_late=r.is_late)
        for r in complaint.responses.all()
    ] + [
        PublishedItem("answer", a.created_at, a.text_masked if consent else None, verdict=a.verdict)
        for a in complaint.answers.all()
    ]
    items.sort(key=lambda item: item.created_at)
    return PublishedEntry(complaint, complaint.description_masked if consent else None, tuple(items))
