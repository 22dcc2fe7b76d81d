"""The representative's dashboard: their businesses' records and the queue of complaints against them."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from accounts.forms import InvitationForm
from core.dates import day_text

from ..consequences import complaint_consequence
from ..figures import FIGURE_DEFINITIONS, business_figures
from ..forms.dashboard import DashboardFilterForm
from ..models import Complaint
from ..presentation import standing
from ..selectors.dashboard import (
    QueueKey,
    queue,
    queue_after,
    queue_before,
    queue_cache_seconds,
    queue_counts,
    queue_versions,
)
from ..workflow import Actor
from .viewer import viewer_for

if TYPE_CHECKING:
    from accounts.models import Business

DASHBOARD_PAGE_SIZE = 25  # a queue read a screen at a time; filters narrow it
ROLES = {Actor.REPRESENTATIVE}

# A row of the queue's table. Written out here, every value escaped by format_html, as
# core.forms.QuickSelect writes a select: through the template engine, with an include for each
# status, the page's 25 rows took most of its time.
QUEUE_ROW = (
    '<tr class="{overdue}">\n'
    '        <th scope="row" data-label="Case"><a href="{url}">#{number}</a></th>\n'
    '        <td data-label="Business">{business}</td>\n'
    '        <td data-label="Type">{type}</td>\n'
    '        <td data-label="Outcome wanted">{outcomes}</td>\n'
    '        <td data-label="Status">{status}</td>\n'
    '        <td data-label="Whose move">{move}{consequence}</td>\n'
    '        <td data-label="Due">{due}</td>\n'
    "      </tr>"
)


@dataclass
class QueuePage:
    """One page of the queue, read by keyset: its links carry the key of the row they continue from.

    A link stays right while complaints come and go before it (it names a place in the order,
    not a count of rows), and page 200 costs what page 1 does. `number` is carried in the links
    to say where the reader is; a bare `?page=N` (an older link) is still served, by offset.
    `previous_key` and `next_key` are those of its first and last complaint.
    """

    items: list[Complaint]
    number: int
    count: int
    has_previous: bool
    has_next: bool
    size: int
    previous_key: str = ""
    next_key: str = ""

    def __post_init__(self) -> None:
        if self.items:
            self.previous_key = QueueKey.of(self.items[0]).token()
            self.next_key = QueueKey.of(self.items[-1]).token()

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.size))

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_number(self) -> int:
        return max(1, self.number - 1)

    @property
    def next_number(self) -> int:
        return self.number + 1


def _number(raw: str | None) -> int:
    try:
        return min(max(1, int(raw or 1)), 10**9)
    except ValueError:
        return 1


def queue_page(rows: QuerySet[Complaint], params: QueryDict, *, total: int | None) -> QueuePage:
    """The page the link asks for: after a key, before a key, or (no key) by its number."""
    size = DASHBOARD_PAGE_SIZE
    number = _number(params.get("page"))
    after, before = QueueKey.parse(params.get("after")), QueueKey.parse(params.get("before"))
    count = total if total is not None else rows.count()
    if after is not None:
        items = queue_after(rows, after, size + 1)
        return QueuePage(items[:size], max(number, 2), count, True, len(items) > size, size)
    if before is not None:
        items = queue_before(rows, before, size + 1)
        more = len(items) > size
        return QueuePage(items[-size:], max(number, 2) if more else 1, count, more, True, size)
    pages = max(1, math.ceil(count / size))
    number = min(number, pages)
    offset = (number - 1) * size
    items = list(rows[offset : offset + size])
    return QueuePage(items, number, count, number > 1, number < pages, size)


def case_link() -> Callable[[Complaint], str]:
    """Each complaint's case page link as `get_absolute_url` writes it, reversed once a page, not once a row.

    A case number is eight digits (services.filing._new_number), which a link carries as they
    are: the link is reversed with a stand-in no number can be (it starts with 0), and each
    number takes its place; anything else is reversed on its own.
    """
    stand_in = "01234567"
    before, found, after = reverse("complaints:detail", kwargs={"number": stand_in}).rpartition(stand_in)

    def link(complaint: Complaint) -> str:
        number = complaint.number
        if found and number.isascii() and number.isdigit():
            return f"{before}{number}{after}"
        return complaint.get_absolute_url()

    return link


def queue_rows(complaints: Iterable[Complaint], *, now: datetime) -> list[SafeString]:
    """Each complaint's row: whose move it is for the business, what happens if nobody moves, when it is due.

    What rows share is written once a page: the status include for each state shown, the label
    of each type and of each set of outcomes wanted, the case link's pattern.
    """
    link = case_link()
    statuses: dict[str, SafeString] = {}
    types: dict[str, str] = {}
    outcomes: dict[tuple[str, ...], str] = {}
    rows = []
    for complaint in complaints:
        place = standing(complaint.status, complaint.due_at, ROLES, now=now)
        status = statuses.get(complaint.status)
        if status is None:
            status = statuses[complaint.status] = render_to_string("includes/status.html", {"complaint": complaint})
        kind = types.get(complaint.type)
        if kind is None:
            kind = types[complaint.type] = complaint.get_type_display()  # type: ignore[attr-defined]
        wanted = tuple(complaint.desired_outcome_values)
        if wanted not in outcomes:
            outcomes[wanted] = complaint.desired_outcomes_display
        move = place.move
        # What happens if nobody moves, written to the business, as on the case page and in its e-mails.
        consequence = complaint_consequence(complaint, reader=Actor.REPRESENTATIVE, now=now)
        due: str | SafeString = "—"
        if place.is_open and complaint.due_at:
            day = day_text(complaint.due_at)
            due = format_html('{} <span class="tag tag--overdue">Overdue</span>', day) if place.is_overdue else day
        rows.append(
            format_html(
                QUEUE_ROW,
                overdue="overdue" if place.is_overdue else "",
                url=link(complaint),
                number=complaint.number,
                business=complaint.business_display_name,
                type=kind,
                outcomes=outcomes[wanted],
                status=status,
                move=format_html("<strong>{}</strong>", move.row) if move.yours else move.row,
                consequence=(
                    format_html('<span class="row-consequence" data-consequence>{}</span>', consequence)
                    if consequence
                    else ""
                ),
                due=due,
            )
        )
    return rows


# In the key of a kept page: a release that changes how rows are written never reads an older one's.
ROWS_SHAPE = 1


@dataclass(frozen=True)
class KeptQueuePage:
    """A page of the unfiltered queue as kept in the cache: its rows, its place, how long its texts hold.

    A row's texts change with the clock only when a due date passes (the row becomes overdue,
    and what happens next is said of a day gone by): `until` is the soonest due date still ahead
    among the page's complaints, and the copy is used only before it. Every other change of a
    row is a move, which moves the businesses' queue versions on, and the versions are in the key.
    """

    rows: tuple[SafeString, ...]
    number: int
    has_previous: bool
    has_next: bool
    previous_key: str
    next_key: str
    until: datetime | None

    def holds_at(self, now: datetime) -> bool:
        return self.until is None or now < self.until


def _written_for(*parts: object) -> str:
    """A digest of what a kept piece of the page shows, with the release and language it is written in."""
    return hashlib.sha256(json.dumps([settings.REDRESS_RELEASE, get_language(), *parts]).encode()).hexdigest()


def _kept_page_key(businesses: Iterable[Business], versions: dict[int, int], params: QueryDict) -> str:
    """The page's key: the businesses with their names (a renamed business is in every row) and queue
    versions, the link's place, and what a row is written in (language, time zone, release)."""
    return "redress:queue-page:" + _written_for(
        ROWS_SHAPE,
        timezone.get_current_timezone_name(),
        [(business.pk, business.name, versions[business.pk]) for business in businesses],
        [params.get(name, "") for name in ("page", "after", "before")],
    )


def kept_queue_page(
    businesses: list[Business], versions: dict[int, int], params: QueryDict, *, count: int, now: datetime
) -> tuple[QueuePage, list[SafeString]]:
    """The unfiltered queue's page and its rows, from the cache while its versions and texts hold.

    Kept under the businesses' queue versions (`selectors.dashboard.queue_versions`), which the
    move writer moves on, at once and after commit, for every business whose complaints a move
    touched: a page kept before a move is never read after it. Its count is the counts' own.
    """
    key = _kept_page_key(businesses, versions, params)
    kept = cache.get(key)
    if isinstance(kept, KeptQueuePage) and kept.holds_at(now):
        page = QueuePage(
            [],
            kept.number,
            count,
            kept.has_previous,
            kept.has_next,
            DASHBOARD_PAGE_SIZE,
            kept.previous_key,
            kept.next_key,
        )
        return page, list(kept.rows)
    page = queue_page(queue(business_ids=list(versions), now=now), params, total=count)
    rows = queue_rows(page.items, now=now)
    ahead = [complaint.due_at for complaint in page.items if complaint.due_at is not None and complaint.due_at > now]
    kept = KeptQueuePage(
        tuple(rows),
        page.number,
        page.has_previous,
        page.has_next,
        page.previous_key,
        page.next_key,
        min(ahead, default=None),
    )
    cache.set(key, kept, queue_cache_seconds())
    return page, rows


def forms_key(businesses: Iterable[Business], params: QueryDict) -> str:
    """All the filter and invitation forms' fields show: the businesses (their options), the filter's
    values as given (a refused one shows its error), the language and the release."""
    return _written_for(
        [(business.pk, business.name) for business in businesses],
        [params.getlist(name) for name in ("state", "business", "overdue")],
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The representative's queue: complaints against their businesses, soonest due first.

    The businesses are read once (and shared with the header); every query below takes their ids.
    """
    businesses = viewer_for(request).businesses
    business_ids = [business.pk for business in businesses]
    now = timezone.now()
    filters = DashboardFilterForm(request.GET or None, businesses=businesses)
    selection = filters.selection()
    versions = queue_versions(business_ids)
    counts = queue_counts(business_ids=business_ids, now=now, versions=versions)
    filtered = any(selection.values())
    if versions and not filtered:  # the unfiltered queue, its pages kept (production)
        page, rows = kept_queue_page(businesses, versions, request.GET, count=counts.total, now=now)
    else:
        total = None if filtered else counts.total  # unfiltered: the sum of the counts
        page = queue_page(queue(business_ids=business_ids, now=now, **selection), request.GET, total=total)
        rows = queue_rows(page.items, now=now)
    return render(
        request,
        "dashboard/index.html",
        {
            # The same figures, by the same definitions, as the public profile and the API.
            "businesses": [(business, business_figures(business.pk)) for business in businesses],
            "definitions": FIGURE_DEFINITIONS,
            "rows": rows,
            "page": page,
            "filters": filters,
            "state_counts": counts.states,
            "overdue_count": counts.overdue,
            "total": counts.total,
            "invite_form": InvitationForm(businesses=businesses) if businesses else None,
            # The two forms' fields, kept as written (Django's {% cache %}) for what they show.
            "forms_seconds": queue_cache_seconds(),
            "forms_key": forms_key(businesses, request.GET),
        },
    )
