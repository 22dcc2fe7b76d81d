"""The IMAP path against a real Dovecot server: messages appended over IMAP, polled, filed away, once."""

import threading

import pytest
from django.db import connection

from complaints.models import Status
from complaints.tests.factories import complaint_in
from core.replies import reply_address
from disputes.models import BusinessResponse, CustomerAnswer
from inbound.imap import mailbox_from_url, mailbox_poll
from inbound.models import InboundMessage
from inbound.services import message_receive
from inbound.tasks import poll_mailbox
from inbound.tests.conftest import folder_count
from inbound.tests.corpus import corpus_message


def _append(client, name, user, complaint, message_id=None):
    raw = corpus_message(name, reply_address=reply_address(user.pk, complaint.pk), case=complaint.number)
    if message_id:
        raw = raw.replace(b"<CAF8dTq1x=Yk7pQ0rP3mZ+u1b2WvE@mail.gmail.com>", message_id.encode())
    client.append("INBOX", raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


@pytest.mark.django_db
def test_the_poll_receives_each_message_and_files_it_by_what_became_of_it(
    imap_server, imap_client, complainant, representative, business, settings
):
    settings.REDRESS_IMAP_URL = imap_server
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    _append(imap_client, "gmail_reply.eml", representative, complaint)
    _append(imap_client, "wrong_address.eml", complainant, complaint)
    _append(imap_client, "out_of_office.eml", representative, complaint)
    _append(imap_client, "gmail_reply.eml", representative, complaint)  # delivered twice
    assert poll_mailbox() == {"accepted": 1, "refused": 1, "dropped": 1, "duplicate": 1}
    assert (folder_count(imap_client, "INBOX"), folder_count(imap_client, "Redress-Processed")) == (0, 3)
    assert folder_count(imap_client, "Redress-Refused") == 1
    (response,) = BusinessResponse.objects.filter(complaint=complaint)
    assert response.text.startswith("Hi Dana,\n\nWe have refunded the $84.20")
    assert sorted(InboundMessage.objects.values_list("status", "via")) == [
        ("accepted", "imap"),
        ("dropped", "imap"),
        ("refused", "imap"),
    ]
    assert mailbox_poll() == {}  # nothing left, nothing done twice


def test_no_mailbox_configured_means_no_poll(settings):
    settings.REDRESS_IMAP_URL = ""
    assert poll_mailbox() == {}


def test_the_mailbox_url_names_the_server_the_account_and_the_folder():
    box = mailbox_from_url("imaps://replies%40redress.example:p%2Fss@mail.redress.example/Replies")
    assert (box.host, box.port, box.ssl, box.username, box.password, box.folder) == (
        "mail.redress.example",
        993,
        True,
        "replies@redress.example",
        "p/ss",
        "Replies",
    )
    assert mailbox_from_url("imap://u:p@127.0.0.1:1430").folder == "INBOX"
    with pytest.raises(ValueError, match="REDRESS_IMAP_URL"):
        mailbox_from_url("pop3://u:p@host/")


def _at_once(target, count=2):
    """Run `target` in `count` threads started together; returns what each returned."""
    results, errors = [], []
    start = threading.Barrier(count)

    def run():
        try:
            start.wait(timeout=30)
            results.append(target())
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_polling_at_once_handle_each_message_once(imap_server, imap_client, representative, business):
    complaints = []
    for _ in range(6):
        complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
        complaints.append(complaint)
        _append(imap_client, "gmail_reply.eml", representative, complaint, f"<{complaint.number}@mail.gmail.com>")
    assert folder_count(imap_client, "INBOX") == 6
    results = _at_once(lambda: mailbox_poll(url=imap_server))
    assert sorted(results, key=len) == [{}, {"accepted": 6}]  # the second found the mailbox taken
    for complaint in complaints:
        assert BusinessResponse.objects.filter(complaint=complaint).count() == 1
    assert InboundMessage.objects.filter(status="accepted").count() == 6
    assert (folder_count(imap_client, "INBOX"), folder_count(imap_client, "Redress-Processed")) == (0, 6)
    assert not CustomerAnswer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_message_received_by_two_workers_at_once_is_applied_once(representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    raw = corpus_message(
        "gmail_reply.eml", reply_address=reply_address(representative.pk, complaint.pk), case=complaint.number
    )
    receipts = _at_once(lambda: message_receive(raw=raw, via=InboundMessage.Via.IMAP))
    assert sorted(r.duplicate for r in receipts) == [False, True]
    assert {r.status for r in receipts} == {"accepted"}
    assert InboundMessage.objects.count() == 1
    assert BusinessResponse.objects.filter(complaint=complaint).count() == 1
