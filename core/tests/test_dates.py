"""day_text writes a day as the templates' `|date:"DATE_FORMAT"` does, in the active zone and language."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.utils import timezone, translation

from core.dates import day_text

TEMPLATE = engines["django"].from_string('{{ moment|date:"DATE_FORMAT" }}')


@pytest.mark.parametrize("zone", ["UTC", "America/Chicago", "Pacific/Kiritimati"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_day_reads_as_the_template_writes_it_in_each_zone_and_language(zone, language):
    moments = [datetime(2026, 12, 31, hour, 30, tzinfo=UTC) for hour in (0, 9, 13, 23)]
    with timezone.override(zone), translation.override(language):
        for moment in moments:
            assert day_text(moment) == TEMPLATE.render({"moment": moment})


def test_the_kept_day_follows_the_zone_and_the_language():
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert day_text(moment) == "31 Dec 2026"
    with timezone.override("Pacific/Kiritimati"):
        assert day_text(moment) == "1 Jan 2027"
    with translation.override("de"):
        assert day_text(moment) != "31 Dec 2026"
    assert day_text(moment) == "31 Dec 2026"
