"""Property-based tests of the live OpenAPI schema: no 5xx, and every response matches the schema.

Schemathesis reads /api/schema/ from the application itself and calls each operation in
process, as each role (token header), with a bounded number of generated examples. Path
parameters point at real rows, so the generated bodies reach the services instead of stopping
at a 404.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error, response_schema_conformance

from complaints.models import Status
from complaints.tests.factories import complaint_in
from config.wsgi import application
from tests.processes import free_port
from webhooks.models import Delivery, Endpoint
from webhooks.services import secret_new

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase sends every boundary case of every parameter, without a bound: the fuzzing
# phase below, with its fixed number of examples, keeps the run within the suite's time budget.
schema.config.phases.coverage.enabled = False

ROLES = ("anonymous", "complainant", "representative", "staff")
EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def in_process():
    """Keep the test's database connection open across WSGI requests, as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def unthrottled():
    from django.conf import settings as django_settings

    config = {**django_settings.REST_FRAMEWORK}
    config["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(config["DEFAULT_THROTTLE_RATES"], "100000/minute")
    with override_settings(REST_FRAMEWORK=config):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_schema(
    case, role, request, business, complainant, representative, staff, unthrottled, in_process
):
    complaint = getattr(request.node, "_redress_complaint", None)
    if complaint is None:
        complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
        request.node._redress_complaint = complaint
    if case.path_parameters:
        if "number" in case.path_parameters:
            case.path_parameters["number"] = complaint.number
        if "slug" in case.path_parameters:
            case.path_parameters["slug"] = business.slug
        if "endpoint_id" in case.path_parameters:
            # A webhook endpoint of the business with one delivery; nothing listens at its port,
            # so a redelivery is refused at once.
            delivery = webhook_delivery(business)
            case.path_parameters["endpoint_id"] = delivery.endpoint_id
            if "delivery_id" in case.path_parameters:
                case.path_parameters["delivery_id"] = delivery.pk
    headers = {}
    if role != "anonymous":
        user = {"complainant": complainant, "representative": representative, "staff": staff}[role]
        headers["Authorization"] = f"Token {AuthToken.objects.create(user=user)[1]}"
    case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])


def webhook_delivery(business):
    delivery = Delivery.objects.filter(endpoint__business=business).first()
    if delivery is None:
        endpoint = Endpoint.objects.create(
            business=business,
            url=f"http://127.0.0.1:{free_port()}/hooks",
            events=["complaint.closed"],
            secret=secret_new(),
        )
        delivery = Delivery.objects.create(
            endpoint=endpoint, message_id="msg_schemathesis", event_type="webhook.ping", payload={}
        )
    return delivery


DEPTH_BODY = {
    "detail": "Invalid input.",
    "code": "invalid",
    "errors": {"non_field_errors": ["The JSON body is nested deeper than 32 levels."]},
}


@pytest.mark.django_db
def test_every_operation_with_a_body_refuses_json_nested_too_deep(
    client, business, complainant, representative, staff, unthrottled
):
    """Generated bodies stay shallow, so the depth case is sent on its own to every operation that takes a body."""
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    # Real ids, so that an operation reads its body rather than answering 404 for a missing endpoint.
    delivery = webhook_delivery(business)
    operations = [
        (
            method,
            path.replace("{number}", complaint.number)
            .replace("{slug}", business.slug)
            .replace("{endpoint_id}", str(delivery.endpoint_id))
            .replace("{delivery_id}", str(delivery.pk)),
        )
        for path, item in client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    ]
    assert len(operations) >= 10
    tokens = [AuthToken.objects.create(user=user)[1] for user in (complainant, representative, staff)]
    refused = {}
    for method, path in operations:
        answers = [
            getattr(client, method)(
                path, "[" * 50_000, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
            )
            for token in tokens
        ]
        assert all(answer.status_code < 500 for answer in answers), path
        refused[f"{method} {path}"] = any(a.status_code == 400 and a.json() == DEPTH_BODY for a in answers)
    assert refused == dict.fromkeys(refused, True)
