"""The signed-in user's notifications: /notifications/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from complaints.selectors.notifications import notification_list_for_user
from complaints.services import notification_mark_read

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Show one page of the user's notifications, newest first, and mark that page read.

    The ones that were unread are still marked as new on this rendering; the header's count,
    rendered after, no longer includes them.
    """
    page = Paginator(notification_list_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    items = list(page.object_list)
    unread_ids = {item.pk for item in items if item.read_at is None}
    notification_mark_read(user=request.user, ids=list(unread_ids))  # type: ignore[arg-type]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": [(item, item.pk in unread_ids) for item in items]},
    )
