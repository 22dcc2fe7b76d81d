"""The case page's tracker, exchange and history as complaints.views.case_html writes them: no database."""

from datetime import UTC, datetime

from django.utils import timezone

from complaints.history import Line
from complaints.models import Attachment
from complaints.tracker import Step, StepState
from complaints.views.case_html import history_html, thread_html, tracker_html
from disputes.presentation import ThreadEntry

LATE_EVENING = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # already 2 December in Paris
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def paris(write, *args):
    """Written as for a viewer in Paris: every time in their zone."""
    with timezone.override("Europe/Paris"):
        return write(*args)


def test_the_tracker_is_an_ordered_list_with_local_dates_and_the_current_step_marked() -> None:
    steps = [
        Step("filed", "Filed", StepState.DONE, LATE_EVENING),
        Step("business", "Your <response>", StepState.CURRENT, MORNING, here=True),
        Step("closed", "Closed", StepState.NEXT),
    ]
    assert paris(tracker_html, steps) == (
        '<section class="tracker" aria-labelledby="tracker-heading" data-tracker>'
        '<h2 id="tracker-heading" class="visually-hidden">Progress of the complaint</h2>'
        '<ol class="tracker-steps">'
        '<li class="tracker-step tracker-step--done" data-step="filed"><span class="tracker-label">Filed</span> '
        '<span class="tracker-state"><span class="tracker-word">Done</span> · '
        '<time datetime="2026-12-02T00:30:00+0100">2 Dec 2026</time></span></li>'
        '<li class="tracker-step tracker-step--current" aria-current="step" data-step="business">'
        '<span class="tracker-label">Your &lt;response&gt;</span> '
        '<span class="tracker-state"><span class="tracker-word">Now</span> · '
        '<time datetime="2026-12-02T09:00:00+0100">2 Dec 2026</time></span></li>'
        '<li class="tracker-step tracker-step--next" data-step="closed"><span class="tracker-label">Closed</span> '
        '<span class="tracker-state"><span class="tracker-word">Next</span></span></li>'
        "</ol></section>"
    )


def file(pk: int, name: str, kind: str, size: int) -> Attachment:
    return Attachment(pk=pk, original_name=name, content_type=kind, size=size)


def test_the_exchange_escapes_the_text_keeps_its_paragraphs_and_links_each_file() -> None:
    entries = [
        ThreadEntry(True, "Gig & Co", "responded (late)", LATE_EVENING, "We paid.\n\n<b>See</b> the receipt", ()),
        ThreadEntry(
            False, "You", "rejected the answer", MORNING, "", (file(7, "bank <1>.pdf", "application/pdf", 2048),)
        ),
    ]
    assert paris(thread_html, entries, "10000042") == (
        '<li class="message-card from-business"><p class="meta"><strong>Gig &amp; Co</strong> responded (late) · '
        '<time datetime="2026-12-02T00:30:00+0100">2 Dec 2026, 00:30 CET</time></p>'
        '<div class="prose"><p>We paid.</p>\n\n<p>&lt;b&gt;See&lt;/b&gt; the receipt</p></div></li>'
        '<li class="message-card from-consumer"><p class="meta"><strong>You</strong> rejected the answer · '
        '<time datetime="2026-12-02T09:00:00+0100">2 Dec 2026, 09:00 CET</time></p>'
        '<ul class="attachments" aria-label="Files sent with it">'
        '<li><a href="/complaints/10000042/attachments/7/">bank &lt;1&gt;.pdf</a> '
        '<span class="meta">(application/pdf, 2.0\xa0KB)</span></li></ul></li>'
    )


def test_an_empty_exchange_is_empty_so_the_page_says_so() -> None:
    assert thread_html([], "10000042") == ""


def test_the_history_writes_each_line_its_reason_and_the_acts_files() -> None:
    lines = [
        Line(LATE_EVENING, "You filed your complaint", ""),
        Line(
            MORNING,
            "Redress staff put your complaint on hold",
            "Waiting for the <bank> statement",
            (file(9, "note.txt", "text/plain", 12),),
        ),
    ]
    assert paris(history_html, lines, "10000042") == (
        '<li><time datetime="2026-12-02T00:30:00+0100">2 Dec 2026</time> You filed your complaint</li>'
        '<li><time datetime="2026-12-02T09:00:00+0100">2 Dec 2026</time> Redress staff put your complaint on hold'
        '<span class="timeline-reason">: Waiting for the &lt;bank&gt; statement</span>'
        '<ul class="attachments" aria-label="Files sent with it" data-act-files>'
        '<li><a href="/complaints/10000042/attachments/9/">note.txt</a> '
        '<span class="meta">(text/plain, 12\xa0bytes)</span></li></ul></li>'
    )
