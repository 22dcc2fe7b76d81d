"""Hypothesis drives every HTML form with arbitrary text: no input answers 5xx.

Each page gets its fields filled, one by one, either with a value that passes or with anything:
text of any kind (any character UTF-8 can encode: no browser can send a lone surrogate), NUL and other control
characters, strings far over any limit, and values that look like numbers, dates or addresses.
Django's test client raises any error a view lets escape, so a 500 fails the example that
caused it. Schemathesis does the same for the API (tests/api/test_schemathesis.py).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Invitation
from accounts.tests.factories import BusinessFactory
from accounts.tokens import invitation_token_digest
from complaints.models import Status
from complaints.tests.factories import DESCRIPTION, complaint_in
from complaints.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db

EXAMPLES_PER_PAGE = 10
PASSWORD = "a long and unusual passphrase 2026"
INVITATION_TOKEN = "fuzz-invitation"

ODD = [
    "",
    " ",
    "\x00",
    "Gig\x00work",
    "\x00" * 5,
    "\t\r\n\x0b\x0c",
    "\x1b[31m\x07\x08\x7f",
    "\u202eevil\u202c",
    "\u200b\u00ad\ufeff",
    "\U0001d54f" * 100,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "1e999",
    "NaN",
    "9" * 40,
    "2026-02-30",
    "9999-12-31",
    "on",
    "yes",
    "no",
    "true",
    "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".com",
    "x@" + "y" * 300 + ".com",
    "gigwork-market",
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=200)
HUGE = st.builds(operator.mul, st.sampled_from(["x", "é", "\x00", "[", "\U0001d54f", "a b "]), st.integers(0, 20_000))
ANYTHING = st.one_of(st.sampled_from(ODD), TEXT, HUGE)


@dataclass
class Page:
    """A form: where it is posted, by whom, and a value of each field that passes."""

    path: str
    role: str
    fields: Mapping[str, str | list[str]] = field(default_factory=dict)  # a list: one value per checkbox
    files: bool = False


def _pages(world) -> dict[str, Page]:
    open_case, answered_case = world["awaiting_business"].number, world["awaiting_consumer"].number
    confirmed = {"text": "It arrived in the end, thank you.", "confirm": "yes"}
    return {
        "sign-up": Page(
            "/accounts/signup/", "anonymous", {"email": "new@example.com", "name": "New", "password": PASSWORD}
        ),
        "sign-in": Page("/accounts/signin/", "anonymous", {"username": "dana@example.com", "password": PASSWORD}),
        "admin: sign-in": Page("/admin/login/", "anonymous", {"username": "sam@redress.example", "password": PASSWORD}),
        "password-reset": Page("/accounts/password-reset/", "anonymous", {"email": "dana@example.com"}),
        "invitation": Page(
            f"/accounts/invitations/{INVITATION_TOKEN}/",
            "anonymous",
            {"email": "colleague@gigwork.example", "name": "Colleague", "password": PASSWORD},
        ),
        "filing: business": Page(
            "/complaints/new/business/",
            "complainant",
            {
                "query": "Gigwork",
                "business": world["business"].slug,
                "not_listed": "",
                "business_name": "Corner Shop",
                "business_website": "shop.example.com",
                "business_address": "1 Main Street",
                "business_email": "shop@example.com",
                "business_phone": "555 0134",
                "action": "next",
            },
        ),
        "filing: details": Page(
            "/complaints/new/details/",
            "complainant",
            {
                "type": "delivery",
                "description": DESCRIPTION,
                "desired_outcomes": ["refund", "explanation"],
                "desired_outcome_detail": "Refund",
                "transaction_date": "2026-01-05",
                "amount": "49.90",
                "currency": "USD",
                "reference": "ORD-1",
                "action": "next",
            },
        ),
        "filing: consent": Page(
            "/complaints/new/consent/",
            "complainant",
            {"publish_consent": "yes", "affirm_true": "on", "affirm_not_in_court": "on", "action": "next"},
        ),
        "filing: review": Page("/complaints/new/review/", "complainant", {"action": "file"}, files=True),
        "withdraw": Page(f"/complaints/{open_case}/withdraw/", "complainant", {"text": "Sorted.", "confirm": "yes"}),
        "consent": Page(
            f"/complaints/{answered_case}/consent/", "complainant", {"publish_consent": "no", "confirm": "yes"}
        ),
        "answer: information": Page(f"/complaints/{answered_case}/answer/add_information/", "complainant", confirmed),
        "answer: reject": Page(f"/complaints/{answered_case}/answer/reject_answer/", "complainant", confirmed),
        "answer: accept": Page(f"/complaints/{answered_case}/answer/accept/", "complainant", confirmed),
        "represent": Page(
            "/accounts/represent/", "complainant", {"business": str(world["business"].pk), "message": "I run it."}
        ),
        "respond": Page(f"/complaints/{open_case}/respond/", "representative", confirmed),
        "invite": Page(
            "/accounts/invite/", "representative", {"business": str(world["business"].pk), "email": "c@x.example"}
        ),
        "admin: business": Page(
            f"/admin/accounts/business/{world['business'].pk}/change/",
            "staff",
            {
                "name": "Gigwork Market",
                "slug": world["business"].slug,
                "category": "Marketplace",
                "notice_email": "disputes@gigwork.example",
                "website": "gigwork.example",
                "phone": "555 0134",
                "address": "1 Main Street",
                "city": "Springfield",
                "region": "IL",
                "postal_code": "62701",
                "country": "US",
                "alert": "",
                "alert_reason": "",
                "locations-TOTAL_FORMS": "0",
                "locations-INITIAL_FORMS": "0",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        ),
        "admin: complaint": Page(
            f"/admin/complaints/complaint/{world['awaiting_consumer'].pk}/change/",
            "staff",
            {"business": str(world["business"].pk), "description_masked": "Masked text", "edit_reason": "Typo"},
        ),
        "admin: staff action": Page(
            "/admin/complaints/complaint/",
            "staff",
            {
                "action": "act_reject",
                "_selected_action": str(world["submitted"].pk),
                "apply": "1",
                "reason": "Not a business dispute",
                "reject_reason": "other",
            },
        ),
    }


@pytest.fixture
def world(complainant, representative, staff, business):
    staff.is_superuser = True  # the business page's inlines need Django's own permissions
    staff.save(update_fields=["is_superuser"])
    BusinessFactory(name="Harbor Plumbing")
    return {
        "business": business,
        "submitted": complaint_in(Status.SUBMITTED, business=business, complainant=complainant),
        "awaiting_business": complaint_in(Status.AWAITING_BUSINESS, business=business, complainant=complainant),
        "awaiting_consumer": complaint_in(Status.AWAITING_CONSUMER, business=business, complainant=complainant),
        "invitation": Invitation.objects.create(
            business=business,
            email="colleague@gigwork.example",
            token_hash=invitation_token_digest(INVITATION_TOKEN),
            invited_by=representative,
            expires_at=timezone.now() + timedelta(days=7),
        ),
        "users": {"complainant": complainant, "representative": representative, "staff": staff},
    }


def _client(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def _fill_the_steps_before_review(client: Client, pages: dict[str, Page]) -> None:
    for step in ("filing: business", "filing: details", "filing: consent"):
        assert client.post(pages[step].path, pages[step].fields).status_code == 302


PAGE_NAMES = [
    "sign-up",
    "sign-in",
    "admin: sign-in",
    "password-reset",
    "invitation",
    "filing: business",
    "filing: details",
    "filing: consent",
    "filing: review",
    "withdraw",
    "consent",
    "answer: information",
    "answer: reject",
    "answer: accept",
    "represent",
    "respond",
    "invite",
    "admin: business",
    "admin: complaint",
    "admin: staff action",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_input_to_a_form_answers_a_server_error(name, world, settings_media):
    pages = _pages(world)
    page = pages[name]
    client = _client(world, page.role)
    if name == "filing: review":
        _fill_the_steps_before_review(client, pages)
    values = st.fixed_dictionaries({key: st.one_of(st.just(valid), ANYTHING) for key, valid in page.fields.items()})
    upload = st.tuples(
        st.one_of(st.just("receipt.pdf"), TEXT, st.sampled_from(ODD)), st.sampled_from([pdf_bytes(), b"", b"\x00" * 64])
    )

    @settings(
        max_examples=EXAMPLES_PER_PAGE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=values, attachment=upload)
    def post_anything(data, attachment):
        if page.files:
            name_, content = attachment
            data = {**data, "attachments": SimpleUploadedFile(name_.replace("/", "") or "file", content)}
        response = client.post(page.path, data)
        assert response.status_code < 500

    post_anything()


@pytest.mark.parametrize(
    ("path", "role", "keys"),
    [
        ("/businesses/", "anonymous", ["q", "category", "city", "page"]),
        ("/dashboard/", "representative", ["state", "business", "overdue", "page"]),
        ("/complaints/", "complainant", ["status", "page"]),
        ("/complaints/new/businesses.json", "complainant", ["q"]),
    ],
)
def test_no_query_to_a_page_answers_a_server_error(path, role, keys, world):
    client = _client(world, role)

    @settings(max_examples=EXAMPLES_PER_PAGE, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(query=st.dictionaries(st.sampled_from(keys), st.one_of(st.sampled_from(ODD), TEXT)))
    def get_anything(query):
        assert client.get(path, query).status_code < 500

    get_anything()


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
