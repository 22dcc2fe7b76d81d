"""Staff see every inbound message in admin, with the reason, the raw source and the case; nobody changes them."""

import pytest
from django.urls import reverse

from complaints.models import Status
from complaints.tests.factories import complaint_in
from core.replies import reply_address
from inbound.models import InboundMessage
from inbound.services import message_receive
from inbound.tests.corpus import corpus_message

pytestmark = pytest.mark.django_db


def test_staff_list_accepted_refused_and_dropped_messages_and_read_the_raw_source(
    client, staff, complainant, representative, business
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant, business)
    for name, user in (
        ("gmail_reply.eml", representative),
        ("wrong_address.eml", complainant),
        ("out_of_office.eml", representative),
    ):
        raw = corpus_message(name, reply_address=reply_address(user.pk, complaint.pk), case=complaint.number)
        message_receive(raw=raw, via=InboundMessage.Via.PIPE)
    client.force_login(staff)
    page = client.get(reverse("admin:inbound_inboundmessage_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    for shown in ("Accepted", "Refused", "Dropped (auto-reply or bounce)", "wrong_sender", "auto_submitted"):
        assert shown in html
    assert f">#{complaint.number}</a>" in html
    refused = InboundMessage.objects.get(status="refused")
    detail = client.get(reverse("admin:inbound_inboundmessage_change", args=[refused.pk])).content.decode()
    assert "Writing from my other address: the parcel still has not arrived." in detail  # the raw source
    assert "It was not sent from the e-mail address of the account" in detail
    assert client.get(reverse("admin:inbound_inboundmessage_changelist") + "?status=refused").status_code == 200
    assert client.post(reverse("admin:inbound_inboundmessage_delete", args=[refused.pk])).status_code == 403
    assert client.get(reverse("admin:inbound_inboundmessage_add")).status_code == 403


def test_the_public_and_the_parties_cannot_read_inbound_messages(client, complainant):
    client.force_login(complainant)
    response = client.get(reverse("admin:inbound_inboundmessage_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
