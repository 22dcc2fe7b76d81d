"""Each notice e-mail to a party carries that party's reply address, threads with its case, and says so."""

import pytest

from complaints.models import Status
from complaints.tests.factories import complaint_in
from core.models import OutboundEmail
from core.outbox import email_send, emails_resend
from core.replies import reply_address

pytestmark = pytest.mark.django_db

LINE = "You can reply to this e-mail: your reply is added to case #{}."
WORDS = (
    'To accept the response, write "accept" as the first line of your reply; '
    'to reject it, start with "reject:" and your reason.'
)


def _sent(mailoutbox, email):
    assert email_send(email_id=email.pk) == "sent"
    (message,) = [m for m in mailoutbox if m.extra_headers["X-Redress-Email-Id"] == str(email.pk)]
    return message


def test_a_forward_gives_the_complainant_and_each_representative_their_own_reply_address(
    complainant, representative, business, mailoutbox
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    rows = {e.to: e for e in OutboundEmail.objects.filter(complaint=complaint, kind="event:forward")}
    assert sorted(rows) == ["dana@example.com", "disputes@gigwork.example", "ravi@gigwork.example"]
    assert (rows["dana@example.com"].user_id, rows["ravi@gigwork.example"].user_id) == (
        complainant.pk,
        representative.pk,
    )
    assert rows["disputes@gigwork.example"].user_id is None

    to_dana = _sent(mailoutbox, rows["dana@example.com"])
    assert to_dana.reply_to == [reply_address(complainant.pk, complaint.pk)]
    assert to_dana.reply_to[0].endswith("@reply.redress.test") and to_dana.reply_to[0].startswith("reply+")
    assert to_dana.body.startswith(LINE.format(complaint.number) + "\n\nYour complaint was sent to the business\n")
    assert LINE.format(complaint.number) in to_dana.alternatives[0][0]
    to_ravi = _sent(mailoutbox, rows["ravi@gigwork.example"])
    assert to_ravi.reply_to == [reply_address(representative.pk, complaint.pk)] != to_dana.reply_to

    # The business's notice address belongs to no user: no reply address, and no line saying so.
    to_notice = _sent(mailoutbox, rows["disputes@gigwork.example"])
    assert to_notice.reply_to == []
    assert to_notice.body.startswith("A complaint was filed against your business\n")
    assert "reply" not in to_notice.alternatives[0][0].lower().replace("no-reply", "")


def test_every_e_mail_of_a_case_threads_under_the_case_and_says_a_program_sent_it(complainant, business, mailoutbox):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    thread = f"<redress-case-{complaint.number}@127.0.0.1>"
    emails = OutboundEmail.objects.filter(complaint=complaint).order_by("pk")
    assert {e.kind for e in emails} == {"event:file", "event:forward"}
    for email in emails:
        message = _sent(mailoutbox, email).message()
        assert (message["In-Reply-To"], message["References"]) == (thread, thread)
        assert message["Message-ID"] == f"<redress-email-{email.pk}@127.0.0.1>"
        assert message["Auto-Submitted"] == "auto-generated"


def test_staff_notices_carry_no_reply_address(complainant, business, mailoutbox):
    complaint = complaint_in(Status.SUBMITTED, complainant, business)
    staff_email = OutboundEmail.objects.get(complaint=complaint, to="staff@redress.local")
    assert staff_email.user_id is None
    assert _sent(mailoutbox, staff_email).reply_to == []


def test_a_complainant_asked_to_answer_is_told_the_first_line_words(complainant, representative, business, mailoutbox):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant, business)
    email = OutboundEmail.objects.get(complaint=complaint, kind="event:respond", to="dana@example.com")
    body = _sent(mailoutbox, email).body
    assert body.startswith(f"{LINE.format(complaint.number)}\n{WORDS}\n\nThe business responded\n")
    to_ravi = OutboundEmail.objects.get(complaint=complaint, kind="event:respond", to="ravi@gigwork.example")
    assert WORDS not in _sent(mailoutbox, to_ravi).body


def test_without_a_reply_domain_no_e_mail_offers_replies(complainant, business, mailoutbox, settings):
    settings.REDRESS_REPLY_DOMAIN = ""
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    email = OutboundEmail.objects.get(complaint=complaint, kind="event:forward", to="dana@example.com")
    message = _sent(mailoutbox, email)
    assert message.reply_to == [] and "reply" not in message.body.split("\n")[0].lower()


def test_a_failed_e_mail_sent_again_keeps_its_reply_address_and_thread(complainant, business, staff, mailoutbox):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    email = OutboundEmail.objects.get(complaint=complaint, kind="event:forward", to="dana@example.com")
    OutboundEmail.objects.filter(pk=email.pk).update(state=OutboundEmail.State.FAILED)
    (copy,) = emails_resend(email_ids=[email.pk], staff=staff)
    assert (copy.user_id, copy.headers) == (complainant.pk, email.headers)
    assert _sent(mailoutbox, copy).reply_to == [reply_address(complainant.pk, complaint.pk)]
