"""What each e-mail says to its reader: the second person, the new text quoted, the due date in the
reader's own zone with what happens otherwise, and a link to the case (docs/domain.md, "E-mails")."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from complaints.models import Complaint, Status
from complaints.tests.factories import file_complaint
from core.models import OutboundEmail
from core.outbox import email_bodies
from disputes.services import answer_submit, complaint_staff_act, response_submit

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def text_of(complaint: Complaint, kind: str, to: str) -> str:
    """The plain text of the latest e-mail of this kind to this address."""
    email = OutboundEmail.objects.filter(complaint=complaint, kind=kind, to=to).latest("pk")
    return email_bodies(email)[0]


def test_the_receipt_asks_only_an_unconfirmed_complainant_to_confirm_their_address(business):
    with time_machine.travel(T0, tick=False):
        confirmed = file_complaint(UserFactory(email="confirmed@example.com"), business)
        unconfirmed = file_complaint(UserFactory(email="new@example.com", email_verified_at=None), business)
    confirmed_text = text_of(confirmed, "event:file", "confirmed@example.com")
    assert "confirm your e-mail address" not in confirmed_text
    assert (
        "Redress staff screen your complaint by 6 May 2026. If they have not acted by then, it is sent to "
        "Gigwork Market." in confirmed_text
    )
    assert "Please confirm your e-mail address: an unconfirmed complaint is not sent to the business." in text_of(
        unconfirmed, "event:file", "new@example.com"
    )


def test_a_response_is_quoted_to_each_party_in_their_own_words_and_zone(complainant, business, representative, staff):
    complainant.time_zone = "Europe/Berlin"
    complainant.save()
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible and complete")
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        response_submit(complaint_id=complaint.pk, author=representative, text="We restored the account today.")

    forwarded = text_of(complaint, "event:forward", "disputes@gigwork.example")
    assert "A consumer filed a complaint against your business, Gigwork Market." in forwarded
    assert (
        "If you do not respond by 18 May 2026, Redress sends a second notice; with no response by 1 Jun 2026, "
        "the complaint closes as Unanswered on your business's public record." in forwarded
    )
    assert "Redress staff's note:\nEligible and complete" in forwarded
    # The complainant set Berlin: the same moment, in their zone, named.
    to_complainant = text_of(complaint, "event:forward", "dana@example.com")
    assert (
        "If Gigwork Market does not respond by 18 May 2026, Redress sends it a second notice; with no response by "
        "1 Jun 2026, the complaint closes as Unanswered." in to_complainant
    )
    assert "Redress staff sent your complaint to Gigwork Market." in to_complainant

    answered = text_of(complaint, "event:respond", "dana@example.com")
    assert "Gigwork Market responded to your complaint." in answered
    assert (
        "If you reject this answer, Gigwork Market is asked to respond again by 19 May 2026. If you reject that "
        "response too, Redress staff will rule.\nIf you do not answer by 15 May 2026, the complaint closes as Answered."
    ) in answered
    assert "What Gigwork Market wrote:\nWe restored the account today." in answered
    assert "Next due date: 15 May 2026, 10:00 CEST" in answered
    assert f"Open the case: http://127.0.0.1:8000/complaints/{complaint.number}/" in answered

    delivered = text_of(complaint, "event:respond", "ravi@gigwork.example")
    assert "Your business's response was delivered to the complainant." in delivered
    assert "If the complainant does not answer by 15 May 2026, the complaint closes as Answered." in delivered
    assert "The response:\nWe restored the account today." in delivered


def test_the_second_rejection_and_the_ruling_quote_their_reasons(complainant, business, representative, staff):
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
        response_submit(complaint_id=complaint.pk, author=representative, text="First answer.")
        answer_submit(complaint_id=complaint.pk, author=complainant, text="Still locked out.", verdict="reject")
        rebuttal = text_of(complaint, "event:reject_answer", "ravi@gigwork.example")
        response_submit(complaint_id=complaint.pk, author=representative, text="Second answer.")
        last_chance = text_of(complaint, "event:respond", "dana@example.com")
        answer_submit(complaint_id=complaint.pk, author=complainant, text="Nothing changed.", verdict="reject")
        complaint_staff_act(
            complaint_id=complaint.pk, staff=staff, action="rule_unresolved", reason="No good-faith effort shown"
        )
    assert "The complainant rejected your business's response." in rebuttal
    assert "The complainant's reason:\nStill locked out." in rebuttal
    assert (
        "If you do not respond again by 18 May 2026, Redress staff will rule on the complaint by 25 May 2026."
        in rebuttal
    )
    # After the second response, rejecting goes to staff, and the e-mail says so.
    assert "If you reject this answer, Redress staff will rule by 11 May 2026." in last_chance
    to_staff = text_of(complaint, "event:reject_answer", "staff@redress.local")
    # Staff read the same sentence as the case page shows them.
    assert (
        "Redress staff will rule by 11 May 2026. If they have not ruled by then, the complaint closes as Answered."
        in to_staff
    )
    ruled = text_of(complaint, "event:rule_unresolved", "dana@example.com")
    assert "Redress staff ruled on your complaint: it is closed as Unresolved." in ruled
    assert "Their reason:\nNo good-faith effort shown" in ruled
    assert Complaint.objects.get(pk=complaint.pk).status == Status.UNRESOLVED


def test_a_sweep_run_by_hand_says_where_its_links_point_and_uses_it(settings, capsys, complainant, business, staff):
    settings.SITE_URL = "http://127.0.0.1:8102"
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(complainant, business)
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        call_command("enforce_deadlines")
    assert "Links in e-mails: http://127.0.0.1:8102/" in capsys.readouterr().out
    forwarded = text_of(complaint, "event:forward", "dana@example.com")
    assert f"Open the case: http://127.0.0.1:8102/complaints/{complaint.number}/" in forwarded


def test_a_zone_the_system_does_not_know_reads_as_the_site_zone(business):
    user = UserFactory(email="atlantis@example.com", time_zone="Atlantis/Nowhere")  # as if typed in the admin
    with time_machine.travel(T0, tick=False):
        complaint = file_complaint(user, business)
    assert "Next due date: 6 May 2026, 08:00 UTC" in text_of(complaint, "event:file", "atlantis@example.com")
