"""In Chromium: one full thread walked as each party (docs/domain.md, "E-mails written to their reader").

Filed through the pages, forwarded by staff from the case page (with a private note first),
responded, rejected, responded again, rejected again, ruled on by staff from the case page with a
reason, then read in the public record. At each step each party's case
page is checked: the tracker's current step, the history's newest line, the e-mails they received
(subject, the page's due date, the quoted text) and their notifications; axe finds no serious or
critical violation on any page, the confirmation pages, notifications, directory, profile and the
staff case view included.
"""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from complaints.models import Complaint, Notification, Status
from core.models import OutboundEmail
from core.outbox import email_bodies
from disputes.forms import STAFF_ACTION_LABELS

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
DESCRIPTION = (
    "My seller account was suspended without a reason and the earnings of March, 1,240 USD, are "
    "withheld. Support answered that they may not respond further."
)


class Party:
    """A party's browser and mailbox."""

    def __init__(self, browser, live_server, user, viewport) -> None:
        self.user = user
        self.context = browser.new_context(viewport=viewport)
        sign_in(self.context, live_server, user)
        self.page = self.context.new_page()
        self.live_server = live_server
        self.seen: set[int] = set()
        self.notices = 0

    def open(self, complaint: Complaint) -> None:
        self.page.goto(self.live_server.url + complaint.get_absolute_url())

    def mail(self, complaint: Complaint) -> list[tuple[str, str]]:
        """The e-mails received since the last look: (headline, plain text)."""
        emails = [
            e for e in OutboundEmail.objects.filter(complaint=complaint, to=self.user.email).order_by("pk")
            if e.pk not in self.seen
        ]  # fmt: skip
        self.seen.update(e.pk for e in emails)
        prefix = f"[Redress #{complaint.number}] "
        return [(e.subject.removeprefix(prefix), email_bodies(e)[0]) for e in emails]

    def new_notices(self, complaint: Complaint) -> list[str]:
        messages = list(
            Notification.objects.filter(user=self.user, complaint=complaint)
            .order_by("created_at", "pk")
            .values_list("message", flat=True)
        )
        fresh, self.notices = messages[self.notices :], len(messages)
        return [message.removeprefix(f"#{complaint.number}: ") for message in fresh]

    def step(self, complaint, check_page, name, *, now, history, headline, quoted=None):
        """The case page and the mailbox agree: tracker, history, e-mail, notice, due date."""
        self.open(complaint)
        page = self.page
        expect(page.locator("[data-tracker] [aria-current=step] .tracker-label")).to_have_text(now)
        expect(page.locator(".timeline > li").last).to_contain_text(history)
        check_page(page, name)
        mail = self.mail(complaint)
        assert [subject for subject, _ in mail] == [headline], mail
        body = mail[0][1]
        assert self.new_notices(complaint) == [headline]
        due = re.search(r"Next due date: (.+)\n", body)
        text = page.locator("main").inner_text()
        if due:
            assert due.group(1) in text, (due.group(1), text)
        if quoted:
            assert quoted in body and quoted in text
        link = re.search(r"Open the case: (\S+)", body)
        assert link and link.group(1).endswith(complaint.get_absolute_url())
        return body


def test_a_full_thread_walked_as_each_party(browser, live_server, check_page, business, representative, staff):
    dana_user = UserFactory(name="Dana Whitfield", email="dana@example.com", time_zone="Europe/Berlin")
    dana = Party(browser, live_server, dana_user, PHONE)
    ravi = Party(browser, live_server, representative, DESKTOP)
    sam = Party(browser, live_server, staff, DESKTOP)

    # Filed through the pages.
    page = dana.page
    page.goto(live_server.url + "/complaints/new/")
    page.locator("select[name=business]").select_option(business.slug)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Type of complaint").select_option("account_suspension")
    page.get_by_label("What happened").fill(DESCRIPTION)
    page.get_by_role("checkbox", name="Release of withheld funds", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes, publish the text with my personal details masked").check()
    page.get_by_label("I affirm that the information in this complaint is true and accurate.").check()
    page.get_by_label("I affirm that this matter is not, and has not been, before a court.").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="File the complaint").click()
    complaint = Complaint.objects.get()
    expect(page.locator("[data-case-number]")).to_have_text(complaint.number)
    # The filed page gives the screening date, in Dana's zone, as the receipt does.
    screening = page.locator("[data-screening-due]").inner_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d CES?T", screening), screening
    check_page(page, "walk-1-filed")
    receipt = dana.step(
        complaint,
        check_page,
        "walk-1-case-dana",
        now="Screening",
        history="filed",
        headline="We received your complaint",
    )
    # The sentence gives the day, as the case page does; the exact time is on the due-date line.
    assert f"Redress staff screen your complaint by {screening.split(',')[0]}. If they have not acted" in receipt
    assert f"Next due date: {screening}" in receipt
    assert "confirm your e-mail address" not in receipt

    def staff_act(action: str, reason: str, name: str, *, now: str) -> None:
        """Sam acts from the staff case view: its tracker first, then the action's reason form and confirmation."""
        sam.open(complaint)
        expect(sam.page.locator("[data-tracker] [aria-current=step] .tracker-label")).to_have_text(now)
        actions = sam.page.locator("[data-staff-actions]")
        expect(actions).to_be_visible()
        label = STAFF_ACTION_LABELS[action]
        sam.page.locator(f"#staff_{action}_reason").fill(reason)
        actions.get_by_role("button", name=f"{label}…").click()
        check_page(sam.page, f"{name}-confirm")
        sam.page.get_by_role("button", name=f"Yes: {label.lower()}").click()
        expect(sam.page.get_by_text(f"{label}: done for #{complaint.number}.")).to_be_visible()
        # Back on the case: the staff history shows the act with its reason.
        expect(sam.page.locator(".timeline > li").last).to_contain_text(reason)
        check_page(sam.page, name)

    # Staff forward it from the case page, with a reason and a private note the parties never read.
    sam.open(complaint)
    note = "Checked the seller account: it is the one named in the complaint."
    sam.page.get_by_label("Private note").fill(note)
    sam.page.get_by_role("button", name="Add note…").click()
    sam.page.get_by_role("button", name="Yes, add the note").click()
    expect(sam.page.get_by_text("Your private note was added.")).to_be_visible()
    expect(sam.page.locator("[data-staff-notes]")).to_contain_text(note)
    staff_act("forward", "Eligible and complete", "walk-2-staff-forward", now="Screening")
    dana.step(
        complaint, check_page, "walk-2-forwarded-dana", now="With the business", history="forwarded",
        headline="Your complaint was sent to the business", quoted="Eligible and complete",
    )  # fmt: skip
    ravi.step(
        complaint, check_page, "walk-2-forwarded-ravi", now="Your response", history="forwarded",
        headline="A complaint was filed against your business", quoted="Eligible and complete",
    )  # fmt: skip

    def respond(text: str, name: str) -> None:
        ravi.open(complaint)
        ravi.page.get_by_label("Your response").fill(text)
        ravi.page.get_by_role("button", name="Continue to send response").click()
        expect(ravi.page.get_by_role("heading", name="Confirm: respond to the complaint")).to_be_visible()
        check_page(ravi.page, f"{name}-confirm")
        ravi.page.get_by_role("button", name="Yes, send the response").click()
        expect(ravi.page.get_by_text("Your response was sent")).to_be_visible()

    def reject(text: str, name: str) -> None:
        dana.open(complaint)
        dana.page.get_by_label("Why the answer does not settle it").fill(text)
        dana.page.get_by_role("button", name="Reject…").click()
        check_page(dana.page, f"{name}-confirm")
        dana.page.get_by_role("button", name="Yes, reject the answer").click()

    first = "We reviewed the account and lifted the suspension today."
    respond(first, "walk-3-respond")
    body = dana.step(
        complaint, check_page, "walk-3-responded-dana", now="Your answer", history=f"{business.name} responded",
        headline="The business responded", quoted=first,
    )  # fmt: skip
    assert f"If you reject this answer, {business.name} is asked to respond again by" in body
    ravi.step(
        complaint, check_page, "walk-3-responded-ravi", now="The complainant's answer",
        history=f"{business.name} responded", headline="Response delivered", quoted=first,
    )  # fmt: skip

    reason = "The account is still locked and the earnings are withheld."
    reject(reason, "walk-4-reject")
    dana.step(
        complaint, check_page, "walk-4-rejected-dana", now="With the business", history="rejected the answer",
        headline="Response rejected", quoted=reason,
    )  # fmt: skip
    body = ravi.step(
        complaint, check_page, "walk-4-rejected-ravi", now="Your response", history="rejected the answer",
        headline="Response rejected", quoted=reason,
    )  # fmt: skip
    assert "If you do not respond again by" in body

    second = "The withheld earnings were released to the bank account on file."
    respond(second, "walk-5-respond")
    body = dana.step(
        complaint, check_page, "walk-5-responded-dana", now="Your answer", history=f"{business.name} responded",
        headline="The business responded", quoted=second,
    )  # fmt: skip
    assert "If you reject this answer, Redress staff will rule by" in body
    ravi.step(
        complaint, check_page, "walk-5-responded-ravi", now="The complainant's answer",
        history=f"{business.name} responded", headline="Response delivered", quoted=second,
    )  # fmt: skip

    again = "Nothing arrived at the bank and the account is still locked."
    reject(again, "walk-6-reject")
    dana.step(
        complaint, check_page, "walk-6-rejected-dana", now="Staff review", history="Redress staff will rule",
        headline="Response rejected: staff will rule", quoted=again,
    )  # fmt: skip
    ravi.step(
        complaint, check_page, "walk-6-rejected-ravi", now="Staff review", history="Redress staff will rule",
        headline="Response rejected: staff will rule", quoted=again,
    )  # fmt: skip
    # Staff read the case where they work on it.
    sam.page.goto(live_server.url + f"/admin/complaints/complaint/{complaint.pk}/change/")
    expect(sam.page.get_by_text(complaint.number).first).to_be_visible()
    check_page(sam.page, "walk-6-staff-case")
    sam.open(complaint)
    check_page(sam.page, "walk-6-staff-case-page")

    ruling = "The business showed no record of the transfer of the withheld earnings."
    staff_act("rule_unresolved", ruling, "walk-7-staff-ruling", now="Staff review")
    dana.step(
        complaint, check_page, "walk-7-ruled-dana", now="Closed", history="no good-faith effort",
        headline="Staff ruling: Unresolved", quoted=ruling,
    )  # fmt: skip
    ravi.step(
        complaint, check_page, "walk-7-ruled-ravi", now="Closed", history="no good-faith effort",
        headline="Staff ruling: Unresolved", quoted=ruling,
    )  # fmt: skip
    expect(dana.page.locator(".timeline")).to_contain_text(ruling)
    # The private note is the staff's alone.
    for party in (dana, ravi):
        expect(party.page.locator("main")).not_to_contain_text(note)
        expect(party.page.locator("[data-staff-notes]")).to_have_count(0)

    # The notifications page tells the same story as the mailbox.
    dana.page.goto(live_server.url + "/notifications/")
    expect(dana.page.locator(".notification")).to_have_count(7)
    check_page(dana.page, "walk-8-notifications")

    # The public entry: the directory, the profile, the masked record.
    public = browser.new_context(viewport=PHONE).new_page()
    public.goto(live_server.url + "/businesses/")
    expect(public.get_by_role("link", name=business.name).first).to_be_visible()
    check_page(public, "walk-9-directory")
    public.goto(live_server.url + f"/businesses/{business.slug}/")
    expect(public.get_by_text("Unresolved").first).to_be_visible()
    expect(public.get_by_text("Dana Whitfield")).to_have_count(0)
    check_page(public, "walk-9-profile")
    screenshot(public, "walk-9-profile-phone")
    assert Complaint.objects.get().status == Status.UNRESOLVED
    assert datetime.now(UTC) > complaint.filed_at
    for party in (dana, ravi, sam):
        party.context.close()
