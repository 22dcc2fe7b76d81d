"""Pattern reviews: the test on generated histories, the one weekly query, the review, and staff's decision."""

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accounts.models import BusinessAuditEntry
from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, PatternReview
from complaints.patterns import ALPHA, BASELINE_WEEKS, poisson_upper_tail, rise_test, rises
from complaints.selectors.patterns import pattern_breakdowns, pattern_reviews_open
from complaints.services.patterns import pattern_review_confirm, pattern_review_dismiss, pattern_reviews_open_due
from complaints.tests.factories import DESCRIPTION
from config.schedule import beat_schedule
from core.errors import InvalidInput, InvalidTransition

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
TYPES = {"account_suspension": 0.5, "billing_collection": 0.3, "delivery": 0.2}


def test_the_poisson_tail_matches_the_closed_forms():
    assert math.isclose(poisson_upper_tail(1, 1.0), 1 - math.exp(-1), rel_tol=1e-12)
    # 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24 + 1/120)
    assert math.isclose(poisson_upper_tail(6, 1.0), 1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24 + 1 / 120))
    assert poisson_upper_tail(0, 3.0) == 1.0
    assert 0 < poisson_upper_tail(800, 500.0) < 1e-30  # no underflow to a false zero or one


def test_the_test_needs_a_minimum_count_and_floors_the_baseline():
    # Four complaints where there were none: P(X >= 4 | mean 1) = 0.019, and fewer than five anyway.
    assert rise_test(observed=4, baseline_total=0)[2] is False
    # Six where there were none: the floor of one a week gives P(X >= 6 | 1) = 0.00059 < 0.001.
    mean, p_value, rise = rise_test(observed=6, baseline_total=0)
    assert (mean, rise) == (1.0, True) and p_value < ALPHA


def _poisson(rng: random.Random, mean: float) -> int:
    u, k, p = rng.random(), 0, math.exp(-mean)
    c = p
    while u > c:
        k += 1
        p *= mean / k
        c += p
    return k


def test_steady_businesses_raise_few_false_alarms_over_a_year_of_weeks(capsys):
    """200 steady businesses (0.2 to 40 complaints a week), 52 weeks each after 12 weeks of history."""
    rng = random.Random(2026)
    means = [0.2, 0.5, 1, 2, 3, 5, 8, 12, 20, 40]
    tests = alarms = 0
    alarmed_weeks = set()
    for business in range(200):
        mean = means[business % len(means)]
        weeks = [{kind: _poisson(rng, mean * share) for kind, share in TYPES.items()} for _ in range(64)]
        for week in range(BASELINE_WEEKS, 64):
            history = weeks[week - BASELINE_WEEKS : week]
            counts = {("overall", ""): (sum(weeks[week].values()), sum(sum(w.values()) for w in history))}
            for kind in TYPES:
                counts[("type", kind)] = (weeks[week][kind], sum(w[kind] for w in history))
            tests += len(counts)
            found = rises(counts)
            alarms += len(found)
            if found:
                alarmed_weeks.add((business, week))
    with capsys.disabled():
        print(
            f"\nsteady histories: {tests} tests, {alarms} false alarms ({alarms / tests:.5f} a test), "
            f"in {len(alarmed_weeks)} of {200 * 52} business-weeks"
        )
    assert tests == 200 * 52 * 4
    # No worse than the test's nominal level: at most one false alarm in a thousand tests.
    assert alarms <= ALPHA * tests
    assert len(alarmed_weeks) <= 0.005 * 200 * 52


@pytest.mark.parametrize("weekly", [4, 5, 8, 20])
def test_suspension_complaints_that_triple_open_a_review_in_the_first_week(weekly):
    counts = {
        ("overall", ""): (3 * weekly + 10, (weekly + 10) * BASELINE_WEEKS),
        ("type", "account_suspension"): (3 * weekly, weekly * BASELINE_WEEKS),
        ("type", "billing_collection"): (10, 10 * BASELINE_WEEKS),
    }
    found = [(r.scope, r.key, r.observed) for r in rises(counts)]
    assert ("type", "account_suspension", 3 * weekly) in found
    assert ("type", "billing_collection", 10) not in found


def history_of(business, *, weekly: dict[str, int], this_week: dict[str, int], now: datetime = NOW) -> None:
    """Complaints of twelve steady weeks, then this week's, spread over each week."""
    complainant: Any = UserFactory()
    rows = []
    week_start = now - timedelta(days=7)
    for week in range(1, BASELINE_WEEKS + 1):
        for kind, count in weekly.items():
            for i in range(count):
                rows.append((week_start - timedelta(weeks=week) + timedelta(hours=1 + i * 7), kind))
    for kind, count in this_week.items():
        for i in range(count):
            rows.append((week_start + timedelta(hours=1 + i * 5), kind))
    Complaint.objects.bulk_create(
        Complaint(
            number=str(20_000_000 + Complaint.objects.count() + n + business.pk * 10_000),
            complainant=complainant,
            business=business,
            business_name=business.name,
            type=kind,
            description=DESCRIPTION,
            desired_outcome="reinstatement",
            filed_at=filed_at,
            status_changed_at=filed_at,
        )
        for n, (filed_at, kind) in enumerate(rows)
    )


@pytest.mark.django_db
def test_the_weekly_run_opens_one_review_with_its_complaints_and_is_safe_to_run_twice(django_assert_num_queries):
    jumped, steady = BusinessFactory(name="Jumped"), BusinessFactory(name="Steady")
    history_of(
        jumped,
        weekly={"account_suspension": 5, "billing_collection": 3},
        this_week={"account_suspension": 15, "billing_collection": 3},
    )
    history_of(
        steady,
        weekly={"account_suspension": 5, "billing_collection": 3},
        this_week={"account_suspension": 5, "billing_collection": 4},
    )
    assert pattern_breakdowns()[0] == "type"
    opened = pattern_reviews_open_due(now=NOW)
    assert [(r.business.name, r.scope, r.key) for r in opened] == [("Jumped", "type", "account_suspension")]
    review = opened[0]
    assert (review.observed, review.baseline_total, review.baseline_mean) == (15, 60, 5.0)
    assert review.p_value < 0.00023
    assert review.week.isoformat() == "2026-11-23" and review.status == PatternReview.Status.OPEN
    assert review.complaints.count() == 15
    assert set(review.complaints.values_list("type", flat=True)) == {"account_suspension"}
    # The counts of every business are one query, whatever the number of complaints.
    with django_assert_num_queries(1):
        assert pattern_reviews_open_due(now=NOW - timedelta(weeks=3)) == []
    with django_assert_num_queries(2):  # the counts, and the reviews of the week already open
        assert pattern_reviews_open_due(now=NOW) == []
    assert pattern_reviews_open_due(now=NOW + timedelta(days=2)) == []  # later the same week
    assert PatternReview.objects.count() == 1
    assert list(pattern_reviews_open()) == [review]
    jumped.refresh_from_db()
    assert jumped.alert == ""  # nothing is published without a staff decision


@pytest.mark.django_db
def test_staff_confirm_publishes_the_alert_they_wrote_and_the_audit_log_keeps_it(client, staff):
    business = BusinessFactory(name="Jumped")
    history_of(business, weekly={"account_suspension": 5}, this_week={"account_suspension": 15})
    (review,) = pattern_reviews_open_due(now=NOW)  # one wave of one type: one review, not an overall one too
    assert (review.scope, review.key) == ("type", "account_suspension")
    client.force_login(staff)
    change = f"/admin/complaints/patternreview/{review.pk}/change/"
    page = client.get(change).content.decode()
    assert "A review of complaints was completed in" in page
    assert "concerns regarding account access or suspension" in page
    refused = client.post(change, {"decision": "dismiss", "decision_reason": ""})
    assert refused.status_code == 200 and "Say why the review is dismissed." in refused.content.decode()
    alert = "A review of complaints was completed in November 2026; the complaints on record express concerns."
    done = client.post(change, {"decision": "confirm", "alert_text": alert, "decision_reason": "Checked the cases"})
    assert done.status_code == 302
    review.refresh_from_db()
    business.refresh_from_db()
    assert (review.status, review.decided_by, review.alert) == (PatternReview.Status.CONFIRMED, staff, alert)
    assert business.alert == alert and business.alert_set_at is not None
    kinds = list(BusinessAuditEntry.objects.filter(business=business).values_list("kind", "reason"))
    assert kinds == [
        ("alert_set", f"Pattern review #{review.pk} confirmed: Checked the cases"),
        ("pattern_confirmed", f"Pattern review #{review.pk} confirmed: Checked the cases"),
    ]
    profile = client.get(f"/businesses/{business.slug}/").content.decode()
    assert alert in profile and "Posted by Redress staff on" in profile
    with pytest.raises(InvalidTransition):
        pattern_review_dismiss(review_id=review.pk, staff=staff, reason="Changed my mind")


@pytest.mark.django_db
def test_staff_dismiss_with_a_reason_and_nothing_is_published(staff):
    business = BusinessFactory(name="Jumped")
    history_of(business, weekly={"account_suspension": 5}, this_week={"account_suspension": 15})
    review = pattern_reviews_open_due(now=NOW)[0]
    with pytest.raises(InvalidInput):
        pattern_review_dismiss(review_id=review.pk, staff=staff, reason=" ")
    with pytest.raises(InvalidInput):
        pattern_review_confirm(review_id=review.pk, staff=staff, alert="")
    pattern_review_dismiss(
        review_id=review.pk, staff=staff, reason="A marketing e-mail caused a wave of mistaken filings"
    )
    business.refresh_from_db()
    assert business.alert == ""
    entry = BusinessAuditEntry.objects.get(business=business)
    assert (entry.kind, entry.reason, entry.data["observed"]) == (
        "pattern_dismissed",
        "A marketing e-mail caused a wave of mistaken filings",
        15,
    )


def test_the_overall_comparison_leaves_out_a_type_that_rose_on_its_own():
    one_wave = {("overall", ""): (15, 60), ("type", "account_suspension"): (15, 60)}
    assert [(r.scope, r.key) for r in rises(one_wave)] == [("type", "account_suspension")]
    # Suspensions tripled; three other types each rose a little (11 against 5: P = 0.014), together beyond chance.
    everything = {
        ("overall", ""): (48, 240),
        ("type", "account_suspension"): (15, 60),
        ("type", "billing_collection"): (11, 60),
        ("type", "delivery"): (11, 60),
        ("type", "order"): (11, 60),
    }
    found = rises(everything)
    assert [(r.scope, r.key, r.observed, r.baseline_total) for r in found] == [
        ("overall", "", 33, 180),
        ("type", "account_suspension", 15, 60),
    ]
    assert found[0].excluded_types == ("account_suspension",)


def test_the_beat_runs_the_pattern_task():
    schedule = beat_schedule(sweep_seconds=60)
    assert schedule["detect-patterns"]["task"] == "complaints.tasks.detect_patterns"
