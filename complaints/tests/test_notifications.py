"""Who is told about each transition, and the outbox that sends it once (the notifications page: test_views.py)."""

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction

from accounts.models import User
from accounts.tests.factories import MembershipFactory, UserFactory
from complaints.models import Complaint, Notification, Status
from complaints.services import complaint_transition
from complaints.tests.factories import complaint_in, file_complaint, representative_of
from complaints.tests.test_workflow import EXPECTED_TRANSITIONS
from core.models import OutboundEmail
from core.outbox import FAILED, RETRY, SENT, SKIPPED, backoff, email_bodies, email_send, emails_queue, emails_send_due
from disputes.services import complaint_staff_act, response_submit
from tests.celery_worker import publishing_to, scratch_queue  # noqa: F401 - scratch_queue is a fixture

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def emails_for(complaint: Complaint, kind: str) -> dict[str, OutboundEmail]:
    return {email.to: email for email in OutboundEmail.objects.filter(complaint=complaint, kind=kind)}


def notified_users(complaint: Complaint, event_name: str) -> set[str]:
    return set(
        Notification.objects.filter(complaint=complaint, event__event=event_name).values_list("user__email", flat=True)
    )


# --- who hears about what ----------------------------------------------------------------------------


def test_filing_tells_the_complainant_and_staff_but_not_yet_the_business(settings, complainant, business):
    staff = UserFactory(is_staff=True, email="screener@redress.example")
    complaint = file_complaint(complainant, business)
    emails = emails_for(complaint, "event:file")
    assert set(emails) == {complainant.email, settings.STAFF_NOTICE_EMAIL}
    receipt = emails[complainant.email]
    assert receipt.subject == f"[Redress #{complaint.number}] We received your complaint"
    link = f"{settings.SITE_URL}/complaints/{complaint.number}/"
    assert link in email_bodies(receipt)[0] and f'href="{link}"' in email_bodies(receipt)[1]
    assert complaint.number in email_bodies(receipt)[0] and business.name in email_bodies(receipt)[1]
    assert receipt.state == OutboundEmail.State.PENDING
    # The complainant did it and has the e-mail as a receipt, so the same receipt in the app; staff have one.
    assert notified_users(complaint, "file") == {complainant.email, staff.email}
    assert Notification.objects.get(user=complainant).message == f"#{complaint.number}: We received your complaint"


def test_forwarding_tells_the_business_notice_address_and_every_representative(complainant, business, staff):
    reps = [representative_of(business), MembershipFactory(business=business).user]
    complaint = file_complaint(complainant, business)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
    emails = emails_for(complaint, "event:forward")
    assert set(emails) == {complainant.email, business.notice_email, *(rep.email for rep in reps)}
    notice = emails[business.notice_email]
    assert notice.subject == f"[Redress #{complaint.number}] A complaint was filed against your business"
    assert "If you do not respond by" in email_bodies(notice)[0]
    assert notified_users(complaint, "forward") == {complainant.email, *(rep.email for rep in reps)}


def test_a_business_response_tells_the_complainant_and_the_business_but_not_staff(settings):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    rep = representative_of(complaint.business)
    response_submit(complaint_id=complaint.pk, author=rep, text="We refunded the order.")
    emails = emails_for(complaint, "event:respond")
    assert set(emails) == {complaint.complainant.email, complaint.business.notice_email, rep.email}
    assert "If you do not answer by" in email_bodies(emails[complaint.complainant.email])[0]
    # The rep who wrote it is e-mailed the delivery, so it is in their notices too.
    assert notified_users(complaint, "respond") == {complaint.complainant.email, rep.email}
    assert Notification.objects.get(user=rep, event__event="respond").message == (
        f"#{complaint.number}: Response delivered"
    )


def test_a_second_rejection_tells_staff_a_ruling_is_needed(settings):
    complaint = complaint_in(Status.STAFF_REVIEW)
    emails = emails_for(complaint, "event:reject_answer")
    staff_email = emails[settings.STAFF_NOTICE_EMAIL]
    assert staff_email.subject == f"[Redress #{complaint.number}] Response rejected: staff will rule"
    # The first rejection sent the case back to the business: staff heard only of the second.
    assert OutboundEmail.objects.filter(complaint=complaint, kind="event:reject_answer", to=staff_email.to).count() == 1


def test_each_party_reads_the_whole_thread_in_the_app_as_in_the_e_mails():
    complaint = complaint_in(Status.STAFF_REVIEW)  # filed, forwarded, responded, rejected, responded, rejected
    rep = complaint.business.memberships.get().user
    staff = User.objects.get(is_staff=True)

    def messages(user):
        notices = Notification.objects.filter(user=user, complaint=complaint).order_by("created_at", "pk")
        return [notice.message.removeprefix(f"#{complaint.number}: ") for notice in notices]

    assert messages(complaint.complainant) == [
        "We received your complaint",
        "Your complaint was sent to the business",
        "The business responded",
        "Response rejected",
        "The business responded",
        "Response rejected: staff will rule",
    ]
    # The representative joined after the forward; each response they wrote is confirmed to them.
    assert messages(rep) == [
        "Response delivered",
        "Response rejected",
        "Response delivered",
        "Response rejected: staff will rule",
    ]
    # The staff member (an account made after the filing) forwarded it: no notice of their own forward.
    assert messages(staff) == ["Response rejected: staff will rule"]


def test_staff_acting_hear_nothing_in_the_app_about_their_own_act():
    complaint = complaint_in(Status.STAFF_REVIEW)
    staff = User.objects.get(is_staff=True)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="rule_unresolved", reason="No good faith")
    assert not Notification.objects.filter(user=staff, event__event="rule_unresolved").exists()
    assert Notification.objects.get(user=complaint.complainant, event__event="rule_unresolved").message == (
        f"#{complaint.number}: Staff ruling: Unresolved"
    )


def test_complaints_not_yet_forwarded_never_reach_the_business(complainant, business, staff):
    complaint = file_complaint(complainant, business)
    complaint_staff_act(
        complaint_id=complaint.pk, staff=staff, action="reject", reason="In court", reject_reason="in_court"
    )
    addresses = set(OutboundEmail.objects.filter(complaint=complaint).values_list("to", flat=True))
    assert business.notice_email not in addresses
    assert "The matter is in court" in email_bodies(emails_for(complaint, "event:reject")[complainant.email])[0]


@pytest.mark.parametrize("row", EXPECTED_TRANSITIONS, ids=lambda r: f"{r[0]}-{r[1]}-{r[4]}")
def test_every_transition_emails_the_complainant_with_the_case_number_and_a_link(row, settings):
    from complaints.tests.test_transitions import actor_for, prepare

    source, event, actors, _, condition, _ = row
    complaint = prepare(source, condition)
    actor = sorted(actors)[0]
    recorded = complaint_transition(
        complaint_id=complaint.pk,
        event=event,
        actor=actor_for(complaint, actor),
        actor_role=actor,
        reason="Stated reason",
    )
    emails = list(OutboundEmail.objects.filter(event=recorded))
    to_complainant = [email for email in emails if email.to == complaint.complainant.email]
    assert len(to_complainant) == 1
    assert all(f"[Redress #{complaint.number}] " in email.subject for email in emails)
    assert all(f"{settings.SITE_URL}/complaints/{complaint.number}/" in email_bodies(email)[0] for email in emails)
    assert len({email.to for email in emails}) == len(emails)
    if complaint.complainant.is_active:
        assert Notification.objects.filter(event=recorded, user=complaint.complainant).exists()
    # Every e-mail to a user has its in-app notice, with the e-mail's headline.
    for email in emails:
        if email.user_id is not None:
            headline = email.subject.removeprefix(f"[Redress #{complaint.number}] ")
            notice = Notification.objects.get(event=recorded, user_id=email.user_id)
            assert notice.message == f"#{complaint.number}: {headline}"


def test_notices_are_stored_in_the_transition_transaction_and_vanish_with_it(complainant, business, staff):
    complaint = file_complaint(complainant, business)
    before = (OutboundEmail.objects.count(), Notification.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
        assert OutboundEmail.objects.count() > before[0]
        raise RuntimeError("the request failed after the transition")
    assert (OutboundEmail.objects.count(), Notification.objects.count()) == before


def test_e_mails_are_queued_only_when_the_transaction_commits(
    complainant, business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaint = file_complaint(complainant, business)
        assert OutboundEmail.objects.filter(complaint=complaint).exists()
    assert len(callbacks) == 1  # one publish for all of the event's e-mails


def test_queuing_to_a_broker_that_is_down_logs_and_does_not_raise(caplog):
    caplog.set_level(logging.WARNING, logger="core.outbox")
    with publishing_to("redress-unreachable", broker_url="redis://127.0.0.1:1/0"):
        assert emails_queue([1, 2]) is False
    assert "Could not queue e-mail(s) [1, 2]" in caplog.text


# --- the outbox -------------------------------------------------------------------------------------


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server unreachable")


def _pending(**fields) -> OutboundEmail:
    return OutboundEmail.objects.create(
        to="dana@example.com", subject="[Redress #12345678] Test", body_text="Text", body_html="<p>Text</p>", **fields
    )


def test_an_e_mail_is_sent_once_with_both_bodies_and_marked_sent():
    email = _pending()
    assert email_send(email_id=email.pk) == SENT
    assert email_send(email_id=email.pk) == SKIPPED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to, message.body) == (email.subject, [email.to], "Text")
    assert message.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert (email.state, email.attempts, email.sent_at is not None) == (OutboundEmail.State.SENT, 1, True)


def test_a_failed_e_mail_is_retried_with_growing_waits_then_given_up_loudly(settings, caplog):
    settings.EMAIL_BACKEND = "complaints.tests.test_notifications.FailingBackend"
    settings.REDRESS_EMAIL_MAX_ATTEMPTS = 4
    settings.REDRESS_EMAIL_BACKOFF_SECONDS = 60
    with time_machine.travel(T0, tick=False) as clock:
        email = _pending()
        retries = []
        for _ in range(3):
            assert emails_send_due() == {RETRY: 1}
            email.refresh_from_db()
            retries.append(email.next_attempt_at)
            clock.move_to(email.next_attempt_at - timedelta(seconds=1))
            assert emails_send_due() == {}  # not a second before the next attempt is due
            clock.move_to(email.next_attempt_at)
        # Attempts at 0 s, 60 s, 180 s; each wait twice the one before.
        assert retries == [T0 + timedelta(seconds=s) for s in (60, 60 + 120, 60 + 120 + 240)]
        with caplog.at_level(logging.ERROR, logger="core.outbox"):
            assert emails_send_due() == {FAILED: 1}
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboundEmail.State.FAILED, 4)
    assert "mail server unreachable" in email.last_error
    assert f"Gave up on e-mail {email.pk}" in caplog.text
    assert emails_send_due(now=T0 + timedelta(days=30)) == {}


def test_backoff_doubles_up_to_its_cap(settings):
    settings.REDRESS_EMAIL_BACKOFF_SECONDS = 60
    settings.REDRESS_EMAIL_BACKOFF_MAX_SECONDS = 600
    assert [backoff(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_the_outbox_pages_through_everything_due_and_leaves_the_rest(settings):
    settings.REDRESS_SWEEP_BATCH_SIZE = 3
    due = [_pending(next_attempt_at=T0 - timedelta(minutes=i)) for i in range(7)]
    later = _pending(next_attempt_at=T0 + timedelta(minutes=1))
    assert emails_send_due(now=T0) == {SENT: 7}
    assert set(OutboundEmail.objects.filter(state="sent").values_list("pk", flat=True)) == {e.pk for e in due}
    later.refresh_from_db()
    assert later.state == OutboundEmail.State.PENDING


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch_queue")
def test_two_senders_racing_send_each_e_mail_once():
    emails = [_pending() for _ in range(40)]
    start = threading.Barrier(2)

    def send() -> None:
        start.wait()
        emails_send_due()
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_ids = [int(message.extra_headers["X-Redress-Email-Id"]) for message in mail.outbox]
    assert sorted(sent_ids) == sorted(email.pk for email in emails)
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"sent"}


# --- e-mail bodies: templates rendered once per shape, filled per message ----------------------------


@pytest.mark.parametrize("due", ["", "21 Nov 2026, 17:35 UTC"])
def test_a_notice_is_rendered_from_its_templates_when_it_is_sent_and_the_bodies_are_kept(due, mailoutbox):
    from complaints.notifications import NOTICE_TEMPLATE, notice_context
    from core.outbox import email_send

    context = notice_context(
        number="12345678",
        business_name="Tom & Jerry's <Shop>",
        headline="Closed as <Answered>",
        status="Answered",
        link="https://redress.example/complaints/12345678/?a=1&b=2",
        due=due,
        lines=["First <b>line</b> & more.", 'He said "no"'],
    )
    email = OutboundEmail.objects.create(
        to="dana@example.com", subject="[Redress #12345678] Closed", template=NOTICE_TEMPLATE, context=context
    )
    assert (email.body_text, email.body_html) == ("", "")
    assert email_send(email_id=email.pk) == "sent"
    email.refresh_from_db()
    (message,) = mailoutbox
    html = message.alternatives[0][0]
    assert message.body == email.body_text and html == email.body_html
    assert "Tom & Jerry's <Shop>" in message.body and "First <b>line</b> & more." in message.body
    assert "Tom &amp; Jerry&#x27;s &lt;Shop&gt;" in html and "First &lt;b&gt;line&lt;/b&gt; &amp; more." in html
    assert 'href="https://redress.example/complaints/12345678/?a=1&amp;b=2"' in html
    assert ("21 Nov 2026, 17:35 UTC" in message.body) is bool(due)
