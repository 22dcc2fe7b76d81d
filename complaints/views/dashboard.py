"""The representative's dashboard: their businesses' records and the queue of complaints against them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.forms import InvitationForm

from ..consequences import complaint_consequence
from ..figures import FIGURE_DEFINITIONS, business_figures
from ..forms.dashboard import DashboardFilterForm
from ..presentation import standing
from ..selectors.dashboard import queue, queue_counts
from ..workflow import Actor
from .viewer import viewer_for

DASHBOARD_PAGE_SIZE = 25  # a queue read a screen at a time; filters narrow it
ROLES = {Actor.REPRESENTATIVE}


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
    counts = queue_counts(business_ids=business_ids, now=now)
    paginator = Paginator(queue(business_ids=business_ids, now=now, **selection), DASHBOARD_PAGE_SIZE)
    if not any(selection.values()):
        # Unfiltered, the queue's length is the sum of the counts: no COUNT(*) of its own.
        paginator.count = counts.total  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    complaints = list(page.object_list)
    for complaint in complaints:
        complaint.standing = standing(complaint.status, complaint.due_at, ROLES, now=now)  # type: ignore[attr-defined]
        # What happens if nobody moves, written to the business, as on the case page and in its e-mails.
        complaint.consequence = complaint_consequence(complaint, reader=Actor.REPRESENTATIVE)  # type: ignore[attr-defined]
    return render(
        request,
        "dashboard/index.html",
        {
            # The same figures, by the same definitions, as the public profile and the API.
            "businesses": [(business, business_figures(business.pk)) for business in businesses],
            "definitions": FIGURE_DEFINITIONS,
            "complaints": complaints,
            "page": page,
            "filters": filters,
            "state_counts": counts.states,
            "overdue_count": counts.overdue,
            "total": counts.total,
            "invite_form": InvitationForm(businesses=businesses) if businesses else None,
        },
    )
