"""The representative's webhooks pages in Chromium: register an endpoint, see the secret once, ping it, read the log."""

import pytest

from tests.browser.conftest import sign_in
from tests.webhook_receiver import Receiver
from webhooks.models import Endpoint
from webhooks.services import delivery_send


@pytest.mark.django_db(transaction=True)
def test_a_representative_registers_pings_and_reads_the_log(
    page, context, live_server, check_page, business, representative
):
    receiver = Receiver().start()
    try:
        sign_in(context, live_server, representative)
        page.goto(f"{live_server.url}/dashboard/")
        page.get_by_role("link", name=f"Webhooks for {business.name}").click()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("A complaint is forwarded to the business").check()
        page.get_by_label("A complaint is closed").check()
        page.get_by_role("button", name="Add endpoint").click()
        secret = page.locator("#webhook-secret").inner_text()
        endpoint = Endpoint.objects.get()
        assert secret == endpoint.secret
        assert endpoint.events == ["complaint.forwarded", "complaint.closed"]
        check_page(page, "webhooks-secret")

        page.get_by_role("link", name="Go to the endpoint").click()
        page.get_by_role("button", name="Send a test ping").click()
        assert page.get_by_text("Test ping queued").is_visible()
        receiver.secret = secret
        delivery_send(delivery_id=endpoint.deliveries.get().pk)
        page.reload()
        assert page.get_by_text("HTTP 200").is_visible()
        assert secret not in page.content()
        check_page(page, "webhooks-endpoint-log")
        assert [(r.event_type, r.verified) for r in receiver.received] == [("webhook.ping", True)]

        page.get_by_role("link", name=f"All endpoints of {business.name}").click()
        page.get_by_label("URL").fill("ftp://crm.example/hooks")
        page.get_by_label("A complaint is closed").check()
        page.get_by_role("button", name="Add endpoint").click()
        assert "Use an http or https URL." in page.locator("#field-url").inner_text()
        check_page(page, "webhooks-list")
    finally:
        receiver.stop()
