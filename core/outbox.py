"""The outbox: send stored e-mails once, retry what failed, give up loudly.

Every e-mail is an `OutboundEmail` row written in the same transaction as the event it tells
of. After the commit, a task is queued to send it at once; if the broker is down, queuing is
logged and skipped, and the periodic `send_pending_emails` task finds the row later. Sending
locks the row (skipping a row another sender holds) and sends only what is still pending and
due, so a message is never sent twice however many senders race. A failure is recorded and
retried with exponential backoff (`REDRESS_EMAIL_BACKOFF_SECONDS`, doubling, capped at
`REDRESS_EMAIL_BACKOFF_MAX_SECONDS`); after `REDRESS_EMAIL_MAX_ATTEMPTS` attempts the row is
marked failed and an error is logged.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail
from .paging import keyset_pages

logger = logging.getLogger(__name__)

SENT, SKIPPED, RETRY, FAILED = "sent", "skipped", "retry", "failed"
# The task that sends stored e-mails (core.tasks.send_emails), queued by name: the tasks module
# imports this one, not the other way round.
SEND_TASK = "core.tasks.send_emails"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts."""
    seconds = settings.REDRESS_EMAIL_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.REDRESS_EMAIL_BACKOFF_MAX_SECONDS))


def emails_queue(email_ids: Sequence[int]) -> bool:
    """Ask a worker to send these e-mails now; False (and a warning) if the broker cannot take it."""
    try:
        current_app.send_task(SEND_TASK, (list(email_ids),), retry=False)
    except Exception:  # a down broker must never fail the request: the outbox retry sends them
        logger.warning(
            "Could not queue e-mail(s) %s; they stay pending for the outbox retry", list(email_ids), exc_info=True
        )
        return False
    return True


def emails_queue_on_commit(email_ids: Sequence[int]) -> None:
    transaction.on_commit(partial(emails_queue, list(email_ids)))


def email_store(*, to: str, subject: str, body_text: str, kind: str) -> OutboundEmail:
    """Store an account e-mail (verification, invitation) and send it in-process after commit.

    These are sent at once rather than through the broker, because the person is waiting for
    the link; if sending fails, the row stays pending and the periodic outbox retry sends it.
    """
    email = OutboundEmail.objects.create(to=to, subject=subject, body_text=body_text, kind=kind)
    transaction.on_commit(partial(email_send, email_id=email.pk))
    return email


def email_bodies(email: OutboundEmail) -> tuple[str, str]:
    """The e-mail's plain-text and HTML bodies: as stored, or rendered from its template and context."""
    if email.template and not email.body_text:
        return (
            render_to_string(f"{email.template}.txt", email.context),
            render_to_string(f"{email.template}.html", email.context),
        )
    return email.body_text, email.body_html


def email_send(*, email_id: int, connection: object | None = None, now: datetime | None = None) -> str:
    """Send one pending, due e-mail and record the result; returns sent, skipped, retry or failed."""
    now = now or timezone.now()
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None or email.state != OutboundEmail.State.PENDING or email.next_attempt_at > now:
            return SKIPPED
        email.body_text, email.body_html = email_bodies(email)
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={"X-Redress-Email-Id": str(email.pk), "Message-ID": email.message_id},
            connection=connection,
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # SMTP and backends raise many kinds; each is a failed attempt
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.REDRESS_EMAIL_MAX_ATTEMPTS:
                email.state = OutboundEmail.State.FAILED
                logger.error(
                    "Gave up on e-mail %s to %s (%r) after %s attempts: %s",
                    email.pk,
                    email.to,
                    email.subject,
                    email.attempts,
                    email.last_error,
                )
                outcome = FAILED
            else:
                email.next_attempt_at = now + backoff(email.attempts)
                logger.warning(
                    "E-mail %s to %s failed (attempt %s), retrying at %s: %s",
                    email.pk,
                    email.to,
                    email.attempts,
                    email.next_attempt_at.isoformat(),
                    email.last_error,
                )
                outcome = RETRY
        else:
            email.state = OutboundEmail.State.SENT
            email.sent_at = now
            email.last_error = ""
            outcome = SENT
        email.save(
            update_fields=["state", "attempts", "next_attempt_at", "last_error", "sent_at", "body_text", "body_html"]
        )
    return outcome


def emails_send(*, email_ids: Sequence[int]) -> Counter[str]:
    """Send the given e-mails over one connection."""
    results: Counter[str] = Counter()
    connection = get_connection()
    for email_id in email_ids:
        results[email_send(email_id=email_id, connection=connection)] += 1
    return results


def emails_resend(*, email_ids: Sequence[int], staff: AbstractBaseUser) -> list[OutboundEmail]:
    """Staff send failed e-mails again: each as a new pending row pointing at the failed one.

    The failed rows stay as they were (their attempts and errors are the record); the new rows
    are sent after the transaction commits and retried like any other.
    """
    with transaction.atomic():
        failed = OutboundEmail.objects.filter(pk__in=email_ids, state=OutboundEmail.State.FAILED).order_by("pk")
        copies = [
            OutboundEmail(
                to=email.to,
                subject=email.subject,
                body_text=email.body_text,
                body_html=email.body_html,
                template=email.template,
                context=email.context,
                complaint_id=email.complaint_id,
                event_id=email.event_id,
                kind=email.kind,
                resend_of=email,
                resent_by=staff,  # type: ignore[misc]  # any user model; core does not import accounts
            )
            for email in failed
        ]
        OutboundEmail.objects.bulk_create(copies)
        if copies:
            logger.info("E-mail(s) %s resent by staff %s", [c.resend_of_id for c in copies], staff.pk)
            emails_queue_on_commit([copy.pk for copy in copies])
    return copies


def emails_send_due(*, now: datetime | None = None, batch_size: int | None = None) -> Counter[str]:
    """Send every pending e-mail whose next attempt is due (via email_pending_idx), in batches."""
    now = now or timezone.now()
    batch_size = batch_size or settings.REDRESS_SWEEP_BATCH_SIZE
    pending = OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING, next_attempt_at__lte=now)
    results: Counter[str] = Counter()
    connection = get_connection()
    for page in keyset_pages(pending, "next_attempt_at", batch_size):
        for email_id in page:
            results[email_send(email_id=email_id, connection=connection, now=now)] += 1
    if results:
        logger.info("Outbox at %s: %s", now.isoformat(), dict(results))
    return results
