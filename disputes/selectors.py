"""Reads of the public record: a business's published complaints with their thread, masked.

Used by the business profile page and the public API alike. Only public fields are loaded, and
text is shown only where the complainant consented (docs/domain.md, "Publication").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Business, User
from complaints.closing import summary_of
from complaints.issues import ResponseOutcome, issue_label
from complaints.models import Attachment, Complaint, ComplaintEvent, ComplaintType
from complaints.publication import publication_cutoff
from complaints.selectors.notifications import header_fact_columns
from complaints.selectors.visibility import (
    case_branch,
    complaint_authorised,
    complaint_get_for_user,
    complaint_of_case_row,
    may_be_a_case,
)
from complaints.workflow import PUBLIC_CLOSED_STATES
from core.errors import NotFound
from core.prepared import Branch, Columns, UnionRead, keep_prefetched, prepared_reads, split

from .models import BusinessInformation, BusinessResponse, CustomerAnswer, ThreadAttachment


def _case_attachment_rows() -> QuerySet[Attachment]:
    """Files not sent with a thread entry: filed with the complaint, or sent with a staff act."""
    return (
        Attachment.objects.filter(Q(thread_link__isnull=True) | Q(thread_link__event__isnull=False))
        .select_related("thread_link")
        .order_by("created_at", "id")
    )


def thread_prefetch() -> tuple[Prefetch, ...]:
    """What the parties' and staff's view of one complaint loads with it: the thread, each entry's files
    (`attachments`), and in one query the files filed with the complaint and those sent with staff acts
    (`case_attachments`: read them through `filed_attachments` and `act_attachments`)."""
    return (
        Prefetch(
            "responses", queryset=BusinessResponse.objects.select_related("author").prefetch_related("attachments")
        ),
        Prefetch("answers", queryset=CustomerAnswer.objects.select_related("author").prefetch_related("attachments")),
        Prefetch(
            "business_information",
            queryset=BusinessInformation.objects.select_related("author").prefetch_related("attachments"),
        ),
        Prefetch("attachments", queryset=_case_attachment_rows(), to_attr="case_attachments"),
    )


def case_page_prefetch() -> tuple[Any, ...]:
    """What the case page loads with one complaint: the thread without its authors (the page names the
    business and the complainant, never the person who wrote) and every file of the case in one query,
    each with its link (`case_attachments`: read them through `entry_attachments`, `filed_attachments`
    and `act_attachments`). Three queries fewer than `thread_prefetch`, whose entries carry their own
    `attachments` for the API."""
    return (
        # Unordered: thread_for sorts the three kinds together.
        Prefetch("responses", queryset=BusinessResponse.objects.order_by()),
        Prefetch("answers", queryset=CustomerAnswer.objects.order_by()),
        Prefetch("business_information", queryset=BusinessInformation.objects.order_by()),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("thread_link").order_by("created_at", "id"),
            to_attr="case_attachments",
        ),
    )


_RESPONSE, _ANSWER, _INFORMATION = Columns(BusinessResponse), Columns(CustomerAnswer), Columns(BusinessInformation)
_ATTACHMENT, _LINK, _EVENT = Columns(Attachment), Columns(ThreadAttachment), Columns(ComplaintEvent)


# Every name comes from the models' meta; the complaint's number is the parameter.
_THE_COMPLAINT = f"(SELECT id FROM {Complaint._meta.db_table} WHERE number = $1)"  # nosec B608


def _of_the_complaint(columns: Columns, model: Any, order: tuple[str, str] | None = None) -> Branch:
    return Branch(
        ((columns, "r"),),
        f"FROM {model._meta.db_table} r WHERE r.complaint_id = {_THE_COMPLAINT}",  # nosec B608
        order,
    )


# The accessors `case_page_fetch` fills, in the order of the branches of its read after the complaint's.
_CASE_ACCESSORS = (
    ("responses", _RESPONSE),
    ("answers", _ANSWER),
    ("business_information", _INFORMATION),
    ("events", _EVENT),
)
_HEADER_FACTS = header_fact_columns("$2")
_CASE_PAGE = UnionRead(
    "redress_case_page",
    [
        case_branch(*_HEADER_FACTS),
        _of_the_complaint(_RESPONSE, BusinessResponse),
        _of_the_complaint(_ANSWER, CustomerAnswer),
        _of_the_complaint(_INFORMATION, BusinessInformation),
        _of_the_complaint(_EVENT, ComplaintEvent, ("r.created_at", "r.id")),
        Branch(
            ((_ATTACHMENT, "a"), (_LINK, "t")),
            f"FROM {Attachment._meta.db_table} a LEFT JOIN {ThreadAttachment._meta.db_table} t "  # nosec B608
            f"ON t.attachment_id = a.id WHERE a.complaint_id = {_THE_COMPLAINT}",
            ("a.created_at", "a.id"),
        ),
    ],
)


def case_page_fetch(*, user: User, number: str) -> Complaint:
    """The complaint the case page shows, if the user may see it (NotFound otherwise), with all it reads.

    As `complaint_get_for_user` fetches it, and loaded as `prefetch_related` would leave it:
    `complaint.responses.all()`, `.answers.all()`, `.business_information.all()` and
    `.events.all()` read no more, and `complaint.case_attachments` holds every file with its link.
    `complaint.header_facts` holds the header's two facts for the user (`Viewer.keep_facts`), or None
    where the header reads them itself.

    On PostgreSQL all of it is one statement prepared once per connection (core.prepared): the
    ORM's seven queries cost several times running them (bench/README.md, "Seventh round"), and
    each round trip more than most of them take ("Tenth round"). The thread of a complaint the
    user may not see comes back with it, and is dropped unread. Elsewhere (SQLite) the ORM reads
    them, and the header its facts.
    """
    if not prepared_reads():
        complaint = complaint_get_for_user(user=user, number=number, prefetch=(*case_page_prefetch(), "events"))
        complaint.header_facts = None  # type: ignore[attr-defined]
        return complaint
    if not may_be_a_case(user, number):
        raise NotFound("No such complaint.")
    head, *kinds, file_rows = _CASE_PAGE.rows(number, user.pk)
    complaint = complaint_authorised(complaint_of_case_row(head[0]) if head else None, user)
    represents, unread = head[0][-len(_HEADER_FACTS) :]
    complaint.header_facts = (bool(represents), int(unread))  # type: ignore[attr-defined]
    for (accessor, columns), found in zip(_CASE_ACCESSORS, kinds, strict=True):
        rows = [columns.instance(values) for values in found]
        for row in rows:
            row._state.fields_cache["complaint"] = complaint
        keep_prefetched(complaint, accessor, rows)
    files = []
    for values in file_rows:
        own, joined, _ = split(values, _ATTACHMENT, _LINK)
        attachment = _ATTACHMENT.instance(own)
        attachment._state.fields_cache["complaint"] = complaint
        # As select_related("thread_link") leaves it: the link, or None (then reading it raises).
        link = _LINK.instance_or_none(joined)
        attachment._state.fields_cache["thread_link"] = link
        if link is not None:
            link._state.fields_cache["attachment"] = attachment
        files.append(attachment)
    complaint.case_attachments = files  # type: ignore[attr-defined]
    return complaint


def _case_attachments(complaint: Complaint) -> list[Attachment]:
    """The complaint's files not sent with a thread entry: prefetched (`thread_prefetch`), or read now."""
    if hasattr(complaint, "case_attachments"):
        return complaint.case_attachments
    return list(_case_attachment_rows().filter(complaint=complaint))


def _link(attachment: Attachment) -> ThreadAttachment | None:
    # Selected with the file: a file without a link raises (an AttributeError), with no query.
    return getattr(attachment, "thread_link", None)


def filed_attachments(complaint: Complaint) -> list[Attachment]:
    """The files filed with the complaint (or by e-mail before files had a link), oldest first."""
    return [attachment for attachment in _case_attachments(complaint) if _link(attachment) is None]


def act_attachments(complaint: Complaint) -> dict[int, list[Attachment]]:
    """The files sent with staff acts, by the act's event id, oldest first."""
    files: dict[int, list[Attachment]] = {}
    for attachment in _case_attachments(complaint):
        link = _link(attachment)
        if link is not None and link.event_id is not None:
            files.setdefault(link.event_id, []).append(attachment)
    return files


def entry_attachments(complaint: Complaint) -> dict[tuple[type, int], tuple[Attachment, ...]]:
    """The files sent with each thread entry, by the entry's model and id, oldest first.

    Read from `case_page_prefetch`: a complaint fetched without it has none here.
    """
    files: dict[tuple[type, int], list[Attachment]] = {}
    for attachment in getattr(complaint, "case_attachments", ()):
        link = _link(attachment)
        if link is None:
            continue
        if link.response_id is not None:
            key: tuple[type, int] = (BusinessResponse, link.response_id)
        elif link.answer_id is not None:
            key = (CustomerAnswer, link.answer_id)
        elif link.information_id is not None:
            key = (BusinessInformation, link.information_id)
        else:
            continue  # a staff act's file (`act_attachments`)
        files.setdefault(key, []).append(attachment)
    return {key: tuple(attachments) for key, attachments in files.items()}


PUBLIC_ORDERINGS = {"newest": ("-filed_at", "-id"), "oldest": ("filed_at", "id")}
# What a public page may read of a complaint: never the original description.
PUBLIC_COMPLAINT_FIELDS = (
    "id",
    "number",
    "business_id",
    "type",
    "desired_outcome",
    "desired_outcomes",
    "status",
    "filed_at",
    "closed_at",
    "publish_consent",
    "description_masked",
    "masked_at",
    "late_response",
    "reject_reason",
    "business_name",
    "timeline_head",
    "issue",
    "region",
    "country",
    "business_outcome",
    "relief_amount",
    "public_response_masked",
    "public_response_at",
)
NOT_PUBLISHED_LINE = "The details of this complaint are not published at the complainant's request."


def published_complaints(
    business: Business | int,
    *,
    status: str | None = None,
    type: str | None = None,
    ordering: str = "newest",
    search: str = "",
    issue: str = "",
    country: str = "",
    region: str = "",
    number: str = "",
) -> QuerySet[Complaint]:
    """A business's published complaints, thread prefetched, for pages and API alike.

    `number` keeps only that complaint: the entry a search result links to.

    Published: in a public closed state, closed within REDRESS_PUBLICATION_MONTHS. Unknown
    status or type values give an empty list; so do an issue, country or region nobody gave
    (the pages and the API check them first, to say so). The region matches whatever the case.
    Search looks only at consented, masked text: PostgreSQL full-text search (websearch syntax)
    there, `icontains` elsewhere. Only public fields are loaded; render the text through
    `published_entry`.
    """
    business_id = business if isinstance(business, int) else business.pk
    qs = Complaint.objects.filter(
        business_id=business_id, status__in=PUBLIC_CLOSED_STATES, closed_at__gte=publication_cutoff()
    )
    if status:
        qs = qs.filter(status=status) if status in PUBLIC_CLOSED_STATES else qs.none()
    if type:
        qs = qs.filter(type=type) if type in ComplaintType.values else qs.none()
    if issue:
        qs = qs.filter(issue=issue)
    if country:
        qs = qs.filter(country=country.upper())
    if region.strip():
        qs = qs.filter(region__iexact=region.strip())
    if number:
        qs = qs.filter(number=number) if number.isdigit() else qs.none()
    search = (search or "").strip()
    if search:
        qs = qs.filter(publish_consent=True)
        if connection.vendor == "postgresql":
            qs = qs.filter(search_vector=SearchQuery(search, config="english", search_type="websearch"))
        else:
            qs = qs.filter(
                Q(description_masked__icontains=search)
                | Exists(BusinessResponse.objects.filter(complaint=OuterRef("pk"), text_masked__icontains=search))
                | Exists(CustomerAnswer.objects.filter(complaint=OuterRef("pk"), text_masked__icontains=search))
                | Exists(BusinessInformation.objects.filter(complaint=OuterRef("pk"), text_masked__icontains=search))
            )
    return (
        qs.only(*PUBLIC_COMPLAINT_FIELDS)
        .order_by(*PUBLIC_ORDERINGS.get(ordering, PUBLIC_ORDERINGS["newest"]))
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=BusinessResponse.objects.only("id", "complaint_id", "text_masked", "is_late", "created_at"),
            ),
            Prefetch(
                "answers",
                queryset=CustomerAnswer.objects.only("id", "complaint_id", "text_masked", "verdict", "created_at"),
            ),
            Prefetch(
                "business_information",
                queryset=BusinessInformation.objects.only("id", "complaint_id", "text_masked", "created_at"),
            ),
        )
    )


@dataclass(frozen=True)
class PublishedItem:
    """One business response, customer answer or piece of business information as the public sees it."""

    kind: str  # "response", "answer" or "information" (from the business)
    created_at: datetime
    text: str | None  # masked text, or None where the complainant did not consent
    is_late: bool = False
    verdict: str = ""

    @property
    def heading(self) -> str:
        if self.kind == "response":
            return "Business response" + (" (late)" if self.is_late else "")
        if self.kind == "information":
            return "Information from the business"
        return {"accept": "Customer answer: accepted", "reject": "Customer answer: rejected"}.get(
            self.verdict, "Customer answer"
        )


@dataclass(frozen=True)
class PublishedEntry:
    """A published complaint as the public sees it: masked, consented text only."""

    complaint: Complaint
    text: str | None  # None: not published at the complainant's request (see NOT_PUBLISHED_LINE)
    thread: tuple[PublishedItem, ...]
    closing_summary: str = ""  # why it closed, in one sentence (complaints.closing)
    issue: str = ""  # the issue under the type, in words
    outcome: str = ""  # the outcome the business gave with its latest response, in words
    public_response: str | None = None  # masked; None without one or without consent

    @property
    def not_published_line(self) -> str:
        return NOT_PUBLISHED_LINE


def published_entries(complaints: Sequence[Complaint], *, business_name: str) -> list[PublishedEntry]:
    """The public view of a page of `published_complaints`, with why each closed (one query more)."""
    moves: dict[int, list[ComplaintEvent]] = {complaint.pk: [] for complaint in complaints}
    if moves:
        closing = (
            ComplaintEvent.objects.filter(complaint_id__in=moves)
            .exclude(from_status=F("to_status"))
            .only("complaint_id", "event", "from_status", "to_status", "reason", "created_at")
            .order_by("complaint_id", "created_at", "id")
        )
        for event in closing:
            moves[event.complaint_id].append(event)
    return [
        published_entry(complaint, summary_of(complaint, moves[complaint.pk], business_name))
        for complaint in complaints
    ]


def published_entry(complaint: Complaint, closing_summary: str = "") -> PublishedEntry:
    """The public view of one complaint from `published_complaints` (uses its prefetched thread)."""
    consent = complaint.publish_consent and complaint.masked_at is not None
    items = (
        [
            PublishedItem("response", r.created_at, r.text_masked if consent else None, is_late=r.is_late)
            for r in complaint.responses.all()
        ]
        + [
            PublishedItem("answer", a.created_at, a.text_masked if consent else None, verdict=a.verdict)
            for a in complaint.answers.all()
        ]
        + [
            PublishedItem("information", i.created_at, i.text_masked if consent else None)
            for i in complaint.business_information.all()
        ]
    )
    items.sort(key=lambda item: item.created_at)
    text = complaint.description_masked if consent else None
    outcome = complaint.business_outcome
    outcome_words = str(ResponseOutcome(outcome).label) if outcome in ResponseOutcome.values else ""
    if outcome == ResponseOutcome.MONETARY_RELIEF and complaint.relief_amount is not None:
        outcome_words += f" ({complaint.relief_amount})"
    return PublishedEntry(
        complaint,
        text,
        tuple(items),
        closing_summary,
        issue=issue_label(complaint.issue),
        outcome=outcome_words,
        public_response=complaint.public_response_masked if consent and complaint.public_response_at else None,
    )
