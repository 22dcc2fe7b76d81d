"""A full thread read from the e-mails alone, each e-mail checked against the page it links to.

Filed, forwarded, responded, rejected, responded again, rejected again, ruled on with a reason: at
each step every new e-mail to the complainant and to the representative is opened as its reader
would open it. Its link must lead to the case, its due date must be the one the page gives (each
in the reader's own zone), and the text it quotes must be on the page (docs/domain.md, "E-mails
written to their reader").
"""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from accounts.models import User
from complaints.models import Complaint
from complaints.tests.factories import file_complaint
from core.models import OutboundEmail
from core.outbox import email_bodies
from disputes.services import answer_submit, complaint_staff_act, response_submit

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def page_text(client: Client, link: str, number: str) -> str:
    assert link.startswith(f"{settings.SITE_URL}/"), link
    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200, link
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    text = re.sub(r"\s+", " ", text)
    assert f"#{number}" in text or number in text
    return text


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Reader:
    """One party reading their mailbox: the e-mails not read yet, each against its page."""

    def __init__(self, user: User, complaint: Complaint) -> None:
        self.user, self.complaint = user, complaint
        self.client = Client()
        self.client.force_login(user)
        self.read: set[int] = set()

    def new_emails(self) -> list[tuple[str, str]]:
        emails = OutboundEmail.objects.filter(complaint=self.complaint, to=self.user.email).order_by("pk")
        fresh = [email for email in emails if email.pk not in self.read]
        self.read.update(email.pk for email in fresh)
        return [(email.subject, email_bodies(email)[0]) for email in fresh]

    def check(self, *, subject: str, says: list[str], due: str | None, quoted: str | None) -> str:
        """The one new e-mail: its subject, its lines, its due date and quote, and its page."""
        emails = self.new_emails()
        assert [s for s, _ in emails] == [f"[Redress #{self.complaint.number}] {subject}"]
        body = emails[0][1]
        for line in says:
            assert line in body, (line, body)
        link = re.search(r"Open the case: (\S+)", body)
        assert link is not None
        page = page_text(self.client, link.group(1), self.complaint.number)
        if due is None:
            assert "Next due date:" not in body
        else:
            assert f"Next due date: {due}\n" in body
            assert due in page, (due, page)
        if quoted is not None:
            assert f"\n{quoted}\n" in body
            assert one_line(quoted) in page
        return page


def test_every_e_mail_of_a_full_thread_agrees_with_its_page(complainant, business, representative, staff):
    complainant.time_zone = "Europe/Berlin"
    complainant.save()
    dana, ravi = Reader(complainant, None), Reader(representative, None)  # type: ignore[arg-type]

    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
        dana.complaint = ravi.complaint = complaint
        dana.check(
            subject="We received your complaint",
            says=[
                "Redress staff screen your complaint by 6 May 2026. If they have not acted by then, it is sent to "
                "Gigwork Market."
            ],
            due="6 May 2026, 10:00 CEST",
            quoted=None,
        )
        assert ravi.new_emails() == []  # not forwarded yet

        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible and complete")
        dana.check(
            subject="Your complaint was sent to the business",
            says=[
                "If Gigwork Market does not respond by 18 May 2026, Redress sends it a second notice; with no "
                "response by 1 Jun 2026, the complaint closes as Unanswered."
            ],
            due="18 May 2026, 10:00 CEST",
            quoted="Eligible and complete",
        )
        ravi.check(
            subject="A complaint was filed against your business",
            says=["If you do not respond by 18 May 2026, Redress sends a second notice"],
            due="18 May 2026, 08:00 UTC",
            quoted="Eligible and complete",
        )

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        first = "We looked at the account and lifted the suspension."
        response_submit(complaint_id=complaint.pk, author=representative, text=first)
        dana.check(
            subject="The business responded",
            says=[
                "Gigwork Market responded to your complaint.",
                "If you reject this answer, Gigwork Market is asked to respond again by 19 May 2026. "
                "If you reject that response too, Redress staff will rule.",
            ],
            due="15 May 2026, 10:00 CEST",
            quoted=first,
        )
        ravi.check(
            subject="Response delivered",
            says=["Your business's response was delivered to the complainant."],
            due="15 May 2026, 08:00 UTC",
            quoted=first,
        )

    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        reason = "The account is still locked and the earnings are withheld."
        answer_submit(complaint_id=complaint.pk, author=complainant, text=reason, verdict="reject")
        dana.check(
            subject="Response rejected",
            says=["You rejected the response of Gigwork Market."],
            due="20 May 2026, 10:00 CEST",
            quoted=reason,
        )
        ravi.check(
            subject="Response rejected",
            says=[
                "The complainant rejected your business's response.",
                "If you do not respond again by 20 May 2026, Redress staff will rule on the complaint by 27 May 2026.",
            ],
            due="20 May 2026, 08:00 UTC",
            quoted=reason,
        )

    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        second = "The earnings were released to the bank account on file."
        response_submit(complaint_id=complaint.pk, author=representative, text=second)
        dana.check(
            subject="The business responded",
            says=["If you reject this answer, Redress staff will rule by 14 May 2026."],
            due="17 May 2026, 10:00 CEST",
            quoted=second,
        )
        ravi.check(subject="Response delivered", says=[], due="17 May 2026, 08:00 UTC", quoted=second)

    with time_machine.travel(T0 + timedelta(days=4), tick=False):
        again = "Nothing arrived at the bank; the account is still locked."
        answer_submit(complaint_id=complaint.pk, author=complainant, text=again, verdict="reject")
        dana.check(
            subject="Response rejected: staff will rule",
            says=[
                "Redress staff will rule by 15 May 2026. If they have not ruled by then, the complaint closes as "
                "Answered."
            ],
            due="15 May 2026, 10:00 CEST",
            quoted=again,
        )
        ravi.check(
            subject="Response rejected: staff will rule",
            says=[
                "Redress staff will rule by 15 May 2026. If they have not ruled by then, the complaint closes as "
                "Answered."
            ],
            due="15 May 2026, 08:00 UTC",
            quoted=again,
        )

    with time_machine.travel(T0 + timedelta(days=5), tick=False):
        ruling = "The business showed no transfer record for the withheld earnings."
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="rule_unresolved", reason=ruling)
        page = dana.check(
            subject="Staff ruling: Unresolved",
            says=["Redress staff ruled on your complaint: it is closed as Unresolved."],
            due=None,
            quoted=ruling,
        )
        assert "Unresolved" in page
        ravi.check(
            subject="Staff ruling: Unresolved",
            says=["Redress staff ruled on the complaint: it is closed as Unresolved."],
            due=None,
            quoted=ruling,
        )
