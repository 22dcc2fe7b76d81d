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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from accounts.models import Membership, User
from accounts.zones import ZONE_NAMES
from core.replies import case_thread_id

from .consequences import next_steps
from .models import Complaint, DueKind, Status
from .workflow import Actor, Event

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
    # Each user's time zone, for those who set one: their e-mails give times in it.
    zones: Mapping[int, str] = field(default_factory=dict)

    def zone(self, user_id: int | None) -> str:
        """The zone an address's e-mail gives times in: its user's, else the site's."""
        return (self.zones.get(user_id) if user_id is not None else None) or settings.TIME_ZONE


def _due(complaint: Complaint, zone: str | None = None) -> str:
    if complaint.due_at is None:
        return ""
    # A zone the system no longer knows (or one typed in the admin) reads as the site's.
    zone = zone if zone in ZONE_NAMES else settings.TIME_ZONE
    return _format_due(complaint.due_at, zone, get_language())


@functools.lru_cache(maxsize=1024)
def _format_due(due_at: datetime, zone: str, language: str | None) -> str:
    # "21 Nov 2026, 17:35 UTC" (docs/domain.md, "Dates and times"): no trailing "p.m." to clash with
    # the sentence's full stop. Cached: a sweep's batch gives thousands of complaints the same due date.
    return date_format(timezone.localtime(due_at, zoneinfo.ZoneInfo(zone)), "DATETIME_FORMAT")


@functools.lru_cache(maxsize=256)
def _status_label(status: str, language: str | None) -> str:
    """A state's name in the active language, as `get_status_display()` gives it (looked up once per language)."""
    return str(Status(status).label)


def _quote(text: str) -> str:
    """A party's or staff's words as they wrote them: an e-mail quotes them last, after its intro line."""
    return text.strip()


# The recipient of each audience, as the page planner (complaints.consequences) names its reader.
READERS = {COMPLAINANT: Actor.COMPLAINANT, BUSINESS: Actor.REPRESENTATIVE, STAFF: Actor.STAFF}


def next_step(complaint: Complaint, audience: str, zone: str | None = None) -> tuple[str, ...]:
    """What happens next, by when, and what happens if nobody moves: the case page's own sentences.

    One planner for pages and e-mails (complaints.consequences.next_steps), its dates in the
    reader's time zone (docs/decisions/0035-one-planner-for-pages-and-e-mails.md).
    """
    zone = zone if zone in ZONE_NAMES else settings.TIME_ZONE
    if zone == timezone.get_current_timezone_name():  # most readers: the site's zone, already active
        return next_steps(complaint, reader=READERS[audience])
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        return next_steps(complaint, reader=READERS[audience])


def describe(
    event: ComplaintEvent, audience: str, *, quoted: str = "", verified: bool = True, zone: str | None = None
) -> Notice:
    """The notice one audience gets about one event, in the second person for its reader.

    `quoted`: the new text the event carried (a response, an answer, added information), quoted
    last; a ruling's or a staff act's reason is quoted from the event itself. `verified`: the
    complainant has confirmed their e-mail address (only the unverified are asked to). `zone`: the
    reader's time zone, which the due date is given in.
    """
    complaint = event.complaint
    name = complaint.business_display_name
    due = _due(complaint, zone)
    step = next_step(complaint, audience, zone)
    to = Status(event.to_status)
    you = audience == COMPLAINANT
    yours = "your complaint" if you else "the complaint"
    said = _quote(quoted) if quoted.strip() else ""
    reason = _quote(event.reason) if event.reason.strip() else ""

    def notice(headline: str, *lines: str, text: str = "", intro: str = "") -> Notice:
        quote = (intro, text) if text else ()
        return Notice(headline, tuple(line for line in (*lines, *step, *quote) if line))

    match Event(event.event):
        case Event.FILE:
            if audience == STAFF:
                return notice("New complaint to screen", f"A complaint against {name} was filed.")
            return notice(
                "We received your complaint",
                f"Your complaint against {name} was filed with case number {complaint.number}.",
                ""
                if verified
                else "Please confirm your e-mail address: an unconfirmed complaint is not sent to the business.",
            )
        case Event.FORWARD:
            if audience == BUSINESS:
                return notice(
                    "A complaint was filed against your business",
                    f"A consumer filed a complaint against your business, {name}. Redress staff checked it "
                    "and sent it on.",
                    text=reason,
                    intro="Redress staff's note:",
                )
            return notice(
                "Your complaint was sent to the business",
                f"Redress staff sent {yours} to {name}.",
                text=reason,
                intro="Redress staff's note:",
            )
        case Event.HOLD:
            return notice(
                "Complaint on hold",
                f"Redress staff put {yours} on hold while they look into it.",
                text=reason,
                intro="Their reason:",
            )
        case Event.RESUME:
            return notice(
                "Complaint no longer on hold",
                f"Redress staff ended the hold on {yours}; screening continues.",
                text=reason,
                intro="Their reason:",
            )
        case Event.REJECT:
            return notice(
                "Complaint not accepted",
                f"Redress cannot take {yours}: {complaint.get_reject_reason_display()}.",
                text=reason,
                intro="Redress staff's note:",
            )
        case Event.UNPURSUABLE:
            return notice(
                "Business could not be located",
                f"Redress could not reach {name}; {yours} is closed as Unpursuable.",
                text=reason,
                intro="Redress staff's note:",
            )
        case Event.RESPOND:
            late = " after the complaint had closed as Unanswered" if event.from_status == Status.UNANSWERED else ""
            if you:
                return notice(
                    "The business responded",
                    f"{name} responded to your complaint{late}.",
                    text=said,
                    intro=f"What {name} wrote:",
                )
            return notice(
                "Response delivered",
                f"Your business's response{late} was delivered to the complainant.",
                text=said,
                intro="The response:",
            )
        case Event.ACCEPT | Event.MARK_RESOLVED:
            if you:
                return notice("Complaint resolved", "You told Redress your complaint is resolved. Thank you.")
            return notice("Complaint resolved", "The complainant says the complaint is resolved.")
        case Event.REJECT_ANSWER:
            headline = "Response rejected: staff will rule" if to == Status.STAFF_REVIEW else "Response rejected"
            if you:
                return notice(
                    headline, f"You rejected the response of {name}.", text=said or reason, intro="Your reason:"
                )
            whose = "your business's" if audience == BUSINESS else "the business's"
            return notice(
                headline,
                f"The complainant rejected {whose} response.",
                text=said or reason,
                intro="The complainant's reason:",
            )
        case Event.WITHDRAW:
            if you:
                return notice("Complaint withdrawn", "You withdrew your complaint.")
            return notice("Complaint withdrawn", "The complainant withdrew the complaint.")
        case Event.BUSINESS_DEADLINE if to == Status.AWAITING_BUSINESS:
            if audience == BUSINESS:
                return notice(
                    "Second notice: a response is overdue",
                    "Your business has not responded to this complaint. This is the second and final notice.",
                )
            return notice(
                "The business has not responded yet",
                f"{name} did not respond by the due date; Redress sent it a second and final notice.",
            )
        case Event.BUSINESS_DEADLINE if to == Status.UNANSWERED:
            subject = "Your business" if audience == BUSINESS else name
            return notice(
                "Closed as Unanswered",
                f"{subject} did not respond by the due date; {yours} is closed as Unanswered.",
                "A late response is still accepted and reopens the exchange.",
            )
        case Event.BUSINESS_DEADLINE:
            subject = "Your business" if audience == BUSINESS else name
            return notice(
                "No response to the rejection: staff will rule",
                f"{subject} did not respond again by the due date, so Redress staff will rule.",
            )
        case Event.ANSWER_DEADLINE:
            if you:
                return notice(
                    "Closed as Answered",
                    f"You did not accept or reject the response of {name} by the due date, so your complaint "
                    "is closed as Answered. You may still accept the response.",
                )
            return notice(
                "Closed as Answered",
                "The complainant did not accept or reject the response by the due date, so the complaint "
                "is closed as Answered.",
            )
        case Event.RULING_DEADLINE:
            return notice(
                "Closed as Answered (no ruling in time)",
                f"No ruling was made by the due date, so {yours} is closed as Answered. Redress staff may reopen it.",
            )
        case Event.RULE_ANSWERED | Event.RULE_UNRESOLVED:
            return notice(
                f"Staff ruling: {to.label}",
                f"Redress staff ruled on {yours}: it is closed as {to.label}.",
                text=reason,
                intro="Their reason:",
            )
        case Event.OPEN_MEDIATION:
            return notice("Mediation opened", "Both sides agreed to mediation; Redress staff will be in touch.")
        case Event.MEDIATION_RESOLVED | Event.MEDIATION_UNRESOLVED:
            return notice(f"Mediation closed: {to.label}", f"The mediation ended; {yours} is {to.label}.")
        case Event.REOPEN:
            return notice("Complaint reopened", f"Redress staff reopened {yours}.", text=reason, intro="Their reason:")
        case Event.ADD_INFORMATION:
            if you:
                return notice(
                    "New information from the complainant",
                    "You added information to your complaint.",
                    text=said,
                    intro="What you added:",
                )
            return notice(
                "New information from the complainant",
                "The complainant added information to the complaint.",
                text=said,
                intro="What they added:",
            )
        case Event.BUSINESS_INFORMATION:
            # The information itself is quoted, last, so that nothing of the notice reads as part of it.
            added = _quote(str((event.data or {}).get("text", "")))
            if audience == BUSINESS:
                return Notice(
                    "Information delivered",
                    (
                        "The information was added to the case and sent to the complainant. What was added:",
                        added,
                    ),
                )
            still = (
                f"This does not change the case: you still have until {due} to accept or reject the response."
                if to == Status.AWAITING_CONSUMER and due and you
                else "This does not change the state of the case or its due date."
            )
            return Notice(
                f"New information from {name}",
                (f"{name} added information to the case. {still}", f"What {name} wrote:", added),
            )
        case Event.LINK_BUSINESS:
            return notice(
                "The business was found in the directory",
                f"Redress staff linked {yours} to {name} in the directory.",
                text=reason,
                intro="Their reason:",
            )
        case Event.EDIT_PUBLIC_TEXT:
            return notice(
                "Published text edited",
                f"Redress staff edited the published (masked) text of {yours}.",
                text=reason,
                intro="Their reason:",
            )
        case Event.PUBLIC_RESPONSE:
            return notice(
                f"Public response from {name}",
                f"{name} added a public response to {yours}, now closed; it is shown with the published entry.",
            )
        case Event.CHANGE_CONSENT:
            consent = "may" if complaint.publish_consent else "may not"
            whose = "Your complaint's" if you else "The complaint's"
            return notice("Publication consent changed", f"{whose} text {consent} be published.")
    return notice(f"Complaint {to.label.lower()}")


REMINDERS: dict[str, tuple[str, str]] = {
    # due kind: (audience, headline)
    DueKind.BUSINESS_FIRST: (BUSINESS, "Reminder: a response is due"),
    DueKind.BUSINESS_FINAL: (BUSINESS, "Reminder: final notice, a response is due"),
    DueKind.BUSINESS_REBUTTAL: (BUSINESS, "Reminder: the complainant is waiting for your response"),
    DueKind.CONSUMER_ANSWER: (COMPLAINANT, "Reminder: please answer the business's response"),
    DueKind.STAFF_RULING: (STAFF, "Reminder: a ruling is due"),
    DueKind.MEDIATION: (STAFF, "Mediation overdue"),
}


def _reminder_lines(complaint: Complaint, zone: str | None = None) -> tuple[str, ...]:
    due = _due(complaint, zone)
    audience = REMINDERS[complaint.due_kind][0]
    step = next_step(complaint, audience, zone)
    match complaint.due_kind:
        case DueKind.CONSUMER_ANSWER:
            return (f"{complaint.business_display_name} responded to your complaint.", *step)
        case DueKind.STAFF_RULING:
            return step
        case DueKind.MEDIATION:
            return (f"This mediation was due to end by {due}. Record its outcome or follow it up.",)
    return ("Your business has not yet responded to this complaint.", *step)


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
        notice: Callable[[str], Notice],
        recipients: Recipients,
        *,
        kind: str,
        noticed: set[int],
        url: str,
        actor_id: int | None = None,
        answer_words: bool = False,
    ) -> None:
        """One audience's notices (to users not in `noticed`, which is updated) and e-mails.

        `notice` gives what the audience is told in one time zone: each e-mail gives times in its
        reader's zone, and the notice is written once per zone among the audience.

        `actor_id`: the user who acted, who gets a notice only when this audience e-mails them.

        `answer_words`: the e-mail tells a complainant the first-line words that accept or reject
        a response by reply (shown only when the e-mail has a reply address).
        """
        written: dict[str, tuple[Notice, dict[str, object]]] = {}

        def told(zone: str) -> tuple[Notice, dict[str, object]]:
            if zone not in written:
                said = notice(zone)
                context = notice_context(
                    number=complaint.number,
                    business_name=complaint.business_display_name,
                    headline=said.headline,
                    status=_status_label(complaint.status, get_language()),
                    link=f"{settings.SITE_URL}{url}",
                    due=_due(complaint, zone),
                    lines=[line for line in said.lines if line],
                )
                if answer_words:
                    context["answer_words"] = True
                written[zone] = (said, context)
            return written[zone]

        headline = told(settings.TIME_ZONE)[0].headline
        message = f"#{complaint.number}: {headline}"[:300]
        emailed = {user_id for _, user_id in recipients.emails if user_id is not None}
        for user_id in recipients.user_ids:
            if user_id == actor_id and user_id not in emailed:
                continue
            if user_id not in noticed:
                noticed.add(user_id)
                self.notices.append((user_id, complaint.pk, event_id, message, url))
        if not recipients.emails:
            return
        subject = f"[Redress #{complaint.number}] {headline}"
        # Every e-mail of a case refers to the case's own id, so mail clients show one thread.
        thread = case_thread_id(complaint.number)
        headers = {"In-Reply-To": thread, "References": thread}
        self.emails += [
            (address, subject, NOTICE_TEMPLATE, context, complaint.pk, event_id, kind, user_id, headers)
            for address, user_id in recipients.emails
            for context in (told(recipients.zone(user_id))[1],)
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
        self._business: dict[int, list[tuple[int, str, str]]] | None = None
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
        complainant = complaint.complainant
        zones = {complainant.pk: complainant.time_zone} if complainant.time_zone else {}
        return Recipients((complainant.pk,), ((complainant.email, complainant.pk),), zones)

    def _business_recipients(self, complaint: Complaint) -> Recipients:
        business = complaint.business
        if business is None:
            return Recipients((), ())
        if self._business is None:
            ids = {c.business_id for c in self.complaints if c.business_id is not None}
            people: dict[int, list[tuple[int, str, str]]] = {pk: [] for pk in ids}
            memberships = Membership.objects.filter(business_id__in=ids, user__is_active=True).order_by("pk")
            rows = memberships.values_list("business_id", "user_id", "user__email", "user__time_zone")
            for business_id, user_id, email, zone in rows:
                people[business_id].append((user_id, email, zone))
            self._business = people
        users = self._business.get(business.pk, [])
        # One e-mail per address; a representative's own address is theirs even when it is also
        # the business's notice address.
        emails: dict[str, int | None] = {business.notice_email.lower(): None} if business.notice_email else {}
        for user_id, email, _ in users:
            if emails.get(email.lower()) is None:
                emails[email.lower()] = user_id
        zones = {user_id: zone for user_id, _, zone in users if zone}
        return Recipients(tuple(user_id for user_id, _, _ in users), tuple(emails.items()), zones)


def _describe_in(event: ComplaintEvent, audience: str, quoted: str, verified: bool, zone: str) -> Notice:
    return describe(event, audience, quoted=quoted, verified=verified, zone=zone)


def notices_for(events: Sequence[ComplaintEvent], quoted: Sequence[str] = ()) -> Outbox:
    """The in-app notices and e-mails about recorded (saved) events.

    `quoted`: for each event, the new text it carried (a response, an answer, information), "" if none.
    """
    directory = _Directory(event.complaint for event in events)
    urls = case_urls(event.complaint for event in events)
    outbox = Outbox()
    for index, event in enumerate(events):
        complaint = event.complaint
        text = quoted[index] if index < len(quoted) else ""
        verified = complaint.complainant.is_email_verified
        # The person who acted hears in the app only what they are e-mailed; a user in two
        # audiences hears once.
        noticed: set[int] = set()
        seen: set[str] = set()
        for audience in _audiences(event):
            recipients = directory.recipients(complaint, audience)
            # A representative who is also the notice address, or staff who filed: one copy each.
            emails = tuple(email for email in recipients.emails if email[0] not in seen)
            recipients = Recipients(recipients.user_ids, emails, recipients.zones)
            seen.update(address for address, _ in emails)
            outbox.add(
                complaint,
                event.pk,
                functools.partial(_describe_in, event, audience, text, verified),
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
        lambda zone: Notice(headline, _reminder_lines(complaint, zone)),
        _Directory([complaint]).recipients(complaint, audience),
        kind=f"reminder:{complaint.due_kind}",
        noticed=set(),
        url=complaint.get_absolute_url(),
        answer_words=complaint.due_kind == DueKind.CONSUMER_ANSWER,
    )
    return outbox
