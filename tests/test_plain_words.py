"""No page shows the workflow's internal names: each role walks its main pages over a full thread.

The thread: filed, forwarded, responded, rejected, responded, rejected, ruled by staff with a
reason; beside it complaints left in each open state and one closed Unanswered. What a reader
sees (the text of the page, not its markup or attributes) must hold none of the strings below,
and no raw value of an event, a state or a due date kind.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from complaints.models import DueKind, Status
from complaints.tests.factories import complaint_in
from complaints.workflow import Event

pytestmark = pytest.mark.django_db

# What the history and the state box used to show, written out.
FORBIDDEN = (
    "→",
    "->",
    "Business representative:",
    "Redress (deadline)",
    "Consumer answer",
    "Business response to rejection",
    "awaiting_business",
    "awaiting_consumer",
    "staff_review",
    "in_mediation",
    "reject_answer",
    "mark_resolved",
    "add_information",
    "business_information",
    "business_deadline",
    "answer_deadline",
    "ruling_deadline",
    "rule_unresolved",
    "rule_answered",
    "open_mediation",
    "change_consent",
    "consumer_answer",
    "business_first",
    "business_rebuttal",
    "staff_ruling",
)


class _VisibleText(HTMLParser):
    """The text a reader sees: data outside script and style, without tags or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def internal_names_in(text: str) -> list[str]:
    found = [name for name in FORBIDDEN if name in text]
    # Raw values: a multi-word one anywhere; a one-word one ("respond", "forward") in the shapes the
    # old history printed it ("forward → …", "Redress: forward"), since the plain word is English.
    for value in [*Event, *Status, *(kind for kind in DueKind if kind)]:
        raw = str(value)
        if "_" in raw:
            if raw in text:
                found.append(raw)
        elif f"{raw} →" in text or f": {raw} " in text or f"'{raw}'" in text:
            found.append(raw)
    return found


@pytest.fixture
def thread(complainant, business, representative, staff):
    return {
        "ruled": complaint_in(Status.UNRESOLVED, complainant=complainant, business=business),
        "review": complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business),
        "answer": complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business),
        "business": complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business),
        "unanswered": complaint_in(Status.UNANSWERED, complainant=complainant, business=business),
        "screening": complaint_in(Status.SUBMITTED, complainant=complainant, business=business),
    }


def walk(client, user, urls: list[str]) -> dict[str, list[str]]:
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = internal_names_in(visible_text(response.content.decode()))
    return seen


def test_no_page_shows_internal_event_or_state_names_to_any_role(
    client, thread, complainant, representative, staff, business
):
    cases = [complaint.get_absolute_url() for complaint in thread.values()]
    forwarded = [complaint.get_absolute_url() for key, complaint in thread.items() if key != "screening"]
    pages = {
        "complainant": walk(
            client, complainant, [reverse("complaints:mine"), reverse("complaints:notifications"), *cases]
        ),
        "representative": walk(
            client,
            representative,
            [reverse("complaints:dashboard"), reverse("complaints:notifications"), *forwarded],
        ),
        "staff": walk(client, staff, cases),
        "public": walk(
            client,
            None,
            [reverse("complaints:business-directory"), reverse("complaints:business-profile", args=[business.slug])],
        ),
    }
    shown = {role: {url: names for url, names in seen.items() if names} for role, seen in pages.items()}
    assert shown == {"complainant": {}, "representative": {}, "staff": {}, "public": {}}


def test_the_history_reads_in_peoples_words_with_every_staff_reason(client, thread, complainant, representative):
    client.force_login(complainant)
    text = visible_text(client.get(thread["ruled"].get_absolute_url()).content.decode())
    for line in (
        "You filed your complaint",
        "Redress staff forwarded your complaint to Gigwork Market: Eligible",
        "Gigwork Market responded",
        "You rejected the answer; Gigwork Market was asked to respond again",
        "You rejected the answer; Redress staff will rule",
        "Redress staff ruled that Gigwork Market made no good-faith effort: closed as Unresolved: No good faith",
    ):
        assert line in text, line
    client.force_login(representative)
    theirs = visible_text(client.get(thread["ruled"].get_absolute_url()).content.decode())
    assert "The complainant filed the complaint" in theirs
    assert "Redress staff forwarded the complaint to Gigwork Market: Eligible" in theirs
    unanswered = visible_text(client.get(thread["unanswered"].get_absolute_url()).content.decode())
    assert "Gigwork Market did not respond by " in unanswered and " — second notice sent" in unanswered


def test_the_check_finds_the_old_wording():
    old = visible_text(
        "<li><time>1 Dec 2026</time> Business representative: respond → Awaiting consumer</li>"
        "<li>Redress (deadline): forward → Awaiting business</li><p>Consumer answer due 11 Dec 2026</p>"
        '<p data-x="reject_answer">Status: awaiting_consumer</p><script>var s = "staff_review";</script>'
    )
    assert internal_names_in(old) == [
        "→",
        "Business representative:",
        "Redress (deadline)",
        "Consumer answer",
        "awaiting_consumer",
        "forward",
        "respond",
        "awaiting_consumer",
    ]
