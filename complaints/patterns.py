"""Weekly rises in a business's complaints: a planner, it reads and writes nothing.

Each business's complaints of the last seven days are compared with its own twelve weeks
before, overall and per complaint type (and per issue, where complaints have one). The test
is one-sided and exact: under a steady rate the week's count X is Poisson with the baseline's
weekly mean; a review opens when P(X >= observed) < ALPHA, the week has at least MIN_COUNT
complaints, and the mean used is at least BASELINE_FLOOR a week, so that a business with almost
no history does not open a review for its first few complaints (docs/decisions/0026-pattern-reviews.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ALPHA = 0.001
MIN_COUNT = 5
BASELINE_FLOOR = 1.0
WINDOW_DAYS = 7
BASELINE_WEEKS = 12

OVERALL = "overall"


@dataclass(frozen=True)
class Window:
    """The seven days compared, the twelve weeks before them, and the week a review is filed under."""

    start: datetime
    end: datetime
    baseline_start: datetime
    week: date


def pattern_window(now: datetime) -> Window:
    """The window ending now: reviews opened any day of one week share that week (one per scope)."""
    start = now - timedelta(days=WINDOW_DAYS)
    today = now.date()
    return Window(
        start=start,
        end=now,
        baseline_start=start - timedelta(weeks=BASELINE_WEEKS),
        week=today - timedelta(days=today.weekday()),
    )


def poisson_upper_tail(observed: int, mean: float) -> float:
    """P(X >= observed) for X ~ Poisson(mean), summed in log space so large means do not underflow."""
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0

    def term(i: int) -> float:
        return math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1))

    if observed <= mean:
        return max(0.0, 1.0 - math.fsum(term(i) for i in range(observed)))
    total, i = 0.0, observed
    while True:
        value = term(i)
        total += value
        if value < total * 1e-17:
            return min(total, 1.0)
        i += 1


@dataclass(frozen=True)
class Rise:
    """A rise that opens a review: what was compared, the counts, the mean used and the test's figure."""

    scope: str  # "overall", or the field compared ("type", "issue")
    key: str  # the field's value; empty overall
    observed: int
    baseline_total: int
    baseline_mean: float
    p_value: float
    excluded_types: tuple[str, ...] = ()  # overall: the types that rose on their own, left out


def rise_test(*, observed: int, baseline_total: int) -> tuple[float, float, bool]:
    """The weekly mean used, the p-value, and whether the week's count is a rise that opens a review."""
    mean = max(baseline_total / BASELINE_WEEKS, BASELINE_FLOOR)
    p_value = poisson_upper_tail(observed, mean)
    return mean, p_value, observed >= MIN_COUNT and p_value < ALPHA


def rises(counts: Mapping[tuple[str, str], tuple[int, int]]) -> list[Rise]:
    """The rises among one business's counts: {(scope, key): (observed, baseline_total)}.

    The overall comparison leaves out the complaints of each type that rose on its own, so one
    wave of one type opens one review, not two; it still opens when the rest rose too.
    """
    found = []
    excluded: list[str] = []
    rest_observed, rest_baseline = counts.get((OVERALL, ""), (0, 0))
    for (scope, key), (observed, baseline_total) in sorted(counts.items()):
        if scope == OVERALL:
            continue
        mean, p_value, rise = rise_test(observed=observed, baseline_total=baseline_total)
        if rise:
            found.append(Rise(scope, key, observed, baseline_total, round(mean, 4), p_value))
            if scope == "type":
                rest_observed, rest_baseline = rest_observed - observed, rest_baseline - baseline_total
                excluded.append(key)
    mean, p_value, rise = rise_test(observed=rest_observed, baseline_total=rest_baseline)
    if rise:
        found.insert(0, Rise(OVERALL, "", rest_observed, rest_baseline, round(mean, 4), p_value, tuple(excluded)))
    return found


def counts_by_scope(
    rows: Iterable[tuple[Mapping[str, str], bool, int]], breakdowns: Iterable[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """Sum grouped rows ({field: value}, in the window?, count) into overall and per-field counts."""
    totals: dict[tuple[str, str], list[int]] = {}
    fields = list(breakdowns)
    for values, in_window, count in rows:
        for scope_key in [(OVERALL, ""), *((field, values.get(field) or "") for field in fields)]:
            if scope_key[0] != OVERALL and not scope_key[1]:
                continue  # no issue recorded: counted overall only
            pair = totals.setdefault(scope_key, [0, 0])
            pair[0 if in_window else 1] += count
    return {scope_key: (pair[0], pair[1]) for scope_key, pair in totals.items()}


def alert_default(*, scope_label: str, decided: date, observed: int, baseline_mean: float) -> str:
    """The alert's prefilled text, which staff edit before publishing."""
    concern = "the complaints it received" if scope_label == "all complaints" else scope_label.lower()
    return (
        f"A review of complaints was completed in {decided:%B %Y}; the complaints on record express "
        f"concerns regarding {concern}. In one week Redress received {observed} such complaints, "
        f"against about {baseline_mean:.1f} a week over the twelve weeks before. Redress has told the "
        "business of this pattern and asked it to address the underlying cause."
    )
