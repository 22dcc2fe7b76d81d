"""The case page's repeated parts written in Python: the tracker, the exchange and the history.

Through the template engine each step, message and history line cost 0.1-0.2 ms (a loop,
three date filters, an include for the status): a third of the page's rendering
(bench/README.md, "Tenth round"). These functions write the same markup; the page's template
keeps everything shown once. Every value is escaped here, as the template would have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from core.dates import day_text
from disputes.presentation import ThreadEntry

from ..history import Line
from ..tracker import Step


def _iso(moment: datetime) -> str:
    """The moment in the active time zone as a <time datetime> writes it (`|date:'Y-m-d\\TH:i:sO'`)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")


def _when(moment: datetime) -> str:
    """The moment's date and time in the active time zone, as `|date:"DATETIME_FORMAT"` writes them."""
    return conditional_escape(date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _files(number: str, attachments: Sequence[Any], extra: str = "") -> str:
    """The list of files sent with an entry or an act, each a link to its download."""
    items = "".join(
        f'<li><a href="{reverse("complaints:attachment", kwargs={"number": number, "pk": file.pk})}">'
        f"{conditional_escape(file.original_name)}</a> "
        f'<span class="meta">({conditional_escape(file.content_type)}, {filesizeformat(file.size)})</span></li>'
        for file in attachments
    )
    return f'<ul class="attachments" aria-label="Files sent with it"{extra}>{items}</ul>'


def _step(step: Step) -> str:
    current = ' aria-current="step"' if step.here else ""
    reached = ""
    if step.reached_at is not None:
        reached = f' · <time datetime="{_iso(step.reached_at)}">{conditional_escape(day_text(step.reached_at))}</time>'
    return (
        f'<li class="tracker-step tracker-step--{step.state}"{current} data-step="{step.key}">'
        f'<span class="tracker-label">{conditional_escape(step.label)}</span> '
        f'<span class="tracker-state"><span class="tracker-word">{step.word}</span>{reached}</span></li>'
    )


def tracker_html(steps: Iterable[Step]) -> SafeString:
    """The steps (complaints.tracker) as an ordered list: each one's state in words, never by colour alone."""
    items = "".join(_step(step) for step in steps)
    return mark_safe(  # nosec B308 B703 -- labels and dates escaped; keys, states and words are fixed
        '<section class="tracker" aria-labelledby="tracker-heading" data-tracker>'
        '<h2 id="tracker-heading" class="visually-hidden">Progress of the complaint</h2>'
        f'<ol class="tracker-steps">{items}</ol></section>'
    )


def _entry(entry: ThreadEntry, number: str) -> str:
    side = "from-business" if entry.from_business else "from-consumer"
    text = f'<div class="prose">{linebreaks(entry.text, autoescape=True)}</div>' if entry.text else ""
    files = _files(number, entry.attachments) if entry.attachments else ""
    return (
        f'<li class="message-card {side}"><p class="meta"><strong>{conditional_escape(entry.author)}</strong> '
        f"{conditional_escape(entry.did)} · "
        f'<time datetime="{_iso(entry.created_at)}">{_when(entry.created_at)}</time></p>{text}{files}</li>'
    )


def thread_html(entries: Iterable[ThreadEntry], number: str) -> SafeString:
    """The exchange's entries (disputes.presentation) as the items of its list; empty when there are none."""
    return mark_safe("".join(_entry(entry, number) for entry in entries))  # nosec B308 B703 -- escaped above


def _line(line: Line, number: str) -> str:
    reason = f'<span class="timeline-reason">: {conditional_escape(line.reason)}</span>' if line.reason else ""
    files = _files(number, line.attachments, " data-act-files") if line.attachments else ""
    return (
        f'<li><time datetime="{_iso(line.at)}">{conditional_escape(day_text(line.at))}</time> '
        f"{conditional_escape(line.text)}{reason}{files}</li>"
    )


def history_html(lines: Iterable[Line], number: str) -> SafeString:
    """The history's lines (complaints.history) as the items of its list, oldest first."""
    return mark_safe("".join(_line(line, number) for line in lines))  # nosec B308 B703 -- escaped above
