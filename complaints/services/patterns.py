"""Pattern reviews: opened by the weekly comparison, decided by staff.

`pattern_reviews_open_due` is safe to run twice or on two workers at once: a review is unique
per business, scope and week, so a second run finds it and opens nothing. Confirming publishes
the alert staff wrote on the profile; dismissing needs a reason; both go on the business's audit
log. Nothing reaches the profile without a staff decision (docs/domain.md "Patterns and duplicates").
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from accounts.models import BusinessAuditEntry
from accounts.services import business_alert_set, business_audit_record
from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound

from ..models import PatternReview
from ..patterns import pattern_window, rises
from ..selectors.patterns import pattern_counts, pattern_window_complaints

if TYPE_CHECKING:
    from accounts.models import User

Kind = BusinessAuditEntry.Kind


def pattern_reviews_open_due(*, now: datetime | None = None) -> list[PatternReview]:
    """Open a review for every rise of the seven days ending `now`; the reviews opened this run."""
    window = pattern_window(now or timezone.now())
    opened: list[PatternReview] = []
    found = [(business_id, rise) for business_id, counts in pattern_counts(window).items() for rise in rises(counts)]
    if not found:
        return opened
    # Opened already this week (by an earlier run): left alone without a query each.
    known = set(PatternReview.objects.filter(week=window.week).values_list("business_id", "scope", "key"))
    for business_id, rise in found:
        if (business_id, rise.scope, rise.key) in known:
            continue
        with transaction.atomic():
            review, created = PatternReview.objects.get_or_create(
                business_id=business_id,
                scope=rise.scope,
                key=rise.key,
                week=window.week,
                defaults={
                    "window_start": window.start,
                    "window_end": window.end,
                    "observed": rise.observed,
                    "baseline_total": rise.baseline_total,
                    "baseline_mean": rise.baseline_mean,
                    "p_value": rise.p_value,
                    "opened_at": window.end,
                },
            )
            if created:
                review.complaints.set(
                    pattern_window_complaints(
                        business_id=business_id,
                        scope=rise.scope,
                        key=rise.key,
                        window=window,
                        excluded_types=rise.excluded_types,
                    )
                )
                opened.append(review)
    return opened


def _locked_open(review_id: int, staff: User) -> PatternReview:
    if not staff.is_staff:
        raise NotAllowed("Only staff decide pattern reviews.")
    review = PatternReview.objects.select_for_update().select_related("business").filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such pattern review.")
    if review.status != PatternReview.Status.OPEN:
        raise InvalidTransition(f"This review was already {review.get_status_display().lower()}.")
    return review


def _audit_data(review: PatternReview) -> dict:
    return {
        "review": review.pk,
        "scope": review.scope,
        "key": review.key,
        "week": review.week.isoformat(),
        "observed": review.observed,
        "baseline_mean": review.baseline_mean,
        "p_value": review.p_value,
    }


def pattern_review_confirm(*, review_id: int, staff: User, alert: str, reason: str = "") -> PatternReview:
    """Staff confirm the pattern: the alert they wrote is published on the profile, dated today."""
    alert, reason = (alert or "").strip(), (reason or "").strip()
    if not alert:
        raise InvalidInput("The alert is required.", field_errors={"alert": ["Write the alert to publish."]})
    with transaction.atomic():
        review = _locked_open(review_id, staff)
        why = f"Pattern review #{review.pk} confirmed" + (f": {reason}" if reason else "")
        business_alert_set(business_id=review.business_id, staff=staff, alert=alert, reason=why)
        review.status = PatternReview.Status.CONFIRMED
        review.decided_by, review.decided_at = staff, timezone.now()
        review.alert, review.reason = alert, reason
        review.save(update_fields=["status", "decided_by", "decided_at", "alert", "reason"])
        business_audit_record(
            business=review.business,
            actor=staff,
            kind=Kind.PATTERN_CONFIRMED,
            reason=why,
            data={**_audit_data(review), "alert": alert},
        )
    return review


def pattern_review_dismiss(*, review_id: int, staff: User, reason: str) -> PatternReview:
    """Staff dismiss the pattern, saying why; nothing is published."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("A reason is required.", field_errors={"reason": ["Say why the review is dismissed."]})
    with transaction.atomic():
        review = _locked_open(review_id, staff)
        review.status = PatternReview.Status.DISMISSED
        review.decided_by, review.decided_at, review.reason = staff, timezone.now(), reason
        review.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        business_audit_record(
            business=review.business, actor=staff, kind=Kind.PATTERN_DISMISSED, reason=reason, data=_audit_data(review)
        )
    return review
