"""Dates written the one way Redress writes them (docs/domain.md, "Dates and times")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language

_days: dict[tuple[date, str, str | None], str] = {}
_days_kept = 4096


def day_text(moment: datetime) -> str:
    """The day of `moment` in the active time zone, as `|date:"DATE_FORMAT"` writes it ("11 Dec 2026").

    Each day's text is kept per format and language: a list page writes the same few due days
    over and over, and Django's date formatting costs about as much as the rest of a row. The
    day alone is formatted, so a `DATE_FORMAT` that asked for a time would fail here, never
    keep one moment's time for the whole day.
    """
    day = timezone.localtime(moment).date()
    language = get_language()
    pattern = get_format("DATE_FORMAT", language)
    key = (day, pattern, language)
    text = _days.get(key)
    if text is None:
        if len(_days) >= _days_kept:
            _days.clear()
        text = _days[key] = dateformat.format(day, pattern)
    return text
