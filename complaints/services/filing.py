"""Filing a complaint: check it, give it a case number, store it with its first event."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Business
from core.errors import InvalidInput

from ..attachments import sniff_content_type, validate_attachments
from ..changes import due_changes
from ..issues import is_country, issue_belongs
from ..models import Attachment, Complaint, ComplaintEvent, ComplaintType, DesiredOutcome
from ..notifications import notices_for
from ..selectors.duplicates import duplicates_for_filing
from ..workflow import INITIAL_STATE, Actor, Event, Facts
from .moves import chain
from .notices import outbox_write

if TYPE_CHECKING:
    from accounts.models import User

DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 10_000
MAX_ATTACHMENTS = 5


def _new_number() -> str:
    # 8 digits, never starting with 0, drawn at random so numbers reveal nothing about volume.
    return str(10_000_000 + secrets.randbelow(90_000_000))


def _clean_filing(
    *,
    business: Business | None,
    business_name: str,
    type: str,
    description: str,
    desired_outcomes: list[str],
    outcome_field: str,
    desired_outcome_detail: str,
    currency: str,
    amount: Decimal | None,
    transaction_date: date | None,
    affirm_true: bool,
    affirm_not_in_court: bool,
    attachments: Sequence[UploadedFile],
    issue: str = "",
    country: str = "",
    business_ticket_reference: str = "",
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if business is None and not business_name.strip():
        add("business", "Choose the business from the directory, or give its name if it is not listed.")
    if type not in ComplaintType.values:
        add("type", "Choose one of the complaint types.")
    elif issue and not issue_belongs(type=type, issue=issue):
        add("issue", "Choose an issue of the complaint type you chose.")
    if country and not is_country(country):
        add("country", "Use a two-letter country code (ISO 3166-1) such as US or GB.")
    if len(business_ticket_reference) > 100:
        add("business_ticket_reference", "Keep the ticket reference to 100 characters.")
    length = len(description.strip())
    if length < DESCRIPTION_MIN:
        add("description", f"Describe what happened in at least {DESCRIPTION_MIN} characters (you wrote {length}).")
    elif length > DESCRIPTION_MAX:
        add("description", f"Keep the description to {DESCRIPTION_MAX:,} characters (you wrote {length:,}).")
    if not desired_outcomes:
        add(outcome_field, "Choose at least one outcome you want.")
    elif any(value not in DesiredOutcome.values for value in desired_outcomes):
        add(outcome_field, "Choose the outcome you want from the list.")
    elif len(set(desired_outcomes)) != len(desired_outcomes):
        add(outcome_field, "Choose each outcome once.")
    if len(desired_outcome_detail) > 255:
        add("desired_outcome_detail", "Keep the detail to 255 characters.")
    if DesiredOutcome.OTHER in desired_outcomes and not desired_outcome_detail.strip():
        add("desired_outcome_detail", "Say what outcome you want.")
    if currency and (len(currency) != 3 or not currency.isalpha()):
        add("currency", "Use a three-letter currency code such as USD or EUR.")
    if amount is not None and amount < 0:
        add("amount", "The amount cannot be negative.")
    if transaction_date is not None and transaction_date > timezone.localdate():
        add("transaction_date", "The transaction date cannot be in the future.")
    if not affirm_true:
        add("affirm_true", "You must affirm that the complaint is true.")
    if not affirm_not_in_court:
        add("affirm_not_in_court", "You must affirm that the matter is not in court.")
    if len(attachments) > MAX_ATTACHMENTS:
        add("attachments", f"Attach at most {MAX_ATTACHMENTS} files.")
    else:
        for message in validate_attachments(attachments):
            add("attachments", message)
    return errors


def complaint_file(
    *,
    complainant: User,
    type: str,
    description: str,
    desired_outcome: str = "",
    desired_outcomes: Sequence[str] = (),
    business: Business | None = None,
    business_name: str = "",
    business_website: str = "",
    business_address: str = "",
    business_email: str = "",
    business_phone: str = "",
    desired_outcome_detail: str = "",
    transaction_date: date | None = None,
    amount: Decimal | None = None,
    currency: str = "USD",
    reference: str = "",
    publish_consent: bool = False,
    affirm_true: bool = False,
    affirm_not_in_court: bool = False,
    attachments: Sequence[UploadedFile] = (),
    issue: str = "",
    country: str = "",
    region: str = "",
    contacted_business: bool = False,
    business_ticket_reference: str = "",
) -> Complaint:
    """File a complaint: check it, give it a case number, store it with its first event.

    The outcomes wanted come as `desired_outcomes` (main one first) or as the one `desired_outcome`.
    `issue` refines `type` (complaints.issues); `country` and `region` are published at that
    level only; a `business_ticket_reference` is kept only when the consumer contacted the business.
    The complaint comes back with its one event as `filing_event`: its whole history so far.
    """
    currency = (currency or "USD").upper()
    country = (country or "").strip().upper()
    business_ticket_reference = business_ticket_reference.strip() if contacted_business else ""
    outcomes = list(desired_outcomes) if desired_outcomes else ([desired_outcome] if desired_outcome else [])
    errors = _clean_filing(
        business=business,
        business_name=business_name,
        type=type,
        description=description,
        desired_outcomes=outcomes,
        outcome_field="desired_outcomes" if desired_outcomes or not desired_outcome else "desired_outcome",
        desired_outcome_detail=desired_outcome_detail,
        currency=currency,
        amount=amount,
        transaction_date=transaction_date,
        affirm_true=affirm_true,
        affirm_not_in_court=affirm_not_in_court,
        attachments=attachments,
        issue=issue,
        country=country,
        business_ticket_reference=business_ticket_reference,
    )
    if errors:
        raise InvalidInput("The complaint could not be filed.", field_errors=errors)
    now = timezone.now()
    with transaction.atomic():
        # Filing anyway is allowed: the likely duplicates are kept for staff (docs/domain.md).
        duplicates = duplicates_for_filing(
            complainant_id=complainant.pk,
            business_id=business.pk if business else None,
            business_name=business_name,
            description=description.strip(),
            reference=reference.strip(),
            amount=amount,
        )
        complaint = Complaint(
            complainant=complainant,
            business=business,
            business_name=(business.name if business else business_name).strip(),
            business_website=business_website.strip(),
            business_address=business_address.strip(),
            business_email=business_email.strip(),
            business_phone=business_phone.strip(),
            type=type,
            description=description.strip(),
            desired_outcome=outcomes[0],
            desired_outcomes=outcomes,
            desired_outcome_detail=desired_outcome_detail.strip(),
            transaction_date=transaction_date,
            amount=amount,
            currency=currency,
            reference=reference.strip(),
            publish_consent=publish_consent,
            affirm_true=affirm_true,
            affirm_not_in_court=affirm_not_in_court,
            issue=issue,
            country=country,
            region=region.strip()[:100],
            contacted_business=contacted_business,
            business_ticket_reference=business_ticket_reference,
            status=INITIAL_STATE,
            status_changed_at=now,
            filed_at=now,
            # An unlisted business waits for staff to link it: the screening clock starts paused.
            paused_at=None if business else now,
            **due_changes(INITIAL_STATE, Facts(business_known=business is not None), now),
            possible_duplicates=[duplicate.number for duplicate in duplicates],
        )
        event = ComplaintEvent(
            complaint=complaint,
            actor=complainant,
            actor_role=Actor.COMPLAINANT,
            event=Event.FILE,
            from_status="",
            to_status=INITIAL_STATE,
            created_at=now,
        )
        for _ in range(10):
            complaint.number = _new_number()
            complaint.timeline_head = ""
            chain(complaint, event)  # the first link names the case number
            try:
                with transaction.atomic():
                    complaint.save()
                break
            except IntegrityError:
                complaint.pk = None
        else:  # pragma: no cover - ten collisions in 90 million numbers
            raise RuntimeError("Could not allocate a case number")
        for upload in attachments:
            attachment_add(complaint=complaint, uploaded_by=complainant, upload=upload)
        event.complaint = complaint
        event.save()
        outbox_write(notices_for([event]))
    # Its whole history, for a caller answering with it (the API) without reading it back.
    complaint.filing_event = event  # type: ignore[attr-defined]
    return complaint


def attachment_add(*, complaint: Complaint, uploaded_by: User, upload: UploadedFile) -> Attachment:
    """Store one already validated upload as a private attachment."""
    content_type = sniff_content_type(upload) or "application/octet-stream"
    upload.seek(0)
    attachment = Attachment(
        complaint=complaint,
        uploaded_by=uploaded_by,
        original_name=(upload.name or "attachment")[:255],
        content_type=content_type,
        size=upload.size or 0,
    )
    attachment.file.save(upload.name or "attachment", upload, save=False)
    attachment.save()
    return attachment
