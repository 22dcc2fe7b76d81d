"""Public pages: the business directory and each business's profile with its published complaints."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from accounts.models import Business
from accounts.selectors import business_search, listed_categories
from core.errors import NotFound
from disputes.selectors import PUBLIC_ORDERINGS, published_complaints, published_entries

from ..figures import CLOSED_STATE_DEFINITIONS, FIGURE_DEFINITIONS, business_figures, monthly_chart, outcome_chart
from ..forms.profile import ProfileFilterForm
from ..models import ComplaintType
from ..publication import utc_day
from ..selectors.public import business_get_public, page_rows
from ..workflow import PUBLIC_CLOSED_STATES

DIRECTORY_PAGE_SIZE = 20
PROFILE_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def _text(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "").strip()[:MAX_QUERY_LENGTH]


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@dataclass(frozen=True)
class ListPage:
    """One page of a list whose total is either known (from the figures) or not counted at all."""

    number: int
    items: list[Any]
    total: int | None
    num_pages: int | None
    has_next: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


def list_page(qs: QuerySet[Any], *, number: int, per_page: int, total: int | None) -> ListPage:
    """Slice one page without COUNT(*): the total comes from the figures, or is left unknown.

    With a known total a page past the end shows the last page; without one the page asks for
    one row more than it shows, to know whether a next page exists.
    """
    if total is not None:
        num_pages = max(1, math.ceil(total / per_page))
        number = min(number, num_pages)
        offset = (number - 1) * per_page
        items = page_rows(qs, offset, per_page)
        return ListPage(number, items, total, num_pages, number < num_pages, per_page)
    offset = (number - 1) * per_page
    items = page_rows(qs, offset, per_page + 1)
    return ListPage(number, items[:per_page], None, None, len(items) > per_page, per_page)


@require_GET
def business_directory(request: HttpRequest) -> HttpResponse:
    """Listed businesses, searched by name, category and city."""
    query, category, city = _text(request, "q"), _text(request, "category"), _text(request, "city")
    businesses = business_search(query=query, category=category, city=city).prefetch_related("locations")
    page = Paginator(businesses, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "businesses/directory.html",
        {
            "page": page,
            "query": query,
            "category": category,
            "city": city,
            "categories": listed_categories(),
            "searched": bool(query or category or city),
        },
    )


def profile_etag(business: Business) -> str:
    """The profile's validator: it changes with every change to what the page shows.

    The business's own fields and locations are hashed as loaded; its complaints, their
    published text and its figures are stood for by `public_version`, moved on by every write
    of its public record (complaints.services.record.public_versions_bump). The UTC day is in
    it because the figures cover a window that moves daily, and `REDRESS_RELEASE` because a new
    release may render the same record differently (docs/architecture.md, "Public pages and caches").
    """
    values = [getattr(business, field.attname) for field in Business._meta.concrete_fields]
    locations = [
        [getattr(location, field.attname) for field in location._meta.concrete_fields]
        for location in business.locations.all()
    ]
    parts = [settings.REDRESS_RELEASE, utc_day(timezone.now()).isoformat(), values, locations]
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'


def _shared_copy(request: HttpRequest) -> bool:
    """Whether the page may be served from a shared cache: nobody signed in and no message waiting."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    return not len(get_messages(request))


def _kept_page_key(request: HttpRequest, etag: str) -> str | None:
    """Where the anonymous page for this address and ETag is kept, or None when pages are not kept.

    The ETag stands for everything the page shows (its business, locations, public version, the
    UTC day and the release), so a copy under it is exactly what a 304 for it would confirm; a
    publication moves the version on and the next visit renders the page again.
    """
    if not settings.REDRESS_PUBLIC_PAGE_CACHE_SECONDS:
        return None
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return f"redress:public-page:{etag}:{path}"


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def _cacheable(response: HttpResponse, etag: str) -> HttpResponse:
    """An anonymous page: any cache may keep it, checking back with its ETag before each use."""
    response.headers["ETag"] = etag
    max_age = settings.REDRESS_PUBLIC_MAX_AGE
    if max_age:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """A page for someone signed in (their header, their messages): never kept by a shared cache."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _carries_a_person(request: HttpRequest) -> bool:
    """Whether the request has a cookie that can make a page someone's own: the session (a
    signed-in user, session-kept messages) or the messages the cookie storage keeps."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def profile_revalidated_without_cookies(request: HttpRequest, slug: str) -> HttpResponse | None:
    """The `304` for a GET with neither a session nor a message cookie whose copy is current, else None.

    Called by config.middleware.PublicRevalidationMiddleware ahead of the session, user and
    message layers (docs/decisions/0040-revalidation-before-the-session-layer.md): with neither
    cookie nobody is signed in and no message waits, so the page is the shared copy the view
    itself would answer 304 for. Anything else (no match, a missing business, a cookie) is left
    to the view, which answers it in full.
    """
    if _carries_a_person(request):
        return None
    tags = _if_none_match(request)
    if not tags:
        return None
    try:
        business = business_get_public(slug=slug)
    except NotFound:
        return None
    etag = profile_etag(business)
    return _cacheable(HttpResponseNotModified(), etag) if etag in tags else None


@require_GET
def business_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """A listed business's record: details, figures, chart and its published complaints.

    The query count does not depend on the number of complaints, the page, the filters or the
    sort: business with its locations, figures (day rows), one page of complaints, their responses and
    their answers.
    """
    try:
        business = business_get_public(slug=slug)
    except NotFound as exc:
        raise Http404("No such business.") from exc
    shared = _shared_copy(request)
    etag = profile_etag(business) if shared else None
    if etag is not None and etag in _if_none_match(request):
        return _cacheable(HttpResponseNotModified(), etag)
    kept_key = _kept_page_key(request, etag) if etag is not None else None
    if kept_key is not None and (body := cache.get(kept_key)) is not None:
        return _cacheable(HttpResponse(body, content_type="text/html; charset=utf-8"), etag)  # type: ignore[arg-type]
    status = request.GET.get("status", "")
    status = status if status in PUBLIC_CLOSED_STATES else ""
    type_ = request.GET.get("type", "")
    type_ = type_ if type_ in ComplaintType.values else ""
    ordering = request.GET.get("ordering", "newest")
    ordering = ordering if ordering in PUBLIC_ORDERINGS else "newest"
    search = _text(request, "q")
    place_form = ProfileFilterForm(request.GET if request.GET else None)
    place = place_form.filters()
    number = _text(request, "complaint")

    figures = business_figures(business.pk)
    complaints = published_complaints(
        business, status=status, type=type_, ordering=ordering, search=search, number=number, **place
    )
    # The figures count by status and type only: with an issue, a place or one entry the total is not known.
    known_total = not (search or number or any(place.values()))
    page = list_page(
        complaints,
        number=_page_number(request.GET.get("page")),
        per_page=PROFILE_PAGE_SIZE,
        total=figures.count(status=status or None, type=type_ or None) if known_total else None,
    )
    response = render(
        request,
        "businesses/profile.html",
        {
            "business": business,
            "locations": list(business.locations.all()),
            "figures": figures,
            "chart": monthly_chart(figures),
            "outcomes_chart": outcome_chart(figures),
            "definitions": CLOSED_STATE_DEFINITIONS,
            "figure_definitions": FIGURE_DEFINITIONS,
            "page": page,
            "entries": published_entries(page.items, business_name=business.name),
            "filters": {"status": status, "type": type_, "ordering": ordering, "q": search, **place},
            "filtered": bool(status or type_ or search or number or any(place.values())),
            "place_form": place_form,
            "status_choices": [(value, label) for value, label, _ in figures.status_rows],
            "type_choices": ComplaintType.choices,
        },
    )
    if etag is None:
        return _private(response)
    if kept_key is not None and response.status_code == 200:
        cache.set(kept_key, response.content, settings.REDRESS_PUBLIC_PAGE_CACHE_SECONDS)
    return _cacheable(response, etag)
