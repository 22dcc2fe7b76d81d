"""The two other ways in, as an MTA uses them: `manage.py receive_email` on a pipe, and the SMTP listener."""

import contextlib
import os
import smtplib
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection

from complaints.models import Status
from complaints.tests.factories import complaint_in
from core.models import OutboundEmail
from core.outbox import email_bodies
from core.replies import reply_address
from disputes.models import BusinessInformation, BusinessResponse
from inbound.models import InboundMessage
from inbound.tests.conftest import wait_for_port
from inbound.tests.corpus import corpus_message
from tests.processes import free_port, process_stop

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _environment(mail_dir: Path) -> dict[str, str]:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{host}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }


def _pipe(raw: bytes, mail_dir: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "manage.py", "receive_email", *arguments],
        input=raw,
        capture_output=True,
        cwd=BASE_DIR,
        env=_environment(mail_dir),
        timeout=60,
        check=False,
    )


def _written(mail_dir: Path):
    """The messages the subprocess's file mail backend wrote."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk))
    return messages


def test_the_pipe_stores_a_reply_and_exits_0_and_refuses_with_65_and_the_reason(
    complainant, representative, business, tmp_path
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    to_ravi = reply_address(representative.pk, complaint.pk)
    stored = _pipe(corpus_message("gmail_reply.eml", reply_address=to_ravi, case=complaint.number), tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.decode().strip() == "accepted: <CAF8dTq1x=Yk7pQ0rP3mZ+u1b2WvE@mail.gmail.com>"
    response = BusinessResponse.objects.get(complaint=complaint)
    assert response.author_id == representative.pk and response.text.endswith("trouble with the courier.")

    again = _pipe(corpus_message("gmail_reply.eml", reply_address=to_ravi, case=complaint.number), tmp_path)
    assert again.returncode == 0
    assert b"a copy of a message already received" in again.stdout

    to_dana = reply_address(complainant.pk, complaint.pk)
    refused = _pipe(corpus_message("wrong_address.eml", reply_address=to_dana, case=complaint.number), tmp_path)
    assert refused.returncode == 65
    assert refused.stderr.decode().strip() == (
        "refused (wrong_sender): It was not sent from the e-mail address of the account the reply address "
        "belongs to. Reply from that address, or sign in and add your message on the case page."
    )
    (refusal,) = [m for m in _written(tmp_path) if m["To"] == "dana.whitfield@mailbox.example"]
    assert refusal["Auto-Submitted"] == "auto-replied"
    assert refusal["In-Reply-To"] == "<20260307192205.a1b2c3@mailbox.example>"

    dropped = _pipe(corpus_message("out_of_office.eml", reply_address=to_ravi, case=complaint.number), tmp_path)
    assert dropped.returncode == 0 and dropped.stdout.decode().startswith("dropped: ")
    assert InboundMessage.objects.filter(via="pipe").count() == 3


def test_the_pipe_takes_the_envelope_sender_and_recipient_from_the_mta(complainant, business, tmp_path):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    raw = corpus_message("outlook_reply.eml", reply_address="someone@else.example", case=complaint.number)
    address = reply_address(complainant.pk, complaint.pk)
    stored = _pipe(raw, tmp_path, "--sender", "dana@example.com", "--recipient", address)
    assert stored.returncode == 0, stored.stderr
    assert InboundMessage.objects.get().reply_address == address
    bounce = _pipe(raw.replace(b"AM6PR05MB6087C1E2", b"BOUNCE"), tmp_path, "--sender", "", "--recipient", address)
    assert bounce.returncode == 0 and bounce.stdout.startswith(b"dropped")
    empty = _pipe(b"", tmp_path)
    assert (empty.returncode, empty.stderr.strip()) == (65, b"refused: no message on standard input")


def test_the_pipe_refuses_a_message_over_the_size_limit_without_storing_it(complainant, business, tmp_path):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    raw = corpus_message("outlook_reply.eml", reply_address=reply_address(complainant.pk, complaint.pk))
    env_raw = raw + b"x" * 5000
    result = subprocess.run(
        [sys.executable, "manage.py", "receive_email"],
        input=env_raw,
        capture_output=True,
        cwd=BASE_DIR,
        env={**_environment(tmp_path), "REDRESS_INBOUND_MAX_BYTES": "4096"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 65
    assert result.stderr.decode().strip() == "refused (too_large): It is larger than 0 MB, attachments included."
    row = InboundMessage.objects.get()
    assert row.size == len(env_raw) and bytes(row.raw).endswith(b"\n\n") and b"courier" not in bytes(row.raw)


def crlf(raw: bytes) -> bytes:
    """A message as SMTP carries it: smtplib sends bytes as they are."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_the_pipe_asks_the_mta_to_try_again_when_the_database_is_down(complainant, business, tmp_path):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    raw = corpus_message("outlook_reply.eml", reply_address=reply_address(complainant.pk, complaint.pk))
    result = subprocess.run(
        [sys.executable, "manage.py", "receive_email"],
        input=raw,
        capture_output=True,
        cwd=BASE_DIR,
        env={**_environment(tmp_path), "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/redress_no_such_database"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 75
    assert result.stderr.decode().strip().endswith("temporary failure, try again later: OperationalError")
    assert not InboundMessage.objects.exists()


@contextlib.contextmanager
def _listening(tmp_path: Path, **environment: str) -> Iterator[int]:
    """`manage.py receive_smtp` on a free loopback port, as scripts/run starts it."""
    port = free_port()
    log = tmp_path / "smtp.log"
    (tmp_path / "mail").mkdir(exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "receive_smtp", "--port", str(port)],
            cwd=BASE_DIR,
            env={**_environment(tmp_path / "mail"), **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, log)
        yield port
    finally:
        process_stop(process, timeout=20)


@pytest.fixture
def smtp_listener(tmp_path):
    with _listening(tmp_path) as port:
        yield port


def test_the_smtp_listener_answers_451_when_it_cannot_take_the_message(complainant, business, tmp_path):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    address = reply_address(complainant.pk, complaint.pk)
    raw = crlf(corpus_message("outlook_reply.eml", reply_address=address))
    down = "postgres://postgres@127.0.0.1:5432/redress_no_such_database"
    with (
        _listening(tmp_path, DATABASE_URL=down) as port,
        smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp,
        pytest.raises(smtplib.SMTPDataError) as error,
    ):
        smtp.sendmail("dana@example.com", [address], raw)
    assert (error.value.smtp_code, error.value.smtp_error) == (451, b"4.3.0 Temporary failure, try again later")


def test_the_smtp_listener_takes_replies_sent_with_smtplib(complainant, representative, business, smtp_listener):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    to_ravi = reply_address(representative.pk, complaint.pk)
    raw = crlf(corpus_message("html_only.eml", reply_address=to_ravi, case=complaint.number))
    with smtplib.SMTP("127.0.0.1", smtp_listener, timeout=30) as smtp:
        refused = smtp.sendmail("ravi@gigwork.example", [to_ravi], raw)
        assert refused == {}
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail("ravi@gigwork.example", ["support@redress.test"], raw)
        wrong = crlf(corpus_message("wrong_address.eml", reply_address=reply_address(complainant.pk, complaint.pk)))
        with pytest.raises(smtplib.SMTPDataError) as error:
            smtp.sendmail("dana.whitfield@mailbox.example", [reply_address(complainant.pk, complaint.pk)], wrong)
        assert error.value.smtp_code == 550
        assert error.value.smtp_error.decode().startswith("5.7.1 Refused: It was not sent from the e-mail address")
        bounce = crlf(corpus_message("dsn_bounce.eml", reply_address=to_ravi, case=complaint.number))
        assert smtp.sendmail("<>", [to_ravi], bounce) == {}
    response = BusinessResponse.objects.get(complaint=complaint)
    assert response.text.startswith("Dear Ms Whitfield,\n\nOur records show the parcel was returned")
    assert sorted(InboundMessage.objects.values_list("status", "reason_code", "via")) == [
        ("accepted", "", "smtp"),
        ("dropped", "auto_submitted", "smtp"),
        ("refused", "wrong_sender", "smtp"),
    ]
    assert InboundMessage.objects.get(status="dropped").envelope_sender == ""
    assert OutboundEmail.objects.filter(to="dana.whitfield@mailbox.example", kind="inbound:wrong_sender").exists()


def test_a_representative_s_reply_piped_while_the_complainant_decides_lands_as_information(
    complainant, representative, business, tmp_path
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant, business)
    raw = corpus_message("gmail_reply.eml", reply_address=reply_address(representative.pk, complaint.pk))
    stored = _pipe(raw.replace(b"{{CASE}}", complaint.number.encode()), tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.decode().strip() == "accepted: <CAF8dTq1x=Yk7pQ0rP3mZ+u1b2WvE@mail.gmail.com>"
    text = (
        "Hi Dana,\n\nWe have refunded the $84.20 to your card today. The refund reference is RF-20931; it can take "
        "3\u20135 business days to appear.\n\nSorry for the trouble with the courier."
    )
    (information,) = BusinessInformation.objects.filter(complaint=complaint)
    assert (information.text, information.author_id) == (text, representative.pk)
    assert BusinessResponse.objects.filter(complaint=complaint).count() == 1  # the response it followed
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER
    # The complainant's e-mail is in the outbox, for the worker to send; it quotes the information.
    (notice,) = OutboundEmail.objects.filter(to="dana@example.com", kind="event:business_information")
    assert notice.subject == f"[Redress #{complaint.number}] New information from Gigwork Market"
    text_body, html_body = email_bodies(notice)
    assert f"What Gigwork Market wrote:\n{text}\n\nStatus: Awaiting consumer\n" in text_body
    assert "<p>Hi Dana,<br><br>We have refunded the $84.20 to your card today." in html_body


def test_a_representative_s_reply_by_smtp_during_staff_review_lands_as_information(
    complainant, representative, business, smtp_listener
):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant, business)
    to_ravi = reply_address(representative.pk, complaint.pk)
    raw = crlf(corpus_message("html_only.eml", reply_address=to_ravi, case=complaint.number))
    with smtplib.SMTP("127.0.0.1", smtp_listener, timeout=30) as smtp:
        assert smtp.sendmail("ravi@gigwork.example", [to_ravi], raw) == {}
    (information,) = BusinessInformation.objects.filter(complaint=complaint)
    assert information.text == (
        "Dear Ms Whitfield,\n\nOur records show the parcel was returned to us on 28 February. We will send it "
        "again by express courier at no cost & refund the original shipping.\n\n* New tracking number: "
        "1Z999AA10123456799\n* Expected delivery: 10 March"
    )
    assert InboundMessage.objects.get().event.event == "business_information"
