"""Receive one e-mail: store it once, and make it the move it would be on the page, or refuse it.

The three ways in (`manage.py receive_email`, the IMAP poll, the SMTP listener) all call
`message_receive` with the raw message. It decides, in this order:

1. the same Message-ID received before: nothing more is stored or sent;
2. an auto-reply, out-of-office or bounce (`inbound.robots`): dropped, no answer;
3. too large, not sent to a reply address, an unknown, forged or expired token, a sender who is
   not the token's user, a DKIM or SPF failure when `REDRESS_INBOUND_REFUSE_AUTH_FAILURES` is
   on, a sender no longer a party, a closed case, a move not open now, or a move the services
   refuse (no text, a refused attachment): refused with an explaining e-mail, and nothing is
   added to the case;
4. otherwise the move (`inbound.moves.reply_move`: a business response, information from the
   business, or the complainant's answer), through `disputes.services` like a page.

Every message is kept as an `InboundMessage` with its raw source for staff. The row is written in
the move's transaction and its Message-ID is unique, so two workers receiving the same message
at once store and apply it once: the second waits for the first and then finds it there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import Cutter
from complaints.models import Complaint, ComplaintEvent
from complaints.permissions import roles_for
from complaints.workflow import Actor
from core.errors import RedressError
from core.outbox import email_store
from core.replies import address_token, reply_address_expired, token_read
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer
from disputes.services import answer_submit, business_information_add, response_submit

from .message import Parsed, header_part, message_parse
from .models import InboundMessage
from .moves import INFORMATION, RESPONSE, reply_move
from .robots import robot_reason
from .selectors import messages_from
from .text import Command, first_line_command, new_text

logger = logging.getLogger(__name__)

ACCEPTED, REFUSED, DROPPED = (
    InboundMessage.Status.ACCEPTED,
    InboundMessage.Status.REFUSED,
    InboundMessage.Status.DROPPED,
)

# Refusal codes and what the sender is told. The sentences say nothing of the case or its parties
# to a sender who has not shown they are one.
TOO_LARGE = "too_large"
NO_REPLY_ADDRESS = "no_reply_address"
BAD_TOKEN = "bad_token"
EXPIRED = "expired"
WRONG_SENDER = "wrong_sender"
AUTH_FAILED = "authentication_failed"
NOT_A_PARTY = "not_a_party"
REFUSED_BY_SERVICE = "refused_by_service"
NO_TEXT = "no_text"

_UNVERIFIED_SENTENCES = {
    NO_REPLY_ADDRESS: "It was not sent to a Redress reply address.",
    BAD_TOKEN: "The reply address it was sent to is not one Redress gave out, or it was changed.",
    WRONG_SENDER: "It was not sent from the e-mail address of the account the reply address belongs to. "
    "Reply from that address, or sign in and add your message on the case page.",
    AUTH_FAILED: "Your mail provider could not confirm that it was sent by the owner of the sending "
    "address (a DKIM or SPF check failed).",
}


@dataclass(frozen=True)
class Receipt:
    """What became of a message: its row, and whether it was a copy of one already received."""

    status: str
    reason_code: str
    reason: str
    message: InboundMessage
    duplicate: bool = False


@dataclass
class _Decision:
    status: str
    code: str = ""
    reason: str = ""
    user: User | None = None
    complaint: Complaint | None = None
    verified: bool = False  # the sender is the token's user: they may hear about the case


def _reply_address(parsed: Parsed, envelope_recipients: Sequence[str]) -> tuple[str, str | None]:
    for address in [*(a.lower() for a in envelope_recipients), *parsed.recipients]:
        token = address_token(address)
        if token is not None:
            return address, token
    return "", None


def _check(parsed: Parsed, *, token: str | None, too_large: bool, return_path: str | None) -> _Decision:
    """Everything decided before the move: dropped, refused, or who is replying to which case."""
    robot = robot_reason(parsed.headers, return_path=return_path, from_address=parsed.from_address)
    if robot:
        return _Decision(DROPPED, robot, "An automatic message (auto-reply or bounce): no answer is sent.")
    if too_large:
        limit = round(settings.REDRESS_INBOUND_MAX_BYTES / (1024 * 1024), 1)
        return _Decision(REFUSED, TOO_LARGE, f"It is larger than {limit:g} MB, attachments included.")
    if token is None:
        return _Decision(REFUSED, NO_REPLY_ADDRESS, _UNVERIFIED_SENTENCES[NO_REPLY_ADDRESS])
    named = token_read(token)
    user = User.objects.filter(pk=named.user_id, is_active=True).first() if named else None
    complaint = Complaint.objects.filter(pk=named.complaint_id).first() if named else None
    if user is None or complaint is None:
        return _Decision(REFUSED, BAD_TOKEN, _UNVERIFIED_SENTENCES[BAD_TOKEN])
    if parsed.from_address != user.email.strip().lower():
        return _Decision(REFUSED, WRONG_SENDER, _UNVERIFIED_SENTENCES[WRONG_SENDER], user, complaint)
    if settings.REDRESS_INBOUND_REFUSE_AUTH_FAILURES and "fail" in (parsed.dkim, parsed.spf):
        return _Decision(REFUSED, AUTH_FAILED, _UNVERIFIED_SENTENCES[AUTH_FAILED], user, complaint)
    if reply_address_expired(complaint.closed_at, timezone.now()):
        days = settings.REDRESS_REPLY_DAYS_AFTER_CLOSING
        return _Decision(
            REFUSED,
            EXPIRED,
            f"The reply address of case #{complaint.number} stopped working {days} days after the case closed.",
            user,
            complaint,
            verified=True,
        )
    return _Decision(ACCEPTED, user=user, complaint=complaint, verified=True)


def _uploads(parsed: Parsed) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(a.name, a.content, a.content_type) for a in parsed.attachments]


def _move(decision: _Decision, parsed: Parsed) -> tuple[ComplaintEvent | None, str, str, str]:
    """Apply the reply's move; returns its event (None if refused), the stored text, and a refusal."""
    user, complaint = decision.user, decision.complaint
    assert user is not None and complaint is not None
    roles = roles_for(user, complaint)
    if Actor.COMPLAINANT in roles:
        role = Actor.COMPLAINANT
    elif Actor.REPRESENTATIVE in roles:
        role = Actor.REPRESENTATIVE
    else:
        return None, "", NOT_A_PARTY, "The account this reply address belongs to is no longer a party to the case."
    text = new_text(parsed.body)
    command = first_line_command(text)
    if role is Actor.REPRESENTATIVE:  # the first-line words are the complainant's
        command = Command("none", text)
    plan = reply_move(role=role, status=complaint.status, verdict=command.verdict)
    if plan.refusal:
        return None, "", plan.refusal, plan.message
    uploads = _uploads(parsed)
    if plan.verdict == "reject" and not command.text:
        return None, "", NO_TEXT, 'A rejection needs a reason: write it after "reject:" on the first line.'
    if not command.text and not uploads and plan.verdict != "accept":
        return None, "", NO_TEXT, "We found no new text in it, only quoted text or a signature."
    record: BusinessResponse | CustomerAnswer | BusinessInformation
    try:
        with transaction.atomic():
            if plan.kind == RESPONSE:
                record = response_submit(
                    complaint_id=complaint.pk, author=user, text=command.text, attachments=uploads, via="email"
                )
            elif plan.kind == INFORMATION:
                record = business_information_add(
                    complaint_id=complaint.pk, author=user, text=command.text, attachments=uploads, via="email"
                )
            else:
                record = answer_submit(
                    complaint_id=complaint.pk,
                    author=user,
                    text=command.text,
                    verdict=plan.verdict,
                    attachments=uploads,
                    via="email",
                )
    except RedressError as error:
        details = [message for messages in error.field_errors.values() for message in messages]
        return None, "", REFUSED_BY_SERVICE, " ".join([error.message, *details]).strip()
    event = ComplaintEvent.objects.filter(complaint_id=complaint.pk).order_by("-created_at", "-id").first()
    return event, record.text, "", ""


def _refusal_body(decision: _Decision, reason: str) -> str:
    lines = [
        "Your e-mail to Redress was not added to a case, and nothing of it was kept on the case.",
        "",
        f"Why: {reason}",
        "",
    ]
    if decision.verified and decision.complaint is not None:
        link = f"{settings.SITE_URL}{decision.complaint.get_absolute_url()}"
        lines += [f"You can see case #{decision.complaint.number} and what you can do now on its page: {link}", ""]
    else:
        lines += [f"To add to a case, sign in at {settings.SITE_URL}/ and open the case.", ""]
    lines += ["This is an automatic answer: replies to it are not read."]
    return "\n".join(lines)


def _may_answer(address: str) -> bool:
    """Whether a refusal may be sent to this address: a real sender not told too often today."""
    if not address or "@" not in address:
        return False
    ours = {settings.REDRESS_REPLY_DOMAIN.lower(), settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ").lower()}
    if address.rpartition("@")[2] in ours:
        return False
    since = timezone.now() - timedelta(days=1)
    told = InboundMessage.objects.filter(
        from_address=address, received_at__gte=since, refusal_email__isnull=False
    ).count()
    return told < settings.REDRESS_INBOUND_REFUSALS_PER_DAY


def _refuse(row: InboundMessage, decision: _Decision, parsed: Parsed, message_id: str) -> None:
    row.status, row.reason_code, row.reason = REFUSED, decision.code, decision.reason
    if _may_answer(parsed.from_address):
        subject = parsed.subject or "your e-mail to Redress"
        subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
        headers = {"Auto-Submitted": "auto-replied"}
        if not message_id.startswith("<sha256-"):
            headers |= {"In-Reply-To": message_id, "References": message_id}
        row.refusal_email = email_store(
            to=parsed.from_address,
            subject=f"Not added: {subject}"[:300],
            body_text=_refusal_body(decision, decision.reason),
            kind=f"inbound:{decision.code}",
            headers=headers,
        )
    row.save(update_fields=["status", "reason_code", "reason", "refusal_email"])


def message_receive(
    *,
    raw: bytes,
    via: str,
    envelope_sender: str | None = None,
    envelope_recipients: Sequence[str] = (),
    size: int | None = None,
) -> Receipt:
    """Store one raw message once and apply it (see the module's docstring); never raises for bad mail.

    `envelope_sender` is the SMTP MAIL FROM when the caller knows it ("" for a bounce), else the
    message's Return-Path is read. `envelope_recipients` are the SMTP RCPT TO addresses. `size` is
    the message's full size when the caller read only the start of one too large.
    """
    size = max(size or 0, len(raw))
    too_large = size > settings.REDRESS_INBOUND_MAX_BYTES
    kept = header_part(raw) if too_large else raw
    parsed = message_parse(kept, authserv_ids=settings.REDRESS_INBOUND_AUTHSERV_IDS)
    envelope = envelope_sender.strip().strip("<>").strip().lower() if envelope_sender is not None else None
    return_path = envelope if envelope is not None else parsed.return_path
    reply_address, token = _reply_address(parsed, envelope_recipients)
    with transaction.atomic():
        decision = _check(parsed, token=token, too_large=too_large, return_path=return_path)
        row = InboundMessage(
            message_id=parsed.message_id,
            via=via,
            status=decision.status,
            reason_code=decision.code,
            reason=decision.reason,
            envelope_sender=(return_path or "")[:320],
            from_address=parsed.from_address[:320],
            reply_address=reply_address[:320],
            subject=parsed.subject,
            size=size,
            dkim=parsed.dkim[:20],
            spf=parsed.spf[:20],
            user=decision.user,
            complaint=decision.complaint,
            raw=kept,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # Received before (or by another worker just now, which has committed: the unique index
            # made this insert wait for it).
            first = InboundMessage.objects.get(message_id=parsed.message_id)
            logger.info("Inbound message %s received again; stored once (%s)", parsed.message_id, first.status)
            return Receipt(first.status, first.reason_code, first.reason, first, duplicate=True)
        if decision.status == ACCEPTED:
            event, text, code, reason = _move(decision, parsed)
            if event is None:
                decision.code, decision.reason = code, reason
            else:
                row.event, row.text = event, text
                row.save(update_fields=["event", "text"])
        if decision.status == REFUSED or (decision.status == ACCEPTED and row.event_id is None):
            decision.status = REFUSED
            _refuse(row, decision, parsed, parsed.message_id)
    logger.info(
        "Inbound message %s via %s from %s: %s %s",
        parsed.message_id,
        via,
        parsed.from_address,
        row.status,
        row.reason_code,
    )
    return Receipt(row.status, row.reason_code, row.reason, row)


def sender_erase(user: User, cut: Cutter, reason: str) -> None:
    """Forget a deleted account's e-mails: their addresses and raw sources go, the texts lose their name.

    What each message became (accepted, refused, dropped, and why) stays, as staff saw it.
    """
    messages = list(messages_from(user))
    for message in messages:
        InboundMessage.objects.filter(pk=message.pk).update(
            from_address="", envelope_sender="", raw=b"", subject=cut(message.subject), text=cut(message.text)
        )
