"""Who hears about each event, and what they are told.

Called inside the transition's transaction: the in-app notices (`Notification`) and the
e-mails (`OutboundEmail`) are stored with the event, so they exist exactly when the event does;
the e-mails are queued for sending after the transaction commits (`core.outbox`).

Who is concerned by an event:

- the complainant, always (for their own actions the e-mail is a receipt);
- the business — its notice address and every representative — once the complaint has been
  forwarded to it, except when it is being declared unpursuable (its address is what failed);
- staff (`STAFF_NOTICE_EMAIL`, and every staff user in the app) for what needs them: a new
  complaint to screen, anything entering, leaving or happening in staff review or mediation,
  a default ruling and a reopening.

Every e-mail to a user has its in-app notice with the same headline, so the notifications page
tells the whole story: the person who acted gets one about their own action exactly when they get
its e-mail (a receipt), and none otherwise (staff acting hear nothing in the app).
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from accounts.models import Membership, User
from core.replies import case_thread_id

from .models import Complaint, DueKind, Status
from .workflow import Event

if TYPE_CHECKING:
    from .models import ComplaintEvent

COMPLAINANT, BUSINESS, STAFF = "complainant", "business", "staff"
REVIEW_STATES = frozenset({Status.STAFF_REVIEW, Status.IN_MEDIATION})
STAFF_EVENTS = frozenset({Event.FILE, Event.RULING_DEADLINE, Event.REOPEN})


@dataclass(frozen=True)
class Notice:
    """What one audience is told: a headline (subject and in-app line) and the e-mail's lines."""

    headline: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Recipients:
    user_ids: tuple[int, ...]  # in-app notices
    # E-mail addresses, each with the user it belongs to: a party's own address gets their reply
    # address (core.replies); a business's notice address or the staff address has none.
    emails: tuple[tuple[str, int | None], ...]


def _due(complaint: Complaint) -> str:
    if complaint.due_at is None:
        return ""
    return _format_due(complaint.due_at, timezone.get_current_timezone_name(), get_language())


@functools.lru_cache(maxsize=1024)
def _format_due(due_at: datetime, zone: str, language: str | None) -> str:
    # "21 Nov 2026, 17:35 UTC": no trailing "p.m." to clash with the sentence's full stop. Cached:
    # a sweep's batch gives thousands of complaints the same due date.
    return date_format(timezone.localtime(due_at, zoneinfo.ZoneInfo(zone)), "j M Y, H:i T")


def describe(event: ComplaintEvent, audience: str) -> Notice:
    """The notice one audience gets about one event."""
    complaint = event.complaint
    name = complaint.business_display_name
    due = _due(complaint)
    to = Status(event.to_status)
    match Event(event.event):
        case Event.FILE:
            if audience == STAFF:
                return Notice("New complaint to screen", (f"A complaint against {name} was filed.",))
            return Notice(
                "We received your complaint",
                (
                    f"Your complaint against {name} was filed with case number {complaint.number}.",
                    "Redress staff screen it first; if it is eligible, it is sent to the business"
                    + (f" by {due}." if due else "."),
                    "Please make sure your e-mail address is verified: unverified complaints are not sent on.",
                ),
            )
        case Event.FORWARD:
            if audience == BUSINESS:
                return Notice(
                    "A complaint was filed against your business",
                    (f"A consumer filed a complaint against {name}.", f"Please respond by {due}."),
                )
            return Notice("Your complaint was sent to the business", (f"{name} has until {due} to respond.",))
        case Event.HOLD:
            return Notice("Complaint on hold", ("Redress staff put the complaint on hold while they look into it.",))
        case Event.RESUME:
            return Notice(
                "Complaint no longer on hold",
                (f"Redress staff ended the hold: {event.reason}", f"Screening continues; it ends by {due}."),
            )
        case Event.REJECT:
            return Notice(
                "Complaint not accepted",
                (f"Redress cannot take this complaint: {complaint.get_reject_reason_display()}.",),
            )
        case Event.UNPURSUABLE:
            return Notice(
                "Business could not be located",
                (f"Redress could not reach {name}; the complaint is closed as Unpursuable.",),
            )
        case Event.RESPOND:
            late = " after the complaint had closed as Unanswered" if event.from_status == Status.UNANSWERED else ""
            if audience == COMPLAINANT:
                return Notice(
                    "The business responded",
                    (
                        f"{name} responded to your complaint{late}.",
                        f"Please read the response and accept or reject it by {due}.",
                    ),
                )
            return Notice("Response delivered", (f"The response{late} was delivered to the complainant.",))
        case Event.ACCEPT | Event.MARK_RESOLVED:
            return Notice("Complaint resolved", ("The complainant says the complaint is resolved.",))
        case Event.REJECT_ANSWER:
            if to == Status.STAFF_REVIEW:
                return Notice(
                    "Response rejected: staff will rule",
                    (
                        "The complainant rejected the business's response.",
                        f"Redress staff will review the case and rule by {due}.",
                    ),
                )
            return Notice(
                "Response rejected",
                ("The complainant rejected the business's response.", f"The business may respond again by {due}."),
            )
        case Event.WITHDRAW:
            return Notice("Complaint withdrawn", ("The complainant withdrew the complaint.",))
        case Event.BUSINESS_DEADLINE if to == Status.AWAITING_BUSINESS:
            if audience == BUSINESS:
                return Notice(
                    "Second notice: a response is overdue",
                    (
                        f"{name} has not responded to this complaint.",
                        f"This is the second notice. Without a response by {due} the complaint "
                        "closes as Unanswered on your public record.",
                    ),
                )
            return Notice(
                "The business has not responded yet",
                (f"Redress sent {name} a second notice; it has until {due} to respond.",),
            )
        case Event.BUSINESS_DEADLINE if to == Status.UNANSWERED:
            return Notice(
                "Closed as Unanswered",
                (
                    f"{name} did not respond by the due date; the complaint is closed as Unanswered.",
                    "A late response is still accepted and reopens the exchange.",
                ),
            )
        case Event.BUSINESS_DEADLINE:
            return Notice(
                "No response to the rejection: staff will rule",
                (f"{name} did not respond again by the due date.", f"Redress staff will rule by {due}."),
            )
        case Event.ANSWER_DEADLINE:
            return Notice(
                "Closed as Answered",
                (
                    "The complainant did not accept or reject the business's response by the due date,",
                    "so the complaint is closed as Answered. The complainant may still accept the response.",
                ),
            )
        case Event.RULING_DEADLINE:
            return Notice(
                "Closed as Answered (no ruling in time)",
                ("No ruling was made by the due date; a rejected answer counts as Answered. Staff may reopen it.",),
            )
        case Event.RULE_ANSWERED | Event.RULE_UNRESOLVED:
            return Notice(
                f"Staff ruling: {to.label}",
                (f"Redress staff ruled on the complaint: {to.label}.", event.reason),
            )
        case Event.OPEN_MEDIATION:
            return Notice("Mediation opened", ("Both sides agreed to mediation; Redress staff will be in touch.",))
        case Event.MEDIATION_RESOLVED | Event.MEDIATION_UNRESOLVED:
            return Notice(f"Mediation closed: {to.label}", (f"The mediation ended; the complaint is {to.label}.",))
        case Event.REOPEN:
            return Notice("Complaint reopened", (f"Redress staff reopened the complaint: {event.reason}",))
        case Event.ADD_INFORMATION:
            return Notice("New information from the complainant", ("The complainant added information.",))
        case Event.BUSINESS_INFORMATION:
            # The information itself is quoted, last, so that nothing of the notice reads as part of it.
            said = str((event.data or {}).get("text", ""))
            if audience == BUSINESS:
                return Notice(
                    "Information delivered",
                    ("The information was added to the case and sent to the complainant. What was added:", said),
                )
            still = (
                f"This does not change the case: you still have until {due} to accept or reject the response."
                if to == Status.AWAITING_CONSUMER and due and audience == COMPLAINANT
                else "This does not change the state of the case or its due date."
            )
            return Notice(
                f"New information from {name}",
                (f"{name} added information to the case. {still}", f"What {name} wrote:", said),
            )
        case Event.LINK_BUSINESS:
            return Notice(
                "The business was found in the directory",
                (f"Redress staff linked your complaint to {name} in the directory: {event.reason}",),
            )
        case Event.EDIT_PUBLIC_TEXT:
            return Notice(
                "Published text edited",
                (f"Redress staff edited the published (masked) text of the complaint: {event.reason}",),
            )
        case Event.PUBLIC_RESPONSE:
            return Notice(
                f"Public response from {name}",
                (f"{name} added a public response to the closed complaint; it is shown with the published entry.",),
            )
        case Event.CHANGE_CONSENT:
            consent = "may" if complaint.publish_consent else "may not"
            return Notice("Publication consent changed", (f"The complaint's text {consent} be published.",))
    return Notice(f"Complaint {to.label.lower()}", ())


REMINDERS: dict[str, tuple[str, str]] = {
    # due kind: (audience, headline)
    DueKind.BUSINESS_FIRST: (BUSINESS, "Reminder: a response is due"),
    DueKind.BUSINESS_FINAL: (BUSINESS, "Reminder: final notice, a response is due"),
    DueKind.BUSINESS_REBUTTAL: (BUSINESS, "Reminder: the complainant is waiting for your response"),
    DueKind.CONSUMER_ANSWER: (COMPLAINANT, "Reminder: please answer the business's response"),
    DueKind.STAFF_RULING: (STAFF, "Reminder: a ruling is due"),
    DueKind.MEDIATION: (STAFF, "Mediation overdue"),
}


def _reminder_lines(complaint: Complaint) -> tuple[str, ...]:
    due = _due(complaint)
    match complaint.due_kind:
        case DueKind.CONSUMER_ANSWER:
            return (
                f"{complaint.business_display_name} responded to your complaint.",
                f"Accept or reject the response by {due}; otherwise the complaint closes as Answered.",
            )
        case DueKind.STAFF_RULING:
            return (f"Rule on this complaint by {due}, or it closes as Answered by default.",)
        case DueKind.MEDIATION:
            return (f"This mediation was due to end by {due}. Record its outcome or follow it up.",)
    closes = "Unanswered" if complaint.due_kind == DueKind.BUSINESS_FINAL else "without your response"
    return (f"Please respond to this complaint by {due}; after that it closes {closes}.",)


def _audiences(event: ComplaintEvent) -> list[str]:
    complaint = event.complaint
    audiences = [COMPLAINANT]
    if complaint.business_id and complaint.forwarded_at is not None and event.event != Event.UNPURSUABLE:
        audiences.append(BUSINESS)
    if event.event in STAFF_EVENTS or event.to_status in REVIEW_STATES or event.from_status in REVIEW_STATES:
        audiences.append(STAFF)
    return audiences


# E-mail bodies ----------------------------------------------------------------------------------

# Every notice is rendered from emails/case_notice.txt and .html (emails/notice with, for a party,
# the line saying that a reply adds to the case) when it is sent (core.outbox): the e-mail row
# holds the template's name and this context.
NOTICE_TEMPLATE = "emails/case_notice"


def notice_context(
    *, number: str, business_name: str, headline: str, status: str, link: str, due: str, lines: Sequence[str]
) -> dict[str, object]:
    """What the notice templates show for one e-mail."""
    return {
        "complaint": {"number": number},
        "business_name": business_name,
        "headline": headline,
        "status": status,
        "link": link,
        "due": due,
        "lines": list(lines),
    }


# Stored as plain rows (`bulk.insert_rows`): a sweep writes tens of thousands at once.
NOTICE_COLUMNS = ("user_id", "complaint_id", "event_id", "message", "url")
EMAIL_COLUMNS = ("to", "subject", "template", "context", "complaint_id", "event_id", "kind", "user_id", "headers")


@dataclass
class Outbox:
    """The in-app notices and e-mails planned for some events, as rows the writer inserts."""

    notices: list[tuple[int, int, int | None, str, str]] = field(default_factory=list)
    emails: list[tuple[str, str, str, dict[str, object], int, int | None, str, int | None, dict[str, str]]] = field(
        default_factory=list
    )

    def add(
        self,
        complaint: Complaint,
        event_id: int | None,
        notice: Notice,
        recipients: Recipients,
        *,
        kind: str,
        noticed: set[int],
        url: str,
        actor_id: int | None = None,
        answer_words: bool = False,
    ) -> None:
        """One audience's notices (to users not in `noticed`, which is updated) and e-mails.

        `actor_id`: the user who acted, who gets a notice only when this audience e-mails them.

        `answer_words`: the e-mail tells a complainant the first-line words that accept or reject
        a response by reply (shown only when the e-mail has a reply address).
        """
        message = f"#{complaint.number}: {notice.headline}"[:300]
        emailed = {user_id for _, user_id in recipients.emails if user_id is not None}
        for user_id in recipients.user_ids:
            if user_id == actor_id and user_id not in emailed:
                continue
            if user_id not in noticed:
                noticed.add(user_id)
                self.notices.append((user_id, complaint.pk, event_id, message, url))
        if not recipients.emails:
            return
        context = notice_context(
            number=complaint.number,
            business_name=complaint.business_display_name,
            headline=notice.headline,
            status=complaint.get_status_display(),
            link=f"{settings.SITE_URL}{url}",
            due=_due(complaint),
            lines=[line for line in notice.lines if line],
        )
        if answer_words:
            context["answer_words"] = True
        subject = f"[Redress #{complaint.number}] {notice.headline}"
        # Every e-mail of a case refers to the case's own id, so mail clients show one thread.
        thread = case_thread_id(complaint.number)
        headers = {"In-Reply-To": thread, "References": thread}
        self.emails += [
            (address, subject, NOTICE_TEMPLATE, context, complaint.pk, event_id, kind, user_id, headers)
            for address, user_id in recipients.emails
        ]


def case_urls(complaints: Iterable[Complaint]) -> dict[int, str]:
    """Each complaint's page address (`get_absolute_url`), with one `reverse()` for all of them."""
    placeholder = "00000000"
    head, found, tail = Complaint(number=placeholder).get_absolute_url().rpartition(placeholder)
    assert found, "the case address holds its number"
    return {complaint.pk: f"{head}{complaint.number}{tail}" for complaint in complaints}


class _Directory:
    """Recipients looked up once for a batch of events: each business's people, and staff."""

    def __init__(self, complaints: Iterable[Complaint]) -> None:
        self.complaints = list(complaints)
        self._business: dict[int, list[tuple[int, str]]] | None = None
        self._staff: Recipients | None = None

    def recipients(self, complaint: Complaint, audience: str) -> Recipients:
        if audience == BUSINESS:
            return self._business_recipients(complaint)
        if audience == STAFF:
            if self._staff is None:
                users = tuple(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))
                staff_email = settings.STAFF_NOTICE_EMAIL
                self._staff = Recipients(users, ((staff_email, None),) if staff_email else ())
            return self._staff
        if not complaint.complainant.is_active:  # a deleted account is told nothing (docs/domain.md, "Your own data")
            return Recipients((), ())
        return Recipients((complaint.complainant_id,), ((complaint.complainant.email, complaint.complainant_id),))

    def _business_recipients(self, complaint: Complaint) -> Recipients:
        business = complaint.business
        if business is None:
            return Recipients((), ())
        if self._business is None:
            ids = {c.business_id for c in self.complaints if c.business_id is not None}
            people: dict[int, list[tuple[int, str]]] = {pk: [] for pk in ids}
            memberships = Membership.objects.filter(business_id__in=ids, user__is_active=True).order_by("pk")
            for business_id, user_id, email in memberships.values_list("business_id", "user_id", "user__email"):
                people[business_id].append((user_id, email))
            self._business = people
        users = self._business.get(business.pk, [])
        # One e-mail per address; a representative's own address is theirs even when it is also
        # the business's notice address.
        emails: dict[str, int | None] = {business.notice_email.lower(): None} if business.notice_email else {}
        for user_id, email in users:
            if emails.get(email.lower()) is None:
                emails[email.lower()] = user_id
        return Recipients(tuple(user_id for user_id, _ in users), tuple(emails.items()))


def notices_for(events: Sequence[ComplaintEvent]) -> Outbox:
    """The in-app notices and e-mails about recorded (saved) events."""
    directory = _Directory(event.complaint for event in events)
    urls = case_urls(event.complaint for event in events)
    outbox = Outbox()
    for event in events:
        complaint = event.complaint
        # The person who acted hears in the app only what they are e-mailed; a user in two
        # audiences hears once.
        noticed: set[int] = set()
        seen: set[str] = set()
        for audience in _audiences(event):
            recipients = directory.recipients(complaint, audience)
            # A representative who is also the notice address, or staff who filed: one copy each.
            emails = tuple(email for email in recipients.emails if email[0] not in seen)
            recipients = Recipients(recipients.user_ids, emails)
            seen.update(address for address, _ in emails)
            outbox.add(
                complaint,
                event.pk,
                describe(event, audience),
                recipients,
                kind=f"event:{event.event}",
                noticed=noticed,
                url=urls[complaint.pk],
                actor_id=event.actor_id,
                answer_words=audience == COMPLAINANT and complaint.status == Status.AWAITING_CONSUMER,
            )
    return outbox


def reminder_notices(complaint: Complaint) -> Outbox:
    """The reminder of the complaint's current due date."""
    audience, headline = REMINDERS[complaint.due_kind]
    outbox = Outbox()
    outbox.add(
        complaint,
        None,
        Notice(headline, _reminder_lines(complaint)),
        _Directory([complaint]).recipients(complaint, audience),
        kind=f"reminder:{complaint.due_kind}",
        noticed=set(),
        url=complaint.get_absolute_url(),
        answer_words=complaint.due_kind == DueKind.CONSUMER_ANSWER,
    )
    return outbox
