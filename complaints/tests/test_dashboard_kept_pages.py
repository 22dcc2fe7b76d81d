"""The dashboard's unfiltered pages, kept in the cache under the businesses' queue versions.

A kept page is read only while every move since would have left it as it is: the move writer
moves the versions on (at once and after commit) for every business whose complaints a move
touched, and a page's texts are used only before the soonest due date ahead among its rows.
Each test reads the dashboard through the cache, moves or waits, and reads it again.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.services import complaints_enforce_deadlines
from complaints.tests.factories import complaint_in, file_complaint, staff_user
from core.tests.api_client import clear_own_cache_keys
from disputes.services import complaint_staff_act, response_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept")]

DASHBOARD = "/dashboard/"


@pytest.fixture
def kept():
    """The dashboard's copies on, with none left from an earlier test (ids repeat from one run to the next)."""
    clear_own_cache_keys()
    with override_settings(REDRESS_QUEUE_COUNTS_CACHE_SECONDS=3600):
        yield
    clear_own_cache_keys()


def rows(html: str) -> list[tuple[str, str, bool]]:
    """Each row of the queue: its case number, its status label, and whether it is marked overdue."""
    found = []
    for row in re.findall(r'<tr class="(?:overdue)?">.*?</tr>', html, flags=re.S):
        number = re.search(r">#(\d+)</a>", row)
        status = re.search(r'<span class="status status--[a-z_]+">([^<]+)</span>', row)
        assert number and status, row
        found.append((number.group(1), status.group(1), 'class="overdue"' in row))
    return found


def queue_reads(queries) -> list[str]:
    """The queries that read the queue's rows (the counts read complaints too, grouped)."""
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "complaints_complaint"."id"')]


def visit(client, path: str = DASHBOARD) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), queue_reads(queries)


def test_a_second_visit_reads_the_kept_page_and_shows_the_same_rows(client, business, representative):
    complaints = [complaint_in(Status.AWAITING_BUSINESS, business=business) for _ in range(3)]
    client.force_login(representative)
    first, reads = visit(client)
    assert len(reads) == 1
    again, reads = visit(client)
    assert reads == []  # the page came from the cache
    assert rows(again) == rows(first) and len(rows(first)) == 3
    assert {number for number, _, _ in rows(again)} == {c.number for c in complaints}
    with override_settings(REDRESS_QUEUE_COUNTS_CACHE_SECONDS=0):
        uncached = client.get(DASHBOARD).content.decode()
    table = re.compile(r"<tbody>.*?</tbody>", flags=re.S)
    assert table.search(again).group(0) == table.search(uncached).group(0)  # byte for byte


def test_every_move_shows_on_the_next_visit(client, business, representative, django_capture_on_commit_callbacks):
    staff = staff_user()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(business=business)
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
    client.force_login(representative)
    assert rows(visit(client)[0]) == [(complaint.number, "Awaiting business", False)]
    assert visit(client)[1] == []
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(complaint_id=complaint.pk, author=representative, text="We restored access to the account.")
    html, reads = visit(client)
    assert len(reads) == 1
    assert rows(html) == [(complaint.number, "Awaiting consumer", False)]
    second = complaint_in(Status.AWAITING_BUSINESS, business=business)  # a new complaint is a move too
    assert {number for number, _, _ in rows(visit(client)[0])} == {complaint.number, second.number}


def test_a_row_becomes_overdue_when_its_due_date_passes_without_a_move(client, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    due = Complaint.objects.get(pk=complaint.pk).due_at
    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        client.force_login(representative)
        assert rows(visit(client)[0]) == [(complaint.number, "Awaiting business", False)]
        assert visit(client)[1] == []  # kept
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        client.force_login(representative)
        html, reads = visit(client)
    assert len(reads) == 1  # past the kept page's due date: written again
    assert rows(html) == [(complaint.number, "Awaiting business", True)]
    assert "was due by" in html  # and what happens next is said of a day gone by


def test_the_sweeps_moves_show_at_once(client, business, representative, django_capture_on_commit_callbacks):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    due = Complaint.objects.get(pk=complaint.pk).due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        client.force_login(representative)
        html = visit(client)[0]
        assert rows(html) == [(complaint.number, "Awaiting business", True)]
        assert "Your response was due by" in html
        with django_capture_on_commit_callbacks(execute=True):
            complaints_enforce_deadlines(complaint_ids=[complaint.pk])
        # The first notice ran out: a second, final one, with a new due date ahead.
        html, reads = visit(client)
    assert len(reads) == 1
    assert rows(html) == [(complaint.number, "Awaiting business", False)]
    assert "was due by" not in html  # a new due date ahead: what happens if the business stays silent


def test_a_renamed_business_shows_in_its_rows_at_once(client, business, representative):
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    assert '<td data-label="Business">Gigwork Market</td>' in visit(client)[0]
    type(business).objects.filter(pk=business.pk).update(name="Gigwork Markets Ltd")
    html, reads = visit(client)
    assert len(reads) == 1
    assert '<td data-label="Business">Gigwork Markets Ltd</td>' in html


def test_a_kept_page_is_shared_by_the_businesss_representatives_and_no_one_else(client, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    colleague = UserFactory()
    MembershipFactory(user=colleague, business=business)
    other_rep = UserFactory()
    MembershipFactory(user=other_rep, business=BusinessFactory(name="Other Shop"))
    client.force_login(representative)
    visit(client)
    client.force_login(colleague)
    html, reads = visit(client)
    assert reads == [] and [number for number, _, _ in rows(html)] == [complaint.number]
    client.force_login(other_rep)
    html, reads = visit(client)
    assert len(reads) == 1 and rows(html) == []
    assert complaint.number not in html


def test_keyset_pages_are_kept_each_under_its_own_link(client, business, representative):
    from complaints.views import dashboard as cases

    cases.DASHBOARD_PAGE_SIZE, original = 2, cases.DASHBOARD_PAGE_SIZE
    try:
        complaints = [complaint_in(Status.AWAITING_BUSINESS, business=business) for _ in range(5)]
        base = timezone.now().replace(microsecond=0)
        for days, complaint in enumerate(complaints, start=1):
            Complaint.objects.filter(pk=complaint.pk).update(due_at=base + timedelta(days=days))
        order = [c.number for c in complaints]
        client.force_login(representative)
        seen = []
        for _ in range(2):  # the first walk writes each page; the second reads them kept
            pages, url = [], DASHBOARD
            while url:
                html, reads = visit(client, url)
                pages.append(([number for number, _, _ in rows(html)], len(reads)))
                match = re.search(r'<a href="([^"]+)" rel="next">', html)
                url = DASHBOARD + match.group(1).replace("&amp;", "&") if match else ""
            seen.append(pages)
        # The last page reads the dated rows, then finds none undated to follow them.
        assert seen[0] == [(order[0:2], 1), (order[2:4], 1), (order[4:5], 2)]
        assert seen[1] == [(order[0:2], 0), (order[2:4], 0), (order[4:5], 0)]
        assert "Page 3 of 3 (5 complaints)" in html
    finally:
        cases.DASHBOARD_PAGE_SIZE = original


def test_a_filtered_queue_is_read_each_time(client, business, representative):
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    complaint_in(Status.AWAITING_CONSUMER, business=business)
    client.force_login(representative)
    path = reverse("complaints:dashboard") + "?state=awaiting_consumer"
    for _ in range(2):
        html, reads = visit(client, path)
        assert len(reads) == 1
        assert [status for _, status, _ in rows(html)] == ["Awaiting consumer"]


def forms(html: str) -> tuple[str, str]:
    """The filter form and the invitation form, as the page shows them."""
    filters = re.search(r'<form method="get" class="filters".*?</form>', html, flags=re.S)
    invitation = re.search(r'<form method="post" action="/accounts/invite/".*?</form>', html, flags=re.S)
    assert filters and invitation
    # The invitation's CSRF token differs from one response to the next and is never kept.
    return filters.group(0), re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", invitation.group(0))


@pytest.mark.parametrize(
    "query",
    ["", "?state=awaiting_business", "?business=999999", "?overdue=on&state=resolved", "?state=bogus"],
    ids=["unfiltered", "a state", "not their business", "overdue and a state", "no such state"],
)
def test_the_kept_forms_are_the_forms_as_written(client, business, representative, query):
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    with override_settings(REDRESS_QUEUE_COUNTS_CACHE_SECONDS=0):
        written = forms(client.get(DASHBOARD + query).content.decode())
    client.get(DASHBOARD + query)  # keeps them
    assert forms(client.get(DASHBOARD + query).content.decode()) == written
    # A renamed business shows in both forms' options at once.
    type(business).objects.filter(pk=business.pk).update(name="Gigwork Markets Ltd")
    renamed = forms(client.get(DASHBOARD + query).content.decode())
    assert all("Gigwork Markets Ltd" in form and "Gigwork Market<" not in form for form in renamed)


def test_each_filter_shows_its_own_values_after_another_was_kept(client, business, representative):
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    for query in ("", "?state=awaiting_business", "?state=bogus", ""):
        page_forms = forms(client.get(DASHBOARD + query).content.decode())
        with override_settings(REDRESS_QUEUE_COUNTS_CACHE_SECONDS=0):
            assert page_forms == forms(client.get(DASHBOARD + query).content.decode()), query
    selected = forms(client.get(DASHBOARD + "?state=awaiting_business").content.decode())[0]
    assert '<option value="awaiting_business" selected>' in selected
