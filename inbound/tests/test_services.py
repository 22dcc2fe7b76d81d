"""A reply by e-mail becomes the move it would be on the page, or is refused and explained, or dropped."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Attachment, Complaint, ComplaintEvent, Status
from complaints.tests.factories import complaint_in
from core.models import OutboundEmail
from core.replies import reply_address
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer
from inbound.models import InboundMessage
from inbound.services import message_receive
from inbound.tests.corpus import EXPECTED, corpus_message

pytestmark = pytest.mark.django_db

# The state each corpus message finds its case in, and whose reply address it was sent to.
SETUP = {
    "apple_mail_reply.eml": (Status.AWAITING_CONSUMER, "complainant"),
    "closing_word_in_text.eml": (Status.AWAITING_BUSINESS, "complainant"),
    "dsn_bounce.eml": (Status.AWAITING_BUSINESS, "representative"),
    "forwarded.eml": (Status.AWAITING_BUSINESS, "complainant"),
    "gmail_reply.eml": (Status.AWAITING_BUSINESS, "representative"),
    "html_only.eml": (Status.AWAITING_BUSINESS, "representative"),
    "multipart_attachment.eml": (Status.AWAITING_BUSINESS, "complainant"),
    "out_of_office.eml": (Status.AWAITING_BUSINESS, "representative"),
    "outlook_reply.eml": (Status.AWAITING_BUSINESS, "complainant"),
    "phone_reply.eml": (Status.AWAITING_CONSUMER, "complainant"),
    "tampered_token.eml": (Status.AWAITING_BUSINESS, "complainant"),
    "wrong_address.eml": (Status.AWAITING_BUSINESS, "complainant"),
}
# Where each accepted reply leaves the case.
AFTER = {
    "apple_mail_reply.eml": Status.AWAITING_BUSINESS,  # rejected: back to the business for round 2
    "closing_word_in_text.eml": Status.AWAITING_BUSINESS,
    "forwarded.eml": Status.AWAITING_BUSINESS,
    "gmail_reply.eml": Status.AWAITING_CONSUMER,
    "html_only.eml": Status.AWAITING_CONSUMER,
    "multipart_attachment.eml": Status.AWAITING_BUSINESS,
    "outlook_reply.eml": Status.AWAITING_BUSINESS,
    "phone_reply.eml": Status.RESOLVED,
}


@pytest.fixture
def people(complainant, representative, business):
    return {"complainant": complainant, "representative": representative, "business": business}


def raw_message(name, user, complaint):
    return corpus_message(name, reply_address=reply_address(user.pk, complaint.pk), case=complaint.number)


def receive(name, user, complaint, **options):
    return message_receive(raw=raw_message(name, user, complaint), via=InboundMessage.Via.PIPE, **options)


def thread_items(complaint):
    return [*BusinessResponse.objects.filter(complaint=complaint), *CustomerAnswer.objects.filter(complaint=complaint)]


@pytest.mark.parametrize("name", sorted(SETUP))
def test_each_message_of_the_corpus_ends_as_the_domain_says_with_its_text_exactly(name, people):
    state, sender = SETUP[name]
    complaint = complaint_in(state, people["complainant"], people["business"])
    user = people[sender]
    before = len(thread_items(complaint))
    receipt = receive(name, user, complaint)
    expected = EXPECTED[name]
    row = InboundMessage.objects.get()
    assert (receipt.status, row.status) == (expected["status"], expected["status"])
    assert row.text == expected["stored"]
    assert bytes(row.raw) == raw_message(name, user, complaint)  # kept whole, for staff
    complaint.refresh_from_db()
    if expected["status"] == "accepted":
        (item,) = thread_items(complaint)[before:]
        assert (item.text, item.author_id) == (expected["stored"], user.pk)
        assert row.event.event == expected["event"] and row.event.actor_id == user.pk
        assert row.event.data["via"] == "email"
        assert complaint.status == AFTER[name]
        assert (row.complaint_id, row.user_id) == (complaint.pk, user.pk)
        assert not OutboundEmail.objects.filter(kind__startswith="inbound:").exists()
    else:
        assert len(thread_items(complaint)) == before and complaint.status == state
        assert row.event_id is None
        refusals = OutboundEmail.objects.filter(kind__startswith="inbound:")
        if expected["status"] == "dropped":
            assert not refusals.exists() and row.refusal_email_id is None
        else:
            (refusal,) = refusals
            assert refusal.to == row.from_address and row.refusal_email_id == refusal.pk
            assert refusal.headers["Auto-Submitted"] == "auto-replied"


# --- built messages for each rule ------------------------------------------------------------------


def reply(user, complaint, body="The parcel still has not arrived.", *, sender=None, message_id=None, **headers):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = sender or f"{user.name} <{user.email}>"
    message["To"] = reply_address(user.pk, complaint.pk)
    message["Subject"] = f"Re: [Redress #{complaint.number}] Your complaint was sent to the business"
    message["Message-ID"] = message_id or f"<{complaint.number}.{user.pk}.{len(body)}@mail.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def send(message, **options):
    return message_receive(raw=bytes(message), via=InboundMessage.Via.PIPE, **options)


def refusal_of(row):
    return OutboundEmail.objects.get(pk=row.refusal_email_id)


def test_attachments_go_through_the_filing_checks_and_are_attached_with_the_move(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receipt = receive("multipart_attachment.eml", people["complainant"], complaint)
    assert receipt.status == "accepted"
    files = Attachment.objects.filter(complaint=complaint).order_by("pk")
    assert [(f.original_name, f.content_type, f.uploaded_by_id) for f in files] == [
        ("receipt.pdf", "application/pdf", people["complainant"].pk),
        ("box.png", "image/png", people["complainant"].pk),
    ]
    assert files[0].file.read().startswith(b"%PDF-1.4")
    assert receipt.message.event.data == {"via": "email", "attachments": ["receipt.pdf", "box.png"]}
    assert all(f.created_at == receipt.message.event.created_at for f in files)


def test_an_attachment_the_filing_would_refuse_refuses_the_whole_message(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    message = reply(people["complainant"], complaint, "The contract is attached.")
    message.add_attachment(b"PK\x03\x04 word document", maintype="application", subtype="msword", filename="x.docx")
    receipt = send(message)
    assert (receipt.status, receipt.reason_code) == ("refused", "refused_by_service")
    assert "x.docx is not a PDF, PNG or JPEG file" in receipt.reason
    assert not Attachment.objects.filter(complaint=complaint).exists()
    assert not CustomerAnswer.objects.filter(complaint=complaint).exists()
    assert "x.docx is not a PDF, PNG or JPEG file" in refusal_of(receipt.message).body_text


def test_a_refusal_to_a_stranger_says_nothing_of_the_case(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receipt = receive("wrong_address.eml", people["complainant"], complaint)
    assert receipt.reason_code == "wrong_sender"
    refusal = refusal_of(receipt.message)
    assert refusal.to == "dana.whitfield@mailbox.example"
    assert refusal.subject == f"Not added: Re: [Redress #{complaint.number}] Your complaint was sent to the business"
    assert refusal.body_text == (
        "Your e-mail to Redress was not added to a case, and nothing of it was kept on the case.\n\n"
        "Why: It was not sent from the e-mail address of the account the reply address belongs to. "
        "Reply from that address, or sign in and add your message on the case page.\n\n"
        "To add to a case, sign in at http://127.0.0.1:8000/ and open the case.\n\n"
        "This is an automatic answer: replies to it are not read."
    )
    assert refusal.headers == {
        "Auto-Submitted": "auto-replied",
        "In-Reply-To": "<20260307192205.a1b2c3@mailbox.example>",
        "References": "<20260307192205.a1b2c3@mailbox.example>",
    }


def test_a_party_whose_move_is_not_open_is_told_why_with_a_link_to_the_case(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receipt = send(reply(people["complainant"], complaint, "accept"))
    assert (receipt.status, receipt.reason_code) == ("refused", "move_not_open")
    body = refusal_of(receipt.message).body_text
    assert "Why: There is no business response to accept now: the case is awaiting business." in body
    assert f"http://127.0.0.1:8000/complaints/{complaint.number}/" in body
    assert not CustomerAnswer.objects.filter(complaint=complaint).exists()


def test_a_representative_s_reply_when_no_response_is_due_is_information_from_the_business(people):
    with time_machine.travel(datetime(2026, 4, 2, 9, 30, tzinfo=UTC), tick=False):
        complaint = complaint_in(Status.AWAITING_CONSUMER, people["complainant"], people["business"])
    due_at = complaint.due_at
    assert due_at == datetime(2026, 4, 12, 9, 30, tzinfo=UTC)  # the 10 days the response gave the complainant
    body = (
        "One more thing about the refund: it left our bank on 3 March.\n"
        "\n"
        "On Tue, 3 Mar 2026 at 10:02, Redress <no-reply@redress.test> wrote:\n"
        "> Gigwork Market responded to your complaint."
    )
    receipt = send(reply(people["representative"], complaint, body))
    assert (receipt.status, receipt.reason_code) == ("accepted", "")
    stored = "One more thing about the refund: it left our bank on 3 March."
    assert receipt.message.text == stored
    event = receipt.message.event
    assert (event.event, event.actor_id, event.actor_role) == (
        "business_information",
        people["representative"].pk,
        "representative",
    )
    assert (event.from_status, event.to_status) == ("awaiting_consumer", "awaiting_consumer")
    assert event.data == {"text": stored, "via": "email"}
    (information,) = BusinessInformation.objects.filter(complaint=complaint)
    assert (information.text, information.author_id) == (stored, people["representative"].pk)
    complaint.refresh_from_db()
    # Information is no response: the state, the complainant's due date and the round count stay.
    assert (complaint.status, complaint.due_at, complaint.response_count) == ("awaiting_consumer", due_at, 1)
    assert BusinessResponse.objects.filter(complaint=complaint).count() == 1
    assert not OutboundEmail.objects.filter(kind__startswith="inbound:").exists()
    # The complainant is told by e-mail, with the information quoted, and in the app.
    (email,) = OutboundEmail.objects.filter(to="dana@example.com", kind="event:business_information")
    assert email.subject == f"[Redress #{complaint.number}] New information from Gigwork Market"
    assert email.context["lines"] == [
        "Gigwork Market added information to the case. This does not change the case: you still have until "
        "12 Apr 2026, 09:30 UTC to accept or reject the response.",
        "What Gigwork Market wrote:",
        "One more thing about the refund: it left our bank on 3 March.",
    ]
    assert people["complainant"].notifications.get(event=event).message == (
        f"#{complaint.number}: New information from Gigwork Market"
    )


@pytest.mark.parametrize("state", [Status.STAFF_REVIEW, Status.IN_MEDIATION])
def test_a_representative_s_reply_during_review_or_mediation_is_information_too(people, state):
    complaint = complaint_in(state, people["complainant"], people["business"])
    receipt = send(reply(people["representative"], complaint, "We have now offered a full refund."))
    assert receipt.status == "accepted" and receipt.message.event.event == "business_information"
    assert list(BusinessInformation.objects.filter(complaint=complaint).values_list("text", flat=True)) == [
        "We have now offered a full refund."
    ]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.response_count) == (state, 2)


def test_a_reply_to_a_closed_case_is_refused_and_its_address_expires_30_days_after_closing(people):
    complaint = complaint_in(Status.RESOLVED, people["complainant"], people["business"])
    message = reply(people["complainant"], complaint, "Thanks again.", message_id="<a@mail.example>")
    assert send(message).reason_code == "closed"
    later = complaint.closed_at + timedelta(days=30, seconds=1)
    with time_machine.travel(later, tick=False):
        receipt = send(reply(people["complainant"], complaint, "Thanks again.", message_id="<b@mail.example>"))
    assert receipt.reason_code == "expired"
    assert (
        receipt.reason
        == f"The reply address of case #{complaint.number} stopped working 30 days after the case closed."
    )
    assert not CustomerAnswer.objects.filter(complaint=complaint, text="Thanks again.").exists()


def test_a_business_may_still_respond_late_by_e_mail_after_unanswered(people):
    complaint = complaint_in(Status.UNANSWERED, people["complainant"], people["business"])
    receipt = send(reply(people["representative"], complaint, "Sorry for the delay: the refund is on its way."))
    assert receipt.status == "accepted" and receipt.message.event.event == "respond"
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER and complaint.late_response
    assert BusinessResponse.objects.get(complaint=complaint).is_late


def test_a_reopened_case_takes_replies_again(people, staff):
    from disputes.services import complaint_staff_act

    complaint = complaint_in(Status.ANSWERED, people["complainant"], people["business"])
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="reopen", reason="Appeal accepted")
    later = timezone.now() + timedelta(days=60)
    with time_machine.travel(later, tick=False):
        receipt = send(reply(people["complainant"], complaint, "Here is more."))
    assert receipt.status == "accepted"


def test_a_message_over_the_size_limit_is_refused_and_only_its_header_kept(people, settings):
    settings.REDRESS_INBOUND_MAX_BYTES = 2 * 1024 * 1024 // 10  # 0.2 MB
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    message = reply(people["complainant"], complaint, "A long story. " * 16_000)
    raw = bytes(message)
    receipt = send(message)
    assert (receipt.status, receipt.reason_code) == ("refused", "too_large")
    assert receipt.reason == "It is larger than 0.2 MB, attachments included."
    row = receipt.message
    assert row.size == len(raw) and bytes(row.raw) == raw[: raw.index(b"\n\n") + 2]
    assert refusal_of(row).to == people["complainant"].email
    assert not CustomerAnswer.objects.filter(complaint=complaint).exists()


def test_the_same_message_id_received_twice_is_stored_and_applied_once(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    first = receive("gmail_reply.eml", people["representative"], complaint)
    again = receive("gmail_reply.eml", people["representative"], complaint)
    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.message.pk == first.message.pk and again.status == "accepted"
    assert InboundMessage.objects.count() == 1
    assert BusinessResponse.objects.filter(complaint=complaint).count() == 1


def test_a_refused_message_received_again_is_not_answered_again(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receive("wrong_address.eml", people["complainant"], complaint)
    again = receive("wrong_address.eml", people["complainant"], complaint)
    assert again.duplicate and again.status == "refused"
    assert OutboundEmail.objects.filter(kind__startswith="inbound:").count() == 1


def test_dkim_and_spf_results_are_recorded_and_failures_refused_when_the_setting_says_so(people, settings):
    settings.REDRESS_INBOUND_AUTHSERV_IDS = ["mx.redress.test"]
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    results = "mx.redress.test; dkim=fail header.d=example.com; spf=softfail smtp.mailfrom=example.com"
    forged = "mx.evil.example; dkim=pass; spf=pass"
    first = send(_with_results(reply(people["complainant"], complaint, "One.", message_id="<1@x>"), [forged, results]))
    assert (first.status, first.message.dkim, first.message.spf) == ("accepted", "fail", "softfail")
    settings.REDRESS_INBOUND_REFUSE_AUTH_FAILURES = True
    second = send(_with_results(reply(people["complainant"], complaint, "Two.", message_id="<2@x>"), [results]))
    assert (second.status, second.reason_code) == ("refused", "authentication_failed")
    passing = "mx.redress.test; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=example.com"
    third = send(_with_results(reply(people["complainant"], complaint, "Three.", message_id="<3@x>"), [passing]))
    assert (third.status, third.message.dkim, third.message.spf) == ("accepted", "pass", "pass")


def _with_results(message, values):
    # The receiving MTA adds its header on top; a header the sender wrote sits below it.
    for value in values:
        message["Authentication-Results"] = value
    return message


def test_a_sender_refused_again_and_again_is_told_five_times_a_day_at_most(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    for n in range(7):
        send(reply(people["complainant"], complaint, f"Try {n}", sender="robot@loop.example", message_id=f"<{n}@l>"))
    rows = InboundMessage.objects.filter(from_address="robot@loop.example")
    assert rows.count() == 7 and set(rows.values_list("status", flat=True)) == {"refused"}
    assert OutboundEmail.objects.filter(to="robot@loop.example").count() == 5


def test_mail_from_redress_itself_is_never_answered(people, settings):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receipt = send(reply(people["complainant"], complaint, "Loop", sender="no-reply@redress.local"))
    assert receipt.status == "refused" and receipt.message.refusal_email_id is None


def test_a_representative_no_longer_with_the_business_is_refused(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    people["representative"].memberships.all().delete()
    receipt = send(reply(people["representative"], complaint, "We refunded it."))
    assert (receipt.status, receipt.reason_code) == ("refused", "not_a_party")


def test_a_deactivated_account_s_reply_address_no_longer_works(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    people["complainant"].is_active = False
    people["complainant"].save()
    assert send(reply(people["complainant"], complaint)).reason_code == "bad_token"


def test_a_rejection_needs_a_reason(people):
    complaint = complaint_in(Status.AWAITING_CONSUMER, people["complainant"], people["business"])
    receipt = send(reply(people["complainant"], complaint, "reject:"))
    assert (receipt.status, receipt.reason_code) == ("refused", "no_text")
    assert receipt.reason == 'A rejection needs a reason: write it after "reject:" on the first line.'
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER


def test_accept_where_there_is_nothing_to_accept_is_refused_not_taken_as_resolved(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receipt = send(reply(people["complainant"], complaint, "accept"))
    assert (receipt.status, receipt.reason_code) == ("refused", "move_not_open")
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS


def test_a_reply_with_only_quoted_text_is_refused(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    quoted = "On Tue, 3 Mar 2026 at 10:02, Redress <no-reply@redress.test> wrote:\n> Your complaint was sent"
    receipt = send(reply(people["complainant"], complaint, quoted))
    assert (receipt.status, receipt.reason_code) == ("refused", "no_text")


def test_a_message_not_sent_to_a_reply_address_is_refused(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    message = reply(people["complainant"], complaint)
    message.replace_header("To", "support@redress.test")
    receipt = send(message)
    assert (receipt.status, receipt.reason_code) == ("refused", "no_reply_address")


def test_the_envelope_recipient_counts_when_the_header_does_not_name_the_reply_address(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    message = reply(people["complainant"], complaint)
    message.replace_header("To", "undisclosed-recipients:;")
    receipt = send(message, envelope_recipients=[reply_address(people["complainant"].pk, complaint.pk)])
    assert receipt.status == "accepted"


def test_a_null_envelope_sender_is_a_bounce_and_dropped(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receipt = send(reply(people["complainant"], complaint), envelope_sender="")
    assert (receipt.status, receipt.reason_code) == ("dropped", "null_return_path")
    assert not OutboundEmail.objects.filter(kind__startswith="inbound:").exists()


def test_the_parties_hear_of_a_response_by_e_mail_as_of_one_on_the_page(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    receive("gmail_reply.eml", people["representative"], complaint)
    told = OutboundEmail.objects.filter(complaint=complaint, kind="event:respond")
    assert sorted(told.values_list("to", flat=True)) == [
        "dana@example.com",
        "disputes@gigwork.example",
        "ravi@gigwork.example",
    ]
    complaint.refresh_from_db()
    assert complaint.due_kind == "consumer_answer"
    assert complaint.due_at == ComplaintEvent.objects.filter(complaint=complaint).last().created_at + timedelta(days=10)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.AWAITING_CONSUMER


def test_a_nul_in_a_reply_is_left_out_and_the_reply_applied(people):
    complaint = complaint_in(Status.AWAITING_BUSINESS, people["complainant"], people["business"])
    message = reply(
        people["complainant"],
        complaint,
        body="The parcel\x00 still has not arrived.",
        message_id="<nul\x00@mail.example>",
    )
    receipt = send(message)
    assert receipt.status == InboundMessage.Status.ACCEPTED
    row = InboundMessage.objects.get()
    assert row.message_id == "<nul@mail.example>"
    assert CustomerAnswer.objects.get(complaint=complaint).text == "The parcel still has not arrived."
