"""The complaint services on PostgreSQL: filing rules, case numbers, and what each action leaves behind."""

import itertools
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Attachment, Complaint, ComplaintEvent, DueKind, Status
from complaints.services import (
    complaint_enforce_deadline,
    complaint_file,
    complaint_set_consent,
    complaint_withdraw,
)
from complaints.tests.factories import complaint_in, file_complaint, representative_of, staff_user
from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from disputes.models import MediationCase, StaffRuling
from disputes.services import complaint_staff_act

# Written out: what a passed ruling date records as the reason of its event.
DEFAULT_RULING_REASON = "No ruling was made by the due date; a rejected answer counts as Answered."

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    """A minimal one-page PDF document."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def executable_bytes() -> bytes:
    """The bytes of a real program on this machine."""
    return Path("/bin/true").read_bytes()


def file_with(**overrides) -> Complaint:
    """File through the service; unlike the factory helper, `business=None` means not listed."""
    fields: dict[str, Any] = {
        "complainant": UserFactory(),
        "business": BusinessFactory(),
        "type": "delivery",
        "description": "The sofa ordered on 2 May never arrived and the courier says it was never handed over.",
        "desired_outcome": "refund",
        "affirm_true": True,
        "affirm_not_in_court": True,
    }
    fields.update(overrides)
    return complaint_file(**fields)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    # The browser's content type is whatever the client claims; the service must not trust it.
    return SimpleUploadedFile(name, content, content_type=content_type)


# (overrides, the field the error must name)
INVALID_FILINGS = [
    ({"business": None, "business_name": ""}, "business"),
    ({"type": "weather"}, "type"),
    ({"description": "Too short to say anything."}, "description"),
    ({"description": "x" * 10_001}, "description"),
    ({"desired_outcome": "revenge"}, "desired_outcome"),
    ({"desired_outcome": "other", "desired_outcome_detail": ""}, "desired_outcome_detail"),
    ({"desired_outcome_detail": "y" * 256}, "desired_outcome_detail"),
    ({"currency": "DOLLARS"}, "currency"),
    ({"amount": Decimal("-5.00")}, "amount"),
    ({"transaction_date": date.today() + timedelta(days=3)}, "transaction_date"),
    ({"affirm_true": False}, "affirm_true"),
    ({"affirm_not_in_court": False}, "affirm_not_in_court"),
]


@pytest.mark.parametrize(("overrides", "field"), INVALID_FILINGS, ids=[field for _, field in INVALID_FILINGS])
def test_filing_refuses_each_invalid_field_and_stores_nothing(overrides, field):
    with pytest.raises(InvalidInput) as error:
        file_with(**overrides)
    assert list(error.value.field_errors) == [field]
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()


def test_a_renamed_executable_is_refused_by_its_content():
    with pytest.raises(InvalidInput) as error:
        file_complaint(attachments=[upload("invoice.pdf", executable_bytes(), "application/pdf")])
    assert "invoice.pdf" in error.value.field_errors["attachments"][0]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.png", b"", "empty"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "10 MB"),
        ("notes.png", b"Just some text that calls itself a picture.", "not a PDF, PNG or JPEG"),
    ],
)
def test_empty_oversized_and_unknown_files_are_refused(name, content, message):
    with pytest.raises(InvalidInput) as error:
        file_complaint(attachments=[upload(name, content)])
    assert message in error.value.field_errors["attachments"][0]


def test_more_than_five_attachments_are_refused():
    files = [upload(f"page{i}.png", png_bytes(), "image/png") for i in range(6)]
    with pytest.raises(InvalidInput) as error:
        file_complaint(attachments=files)
    assert error.value.field_errors["attachments"] == ["Attach at most 5 files."]


def test_png_and_pdf_are_stored_privately_with_their_sniffed_type():
    # Named the wrong way round on purpose: the content decides.
    complaint = file_complaint(
        attachments=[upload("receipt.pdf", png_bytes(), "application/pdf"), upload("terms.png", pdf_bytes())]
    )
    stored = {a.original_name: a for a in complaint.attachments.all()}
    assert stored["receipt.pdf"].content_type == "image/png"
    assert stored["terms.png"].content_type == "application/pdf"
    for attachment in stored.values():
        assert attachment.original_name not in attachment.file.name
        assert attachment.file.name.startswith(f"attachments/{complaint.number}/")
        assert attachment.size == len(attachment.file.read())


def test_filing_records_the_complaint_with_a_screening_due_date_and_one_event(complainant, business):
    now = timezone.now()
    complaint = file_complaint(complainant=complainant, business=business, currency="eur")
    assert complaint.status == Status.SUBMITTED
    assert complaint.currency == "EUR"
    assert complaint.due_kind == DueKind.SCREENING
    assert complaint.due_at - now >= timedelta(days=settings.REDRESS_SCREENING_DAYS) - timedelta(seconds=5)
    event = ComplaintEvent.objects.get(complaint=complaint)
    assert (event.event, event.from_status, event.to_status, event.actor) == ("file", "", "submitted", complainant)


def test_a_business_not_in_the_directory_is_kept_by_name():
    complaint = file_with(business=None, business_name="  Corner Repairs  ", business_phone="555-0100")
    assert complaint.business is None
    assert complaint.business_display_name == "Corner Repairs"
    assert complaint.business_phone == "555-0100"


def test_case_numbers_are_eight_digits_unique_and_not_sequential():
    complainant, business = UserFactory(), BusinessFactory()
    numbers = [file_complaint(complainant=complainant, business=business).number for _ in range(25)]
    assert all(len(number) == 8 and number.isdigit() and number[0] != "0" for number in numbers)
    assert len(set(numbers)) == len(numbers)
    steps = {int(b) - int(a) for a, b in itertools.pairwise(numbers)}
    assert steps != {1}


def test_a_colliding_case_number_is_drawn_again(monkeypatch):
    first = file_complaint()
    taken = int(first.number) - 10_000_000
    draws = iter([taken, taken, 12_345_678])
    monkeypatch.setattr("complaints.services.filing.secrets.randbelow", lambda _: next(draws))
    second = file_complaint()
    assert second.number == str(10_000_000 + 12_345_678)
    assert Complaint.objects.filter(number=first.number).count() == 1


def test_withdraw_closes_the_complaint_and_clears_its_due_date():
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    event = complaint_withdraw(complaint_id=complaint.pk, user=complaint.complainant, reason="Settled privately")
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
    assert complaint.closed_at == event.created_at
    assert (complaint.due_at, complaint.due_kind) == (None, "")
    assert event.reason == "Settled privately"
    with pytest.raises(InvalidTransition):
        complaint_withdraw(complaint_id=complaint.pk, user=complaint.complainant)


def test_only_the_complainant_can_withdraw(other_complainant):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    with pytest.raises(NotFound):
        complaint_withdraw(complaint_id=complaint.pk, user=other_complainant)
    with pytest.raises(NotAllowed):
        complaint_withdraw(complaint_id=complaint.pk, user=representative_of(complaint.business))
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS


def test_consent_can_be_changed_while_open_and_after_closing():
    complaint = complaint_in(Status.AWAITING_CONSUMER)
    assert complaint.publish_consent is True
    event = complaint_set_consent(complaint_id=complaint.pk, user=complaint.complainant, publish_consent=False)
    complaint.refresh_from_db()
    assert complaint.publish_consent is False
    assert (event.event, event.data) == ("change_consent", {"publish_consent": False})

    # Withdrawn after closing, consent unpublishes the text (docs/domain.md); the state stays.
    closed = complaint_in(Status.RESOLVED)
    event = complaint_set_consent(complaint_id=closed.pk, user=closed.complainant, publish_consent=False)
    closed.refresh_from_db()
    assert (closed.status, closed.publish_consent) == (Status.RESOLVED, False)
    assert (event.event, event.from_status, event.to_status) == ("change_consent", "resolved", "resolved")
    with pytest.raises(NotAllowed):
        complaint_set_consent(complaint_id=closed.pk, user=representative_of(closed.business), publish_consent=True)


def test_hold_stops_automatic_forwarding_until_staff_forward():
    complaint = file_complaint()
    staff = staff_user()
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="hold", reason="Checking the address")
    complaint.refresh_from_db()
    assert complaint.on_hold is True
    assert complaint.due_at is None

    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert complaint_enforce_deadline(complaint_id=complaint.pk) is None
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Address confirmed")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.on_hold) == (Status.AWAITING_BUSINESS, False)
    assert complaint.forwarded_at is not None
    assert complaint.due_kind == DueKind.BUSINESS_FIRST


def test_reject_needs_a_known_reason_code():
    complaint = file_complaint()
    with pytest.raises(InvalidInput) as error:
        complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="reject", reason="No")
    assert "reject_reason" in error.value.field_errors
    complaint_staff_act(
        complaint_id=complaint.pk, staff=staff_user(), action="reject", reason="In court", reject_reason="in_court"
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reject_reason) == (Status.REJECTED, "in_court")


def test_staff_actions_are_for_staff_only(complainant):
    complaint = file_complaint(complainant=complainant)
    with pytest.raises((NotAllowed, NotFound)):
        complaint_staff_act(complaint_id=complaint.pk, staff=complainant, action="forward", reason="Me")
    with pytest.raises(InvalidInput):
        complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="delete", reason="Why not")
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("action", "status", "outcome"),
    [("rule_answered", Status.ANSWERED, "answered"), ("rule_unresolved", Status.UNRESOLVED, "unresolved")],
)
def test_a_staff_ruling_closes_the_review_and_is_recorded(action, status, outcome):
    complaint = complaint_in(Status.STAFF_REVIEW)
    staff = staff_user()
    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action=action, reason="Read both sides")
    complaint.refresh_from_db()
    assert complaint.status == status
    ruling = StaffRuling.objects.get(complaint=complaint)
    assert (ruling.outcome, ruling.staff, ruling.reason) == (outcome, staff, "Read both sides")


def test_mediation_is_opened_with_its_kind_and_closed_with_its_outcome():
    complaint = complaint_in(Status.STAFF_REVIEW)
    staff = staff_user()
    complaint_staff_act(
        complaint_id=complaint.pk,
        staff=staff,
        action="open_mediation",
        reason="Both agreed",
        mediation_kind="arbitration",
    )
    case = MediationCase.objects.get(complaint=complaint)
    assert (case.kind, case.outcome, case.closed_at, case.opened_by) == ("arbitration", "", None, staff)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.due_kind) == (Status.IN_MEDIATION, DueKind.MEDIATION)

    complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="mediation_resolved", reason="Award honoured")
    case.refresh_from_db()
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert case.outcome == "resolved" and case.closed_at is not None


def test_an_unknown_mediation_kind_is_refused():
    complaint = complaint_in(Status.STAFF_REVIEW)
    with pytest.raises(InvalidInput):
        complaint_staff_act(
            complaint_id=complaint.pk, staff=staff_user(), action="open_mediation", reason="x", mediation_kind="duel"
        )
    assert not MediationCase.objects.exists()


def test_no_ruling_by_the_ruling_due_date_closes_as_answered_by_default():
    complaint = complaint_in(Status.STAFF_REVIEW)
    assert complaint.due_kind == DueKind.STAFF_RULING
    assert complaint_enforce_deadline(complaint_id=complaint.pk) is None

    with time_machine.travel(complaint.due_at + timedelta(minutes=1)):
        event = complaint_enforce_deadline(complaint_id=complaint.pk)

    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert (event.actor, event.actor_role, event.event) == (None, "system", "ruling_deadline")
    # The default is recorded by the event and its reason: no staff member ruled.
    assert event.reason == DEFAULT_RULING_REASON
    assert not StaffRuling.objects.filter(complaint=complaint).exists()


def test_business_silence_brings_a_second_notice_then_unanswered():
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    first_due = complaint.due_at
    with time_machine.travel(first_due + timedelta(minutes=1)):
        complaint_enforce_deadline(complaint_id=complaint.pk)
        assert complaint_enforce_deadline(complaint_id=complaint.pk) is None  # twice changes nothing more
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS
    assert complaint.second_notice_sent_at is not None
    assert complaint.due_kind == DueKind.BUSINESS_FINAL
    assert complaint.due_at - first_due >= timedelta(days=settings.REDRESS_SECOND_NOTICE_DAYS)

    with time_machine.travel(complaint.due_at + timedelta(minutes=1)):
        complaint_enforce_deadline(complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == Status.UNANSWERED


@pytest.mark.parametrize(
    ("closed", "left"),
    [
        (Status.UNRESOLVED, Status.STAFF_REVIEW),
        (Status.ANSWERED, Status.AWAITING_CONSUMER),
        (Status.WITHDRAWN, Status.SUBMITTED),
        (Status.REJECTED, Status.SUBMITTED),
        (Status.UNPURSUABLE, Status.AWAITING_BUSINESS),
    ],
)
def test_reopen_returns_to_the_state_left_with_a_fresh_due_date(closed, left):
    complaint = complaint_in(closed)
    event = complaint_staff_act(
        complaint_id=complaint.pk, staff=staff_user(), action="reopen", reason="New evidence arrived"
    )
    complaint.refresh_from_db()
    assert complaint.status == left
    assert (event.from_status, event.to_status) == (closed, left)
    assert complaint.closed_at is None
    assert complaint.due_at is not None and complaint.due_at > timezone.now()


def test_reopen_of_an_open_complaint_is_refused():
    complaint = complaint_in(Status.AWAITING_CONSUMER)
    before = complaint.events.count()
    with pytest.raises(InvalidTransition):
        complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="reopen", reason="Oops")
    assert complaint.events.count() == before
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER
