"""The signed-in user's notifications: /notifications/, and "Mark all read"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from complaints.selectors.notifications import notification_list_for_user, notification_unread_count
from complaints.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Show one page of the user's notifications, newest first, and mark that page read.

    The ones that were unread are still marked as new on this rendering; the header's count,
    rendered after, no longer includes them. "Mark all read" is offered while any was unread
    (on this page or another).
    """
    user = request.user
    unread_before = notification_unread_count(user=user)  # type: ignore[arg-type]
    page = Paginator(notification_list_for_user(user=user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    items = list(page.object_list)
    unread_ids = {item.pk for item in items if item.read_at is None}
    notification_mark_read(user=user, ids=list(unread_ids))  # type: ignore[arg-type]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": [(item, item.pk in unread_ids) for item in items],
            "unread_before": unread_before,
            "unread_elsewhere": unread_before - len(unread_ids),
        },
    )


@login_required
@require_POST
def notification_mark_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the user read, then show the list again."""
    marked = notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    else:
        messages.info(request, "There was no unread notification.")
    return redirect("complaints:notifications")
