"""The outbox keeps every e-mail through a long mail outage, gives up loudly, and can send again."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from accounts.tests.factories import UserFactory
from complaints.models import Notification
from complaints.services.notices import failed_emails_alert
from core.models import OutboundEmail
from core.outbox import FAILED, RETRY, SENT, email_send, emails_resend, emails_send_due

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class DownBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def _pending(**fields) -> OutboundEmail:
    return OutboundEmail.objects.create(
        to="dana@example.com", subject="[Redress #12345678] Test", body_text="Hi", **fields
    )


def test_the_default_retry_budget_is_24_attempts_over_more_than_three_days(settings):
    assert (settings.REDRESS_EMAIL_MAX_ATTEMPTS, settings.REDRESS_EMAIL_BACKOFF_SECONDS) == (24, 60)
    assert settings.REDRESS_EMAIL_BACKOFF_MAX_SECONDS == 6 * 3600


def test_an_outage_of_three_days_loses_no_e_mail(settings):
    settings.EMAIL_BACKEND = "core.tests.test_outbox.DownBackend"
    with time_machine.travel(T0, tick=False) as clock:
        email = _pending()
        while True:
            assert emails_send_due() == {RETRY: 1}
            email.refresh_from_db()
            if email.next_attempt_at > T0 + timedelta(days=3):
                break
            clock.move_to(email.next_attempt_at)
        # Waits of 1, 2, 4 ... 256 minutes (8.5 hours in all), then 6 hours each: the attempt after
        # the 20th falls past 3 days of refusals, and the e-mail is still pending.
        assert (email.state, email.attempts) == (OutboundEmail.State.PENDING, 20)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock.move_to(email.next_attempt_at)
        assert emails_send_due() == {SENT: 1}
    assert [message.to for message in mail.outbox] == [["dana@example.com"]]


def test_every_attempt_of_an_e_mail_carries_the_same_message_id(settings):
    settings.EMAIL_BACKEND = "core.tests.test_outbox.DownBackend"
    with time_machine.travel(T0, tick=False) as clock:
        email = _pending()
        assert email_send(email_id=email.pk) == RETRY
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock.move_to(T0 + timedelta(minutes=2))
        assert email_send(email_id=email.pk) == SENT
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == f"<redress-email-{email.pk}@127.0.0.1>"
    assert message.message()["Message-ID"] == f"<redress-email-{email.pk}@127.0.0.1>"


def test_a_failed_e_mail_alerts_every_active_staff_member_once(settings):
    settings.EMAIL_BACKEND = "core.tests.test_outbox.DownBackend"
    settings.REDRESS_EMAIL_MAX_ATTEMPTS = 1
    staff = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    UserFactory(is_staff=True, is_active=False)
    UserFactory()
    email = _pending()
    assert email_send(email_id=email.pk) == FAILED
    assert failed_emails_alert() == 1
    assert failed_emails_alert() == 0
    notices = Notification.objects.order_by("user_id")
    assert [n.user_id for n in notices] == sorted(user.pk for user in staff)
    assert {n.message for n in notices} == {
        "E-mail to dana@example.com failed after 1 attempts: [Redress #12345678] Test"
    }
    assert {n.url for n in notices} == {f"/admin/core/outboundemail/{email.pk}/change/"}


def test_staff_resend_a_failed_e_mail_as_a_new_message_and_the_failed_one_stays(settings, admin_client, admin_user):
    settings.EMAIL_BACKEND = "core.tests.test_outbox.DownBackend"
    settings.REDRESS_EMAIL_MAX_ATTEMPTS = 1
    failed = _pending()
    sent = _pending()
    assert email_send(email_id=failed.pk) == FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_send(email_id=sent.pk) == SENT
    response = admin_client.post(
        reverse("admin:core_outboundemail_changelist"),
        {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 e-mail(s) queued again as new messages." in page
    assert "1 e-mail(s) were not failed and were left alone." in page
    copy = OutboundEmail.objects.get(resend_of=failed)
    assert (copy.state, copy.to, copy.subject, copy.resent_by_id) == (
        "pending",
        failed.to,
        failed.subject,
        admin_user.pk,
    )
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert emails_send_due() == {SENT: 1}
    assert emails_resend(email_ids=[sent.pk], staff=admin_user) == []
