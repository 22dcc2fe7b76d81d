"""A business's public figures, read from its `BusinessStatsDay` rows in one query.

Definitions (shown on the profile):

- complaints in the last 36 months: published complaints, i.e. closed in a public closed state
  within `REDRESS_PUBLICATION_MONTHS`, exactly the list beneath the figures;
- closed in the last 12 months: those of them closed within the last 12 months (whole days);
- counts by status and by type: over the same 36 months;
- the response figures count a published complaint when the business responded before it
  closed, or when its first due date (`REDRESS_BUSINESS_RESPONSE_DAYS` after the business was
  told) passed before it closed without a response; one closed before that date without a
  response, or whose business could not be located, counts neither way;
- response rate: the share of counted complaints the business responded to;
- answered on time: the share of counted complaints whose first response came by the first due
  date (an Unanswered complaint lowers both);
- median time to first response: over the responses, in whole hours from when the business
  was told;
- the monthly chart: published complaints by the month they closed;
- outcomes: over the same 36 months, the published complaints by the outcome the business gave
  with its latest response before closing (none given when it gave none), and the monetary
  relief those closed with monetary relief reported, summed per currency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from core.prepared import Columns, PreparedRead, prepared_reads

from .issues import ResponseOutcome
from .models import BusinessStatsDay, BusinessStatsSummary, ComplaintType, Status
from .publication import Summary, months_before, published_count, utc_day, window_start_day

PUBLIC_STATUS_ORDER = (Status.RESOLVED, Status.ANSWERED, Status.UNANSWERED, Status.UNRESOLVED, Status.UNPURSUABLE)
RECENT_MONTHS = 12

# What each public closed state means, shown on every profile (docs/domain.md, "States").
CLOSED_STATE_DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    (Status.RESOLVED, "Resolved", "The complainant confirmed the issue was resolved to their satisfaction."),
    (
        Status.ANSWERED,
        "Answered",
        "The business addressed the complaint, but the complainant did not accept the answer or did not say "
        "whether they were satisfied.",
    ),
    (Status.UNANSWERED, "Unanswered", "The business did not respond."),
    (Status.UNRESOLVED, "Unresolved", "The business responded but made no good-faith effort to resolve it."),
    (Status.UNPURSUABLE, "Unpursuable", "The business could not be located."),
)


# Each figure's one-line definition, shown beside it on the profile and the dashboard and given
# by the API (docs/domain.md, "Figures").
FIGURE_DEFINITIONS: dict[str, str] = {
    "total": "Complaints closed in a public state in the last 36 months: the list below.",
    "closed_last_12_months": "Of those, the ones closed in the last 12 months.",
    "response_rate": "Of the complaints whose first response date passed or that got a response, "
    "the share the business responded to. Unanswered complaints lower it.",
    "answered_on_time": "Of the same complaints, the share with a first response within "
    "the business's first response period.",
    "median_response": "Half the first responses came sooner than this, counted from when the business was told.",
    "outcomes": "Of the complaints in the last 36 months, how many the business closed with each outcome "
    "it gave with its latest response.",
    "relief_total": "The monetary relief the business reported on those complaints, added up per currency.",
}

# The outcome a business gives with a response, and "none given", in display order, each with
# its one-line definition beside it on the profile (docs/domain.md, "Figures").
NO_OUTCOME = "none"
OUTCOME_DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    (
        ResponseOutcome.MONETARY_RELIEF,
        "Monetary relief",
        "The business says it paid or refunded money; the amounts are added up under monetary relief reported.",
    ),
    (
        ResponseOutcome.NON_MONETARY_RELIEF,
        "Non-monetary relief",
        "The business says it did something other than pay: a repair, a replacement, an account restored.",
    ),
    (ResponseOutcome.EXPLANATION, "Explanation only", "The business explained but gave no relief."),
    (
        ResponseOutcome.IN_PROGRESS,
        "In progress",
        "The business said it was still working on it when the complaint closed.",
    ),
    (NO_OUTCOME, "None given", "The business gave no outcome, or did not respond."),
)


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month
    count: int

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")


@dataclass(frozen=True)
class BusinessFigures:
    business_id: int
    as_of: datetime
    window_months: int
    total: int
    closed_last_12_months: int
    by_status: dict[str, int]  # every public closed state, in display order
    by_type: dict[str, int]  # every complaint type, in display order
    responded: int
    answered_on_time: int
    counted: int  # complaints the response figures count (see the module's definitions)
    median_response_hours: float | None
    monthly: tuple[MonthCount, ...]
    by_status_type: dict[tuple[str, str], int] = field(default_factory=dict)
    # Every outcome of OUTCOME_DEFINITIONS, in that order (`none`: no outcome given).
    by_outcome: dict[str, int] = field(default_factory=dict)
    # Monetary relief reported, per currency code (sorted), in that currency.
    relief_totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def on_time_share(self) -> float | None:
        return self.answered_on_time / self.counted if self.counted else None

    @property
    def definitions(self) -> dict[str, str]:
        return FIGURE_DEFINITIONS

    @property
    def response_share(self) -> float | None:
        return self.responded / self.counted if self.counted else None

    @property
    def response_percent(self) -> int | None:
        share = self.response_share
        return None if share is None else round(share * 100)

    @property
    def on_time_percent(self) -> int | None:
        share = self.on_time_share
        return None if share is None else round(share * 100)

    @property
    def median_response_display(self) -> str:
        hours = self.median_response_hours
        if hours is None:
            return "no responses yet"
        if hours < 1:
            return "under an hour"
        whole = int(hours)
        days, rest = divmod(whole, 24)
        if not days:
            return f"{whole} hour{'s' if whole != 1 else ''}"
        text = f"{days} day{'s' if days != 1 else ''}"
        return f"{text} {rest} hour{'s' if rest != 1 else ''}" if rest else text

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, count) per public closed state."""
        return [(value, str(Status(value).label), count) for value, count in self.by_status.items()]

    @property
    def type_rows(self) -> list[tuple[str, str, int]]:
        return [(value, str(ComplaintType(value).label), count) for value, count in self.by_type.items()]

    @property
    def outcome_rows(self) -> list[tuple[str, str, str, int]]:
        """(value, label, definition, count) per outcome, in display order."""
        return [(value, label, text, self.by_outcome.get(value, 0)) for value, label, text in OUTCOME_DEFINITIONS]

    @property
    def relief_display(self) -> list[str]:
        """The monetary relief reported, one "1,250.00 USD" per currency."""
        return [f"{total:,.2f} {currency}" for currency, total in self.relief_totals.items()]

    def count(self, *, status: str | None = None, type: str | None = None) -> int:
        """How many published complaints have this status and/or type."""
        return sum(
            n
            for (row_status, row_type), n in self.by_status_type.items()
            if (not status or row_status == status) and (not type or row_type == type)
        )


def _median(histogram: Counter[int], n: int) -> float | None:
    if not n:
        return None
    wanted = {(n - 1) // 2, n // 2}
    values: list[int] = []
    seen = 0
    for hours in sorted(histogram):
        count = histogram[hours]
        for position in wanted:
            if seen <= position < seen + count:
                values.append(hours)
        seen += count
    return sum(values) / len(values)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _cache_key(business_id: int, day: date) -> str:
    # v2: the figures carry outcomes; a copy cached before them is not read.
    return f"redress:figures:v2:{business_id}:{day.isoformat()}"


def business_figures(business_id: int, *, now: datetime | None = None) -> BusinessFigures:
    """Figures of one business, cached for `REDRESS_FIGURES_CACHE_SECONDS` when asked for now.

    A miss reads the business's summary row (docs/decisions/0036-figures-summary-row.md);
    profiles, the API and dashboards still share one cached copy per business and day.
    `complaints.publication` forgets it whenever it changes a day row, so the cache never shows
    figures older than the last change; 0 (the default) turns it off.
    """
    seconds = getattr(settings, "REDRESS_FIGURES_CACHE_SECONDS", 0)
    if now is not None or not seconds:
        return _business_figures(business_id, now=now)
    now = timezone.now()
    key = _cache_key(business_id, utc_day(now))
    figures = cache.get(key)
    if figures is None:
        figures = _business_figures(business_id, now=now)
        cache.set(key, figures, seconds)
    return figures


def business_figures_forget(business_ids: Iterable[int]) -> None:
    """Drop the cached figures of businesses (called when their day rows change)."""
    if getattr(settings, "REDRESS_FIGURES_CACHE_SECONDS", 0):
        today = utc_day(timezone.now())
        keys = [_cache_key(business_id, today) for business_id in business_ids]
        if keys:
            cache.delete_many(keys)


_SUMMARY = Columns(BusinessStatsSummary)


def _summary_sql() -> str:
    meta = BusinessStatsSummary._meta
    assert meta.pk is not None
    # Names from the model's meta; the business's id is the parameter (bandit B608 is a false alarm).
    return f"SELECT {_SUMMARY.select('s')} FROM {meta.db_table} s WHERE s.{meta.pk.column} = $1"  # nosec B608


# A figures cache miss's first read, prepared once on each connection (core.prepared): building
# the ORM's query took twice as long as running it (bench/README.md, "Tenth round").
SUMMARY_READ = PreparedRead("redress_figures_summary", _summary_sql)


def _summary_row(business_id: int) -> BusinessStatsSummary | None:
    """The business's summary row, or None if it has none (no day rows)."""
    if not prepared_reads():
        return BusinessStatsSummary.objects.filter(pk=business_id).first()
    rows = SUMMARY_READ.rows(business_id)
    return _SUMMARY.instance(rows[0]) if rows else None


def _business_figures(business_id: int, *, now: datetime | None = None) -> BusinessFigures:
    """Figures of one business from its summary row, or from its day rows when it has none.

    The summary (`BusinessStatsSummary`) gives the sums at once; the day rows that left the
    windows since it was last moved on (none when the business had a move today, a few days'
    otherwise) are taken away in a second small query. A business without a summary has no day
    rows (the first day row's write creates it; migration 0016 made those of earlier rows), so
    it has no figures; when `now` lies before the summary's windows the day rows are summed.
    """
    now = now or timezone.now()
    months = settings.REDRESS_PUBLICATION_MONTHS
    start = window_start_day(months, now)
    recent_start = window_start_day(RECENT_MONTHS, now)
    raw: Counter[str] = Counter()  # summed counters by key, parsed once after the loop
    monthly: Counter[date] = Counter()
    recent = 0
    row = _summary_row(business_id)
    if row is not None and row.since <= start and row.recent_since <= recent_start:
        summary = Summary(
            since=row.since, recent_since=row.recent_since, counts=row.counts, months=row.months, recent=row.recent
        )
        if row.since < start or row.recent_since < recent_start:
            left = BusinessStatsDay.objects.filter(
                Q(day__gte=row.since, day__lt=start) | Q(day__gte=row.recent_since, day__lt=recent_start),
                business_id=business_id,
            )
            summary.moved_on(start, recent_start, left.order_by().values_list("day", "counts"))
        raw.update(summary.counts)
        for key, count in summary.months.items():
            year, month = key.split("-")
            monthly[date(int(year), int(month), 1)] += count
        recent = summary.recent
    elif row is not None:
        # `now` lies before the summary's windows: the day rows are summed.
        rows = (
            BusinessStatsDay.objects.filter(business_id=business_id, day__gte=start)
            .order_by()
            .values_list("day", "counts")
        )
        for day, counts in rows:
            raw.update(counts)
            day_total = published_count(counts)
            monthly[_month_start(day)] += day_total
            if day >= recent_start:
                recent += day_total
    by_status_type: Counter[tuple[str, str]] = Counter()
    histogram: Counter[int] = Counter()
    by_outcome = {value: 0 for value, _, _ in OUTCOME_DEFINITIONS}
    relief: dict[str, Decimal] = {}
    for key, value in raw.items():
        if key[0] == "n":
            _, status, type_ = key.split(":", 2)
            by_status_type[(status, type_)] += value
        elif key[0] == "h":
            histogram[int(key[2:])] += value
        elif key.startswith("o:"):
            by_outcome[key[2:]] = by_outcome.get(key[2:], 0) + value
        elif key.startswith("relief:"):
            relief[key[7:]] = Decimal(value) / 100
    total = sum(by_status_type.values())
    by_outcome[NO_OUTCOME] = max(0, total - sum(n for outcome, n in by_outcome.items() if outcome != NO_OUTCOME))
    responded, on_time = raw["responded"], raw["on_time"]
    by_status = {status.value: 0 for status in PUBLIC_STATUS_ORDER}
    by_type = dict.fromkeys(ComplaintType.values, 0)
    for (status, type_), n in by_status_type.items():
        by_status[status] = by_status.get(status, 0) + n
        by_type[type_] = by_type.get(type_, 0) + n
    first_month = _month_start(start)
    last_month = _month_start(utc_day(now))
    months_shown: list[MonthCount] = []
    cursor = last_month
    while cursor >= first_month:
        months_shown.append(MonthCount(cursor, monthly.get(cursor, 0)))
        cursor = months_before(cursor, 1)
    return BusinessFigures(
        business_id=business_id,
        as_of=now,
        window_months=months,
        total=total,
        closed_last_12_months=recent,
        by_status=by_status,
        by_type=by_type,
        responded=responded,
        answered_on_time=on_time,
        counted=raw["counted"],
        median_response_hours=_median(histogram, responded),
        monthly=tuple(reversed(months_shown)),
        by_status_type=dict(by_status_type),
        by_outcome=by_outcome,
        relief_totals={currency: relief[currency].quantize(Decimal("0.01")) for currency in sorted(relief)},
    )


# The monthly chart, drawn by Redress as inline SVG --------------------------------------------
#
# The SVG has no viewBox: it is as wide as its column and `height` CSS pixels high. Horizontal
# positions are percentages of that width and vertical ones pixels, so the bars stretch with the
# column while the labels keep their CSS font size (at least 12 px) at every width, a phone's
# included. The value labels sit left of the plot, in the figure's padding.

LABEL_END_FROM = 85.0  # a month label starting further right than this (in %) is drawn right-aligned


@dataclass(frozen=True)
class Bar:
    x: float  # % of the chart's width
    y: float  # px from the top
    width: float  # % of the chart's width
    height: float  # px
    count: int
    label: str
    show_label: bool
    title: str
    label_x: float = 0.0  # % of the chart's width
    label_anchor: str = "start"  # "end" near the right edge, so the label stays inside the chart


@dataclass(frozen=True)
class MonthlyChart:
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    max_count: int
    ticks: tuple[tuple[float, int], ...]  # (y, value) of the horizontal guide lines
    description: str
    months: tuple[MonthCount, ...] = ()  # for the table beside the chart
    title: str = "Complaints closed per month"
    caption: str = "Published complaints by the month they closed."
    column: str = "Complaints closed"


def monthly_chart(figures: BusinessFigures, *, height: int = 200) -> MonthlyChart:
    """Bar geometry for the monthly chart; the template only draws it."""
    return months_chart(figures.monthly, total=figures.total, height=height)


def months_chart(
    months: Sequence[MonthCount],
    *,
    total: int,
    height: int = 200,
    verb: str = "closed",
    title: str = "Complaints closed per month",
    caption: str = "Published complaints by the month they closed.",
) -> MonthlyChart:
    """Bar geometry for counts by month (a profile's, or the open data's trends)."""
    top, bottom = 10, 28
    plot_h = height - top - bottom
    peak = max((m.count for m in months), default=0)
    scale_max = max(peak, 1)
    slot = 100 / max(len(months), 1)
    bars = []
    for i, month in enumerate(months):
        bar_h = plot_h * month.count / scale_max
        x, width = round(i * slot + slot * 0.15, 2), round(slot * 0.7, 2)
        at_end = x > LABEL_END_FROM
        bars.append(
            Bar(
                x=x,
                y=round(top + plot_h - bar_h, 2),
                width=width,
                height=round(bar_h, 2),
                count=month.count,
                label=month.month.strftime("%b %y") if month.month.month in (1, 7) else "",
                show_label=month.month.month in (1, 7),
                title=f"{month.label}: {month.count} complaint{'s' if month.count != 1 else ''}",
                label_x=round(x + width, 2) if at_end else x,
                label_anchor="end" if at_end else "start",
            )
        )
    ticks = tuple((round(top + plot_h - plot_h * v / scale_max, 2), v) for v in sorted({0, scale_max // 2, scale_max}))
    busiest = max(months, key=lambda m: m.count) if months and peak else None
    noun = "complaint" if total == 1 else "complaints"
    description = (
        f"{total} {noun} {verb} between {months[0].label} and {months[-1].label}"
        + (f"; the most in {busiest.label} ({busiest.count})." if busiest else ".")
        if months
        else "No months to show."
    )
    return MonthlyChart(
        height=height,
        baseline=top + plot_h,
        bars=tuple(bars),
        max_count=peak,
        ticks=ticks,
        description=description,
        months=tuple(months),
        title=title,
        caption=caption,
        column=f"Complaints {verb}",
    )


# The outcomes chart: one horizontal bar per outcome, drawn as inline SVG like the monthly chart
# (no viewBox: widths in % of the column, heights in px, so the labels keep their size on a phone).

OUTCOME_ROW_HEIGHT = 40
OUTCOME_BAR_MAX = 80.0  # % of the width the longest bar takes, leaving room for its count


@dataclass(frozen=True)
class OutcomeBar:
    value: str
    label: str
    count: int
    label_y: int  # px from the top: the outcome's name, above its bar
    y: int  # px from the top of the bar
    width: float  # % of the chart's width
    height: int  # px
    title: str


@dataclass(frozen=True)
class OutcomeChart:
    height: int
    bars: tuple[OutcomeBar, ...]
    description: str
    title: str = "How the complaints closed, by the business's outcome"
    caption: str = "Published complaints in the last 36 months by the outcome the business gave."


def outcome_chart(figures: BusinessFigures) -> OutcomeChart:
    """Bar geometry for the outcomes chart; the template only draws it."""
    rows = figures.outcome_rows
    peak = max((count for _, _, _, count in rows), default=0)
    bars = []
    for i, (value, label, _, count) in enumerate(rows):
        top = i * OUTCOME_ROW_HEIGHT
        noun = "complaint" if count == 1 else "complaints"
        bars.append(
            OutcomeBar(
                value=value,
                label=label,
                count=count,
                label_y=top + 14,
                y=top + 20,
                width=round(OUTCOME_BAR_MAX * count / peak, 2) if peak else 0.0,
                height=14,
                title=f"{label}: {count} {noun}",
            )
        )
    noun = "complaint" if figures.total == 1 else "complaints"
    description = (
        f"{figures.total} {noun}: " + "; ".join(f"{bar.label.lower()} {bar.count}" for bar in bars) + "."
        if figures.total
        else "No published complaints to show."
    )
    return OutcomeChart(height=len(bars) * OUTCOME_ROW_HEIGHT, bars=tuple(bars), description=description)
