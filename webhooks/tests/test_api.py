"""The webhooks API: representatives of the business manage its endpoints; everyone else gets 404."""

from __future__ import annotations

import pytest

from complaints.models import Status
from complaints.tests.factories import complaint_in
from tests.webhook_receiver import Receiver
from webhooks.models import Delivery, Endpoint
from webhooks.services import delivery_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def base(business):
    return f"/api/v1/businesses/{business.slug}/webhooks/"


def test_a_representative_registers_an_endpoint_and_sees_the_secret_once(api, business, representative, receiver):
    client = api(representative)
    created = client.post(base(business), {"url": receiver.url, "events": ["complaint.forwarded"]}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["url"] == receiver.url
    assert body["events"] == ["complaint.forwarded"]
    assert body["enabled"] is True
    listed = client.get(base(business))
    assert listed.status_code == 200
    assert [endpoint["id"] for endpoint in listed.json()] == [body["id"]]
    assert "secret" not in listed.json()[0]
    assert "secret" not in client.get(f"{base(business)}{body['id']}/").json()


def test_bad_input_answers_400_with_field_messages(api, business, representative):
    client = api(representative)
    answer = client.post(base(business), {"url": "ftp://x.example/", "events": ["complaint.eaten"]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"events": {"0": ['"complaint.eaten" is not a valid choice.']}} or set(
        answer.json()["errors"]
    ) == {"events"}
    answer = client.post(base(business), {"url": "ftp://x.example/", "events": ["complaint.closed"]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"url": ["Use an http or https URL."]}


def test_others_get_404_everywhere(api, business, representative, other_representative, complainant, staff):
    endpoint = Endpoint.objects.create(business=business, url="https://crm.example/hooks", events=["complaint.closed"])
    paths = [
        ("get", base(business)),
        ("post", base(business)),
        ("get", f"{base(business)}{endpoint.pk}/"),
        ("patch", f"{base(business)}{endpoint.pk}/"),
        ("delete", f"{base(business)}{endpoint.pk}/"),
        ("post", f"{base(business)}{endpoint.pk}/rotate/"),
        ("post", f"{base(business)}{endpoint.pk}/ping/"),
        ("get", f"{base(business)}{endpoint.pk}/deliveries/"),
        ("post", f"{base(business)}{endpoint.pk}/deliveries/1/redeliver/"),
    ]
    for user in (other_representative, complainant, staff):
        client = api(user)
        for method, path in paths:
            answer = getattr(client, method)(path, {}, format="json")
            assert answer.status_code == 404, (user, method, path)
    anonymous = api()
    assert anonymous.get(base(business)).status_code == 401
    assert Endpoint.objects.get().secret == endpoint.secret


def test_patch_rotate_ping_log_and_redeliver(api, business, representative, complainant, receiver):
    client = api(representative)
    created = client.post(base(business), {"url": receiver.url, "events": ["complaint.forwarded"]}, format="json")
    endpoint_id, secret = created.json()["id"], created.json()["secret"]
    path = f"{base(business)}{endpoint_id}/"

    disabled = client.patch(path, {"enabled": False}, format="json")
    assert (disabled.status_code, disabled.json()["enabled"]) == (200, False)
    assert disabled.json()["disabled_reason"] == "Disabled by a representative."
    assert client.patch(path, {"enabled": True}, format="json").json()["enabled"] is True

    rotated = client.post(f"{path}rotate/")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in {secret, ""}
    assert rotated.json()["previous_secret_valid_until"] is not None
    receiver.secret = rotated.json()["secret"]

    ping = client.post(f"{path}ping/")
    assert ping.status_code == 202
    assert ping.json()["event_type"] == "webhook.ping"
    assert delivery_send(delivery_id=ping.json()["id"]) == "sent"
    assert [(r.event_type, r.verified) for r in receiver.received] == [("webhook.ping", True)]

    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    forwarded = Delivery.objects.get(event_type="complaint.forwarded")
    log = client.get(f"{path}deliveries/")
    assert log.status_code == 200
    assert log.json()["count"] == 2
    newest = log.json()["results"][0]
    assert (newest["event_type"], newest["complaint"], newest["status"]) == (
        "complaint.forwarded",
        complaint.number,
        "pending",
    )
    assert newest["attempts"] == []
    assert log.json()["results"][1]["attempts"][0]["status_code"] == 200

    redelivered = client.post(f"{path}deliveries/{forwarded.pk}/redeliver/")
    assert redelivered.status_code == 200
    assert (redelivered.json()["status_code"], redelivered.json()["manual"]) == (200, True)
    assert receiver.kinds(complaint.number) == ["complaint.forwarded"]
    assert client.post(f"{path}deliveries/999999/redeliver/").status_code == 404

    assert client.delete(path).status_code == 204
    assert Endpoint.objects.count() == 0
