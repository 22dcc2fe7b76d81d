"""The complaint list's CSV export."""

from __future__ import annotations

import csv

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from ..models import Complaint

CSV_COLUMNS = [
    "number",
    "filed_at",
    "status",
    "type",
    "business",
    "complainant_email",
    "desired_outcomes",
    "amount",
    "currency",
    "reference",
    "response_count",
    "late_response",
    "due_kind",
    "due_at",
    "forwarded_at",
    "closed_at",
    "issue",
    "country",
    "region",
    "contacted_business",
    "business_ticket_reference",
    "business_outcome",
    "relief_amount",
    "public_response_at",
]


def csv_safe(value: object) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def complaints_csv(complaints: QuerySet[Complaint]) -> HttpResponse:
    """The complaints as a CSV download, oldest filed first, one row each (CSV_COLUMNS)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{timezone.now():%Y%m%d-%H%M}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for complaint in complaints.select_related("business", "complainant").order_by("filed_at", "id").iterator():
        row = [
            complaint.number,
            complaint.filed_at.isoformat(),
            complaint.status,
            complaint.type,
            complaint.business_display_name,
            complaint.complainant.email,
            " ".join(complaint.desired_outcome_values),
            complaint.amount,
            complaint.currency,
            complaint.reference,
            complaint.response_count,
            complaint.late_response,
            complaint.due_kind,
            complaint.due_at.isoformat() if complaint.due_at else "",
            complaint.forwarded_at.isoformat() if complaint.forwarded_at else "",
            complaint.closed_at.isoformat() if complaint.closed_at else "",
            complaint.issue,
            complaint.country,
            complaint.region,
            complaint.contacted_business,
            complaint.business_ticket_reference,
            complaint.business_outcome,
            complaint.relief_amount,
            complaint.public_response_at.isoformat() if complaint.public_response_at else "",
        ]
        writer.writerow([csv_safe(value) for value in row])
    return response
