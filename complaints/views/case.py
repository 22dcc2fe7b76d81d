"""One complaint: its page, its attachments, and the actions its parties take from it.

Every action is confirmed before it is applied (`confirmable_action`), so it works without
JavaScript; disputes.views uses the same for responses and answers.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.errors import NotFound, RedressError
from core.forms import add_service_errors
from core.throttles import AnsweringThrottle, WriteRateThrottle, page_throttle_refusal
from disputes.forms import STAFF_ACTION_LABELS, StaffActionForm
from disputes.presentation import thread_entries
from disputes.selectors import act_attachments, case_page_fetch, entry_attachments, filed_attachments
from disputes.services import STAFF_ACTIONS, thread_for

from ..attachments import attachment_response
from ..closing import summary_of
from ..consequences import (
    Situation,
    action_plan,
    due_line,
    reader_of,
    reject_help,
    silence_consequence,
    situation_of,
)
from ..forms.case import ConsentChangeForm, MessageForm, StaffNoteForm
from ..history import history
from ..models import Complaint
from ..permissions import roles_for
from ..presentation import response_is_late, standing
from ..selectors.duplicates import duplicate_links
from ..selectors.notes import staff_notes_for
from ..selectors.visibility import complaint_get_for_user
from ..services import (
    complaint_facts,
    complaint_public_response_add,
    complaint_set_consent,
    complaint_withdraw,
    staff_note_add,
)
from ..tracker import tracker_steps
from ..workflow import Actor, Event, Facts, events_for
from .case_html import history_html, thread_html, tracker_html
from .viewer import viewer_for

RESPOND_HELP = (
    "The complainant reads this and says whether it settles the complaint. Be specific about what you will do."
)
INFORMATION_HELP = "Added to the thread; it does not change the complaint's state. The filed text stays as it was."
BUSINESS_INFORMATION_HELP = (
    "Added to the thread and sent to the complainant. It is not a new response: the complaint's state "
    "and due dates stay as they are."
)


def _message(prefix: str, label: str, *, help_text: str = "", required: bool = True) -> Callable[..., Form]:
    """A builder of one action's message form, its element ids prefixed (several forms share one page)."""
    return lambda complaint, situation: MessageForm(
        label=label, help_text=help_text, required=required, auto_id=f"{prefix}_%s"
    )


# The form each action of the page posts, under the name its template (complaints/actions/) reads it.
ACTION_FORMS: dict[str, tuple[str, Callable[[Complaint, Situation], Form]]] = {
    "respond": ("respond_form", _message("respond", "Your response", help_text=RESPOND_HELP)),
    "accept": ("accept_form", _message("accept", "Comment", required=False)),
    "reject_answer": (
        "reject_form",
        lambda complaint, situation: MessageForm(
            label="Why the answer does not settle it", help_text=reject_help(situation), auto_id="reject_%s"
        ),
    ),
    "add_information": ("information_form", _message("information", "Information to add", help_text=INFORMATION_HELP)),
    "business_information": (
        "business_information_form",
        _message("business_information", "Information to add", help_text=BUSINESS_INFORMATION_HELP),
    ),
    "mark_resolved": ("resolved_form", _message("resolved", "How it was resolved", required=False)),
    "withdraw": ("withdraw_form", _message("withdraw", "Reason", required=False)),
    "change_consent": (
        "consent_form",
        lambda complaint, situation: ConsentChangeForm(
            initial={"publish_consent": "yes" if complaint.publish_consent else "no"}, auto_id="consent_%s"
        ),
    ),
}


def action_forms(actions: list[str], complaint: Complaint, situation: Situation) -> dict[str, Form]:
    """The forms of the actions offered now, by their context names; none for an action not offered."""
    forms_: dict[str, Form] = {}
    for action in actions:
        if action in ACTION_FORMS:
            name, build = ACTION_FORMS[action]
            forms_[name] = build(complaint, situation)
    return forms_


def get_complaint(request: HttpRequest, number: str, *, prefetch: tuple[Any, ...] = ()) -> Complaint:
    """The complaint, if the user may see it; 404 otherwise."""
    try:
        return complaint_get_for_user(user=request.user, number=number, prefetch=prefetch)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404("No such complaint.") from exc


def complaint_actions(complaint: Complaint, roles: set[Actor], facts: Facts | None = None) -> list[str]:
    """The actions this page offers, from the workflow table: only what the state allows the user.

    `facts`: the complaint's (`complaint_facts`), where the caller has them.
    """
    facts = facts if facts is not None else complaint_facts(complaint)
    offered: list[str] = []
    if Actor.REPRESENTATIVE in roles:
        events = events_for(complaint.status, Actor.REPRESENTATIVE, facts)
        if Event.RESPOND in events:
            offered.append("respond")
        if Event.BUSINESS_INFORMATION in events:
            offered.append("business_information")
        if Event.PUBLIC_RESPONSE in events and complaint.public_response_at is None:
            offered.append("public_response")
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


def staff_actions_now(complaint: Complaint, user: Any, facts: Facts | None = None) -> list[str]:
    """The staff actions the workflow allows on this complaint now, in its order; none for anyone but staff."""
    if not user.is_staff:
        return []
    events = events_for(complaint.status, Actor.STAFF, facts if facts is not None else complaint_facts(complaint))
    return [str(event) for event in STAFF_ACTIONS if event in events]


def complaint_for_action(request: HttpRequest, number: str, action: str) -> Complaint:
    """The complaint, if the user may take `action` on it now; 404 otherwise, as for one they cannot see."""
    complaint = get_complaint(request, number)
    if action not in complaint_actions(complaint, roles_for(request.user, complaint)):  # type: ignore[arg-type]
        raise Http404
    return complaint


@login_required
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        complaint = case_page_fetch(user=request.user, number=number)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404("No such complaint.") from exc
    viewer_for(request).keep_facts(complaint.header_facts)  # type: ignore[attr-defined]
    roles = roles_for(request.user, complaint)  # type: ignore[arg-type]
    state = standing(
        complaint.status,
        complaint.due_at,
        roles,
        now=timezone.now(),
        complainant_verified=complaint.complainant.email_verified_at is not None,
    )
    business = complaint.business
    events = list(complaint.events.all())
    facts = complaint_facts(complaint, events=events)
    situation = situation_of(complaint)
    reader = reader_of(roles)
    actions = complaint_actions(complaint, roles, facts)
    context = {
        "complaint": complaint,
        "standing": state,
        "is_representative": Actor.REPRESENTATIVE in roles,
        # Unlisted businesses have no public profile to link to.
        "business_url": business.get_absolute_url() if business is not None and business.is_listed else "",
        "admin_url": reverse("admin:complaints_complaint_change", args=[complaint.pk]) if Actor.STAFF in roles else "",
        # Staff see who looks after the case and whether its screening clock is paused.
        "staff_case": (
            {
                "assigned_to": complaint.assigned_to,
                "paused_at": complaint.paused_at,
                "workbench": reverse("workbench:index"),
            }
            if Actor.STAFF in roles
            else None
        ),
        "duplicates": duplicate_links(
            complaint, staff=Actor.STAFF in roles, party=Actor.COMPLAINANT in roles or Actor.REPRESENTATIVE in roles
        ),
        "thread": thread_html(
            thread_entries(
                thread_for(complaint),
                business_name=complaint.business_display_name,
                to_complainant=reader is Actor.COMPLAINANT,
                files=entry_attachments(complaint),
            ),
            complaint.number,
        ),
        "attachments": filed_attachments(complaint),
        # Staff act from this page through the same service as the admin and the API.
        "staff_actions": [
            (action, STAFF_ACTION_LABELS[action], StaffActionForm(action=action, auto_id=f"staff_{action}_%s"))
            for action in staff_actions_now(complaint, request.user, facts)
        ],
        # Asked of staff only: the selector's empty queryset for anyone else still costs its compilation.
        "staff_notes": (
            list(staff_notes_for(user=request.user, complaint=complaint))  # type: ignore[arg-type]
            if Actor.STAFF in roles
            else []
        ),
        "staff_note_form": StaffNoteForm(auto_id="staff_note_%s") if Actor.STAFF in roles else None,
        "history": history_html(
            history(
                events,
                business=complaint.business_display_name,
                to_complainant=reader is Actor.COMPLAINANT,
                files=act_attachments(complaint),
            ),
            complaint.number,
        ),
        "tracker": tracker_html(tracker_steps(complaint.status, events, roles)),
        "closing_summary": summary_of(complaint, events),
        # What happens if the awaited side stays silent, and what each action leads to, in this round.
        "consequence": silence_consequence(situation, reader, now=timezone.now()),
        "due_line": due_line(situation, reader),
        "plan": action_plan(actions, situation, now=timezone.now()),
        "respond_late": response_is_late(complaint.status),
        **action_forms(actions, complaint, situation),
    }
    return render(request, "complaints/detail.html", context)


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Serve a private attachment to someone who may see its complaint; never from MEDIA_URL."""
    complaint = get_complaint(request, number)
    attachment = complaint.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment, inline=request.GET.get("inline") == "1")


def confirm_rows(form: Form, *, currency: str) -> list[tuple[str, str]]:
    """What the confirmation step shows of a valid form: each given field's label and value, in words.

    A choice is shown by its label (`Closed with monetary relief`, not `monetary_relief`), an
    amount with the complaint's currency, the consent as what it means.
    """
    rows: list[tuple[str, str]] = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "attachments" or (value in (None, "", [], False) and name != "publish_consent"):
            continue
        if name == "publish_consent":
            text = "Publish the text, masked" if value else "Keep the text private"
        elif isinstance(field, forms.ChoiceField):
            labels: dict[str, str] = {}
            choices: Any = field.choices
            for key, label in choices:
                if isinstance(label, list | tuple):
                    labels.update({str(k): str(v) for k, v in label})
                else:
                    labels[str(key)] = str(label)
            text = labels.get(str(value), str(value))
        elif isinstance(value, bool):
            text = "Yes"
        elif isinstance(value, Decimal):
            text = f"{value} {currency}"
        else:
            text = str(value)
        rows.append((str(form[name].label), text))  # the label the form shows ("Reason" when none is given)
    return rows


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
    throttle: type[WriteRateThrottle] | None = None,
) -> HttpResponse:
    """Show the action's form; on submit, a confirmation page; on confirm, apply it (works without JS).

    `throttle`: the API's rate limit for the same act, counted on confirming. A refusal shows the
    form again with the typed text and the time to retry.
    """
    confirming = False
    refusal = ""
    # Files are chosen on the confirmation step: a browser cannot carry a chosen file from one page
    # to the next (docs/decisions/0027-attachments-in-the-exchange.md).
    files_field = form["attachments"] if "attachments" in form.fields else None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes" and throttle is not None:
            refusal = page_throttle_refusal(request, throttle)
        if refusal:
            form.add_error(None, refusal)
        elif request.POST.get("confirm") == "yes":
            try:
                perform(form.cleaned_data)
            except NotFound as exc:
                raise Http404 from exc
            except RedressError as exc:
                add_service_errors(form, exc)
                # A refused file is chosen again on the same step; the text stays as typed.
                confirming = files_field is not None and set(form.errors) == {"attachments"}
            else:
                messages.success(request, done_message)
                return redirect(complaint)
        elif request.POST.get("edit") != "1":
            confirming = True
    elif request.method == "POST" and files_field is not None and set(form.errors) == {"attachments"}:
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
            "confirm_rows": confirm_rows(form, currency=complaint.currency) if confirming else [],
            "files_field": files_field,
        },
        status=429 if refusal else 200 if not form.errors or request.method == "GET" else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_withdraw_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_action(request, number, "withdraw")
    form = MessageForm(request.POST or None, label="Why you are withdrawing", required=False)
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


@login_required
@require_http_methods(["GET", "POST"])
def staff_note_add_view(request: HttpRequest, number: str) -> HttpResponse:
    """Add a private staff note; anyone but staff gets 404, as for a complaint they cannot see."""
    complaint = get_complaint(request, number)
    if not request.user.is_staff:
        raise Http404
    form = StaffNoteForm(request.POST or None)
    return confirmable_action(
        request,
        complaint,
        form=form,
        title="Add a private note",
        explanation="Only Redress staff read it: never the complainant, the business or the public. "
        "It cannot be changed afterwards.",
        confirm_label="Yes, add the note",
        perform=lambda data: staff_note_add(
            complaint_id=complaint.pk,
            staff=request.user,  # type: ignore[arg-type]
            text=data["text"],
        ),
        done_message="Your private note was added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_public_response_view(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_action(request, number, "public_response")
    form = MessageForm(
        request.POST or None,
        label="Your public response",
        help_text="Up to 2,000 characters. Names and contact details are masked when it is shown.",
    )
    return confirmable_action(
        request,
        complaint,
        form=form,
        title="Add a public response",
        explanation="The business may add one public response after a complaint closes. It is shown with the "
        "published complaint where the complainant consented to publishing the text, and cannot be changed.",
        confirm_label="Yes, publish the response",
        perform=lambda data: complaint_public_response_add(
            complaint_id=complaint.pk,
            author=request.user,  # type: ignore[arg-type]
            text=data["text"],
        ),
        done_message="Your public response was added.",
        throttle=AnsweringThrottle,
    )
