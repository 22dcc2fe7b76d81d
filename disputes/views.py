"""Pages that add to a complaint's thread: a business response, the business's information, the complainant's answers.

Each is confirmed before it is applied (complaints.views.case.confirmable_action).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from complaints.consequences import action_consequence, reject_consequence, reject_help, situation_of
from complaints.presentation import response_is_late
from complaints.views.case import (
    BUSINESS_INFORMATION_HELP,
    INFORMATION_HELP,
    RESPOND_HELP,
    complaint_for_action,
    confirmable_action,
    get_complaint,
    staff_actions_now,
)
from core.throttles import AnsweringThrottle

from .forms import STAFF_ACTION_LABELS, MessageForm, ResponseForm, StaffActionForm
from .models import Verdict
from .services import answer_submit, business_information_add, complaint_staff_act, response_submit


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_action(request, number, "respond")
    late = response_is_late(complaint.status)
    form = ResponseForm(
        request.POST or None, request.FILES or None, label="Your response", help_text=RESPOND_HELP, files_field=True
    )
    consequence = action_consequence("respond", situation_of(complaint), now=timezone.now())
    return confirmable_action(
        request,
        complaint,
        form=form,
        title="Respond to the complaint" + (" (late)" if late else ""),
        explanation=f"Your response is sent to the complainant. {consequence} It cannot be changed afterwards.",
        confirm_label="Yes, send the response",
        perform=lambda data: response_submit(
            complaint_id=complaint.pk,
            author=request.user,  # type: ignore[arg-type]
            text=data["text"],
            attachments=data.get("attachments", []),
            outcome=data.get("outcome") or "",
            relief_amount=data.get("relief_amount"),
        ),
        done_message="Your response was sent to the complainant.",
        throttle=AnsweringThrottle,
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_information(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_action(request, number, "business_information")
    form = MessageForm(
        request.POST or None,
        request.FILES or None,
        label="Information to add",
        help_text=BUSINESS_INFORMATION_HELP,
        files_field=True,
    )
    return confirmable_action(
        request,
        complaint,
        form=form,
        title="Add information",
        explanation=(
            "This is added to the thread and sent to the complainant. It is not a new response: the complaint's "
            "state and due dates do not change. It cannot be changed afterwards."
        ),
        confirm_label="Yes, add it",
        perform=lambda data: business_information_add(
            complaint_id=complaint.pk,
            author=request.user,  # type: ignore[arg-type]
            text=data["text"],
            attachments=data.get("attachments", []),
        ),
        done_message="Your information was added and sent to the complainant.",
        throttle=AnsweringThrottle,
    )


# Keyed by the event each page sends: one name from the URL to the event.
ANSWERS = {
    "accept": {
        "title": "Accept the answer",
        "label": "Anything to add",
        "required": False,
        "help": "",
        "explanation": "Accepting marks the complaint Resolved: the issue was resolved to your satisfaction. "
        "This closes it.",
        "confirm": "Yes, the complaint is resolved",
        "done": "The complaint is marked Resolved. Thank you.",
    },
    "mark_resolved": {
        "title": "Mark the complaint resolved",
        "label": "How it was resolved",
        "required": False,
        "help": "",
        "explanation": "Marking it resolved closes the complaint as Resolved.",
        "confirm": "Yes, mark it resolved",
        "done": "The complaint is marked Resolved.",
    },
    "reject_answer": {
        "title": "Reject the answer",
        "label": "Why the answer does not settle it",
        "required": True,
        "help": "",  # written for the round: complaints.consequences.reject_help
        "explanation": "",  # written for the round: complaints.consequences.reject_consequence
        "confirm": "Yes, reject the answer",
        "done": "Your rejection was sent to the business.",
    },
    "add_information": {
        "title": "Add information",
        "label": "Information to add",
        "required": True,
        "help": INFORMATION_HELP,
        "explanation": "This is added to the thread and shown to the business. The complaint's state does not change.",
        "confirm": "Yes, add it",
        "done": "Your information was added.",
    },
}
VERDICTS = {
    "accept": Verdict.ACCEPT,
    "mark_resolved": Verdict.ACCEPT,
    "reject_answer": Verdict.REJECT,
    "add_information": Verdict.NONE,
}


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    spec = ANSWERS.get(kind)
    if spec is None:
        raise Http404
    complaint = complaint_for_action(request, number, kind)
    situation = situation_of(complaint)
    help_text, explanation = str(spec["help"]), str(spec["explanation"])
    if kind == "reject_answer":
        help_text = reject_help(situation)
        explanation = reject_consequence(situation, now=timezone.now())
    form = MessageForm(
        request.POST or None,
        request.FILES or None,
        label=str(spec["label"]),
        required=bool(spec["required"]),
        help_text=help_text,
        files_field=True,
    )
    return confirmable_action(
        request,
        complaint,
        form=form,
        title=str(spec["title"]),
        explanation=explanation,
        confirm_label=str(spec["confirm"]),
        perform=lambda data: answer_submit(
            complaint_id=complaint.pk,
            author=request.user,  # type: ignore[arg-type]
            text=data.get("text", ""),
            verdict=VERDICTS[kind],
            attachments=data.get("attachments", []),
        ),
        done_message=str(spec["done"]),
        throttle=AnsweringThrottle,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """A staff action from the case page, with its reason, through the same service as the admin and the API."""
    complaint = get_complaint(request, number)
    if action not in staff_actions_now(complaint, request.user):  # type: ignore[arg-type]
        raise Http404
    form = StaffActionForm(request.POST or None, request.FILES or None, action=action, files_field=True)
    return confirmable_action(
        request,
        complaint,
        form=form,
        title=STAFF_ACTION_LABELS[action],
        explanation="The reason and any files are recorded on the complaint's timeline; the parties read the "
        "reason and can open the files.",
        confirm_label=f"Yes: {STAFF_ACTION_LABELS[action].lower()}",
        perform=lambda data: complaint_staff_act(
            complaint_id=complaint.pk,
            staff=request.user,  # type: ignore[arg-type]
            action=action,
            reason=data.get("reason", ""),
            reject_reason=data.get("reject_reason", ""),
            mediation_kind=data.get("mediation_kind", "mediation"),
            duplicate_of=data.get("duplicate_of", ""),
            attachments=data.get("attachments", []),
        ),
        done_message=f"{STAFF_ACTION_LABELS[action]}: done for #{complaint.number}.",
    )
