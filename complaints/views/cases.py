"""Complainant and representative pages: filing, my complaints, one complaint, the dashboard.

Filing runs in steps whose input is kept in the session, so going back and forth loses
nothing. Attachments are chosen on the last (review) step, together with the final check:
no file is stored before the complaint exists, and a refused file is reported beside the
attachment field while the rest of the complaint stays as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import InvitationForm
from accounts.models import Business
from accounts.selectors import business_search, businesses_of
from core.errors import InvalidInput, NotFound, RedressError
from core.forms import add_service_errors
from disputes.models import Verdict
from disputes.services import thread_for

from ..attachments import attachment_response
from ..figures import business_figures
from ..forms import (
    AttachmentsForm,
    BusinessStepForm,
    ConsentChangeForm,
    ConsentStepForm,
    DashboardFilterForm,
    DetailsStepForm,
    MessageForm,
)
from ..models import Complaint, ComplaintType, DesiredOutcome, Status
from ..permissions import roles_for
from ..selectors import (
    business_response_figures,
    complaint_get_for_user,
    complaint_list_for_complainant,
    complaint_list_for_representative,
)
from ..services import complaint_facts, complaint_file, complaint_set_consent, complaint_withdraw
from ..workflow import OPEN_STATES, WAITING_ON, Actor, Event, events_for

FILING_SESSION_KEY = "redress_filing"
STEP_FORMS: dict[str, type[Form]] = {
    "business": BusinessStepForm,
    "details": DetailsStepForm,
    "consent": ConsentStepForm,
}
STEPS = [*STEP_FORMS, "review"]
STEP_TITLES = {
    "business": "The business",
    "details": "What happened",
    "consent": "Publication and affirmation",
    "review": "Review and attachments",
}
SUGGESTION_LIMIT = 10
SELECT_LIMIT = 50


def _get_complaint(request: HttpRequest, number: str) -> Complaint:
    try:
        return complaint_get_for_user(user=request.user, number=number)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404("No such complaint.") from exc


def complaint_for_action(request: HttpRequest, number: str, action: str) -> Complaint:
    """The complaint, if the user may take `action` on it now; 404 otherwise, as for one they cannot see."""
    complaint = _get_complaint(request, number)
    if action not in complaint_actions(complaint, roles_for(request.user, complaint)):  # type: ignore[arg-type]
        raise Http404
    return complaint


# --- Filing -------------------------------------------------------------------------------------


@require_GET
def business_suggestions(request: HttpRequest) -> JsonResponse:
    """Directory matches for the filing form's search box, as the user types."""
    query = request.GET.get("q", "").strip()[:200]
    results = business_search(query=query)[:SUGGESTION_LIMIT] if len(query) >= 2 else []
    return JsonResponse(
        {
            "results": [
                {"slug": b.slug, "name": b.name, "city": b.city, "website": b.website}
                for b in results  # type: ignore[union-attr]
            ]
        }
    )


def _draft(request: HttpRequest) -> dict[str, dict[str, str]]:
    return request.session.get(FILING_SESSION_KEY, {})


def _save_draft_step(request: HttpRequest, step: str, form_class: type[Form]) -> None:
    draft = _draft(request)
    draft[step] = {name: request.POST.get(name, "") for name in form_class.base_fields if name in request.POST}
    request.session[FILING_SESSION_KEY] = draft


def _bound_steps(draft: dict[str, dict[str, str]]) -> dict[str, Form]:
    return {step: form_class(data=draft.get(step) or {}) for step, form_class in STEP_FORMS.items()}


def _first_incomplete(forms: dict[str, Form]) -> str | None:
    for step, form in forms.items():
        if not form.is_valid():
            return step
    return None


def _limit_business_choices(form: BusinessStepForm, query: str) -> list[Business]:
    """Show the directory matches for the search (and the chosen business) in the plain <select>."""
    ids = list(business_search(query=query).values_list("pk", flat=True)[:SELECT_LIMIT])
    chosen = form.data.get("business") if form.is_bound else form.initial.get("business")
    qs = Business.objects.filter(is_listed=True).filter(Q(pk__in=ids) | Q(slug=chosen or "")).order_by("name")
    form.fields["business"].queryset = qs  # type: ignore[attr-defined]
    return list(qs)


@login_required
def file_start(request: HttpRequest) -> HttpResponse:
    if request.GET.get("restart"):
        request.session.pop(FILING_SESSION_KEY, None)
    draft = _draft(request)
    if "business" in request.GET:
        # A "File a complaint about this business" link from a profile page.
        draft["business"] = {"business": request.GET["business"], "query": ""}
        request.session[FILING_SESSION_KEY] = draft
    return redirect("complaints:file-step", step="business")


@login_required
@require_http_methods(["GET", "POST"])
def file_step(request: HttpRequest, step: str) -> HttpResponse:
    """One step of filing; the data of every step stays in the session until the complaint is filed."""
    if step not in STEPS:
        raise Http404
    draft = _draft(request)
    if step == "review":
        return _file_review(request, draft)
    form_class = STEP_FORMS[step]
    index = STEPS.index(step)
    searched = False
    if request.method == "POST":
        _save_draft_step(request, step, form_class)
        action = request.POST.get("action", "next")
        if action == "back" and index > 0:
            return redirect("complaints:file-step", step=STEPS[index - 1])
        form = form_class(data=request.POST)
        if action == "search":
            searched = True
        elif form.is_valid():
            return redirect("complaints:file-step", step=STEPS[index + 1])
    else:
        earlier = _first_incomplete({s: f for s, f in _bound_steps(draft).items() if STEPS.index(s) < index})
        if earlier is not None:
            return redirect("complaints:file-step", step=earlier)
        form = form_class(data=draft[step]) if step in draft else form_class()
    context: dict[str, Any] = {"form": form, "step": step, **_steps_context(step)}
    if isinstance(form, BusinessStepForm):
        query = (form.data.get("query") if form.is_bound else "") or ""
        context["matches"] = _limit_business_choices(form, query)
        context["searched"] = searched
        context["query"] = query
        if searched:
            # A search is not a submission: show the matches, not errors.
            form = BusinessStepForm(data=form.data)
            _limit_business_choices(form, query)
            form.errors.clear()
            context["form"] = form
    elif step in draft and request.method == "GET":
        form.is_valid()  # show the values as typed, with errors if any
    return render(request, f"complaints/file_{step}.html", context)


def _steps_context(step: str) -> dict[str, Any]:
    return {
        "steps": [{"slug": s, "title": STEP_TITLES[s], "number": i + 1} for i, s in enumerate(STEPS)],
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "step_title": STEP_TITLES[step],
    }


def _filing_values(forms: dict[str, Form]) -> dict[str, Any]:
    business = forms["business"].cleaned_data
    details = forms["details"].cleaned_data
    consent = forms["consent"].cleaned_data
    listed = not business.get("not_listed")
    return {
        "business": business.get("business") if listed else None,
        "business_name": "" if listed else business.get("business_name", ""),
        "business_website": "" if listed else business.get("business_website", ""),
        "business_address": "" if listed else business.get("business_address", ""),
        "business_email": "" if listed else business.get("business_email", ""),
        "business_phone": "" if listed else business.get("business_phone", ""),
        "type": details["type"],
        "description": details["description"],
        "desired_outcome": details["desired_outcome"],
        "desired_outcome_detail": details.get("desired_outcome_detail", ""),
        "transaction_date": details.get("transaction_date"),
        "amount": details.get("amount"),
        "currency": details.get("currency") or "USD",
        "reference": details.get("reference", ""),
        "publish_consent": bool(consent.get("publish_consent")),
        "affirm_true": bool(consent.get("affirm_true")),
        "affirm_not_in_court": bool(consent.get("affirm_not_in_court")),
    }


SERVICE_FIELD_STEPS = {
    "business": "business",
    **dict.fromkeys(BusinessStepForm.base_fields, "business"),
    **dict.fromkeys(DetailsStepForm.base_fields, "details"),
    **dict.fromkeys(ConsentStepForm.base_fields, "consent"),
}


def _file_review(request: HttpRequest, draft: dict[str, dict[str, str]]) -> HttpResponse:
    forms = _bound_steps(draft)
    incomplete = _first_incomplete(forms)
    if incomplete is not None:
        return redirect("complaints:file-step", step=incomplete)
    values = _filing_values(forms)
    step_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect("complaints:file-step", step="consent")
        attachments_form = AttachmentsForm(data=request.POST, files=request.FILES)
        if attachments_form.is_valid():
            try:
                complaint = complaint_file(
                    complainant=request.user,  # type: ignore[arg-type]
                    attachments=attachments_form.cleaned_data["attachments"],
                    **values,
                )
            except InvalidInput as exc:
                for field, problems in exc.field_errors.items():
                    for problem in problems:
                        if field == "attachments":
                            attachments_form.add_error("attachments", problem)
                        else:
                            step_errors.append((SERVICE_FIELD_STEPS.get(field, "details"), problem))
                if not exc.field_errors:
                    attachments_form.add_error(None, exc.message)
            else:
                request.session.pop(FILING_SESSION_KEY, None)
                return redirect("complaints:filed", number=complaint.number)
    else:
        attachments_form = AttachmentsForm()
    context = {
        "form": attachments_form,
        "step": "review",
        "values": values,
        "type_label": ComplaintType(values["type"]).label,
        "outcome_label": DesiredOutcome(values["desired_outcome"]).label,
        "step_errors": step_errors,
        **_steps_context("review"),
    }
    return render(request, "complaints/file_review.html", context)


@login_required
def file_done(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _get_complaint(request, number)
    if complaint.complainant_id != request.user.pk:
        raise Http404
    return render(request, "complaints/file_done.html", {"complaint": complaint})


# --- Lists --------------------------------------------------------------------------------------


def _with_display(complaints: list[Complaint]) -> list[Complaint]:
    now = timezone.now()
    for complaint in complaints:
        complaint.waiting_on = WAITING_ON.get(complaint.status, "")  # type: ignore[attr-defined]
        complaint.is_open = complaint.status in OPEN_STATES  # type: ignore[attr-defined]
        complaint.is_overdue = bool(  # type: ignore[attr-defined]
            complaint.is_open and complaint.due_at and complaint.due_at < now  # type: ignore[attr-defined]
        )
    return complaints


@login_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    user = request.user
    complaints = _with_display(list(complaint_list_for_complainant(user=user).order_by("-filed_at")))  # type: ignore[arg-type]
    waiting_for_verification = not user.email_verified_at and any(  # type: ignore[union-attr]
        c.status == Status.SUBMITTED for c in complaints
    )
    return render(
        request,
        "complaints/my_complaints.html",
        {"complaints": complaints, "waiting_for_verification": waiting_for_verification},
    )


# --- One complaint ------------------------------------------------------------------------------


def complaint_actions(complaint: Complaint, roles: set[Actor]) -> list[str]:
    """The actions this page offers, from the workflow table: only what the state allows the user."""
    facts = complaint_facts(complaint)
    offered: list[str] = []
    if Actor.REPRESENTATIVE in roles and Event.RESPOND in events_for(complaint.status, Actor.REPRESENTATIVE, facts):
        offered.append("respond")
    if Actor.COMPLAINANT in roles:
        events = events_for(complaint.status, Actor.COMPLAINANT, facts)
        if Event.ACCEPT in events:
            offered.append("accept")
        if Event.REJECT_ANSWER in events:
            offered.append("reject_answer")
        if Event.ADD_INFORMATION in events:
            offered.append("add_information")
        if Event.MARK_RESOLVED in events and Event.ACCEPT not in events:
            offered.append("mark_resolved")
        if Event.CHANGE_CONSENT in events:
            offered.append("change_consent")
        if Event.WITHDRAW in events:
            offered.append("withdraw")
    return offered


@login_required
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _get_complaint(request, number)
    roles = roles_for(request.user, complaint)  # type: ignore[arg-type]
    actions = complaint_actions(complaint, roles)
    _with_display([complaint])
    is_complainant = Actor.COMPLAINANT in roles
    waiting_on = WAITING_ON.get(complaint.status, "")
    if (is_complainant and complaint.status == Status.AWAITING_CONSUMER) or (
        Actor.REPRESENTATIVE in roles and complaint.status == Status.AWAITING_BUSINESS
    ):
        waiting_on = "you"
    context = {
        "complaint": complaint,
        "is_complainant": is_complainant,
        "waiting_on": waiting_on,
        "is_representative": Actor.REPRESENTATIVE in roles,
        "thread": thread_for(complaint),
        "attachments": list(complaint.attachments.all()),
        "events": [
            {
                "at": e.created_at,
                "who": e.get_actor_role_display(),
                "what": e.event.replace("_", " "),
                "to": e.get_to_status_display() if e.from_status != e.to_status else "",
            }
            for e in complaint.events.all()
        ],
        "actions": actions,
        "awaiting_verification": is_complainant
        and complaint.status == Status.SUBMITTED
        and complaint.complainant.email_verified_at is None,
        # Several forms share one page: each gets its own element ids.
        "respond_form": MessageForm(label="Your response", help_text=RESPOND_HELP, auto_id="respond_%s"),
        "accept_form": MessageForm(label="Comment", required=False, auto_id="accept_%s"),
        "reject_form": MessageForm(
            label="Why the answer does not settle it", help_text=REJECT_HELP, auto_id="reject_%s"
        ),
        "information_form": MessageForm(
            label="Information to add", help_text=INFORMATION_HELP, auto_id="information_%s"
        ),
        "resolved_form": MessageForm(label="How it was resolved", required=False, auto_id="resolved_%s"),
        "withdraw_form": MessageForm(label="Reason", required=False, auto_id="withdraw_%s"),
        "consent_form": ConsentChangeForm(
            initial={"publish_consent": "yes" if complaint.publish_consent else "no"}, auto_id="consent_%s"
        ),
        "verdicts": Verdict,
    }
    return render(request, "complaints/detail.html", context)


RESPOND_HELP = (
    "The complainant reads this and says whether it settles the complaint. Be specific about what you will do."
)
REJECT_HELP = "Required. The business reads this and may respond once more."
INFORMATION_HELP = "Added to the thread; it does not change the complaint's state. The filed text stays as it was."


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Serve a private attachment to someone who may see its complaint; never from MEDIA_URL."""
    complaint = _get_complaint(request, number)
    attachment = complaint.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment, inline=request.GET.get("inline") == "1")


def confirmable_action(
    request: HttpRequest,
    complaint: Complaint,
    *,
    form: Form,
    title: str,
    explanation: str,
    confirm_label: str,
    perform: Callable[[dict[str, Any]], object],
    done_message: str,
) -> HttpResponse:
    """Show the action's form; on submit, a confirmation page; on confirm, apply it (works without JS)."""
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes":
            try:
                perform(form.cleaned_data)
            except NotFound as exc:
                raise Http404 from exc
            except RedressError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done_message)
                return redirect(complaint)
        elif request.POST.get("edit") != "1":
            confirming = True
    return render(
        request,
        "complaints/action.html",
        {
            "complaint": complaint,
            "form": form,
            "title": title,
            "explanation": explanation,
            "confirm_label": confirm_label,
            "confirming": confirming,
        },
        status=200 if not form.errors or request.method == "GET" else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_withdraw_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_action(request, number, "withdraw")
    form = MessageForm(request.POST or None, label="Why you are withdrawing (optional)", required=False)
    return confirmable_action(
        request,
        complaint,
        form=form,
        title="Withdraw the complaint",
        explanation="Withdrawing closes the complaint for good. It is not published and the business is told.",
        confirm_label="Yes, withdraw the complaint",
        perform=lambda data: complaint_withdraw(
            complaint_id=complaint.pk,
            user=request.user,  # type: ignore[arg-type]
            reason=data.get("text", ""),
        ),
        done_message=f"Complaint #{complaint.number} was withdrawn.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_consent_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_action(request, number, "change_consent")
    form = ConsentChangeForm(
        request.POST or None, initial={"publish_consent": "yes" if complaint.publish_consent else "no"}
    )
    return confirmable_action(
        request,
        complaint,
        form=form,
        title="Change publication consent",
        explanation=(
            "With consent, the text of the complaint and the exchange are published, masked, once it closes. "
            "Without it, only the type, dates and outcome are shown."
        ),
        confirm_label="Yes, change consent",
        perform=lambda data: complaint_set_consent(
            complaint_id=complaint.pk,
            user=request.user,  # type: ignore[arg-type]
            publish_consent=data["publish_consent"],
        ),
        done_message="Your publication choice was saved.",
    )


# --- Dashboard ----------------------------------------------------------------------------------


DASHBOARD_PAGE_SIZE = 25  # a queue read a screen at a time; filters narrow it


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The representative's queue: complaints against their businesses, soonest due first."""
    user = request.user
    businesses = list(businesses_of(user=user))  # type: ignore[arg-type]
    base = complaint_list_for_representative(user=user)  # type: ignore[arg-type]
    filters = DashboardFilterForm(request.GET or None, businesses=businesses_of(user=user))  # type: ignore[arg-type]
    qs = base
    overdue = Q(status__in=OPEN_STATES, due_at__lt=timezone.now())
    if filters.is_valid():
        if filters.cleaned_data.get("state"):
            qs = qs.filter(status=filters.cleaned_data["state"])
        if filters.cleaned_data.get("business"):
            qs = qs.filter(business=filters.cleaned_data["business"])
        if filters.cleaned_data.get("overdue"):
            qs = qs.filter(overdue)
    rows = list(base.values("status").annotate(n=Count("pk"), late=Count("pk", filter=overdue)).order_by())
    counts = {row["status"]: row["n"] for row in rows}
    overdue_count = sum(row["late"] for row in rows)
    # The queue is read a page at a time; unfiltered, its length comes from the counts above.
    paginator = Paginator(qs.order_by(F("due_at").asc(nulls_last=True), "-filed_at", "pk"), DASHBOARD_PAGE_SIZE)
    if qs is base:
        paginator.count = sum(counts.values())  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    complaints = _with_display(list(page.object_list))
    state_counts = [(value, label, counts.get(value, 0)) for value, label in Status.choices if counts.get(value)]
    figures = {b.pk: _figures(b) for b in businesses}
    return render(
        request,
        "dashboard/index.html",
        {
            "businesses": [(b, figures[b.pk]) for b in businesses],
            "complaints": complaints,
            "page": page,
            "filters": filters,
            "state_counts": state_counts,
            "overdue_count": overdue_count,
            "total": sum(counts.values()),
            "invite_form": InvitationForm(businesses=businesses_of(user=user)) if businesses else None,  # type: ignore[arg-type]
        },
    )


def _figures(business: Business) -> dict[str, Any]:
    """The business's own answering record, and what its public profile shows."""
    # Like the public figures, the business's own are cached for REDRESS_FIGURES_CACHE_SECONDS
    # (production: five minutes; off in tests): they aggregate every complaint the business had.
    seconds = getattr(settings, "REDRESS_FIGURES_CACHE_SECONDS", 0)
    key = f"redress:response-figures:{business.pk}"
    figures = cache.get(key) if seconds else None
    if figures is None:
        figures = business_response_figures(business_id=business.pk)
        if seconds:
            cache.set(key, figures, seconds)
    return {**figures, "public": business_figures(business.pk)}
