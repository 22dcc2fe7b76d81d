"""Filing a complaint, in steps: the business, what happened, consent, then review and attachments.

The input of each step is kept in the session, so going back and forth loses nothing.
Attachments are chosen on the last (review) step, together with the final check: no file is
stored before the complaint exists, and a refused file is reported beside the attachment field
while the rest of the complaint stays as typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.forms import Form, MultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Business
from accounts.selectors import business_search
from core.errors import InvalidInput
from core.input import without_nul
from core.throttles import FilingThrottle, page_throttle_refusal

from ..forms.filing import AttachmentsForm, BusinessStepForm, ConsentStepForm, DetailsStepForm
from ..issues import COUNTRIES, issue_label
from ..models import ComplaintType, DueKind, outcomes_label
from ..selectors.duplicates import duplicates_for_filing
from ..services import complaint_file
from .case import get_complaint

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


Draft = dict[str, dict[str, str | list[str]]]


def _draft(request: HttpRequest) -> Draft:
    return request.session.get(FILING_SESSION_KEY, {})


def _save_draft_step(request: HttpRequest, step: str, form_class: type[Form]) -> None:
    draft = _draft(request)
    # Without NUL: the draft is read back into the step's form and its search on every visit.
    data = without_nul(request.POST)
    draft[step] = {
        # A field of several values (the outcomes wanted) keeps them all, in the order sent.
        name: data.getlist(name) if isinstance(field, MultipleChoiceField) else data.get(name, "")
        for name, field in form_class.base_fields.items()
        if name in data
    }
    request.session[FILING_SESSION_KEY] = draft


def _bound_steps(draft: Draft) -> dict[str, Form]:
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
        "desired_outcomes": details["desired_outcomes"],
        "desired_outcome_detail": details.get("desired_outcome_detail", ""),
        "transaction_date": details.get("transaction_date"),
        "amount": details.get("amount"),
        "currency": details.get("currency") or "USD",
        "reference": details.get("reference", ""),
        "issue": details.get("issue", ""),
        "country": details.get("country", ""),
        "region": details.get("region", ""),
        "contacted_business": bool(details.get("contacted_business")),
        "business_ticket_reference": details.get("business_ticket_reference", ""),
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


def _file_review(request: HttpRequest, draft: Draft) -> HttpResponse:
    forms = _bound_steps(draft)
    incomplete = _first_incomplete(forms)
    if incomplete is not None:
        return redirect("complaints:file-step", step=incomplete)
    values = _filing_values(forms)
    step_errors: list[tuple[str, str]] = []
    refusal = ""
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect("complaints:file-step", step="consent")
        attachments_form = AttachmentsForm(data=request.POST, files=request.FILES)
        # The API's filing limit, counted together with filings through the API. The draft stays
        # in the session, so a refused filing loses nothing: it is filed again once allowed.
        refusal = page_throttle_refusal(request, FilingThrottle)
        if refusal:
            attachments_form.add_error(None, refusal)
        elif attachments_form.is_valid():
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
    business = values["business"]
    duplicates = duplicates_for_filing(
        complainant_id=request.user.pk,  # type: ignore[arg-type]  # login_required: signed in
        business_id=business.pk if business else None,
        business_name=values["business_name"],
        description=values["description"].strip(),
        reference=values["reference"].strip(),
        amount=values["amount"],
    )
    context = {
        "form": attachments_form,
        "step": "review",
        "duplicates": duplicates,
        "values": values,
        "type_label": ComplaintType(values["type"]).label,
        "outcome_label": outcomes_label(values["desired_outcomes"]),
        "issue_label": issue_label(values.get("issue") or ""),
        "country_name": COUNTRIES.get(values.get("country") or "", ""),
        "step_errors": step_errors,
        **_steps_context("review"),
    }
    return render(request, "complaints/file_review.html", context, status=429 if refusal else 200)


@login_required
def file_done(request: HttpRequest, number: str) -> HttpResponse:
    complaint = get_complaint(request, number)
    if complaint.complainant_id != request.user.pk:
        raise Http404
    # Until the address is confirmed, the complaint is not forwarded (workflow: AUTO_FORWARDABLE).
    awaiting_verification = request.user.email_verified_at is None  # type: ignore[union-attr]
    # Screening's due date, the one the receipt e-mail gives (complaints.consequences, as the case page).
    screening_due = complaint.due_at if complaint.due_kind == DueKind.SCREENING else None
    context = {"complaint": complaint, "awaiting_verification": awaiting_verification, "screening_due": screening_due}
    return render(request, "complaints/file_done.html", context)
