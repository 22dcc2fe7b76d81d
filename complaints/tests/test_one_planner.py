"""The e-mail and the case page say the same thing happens next, in the same words, for each reader.

One planner (complaints.consequences) writes both (docs/domain.md, "What each party is told"):
for each open state and round, the sentences of the e-mail a reader gets are the ones their case
page shows. Dates are the default periods from T0 (screening 2 days, business 14, new response 14,
answer 10, ruling 7); the complainant reads Berlin time, the business UTC.
"""

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from complaints.models import Complaint, Status
from complaints.sweep import sweep
from complaints.tests.factories import file_complaint
from core.models import OutboundEmail
from core.outbox import email_bodies
from disputes.services import answer_submit, complaint_staff_act, response_submit

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def latest_email(complaint: Complaint, to: str) -> str:
    return email_bodies(OutboundEmail.objects.filter(complaint=complaint, to=to).latest("pk"))[0]


def page(client, user, complaint: Complaint) -> str:
    client.force_login(user)
    text = html.unescape(client.get(complaint.get_absolute_url()).content.decode())
    return " ".join(text.split())


def says_both(client, user, complaint: Complaint, sentence: str) -> None:
    """The sentence is in the reader's latest e-mail about the case and on their case page."""
    assert sentence in " ".join(latest_email(complaint, user.email).split()), sentence
    assert sentence in page(client, user, complaint), sentence


def test_each_state_and_round_says_the_same_next_step_in_the_e_mail_and_on_the_page(
    client, complainant, business, representative, staff
):
    complainant.time_zone = "Europe/Berlin"
    complainant.save()
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
        says_both(
            client,
            complainant,
            complaint,
            "Redress staff screen your complaint by 6 May 2026. If they have not acted by then, it is sent to "
            "Gigwork Market.",
        )
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
        # First notice, for the business and for the complainant.
        says_both(
            client,
            representative,
            complaint,
            "If you do not respond by 18 May 2026, Redress sends a second notice; with no response by 1 Jun 2026, "
            "the complaint closes as Unanswered on your business's public record.",
        )
        says_both(
            client,
            complainant,
            complaint,
            "If Gigwork Market does not respond by 18 May 2026, Redress sends it a second notice; with no response "
            "by 1 Jun 2026, the complaint closes as Unanswered.",
        )
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        response_submit(complaint_id=complaint.pk, author=representative, text="We lifted the suspension.")
        # The complainant's answer is due; rejecting the first response sends it back to the business.
        says_both(
            client,
            complainant,
            complaint,
            "If you reject this answer, Gigwork Market is asked to respond again by 19 May 2026. If you reject that "
            "response too, Redress staff will rule.",
        )
        says_both(
            client, complainant, complaint, "If you do not answer by 15 May 2026, the complaint closes as Answered."
        )
        says_both(
            client,
            representative,
            complaint,
            "If the complainant does not answer by 15 May 2026, the complaint closes as Answered.",
        )
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        answer_submit(complaint_id=complaint.pk, author=complainant, text="Still locked.", verdict="reject")
        says_both(
            client,
            representative,
            complaint,
            "If you do not respond again by 20 May 2026, Redress staff will rule on the complaint by 27 May 2026.",
        )
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        response_submit(complaint_id=complaint.pk, author=representative, text="The earnings were released.")
        # The final round: rejecting now goes to staff.
        says_both(client, complainant, complaint, "If you reject this answer, Redress staff will rule by 14 May 2026.")
    with time_machine.travel(T0 + timedelta(days=4), tick=False):
        answer_submit(complaint_id=complaint.pk, author=complainant, text="Nothing arrived.", verdict="reject")
        for reader in (complainant, representative):
            says_both(
                client,
                reader,
                complaint,
                "Redress staff will rule by 15 May 2026. If they have not ruled by then, the complaint closes as "
                "Answered.",
            )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.STAFF_REVIEW


def test_a_final_notice_e_mail_and_page_say_the_complaint_closes_as_unanswered(
    client, complainant, business, representative, staff
):
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
    with time_machine.travel(T0 + timedelta(days=14, minutes=1), tick=False):
        sweep(now=T0 + timedelta(days=14, minutes=1))
        assert Complaint.objects.get(pk=complaint.pk).due_kind == "business_final"
        says_both(
            client,
            representative,
            complaint,
            "If you do not respond by 1 Jun 2026, the complaint closes as Unanswered on your business's public record.",
        )


def test_a_passed_due_date_before_the_sweep_says_what_the_next_check_does(
    client, complainant, business, representative, staff
):
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
        response_submit(complaint_id=complaint.pk, author=representative, text="We lifted the suspension.")
    with time_machine.travel(T0 + timedelta(days=11), tick=False):  # the answer was due on 14 May; no sweep yet
        theirs = page(client, complainant, complaint)
        assert (
            "Your answer was due by 14 May 2026; Redress closes the complaint as Answered at its next check." in theirs
        )
        assert "If you do not answer by" not in theirs
        # The reject block says so too, and rejecting counts only before that check.
        overdue_reject = (
            "Your answer was due by 14 May 2026, and Redress's next check closes the complaint as Answered. "
            "If you reject this answer before then, Gigwork Market is asked to respond again by 29 May 2026. "
            "If you reject that response too, Redress staff will rule."
        )
        assert overdue_reject in theirs
        assert "If you reject this answer, Gigwork Market" not in theirs
        client.force_login(complainant)
        confirm = client.get(f"/complaints/{complaint.number}/answer/reject_answer/")
        assert confirm.status_code == 200
        assert overdue_reject in " ".join(html.unescape(confirm.content.decode()).split())
        business_page = page(client, representative, complaint)
        assert (
            "The complainant's answer was due by 14 May 2026; Redress closes the complaint as Answered at its "
            "next check." in business_page
        )
