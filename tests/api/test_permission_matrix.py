"""Every endpoint and method against every actor, with the expected status written down.

The complaint in each row belongs to `complainant` and is against `business`, which
`representative` represents; `other_representative` represents another business. Each row puts
the complaint in a state where the rightful actor succeeds, so every refusal in the table is
about who is asking, not about the workflow (409s: complaints/tests/test_api.py, disputes/tests/test_api.py).

401: not signed in. 403: signed in and may see it, but not do this (or a staff-only endpoint).
404: not theirs to see.
"""

import pytest

from complaints.models import Status
from complaints.tests.factories import complaint_in

ACTORS = ("anonymous", "complainant", "other_complainant", "representative", "other_representative", "staff")

FILING = {
    "business": "{business}",
    "type": "delivery",
    "description": "The parcel was marked delivered but never arrived; the courier's photo shows another door.",
    "desired_outcome": "refund",
    "affirm_true": True,
    "affirm_not_in_court": True,
}

# method, path, complaint state (None: no complaint needed), body,
#   expected status for: anonymous, complainant, other_complainant, representative, other_representative, staff
MATRIX = [
    ("POST", "/api/v1/auth/signup/", None, {"email": "{actor}@new.example", "password": "long secret 42", "name": "N"},
        (202, 202, 202, 202, 202, 202)),
    ("POST", "/api/v1/auth/token/", None, {"email": "dana@example.com", "password": "correct horse battery"},
        (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/auth/me/export/", None, None,
        (401, 200, 200, 200, 200, 200)),
    # Staff and representatives are refused: their acts speak for Redress or a business.
    ("POST", "/api/v1/auth/me/delete/", None, {"password": "correct horse battery"},
        (401, 204, 204, 403, 403, 403)),
    ("GET", "/api/v1/businesses/", None, None,
        (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/businesses/", None, {"name": "New Shop", "notice_email": "n@shop.example"},
        (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/v1/businesses/{business}/", None, None,
        (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/businesses/{business}/representatives/", None, {"email": "olu@example.com"},
        (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/v1/businesses/{business}/complaints/", Status.RESOLVED, None,
        (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/complaints/", None, None,
        (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/complaints/", None, FILING,
        (401, 201, 201, 201, 201, 201)),
    ("GET", "/api/v1/complaints/{number}/", Status.AWAITING_BUSINESS, None,
        (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/v1/complaints/{number}/", Status.SUBMITTED, None,  # not yet forwarded to the business
        (401, 200, 404, 404, 404, 200)),
    ("POST", "/api/v1/complaints/{number}/responses/", Status.AWAITING_BUSINESS, {"text": "We refunded it."},
        (401, 403, 404, 201, 404, 403)),
    ("POST", "/api/v1/complaints/{number}/business-information/", Status.AWAITING_CONSUMER, {"text": "Courier booked."},
        (401, 403, 404, 201, 404, 403)),
    ("POST", "/api/v1/complaints/{number}/answers/", Status.AWAITING_CONSUMER, {"text": "Thanks.", "verdict": "accept"},
        (401, 201, 404, 403, 404, 403)),
    ("POST", "/api/v1/complaints/{number}/answers/", Status.AWAITING_BUSINESS, {"text": "Receipt.", "verdict": "none"},
        (401, 201, 404, 403, 404, 403)),
    ("POST", "/api/v1/complaints/{number}/withdraw/", Status.AWAITING_BUSINESS, {"reason": "Settled"},
        (401, 200, 404, 403, 404, 403)),
    ("POST", "/api/v1/complaints/{number}/consent/", Status.AWAITING_BUSINESS, {"publish_consent": False},
        (401, 200, 404, 403, 404, 403)),
    ("POST", "/api/v1/complaints/{number}/transitions/", Status.AWAITING_BUSINESS,
        {"action": "unpursuable", "reason": "Notices bounced"},
        (401, 403, 404, 403, 404, 200)),
    ("POST", "/api/v1/complaints/{number}/transitions/", Status.SUBMITTED, {"action": "forward"},
        (401, 403, 404, 404, 404, 200)),
    # No file in this complaint: every actor who may see it gets 404 (files: complaints/tests/test_api.py).
    ("GET", "/api/v1/complaints/{number}/attachments/1/", Status.AWAITING_BUSINESS, None,
        (401, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/notifications/", None, None,
        (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/notifications/read/", None, {"ids": [1]},
        (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/notifications/read-all/", None, None,
        (401, 200, 200, 200, 200, 200)),
]  # fmt: skip

CASES = [
    pytest.param(method, path, state, body, actor, expected, id=f"{method} {path} [{state or '-'}] {actor}")
    for method, path, state, body, codes in MATRIX
    for actor, expected in zip(ACTORS, codes, strict=True)
]


def fill(value, **names):
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {key: fill(item, **names) for key, item in value.items()}
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "state", "body", "actor", "expected"), CASES)
def test_permission_matrix(
    request, api, complainant, other_complainant, representative, other_representative, staff, business,
    method, path, state, body, actor, expected,
):  # fmt: skip
    complaint = complaint_in(state, complainant=complainant, business=business) if state else None
    names = {"business": business.slug, "number": complaint.number if complaint else "", "actor": actor}
    user = None if actor == "anonymous" else request.getfixturevalue(actor)
    client = api(user)
    url = fill(path, **names)
    response = client.get(url) if method == "GET" else client.post(url, fill(body, **names), format="json")
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"detail", "code", "errors"}
    if complaint is not None and expected in (403, 404):
        before = complaint.status
        complaint.refresh_from_db()
        assert complaint.status == before
