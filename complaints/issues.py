"""The issues under each complaint type, and the places a complaint is published at (docs/open-data.md).

Plain data: filing checks an issue against its type here, the open data and the profile filters
read the labels from here.
"""

from __future__ import annotations

from django.db import models
from phonenumbers import SUPPORTED_REGIONS
from phonenumbers.geodata.locale import LOCALE_DATA

from .models import ComplaintType

T = ComplaintType

# Each type's issues, value and label, in the order the filing form offers them.
ISSUES: dict[str, list[tuple[str, str]]] = {
    T.ADVERTISING_SALES: [
        ("misleading_advertising", "Advertising was misleading"),
        ("price_not_honoured", "Advertised price not honoured"),
        ("high_pressure_sales", "High-pressure sales"),
    ],
    T.BILLING_COLLECTION: [
        ("charged_wrong_amount", "Charged the wrong amount"),
        ("charged_after_cancelling", "Charged after cancelling"),
        ("refund_not_received", "Refund not received"),
        ("collection_disputed", "Collection of a debt not owed"),
    ],
    T.CUSTOMER_SERVICE: [
        ("no_reply", "No reply to contact"),
        ("rude_or_unhelpful", "Rude or unhelpful staff"),
        ("promise_not_kept", "Promise not kept"),
    ],
    T.DELIVERY: [
        ("not_delivered", "Not delivered"),
        ("delivered_late", "Delivered late"),
        ("delivered_damaged", "Delivered damaged"),
    ],
    T.GUARANTEE_WARRANTY: [
        ("claim_refused", "Warranty claim refused"),
        ("claim_not_answered", "Warranty claim not answered"),
        ("repair_under_warranty_failed", "Repair under warranty failed"),
    ],
    T.ORDER: [
        ("order_cancelled_by_business", "Order cancelled by the business"),
        ("wrong_item", "Wrong item sent"),
        ("order_not_confirmed", "Order not confirmed"),
    ],
    T.PRODUCT: [
        ("defective", "Defective product"),
        ("not_as_described", "Not as described"),
        ("unsafe", "Unsafe product"),
    ],
    T.SERVICE_REPAIR: [
        ("poor_workmanship", "Poor workmanship"),
        ("work_not_completed", "Work not completed"),
        ("overcharged_for_work", "Overcharged for the work"),
    ],
    T.ACCOUNT_SUSPENSION: [
        ("suspended_without_reason", "Suspended without a stated reason"),
        ("identity_verification_stuck", "Identity verification not completing"),
        ("funds_withheld_after_closure", "Funds withheld after closure"),
        ("appeal_not_answered", "Appeal not answered"),
        ("reinstated_earnings_lost", "Reinstated but earnings lost"),
    ],
}

ISSUE_LABELS: dict[str, str] = {value: label for issues in ISSUES.values() for value, label in issues}
ISSUE_TYPE: dict[str, str] = {value: str(type_) for type_, issues in ISSUES.items() for value, _ in issues}
# The issues grouped under their type's name, as a choice field's option groups.
ISSUE_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (str(ComplaintType(type_).label), issues) for type_, issues in ISSUES.items()
]


def issue_label(value: str) -> str:
    return ISSUE_LABELS.get(value, "")


def issue_belongs(*, type: str, issue: str) -> bool:
    """Whether `issue` is one of the issues of complaint type `type`."""
    return ISSUE_TYPE.get(issue) == type


def issue_choices() -> list[tuple[str, str]]:
    """Every issue, for a choice field; the label names its type, as a filter shows it."""
    return [
        (value, f"{ComplaintType(type_).label}: {label}") for type_, issues in ISSUES.items() for value, label in issues
    ]


class ResponseOutcome(models.TextChoices):
    """What the business says it did when it responds (docs/domain.md, "Outcomes")."""

    MONETARY_RELIEF = "monetary_relief", "Closed with monetary relief"
    NON_MONETARY_RELIEF = "non_monetary_relief", "Closed with non-monetary relief"
    EXPLANATION = "explanation", "Closed with explanation"
    IN_PROGRESS = "in_progress", "In progress"


def _english_name(names: dict[str, str]) -> str:
    name = names.get("en", "")
    return names.get(name[1:], "") if name.startswith("*") else name


# ISO 3166-1 alpha-2 codes with their English names, from the phone-number metadata Redress
# already masks numbers with (AC, TA and XK are not ISO 3166-1 codes).
COUNTRIES: dict[str, str] = dict(
    sorted(
        ((code, _english_name(LOCALE_DATA.get(code, {})) or code) for code in SUPPORTED_REGIONS - {"AC", "TA", "XK"}),
        key=lambda item: item[1],
    )
)


def is_country(code: str) -> bool:
    return code in COUNTRIES
