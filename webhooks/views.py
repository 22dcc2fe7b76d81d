"""The representative's webhooks pages: endpoints of a business, their delivery log, and the acts on them.

Each page fetches the business through the user's memberships (others: 404) and calls one
service; the secret is shown on the page that created or rotated it, and nowhere else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Business
from core.errors import NotFound, RedressError
from core.forms import add_service_errors

from . import selectors, services
from .forms import EndpointForm
from .models import Endpoint

DELIVERIES_PER_PAGE = 20


def _business(request: HttpRequest, slug: str) -> Business:
    try:
        return selectors.business_get_for_manager(user=request.user, slug=slug)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc


def _endpoint(request: HttpRequest, slug: str, endpoint_id: int) -> Endpoint:
    try:
        return selectors.endpoint_get(business=_business(request, slug), endpoint_id=endpoint_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest, slug: str) -> HttpResponse:
    business = _business(request, slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(business=business, user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RedressError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "webhooks/secret.html", {"business": business, "endpoint": endpoint, "new": True})
    endpoints = list(selectors.endpoints_for(business=business))
    return render(request, "webhooks/list.html", {"business": business, "endpoints": endpoints, "form": form})


@login_required
def webhook_detail(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, endpoint_id)
    page = Paginator(selectors.deliveries_for(endpoint=endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/detail.html", {"business": endpoint.business, "endpoint": endpoint, "page": page})


@login_required
@require_POST
def webhook_enable(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, endpoint_id)
    enabled = request.POST.get("enabled") == "1"
    services.endpoint_update(endpoint=endpoint, enabled=enabled)
    messages.success(request, "Endpoint enabled: pending deliveries are sent." if enabled else "Endpoint disabled.")
    return redirect("webhooks:detail", slug=slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_rotate(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    endpoint = services.endpoint_rotate(endpoint=_endpoint(request, slug, endpoint_id))
    return render(request, "webhooks/secret.html", {"business": endpoint.business, "endpoint": endpoint, "new": False})


@login_required
@require_POST
def webhook_ping(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, endpoint_id)
    services.endpoint_ping(endpoint=endpoint)
    messages.success(request, "Test ping queued: it appears in the log below once sent.")
    return redirect("webhooks:detail", slug=slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_redeliver(request: HttpRequest, slug: str, endpoint_id: int, delivery_id: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, endpoint_id)
    try:
        delivery = selectors.delivery_get(endpoint=endpoint, delivery_id=delivery_id)
    except NotFound as exc:
        raise Http404 from exc
    attempt = services.delivery_redeliver(delivery=delivery)
    outcome = f"HTTP {attempt.status_code}" if attempt.status_code is not None else attempt.error
    messages.success(request, f"Sent again: {outcome}.")
    return redirect("webhooks:detail", slug=slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_delete(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    services.endpoint_delete(endpoint=_endpoint(request, slug, endpoint_id))
    messages.success(request, "Endpoint removed.")
    return redirect("webhooks:list", slug=slug)
