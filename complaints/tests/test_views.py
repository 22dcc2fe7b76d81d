"""The complaint pages through Django's test client: filing in steps, my complaints, the case page and its
actions, the dashboard, notifications, and what every page costs."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from lxml import html

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.consequences import complaint_consequence
from complaints.models import Complaint, Notification, Status
from complaints.tests.factories import DESCRIPTION, complaint_in, file_complaint, representative_of
from complaints.views.dashboard import case_link
from complaints.workflow import Actor
from disputes.services import response_submit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


# Filing (views/filing.py) -------------------------------------------------------------------------


def business_step(client, business):
    return client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}),
        {"query": business.name, "business": business.slug, "action": "next"},
    )


def details_step(client, **overrides):
    data = {
        "type": "delivery",
        "description": DESCRIPTION,
        "desired_outcomes": ["refund"],
        "desired_outcome_detail": "Refund the parcel",
        "transaction_date": "2026-01-05",
        "amount": "49.90",
        "currency": "usd",
        "reference": "ORD-1",
        "action": "next",
    }
    data.update(overrides)
    return client.post(reverse("complaints:file-step", kwargs={"step": "details"}), data)


def consent_step(client):
    return client.post(
        reverse("complaints:file-step", kwargs={"step": "consent"}),
        {"publish_consent": "yes", "affirm_true": "on", "affirm_not_in_court": "on", "action": "next"},
    )


def test_filing_in_steps_files_the_complaint_with_an_attachment(client, complainant, business):
    client.force_login(complainant)
    assert business_step(client, business).url.endswith("/complaints/new/details/")
    assert details_step(client).url.endswith("/complaints/new/consent/")
    assert consent_step(client).url.endswith("/complaints/new/review/")
    review = client.get(reverse("complaints:file-step", kwargs={"step": "review"}))
    assert business.name in review.content.decode() and "Refund the parcel" in review.content.decode()
    upload = io.BytesIO(PNG)
    upload.name = "receipt.png"
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "review"}), {"action": "file", "attachments": [upload]}
    )
    complaint = Complaint.objects.get(complainant=complainant)
    assert response.url == reverse("complaints:filed", kwargs={"number": complaint.number})
    assert complaint.business == business and complaint.currency == "USD" and complaint.publish_consent
    assert complaint.attachments.get().original_name == "receipt.png"
    done = client.get(response.url)
    assert complaint.number in done.content.decode()


def test_a_renamed_executable_is_refused_beside_the_attachment_field(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    details_step(client)
    consent_step(client)
    upload = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    upload.name = "invoice.pdf"
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "review"}), {"action": "file", "attachments": [upload]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "invoice.pdf is not a PDF, PNG or JPEG file" in page
    assert 'id="id_attachments_errors"' in page
    assert not Complaint.objects.exists()
    # What was typed is still there, and the field's label is marked optional once.
    assert "Refund the parcel" in page
    assert page.count("(optional)") == 1


def test_bad_details_show_errors_beside_fields_and_keep_what_was_typed(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    response = details_step(client, description="Too short", desired_outcomes=["other"], desired_outcome_detail="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "at least 50 characters" in page
    assert "Say what outcome you want." in page
    assert "Too short</textarea>" in page
    # Going away and back keeps the draft.
    again = client.get(reverse("complaints:file-step", kwargs={"step": "details"}))
    assert "Too short</textarea>" in again.content.decode()


def test_the_filed_page_asks_only_an_unverified_complainant_to_confirm_their_address(
    client, settings, complainant, business
):
    settings.REDRESS_SCREENING_DAYS = 3
    unverified = UserFactory(email_verified_at=None)
    complainant.time_zone = "America/Chicago"  # the screening date in the complainant's own zone
    complainant.save()
    for user, asked, due in (
        (unverified, True, "7 May 2026, 08:00 UTC"),
        (complainant, False, "7 May 2026, 03:00 CDT"),
    ):
        with time_machine.travel(datetime(2026, 5, 4, 8, 0, tzinfo=UTC), tick=False):
            complaint = file_complaint(user, business)
            client.force_login(user)
            page = client.get(reverse("complaints:filed", kwargs={"number": complaint.number})).content.decode()
        assert ("<strong>Confirm your e-mail address.</strong>" in page) is asked
        assert f"and sends it to {business.name} by <time datetime=" in page
        assert f"data-screening-due>{due}</time>" in page
        assert "within 3 days" not in page


def test_skipping_ahead_sends_the_user_to_the_first_unfinished_step(client, complainant):
    client.force_login(complainant)
    response = client.get(reverse("complaints:file-step", kwargs={"step": "review"}))
    assert response.url.endswith("/complaints/new/business/")


def test_an_unlisted_business_needs_a_name(client, complainant):
    client.force_login(complainant)
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}), {"not_listed": "on", "action": "next"}
    )
    assert "Give the name of the business." in response.content.decode()
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}),
        {"not_listed": "on", "business_name": "Corner Shop", "business_website": "corner.example", "action": "next"},
    )
    assert response.url.endswith("/details/")


def test_search_without_javascript_lists_matches_in_the_select(client, complainant):
    BusinessFactory.create(name="Acme Plumbing")
    BusinessFactory.create(name="Zeta Foods")
    client.force_login(complainant)
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}), {"query": "acme", "action": "search"}
    )
    page = response.content.decode()
    assert 'value="acme-plumbing"' in page and "zeta-foods" not in page
    assert "errorlist" not in page


def test_suggestions_endpoint_returns_matching_listed_businesses(client):
    BusinessFactory.create(name="Acme Plumbing")
    BusinessFactory.create(name="Acme Hidden", is_listed=False)
    data = client.get(reverse("complaints:business-suggestions"), {"q": "acm"}).json()
    assert [r["name"] for r in data["results"]] == ["Acme Plumbing"]


# The complainant's list (views/mine.py) -----------------------------------------------------------


def test_my_complaints_lists_status_due_date_and_whose_move(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    other = complaint_in(Status.SUBMITTED)
    client.force_login(complainant)
    page = client.get(reverse("complaints:mine")).content.decode()
    assert complaint.number in page and other.number not in page
    assert "Awaiting business" in page and "The business" in page
    assert complaint.due_at is not None
    assert complaint.due_at.strftime("%-d %b %Y") in page


def test_unverified_complainant_sees_why_the_complaint_waits(client, business):
    user = UserFactory.create(email_verified_at=None)
    complaint = complaint_in(Status.SUBMITTED, complainant=user, business=business)
    client.force_login(user)
    assert "Confirm your e-mail address" in client.get(reverse("complaints:mine")).content.decode()
    assert "not sent to the business" in client.get(complaint.get_absolute_url()).content.decode()


# One complaint (views/case.py) --------------------------------------------------------------------


def test_complaint_page_offers_only_what_the_state_allows(client, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(complainant)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Accept the answer" in page and "Reject the answer" in page and "Withdraw the complaint" in page
    assert "Respond to the complaint" not in page
    assert "Waiting on: <strong>you</strong>" in page
    client.force_login(representative)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Respond to the complaint" not in page and "Accept the answer" not in page
    assert complainant.email in page  # the full complaint, unmasked, for the business


def test_withdraw_and_consent_change(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client.force_login(complainant)
    client.post(
        reverse("complaints:consent", kwargs={"number": complaint.number}), {"publish_consent": "no", "confirm": "yes"}
    )
    complaint.refresh_from_db()
    assert complaint.publish_consent is False
    client.post(reverse("complaints:withdraw", kwargs={"number": complaint.number}), {"text": "", "confirm": "yes"})
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Withdraw the complaint" not in page


def test_other_users_get_404_on_the_page_actions_and_attachments(client, complainant, business, other_representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client.force_login(other_representative)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("disputes:respond", kwargs={"number": complaint.number}), {"text": "x"}).status_code == 404
    )
    assert client.get(reverse("complaints:attachment", kwargs={"number": complaint.number, "pk": 1})).status_code == 404


def test_attachment_is_served_only_through_the_checked_view(client, complainant, business, other_complainant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.tests.factories import file_complaint

    complaint = file_complaint(
        complainant, business, attachments=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")]
    )
    attachment = complaint.attachments.get()
    url = reverse("complaints:attachment", kwargs={"number": complaint.number, "pk": attachment.pk})
    client.force_login(complainant)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(other_complainant)
    assert client.get(url).status_code == 404


def test_staff_see_the_complaint_with_a_link_to_admin_actions(client, staff, business):
    complaint = complaint_in(Status.SUBMITTED, business=business)
    client.force_login(staff)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f"/admin/complaints/complaint/{complaint.pk}/change/" in page
    assert "Withdraw the complaint" not in page


# The dashboard (views/dashboard.py) ---------------------------------------------------------------


def test_dashboard_shows_own_business_complaints_with_counts_and_filters(client, business, representative):
    mine = complaint_in(Status.AWAITING_BUSINESS, business=business)
    answered = complaint_in(Status.AWAITING_CONSUMER, business=business)
    elsewhere = complaint_in(Status.AWAITING_BUSINESS)
    Complaint.objects.filter(pk=mine.pk).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(representative)
    page = client.get(reverse("complaints:dashboard")).content.decode()
    assert mine.number in page and answered.number in page and elsewhere.number not in page
    assert page.index(mine.number) < page.index(answered.number)  # soonest due first
    assert "Overdue</span>" in page
    # The figures are the public record's: nothing here has closed, so nothing is counted yet.
    assert 'data-figure="response-rate">—<' in page and 'data-figure="total">0<' in page
    filtered = client.get(reverse("complaints:dashboard"), {"state": "awaiting_consumer"}).content.decode()
    assert answered.number in filtered and mine.number not in filtered
    overdue = client.get(reverse("complaints:dashboard"), {"overdue": "on"}).content.decode()
    assert mine.number in overdue and answered.number not in overdue


def test_dashboard_rows_say_whose_move_and_each_figure_has_its_definition_beside_it(client, business, representative):
    waiting = complaint_in(Status.AWAITING_BUSINESS, business=business)
    unanswered = complaint_in(Status.UNANSWERED, business=business)
    answered = complaint_in(Status.AWAITING_CONSUMER, business=business)
    client.force_login(representative)
    page = client.get(reverse("complaints:dashboard")).content.decode()

    def row(complaint):
        start = page.index(f"#{complaint.number}</a>")
        return page[start : page.index("</tr>", start)]

    # Each row also says what happens if nobody moves, for the business (complaints.consequences).
    assert '<td data-label="Whose move"><strong>Yours</strong><span class="row-consequence"' in row(waiting)
    assert "If you do not respond by " in row(waiting)
    assert (
        '<td data-label="Whose move"><strong>Closed — you may still respond late</strong>'
        '<span class="row-consequence" data-consequence>The complaint closed as Unanswered. You may still respond'
    ) in row(unanswered)
    assert '<td data-label="Due">—</td>' in row(unanswered)
    assert '<td data-label="Whose move">The complainant<span class="row-consequence"' in row(answered)
    assert "If the complainant does not answer by " in row(answered)
    for definition in (
        "Of the complaints whose first response date passed or that got a response, the share the business "
        "responded to. Unanswered complaints lower it.",
        "Of the same complaints, the share with a first response within the business&#x27;s first response period.",
        "Half the first responses came sooner than this, counted from when the business was told.",
        "Complaints closed in a public state in the last 36 months: the list below.",
    ):
        assert f'<dd class="figure-definition">{definition}</dd>' in page


def test_a_dashboard_row_is_written_whole_with_every_value_escaped(client, business, representative):
    business.name = 'Tom & "Jerry" <Shop>'
    business.save(update_fields=["name"])
    late = complaint_in(Status.AWAITING_BUSINESS, business=business)
    Complaint.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    late.refresh_from_db()
    client.force_login(representative)
    page = client.get(reverse("complaints:dashboard")).content.decode()
    consequence = complaint_consequence(late, reader=Actor.REPRESENTATIVE)
    assert consequence.startswith("Your response was due by ")
    assert (
        '<tr class="overdue">\n'
        f'        <th scope="row" data-label="Case"><a href="/complaints/{late.number}/">#{late.number}</a></th>\n'
        '        <td data-label="Business">Tom &amp; &quot;Jerry&quot; &lt;Shop&gt;</td>\n'
        f'        <td data-label="Type">{late.get_type_display()}</td>\n'
        f'        <td data-label="Outcome wanted">{late.desired_outcomes_display}</td>\n'
        '        <td data-label="Status"><span class="status status--awaiting_business">Awaiting business</span>\n'
        "</td>\n"
        '        <td data-label="Whose move"><strong>Yours</strong>'
        f'<span class="row-consequence" data-consequence>{consequence}</span></td>\n'
        f'        <td data-label="Due">{date_format(timezone.localtime(late.due_at), "DATE_FORMAT")} '
        '<span class="tag tag--overdue">Overdue</span></td>\n'
        "      </tr>"
    ) in page


def test_the_dashboards_case_links_are_the_complaints_own():
    link = case_link()
    for number in ("12345678", "99999999", "ab12"):
        complaint = Complaint(number=number)
        assert link(complaint) == complaint.get_absolute_url()


def test_the_dashboard_queue_is_read_a_page_at_a_time(client, business, representative, settings):
    from complaints.views import dashboard as cases

    settings.DEBUG = False
    cases.DASHBOARD_PAGE_SIZE, original = 3, cases.DASHBOARD_PAGE_SIZE
    try:
        complaints = [complaint_in(Status.AWAITING_BUSINESS, business=business) for _ in range(4)]
        for days_left, complaint in enumerate(complaints):
            Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() + timedelta(days=days_left + 1))
        client.force_login(representative)
        first = client.get(reverse("complaints:dashboard")).content.decode()
        second = client.get(reverse("complaints:dashboard"), {"page": 2}).content.decode()
        filtered = client.get(reverse("complaints:dashboard"), {"state": "awaiting_business", "page": 2}).content
    finally:
        cases.DASHBOARD_PAGE_SIZE = original
    assert all(c.number in first for c in complaints[:3]) and complaints[3].number not in first
    assert complaints[3].number in second and complaints[0].number not in second
    assert "Page 1 of 2 (4 complaints)" in first and 'rel="next"' in first
    assert complaints[3].number in filtered.decode()


# Notifications (views/notifications.py) -----------------------------------------------------------


def test_the_notifications_page_lists_mine_marks_them_read_and_the_header_counts_unread(client):
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    user = complaint.complainant
    response_submit(complaint_id=complaint.pk, author=representative_of(complaint.business), text="Refunded.")
    other = UserFactory()
    Notification.objects.create(user=other, message="Someone else's", url="/")
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    assert unread >= 2
    client.force_login(user)

    home = client.get("/")
    assert f"({unread} unread)" in home.content.decode()

    page = client.get(reverse("complaints:notifications"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"#{complaint.number}: The business responded" in html
    assert f'href="/complaints/{complaint.number}/"' in html
    assert html.count('class="notification unread"') == unread
    assert "Someone else" not in html
    assert "unread)" not in client.get("/").content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.get(user=other).read_at is None
    assert 'class="notification unread"' not in client.get(reverse("complaints:notifications")).content.decode()


def test_the_notifications_page_costs_the_same_for_many_notifications(client):
    user = UserFactory()
    client.force_login(user)
    Notification.objects.bulk_create(Notification(user=user, message=f"Note {i}", url="/") for i in range(3))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("complaints:notifications"))
    Notification.objects.bulk_create(Notification(user=user, message=f"More {i}", url="/") for i in range(25))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("complaints:notifications"))
    assert len(few) == len(many)


def test_mark_all_read_marks_every_page_of_mine_by_a_post_with_its_csrf_token(client):
    user = UserFactory()
    other = UserFactory()
    Notification.objects.bulk_create(Notification(user=user, message=f"Note {i}", url="/") for i in range(35))
    Notification.objects.create(user=other, message="Someone else's", url="/")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    page = browser.get(reverse("complaints:notifications")).content.decode()
    assert page.count('class="notification unread"') == 30  # one page, marked read as it is shown
    assert page.count('<span class="badge badge--new">New</span>') == 30
    assert "5 more unread on other pages." in page
    assert '<button type="submit" class="button button--secondary button--small">Mark all read</button>' in page
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 5

    assert browser.post(reverse("complaints:notifications-read-all")).status_code == 403  # no CSRF token
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 5
    assert browser.get(reverse("complaints:notifications-read-all")).status_code == 405
    token = browser.cookies["csrftoken"].value
    response = browser.post(reverse("complaints:notifications-read-all"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == "/notifications/"
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.get(user=other).read_at is None

    page = browser.get(response.url).content.decode()
    assert "5 notifications marked read." in page
    assert 'class="notification unread"' not in page and page.count('class="notification read"') == 30
    assert "Mark all read" not in page  # nothing left to mark
    response = browser.post(reverse("complaints:notifications-read-all"), {"csrfmiddlewaretoken": token})
    assert "There was no unread notification." in browser.get(response.url).content.decode()


def test_mark_all_read_needs_a_signed_in_user(client):
    response = client.post(reverse("complaints:notifications-read-all"))
    assert response.status_code == 302 and "/accounts/signin/" in response["Location"]


def test_the_notifications_page_needs_a_signed_in_user(client):
    response = client.get(reverse("complaints:notifications"))
    assert response.status_code == 302
    assert "/accounts/signin/" in response["Location"]


# --- e-mail bodies: templates rendered once per shape, filled per message ----------------------------


# Every page ---------------------------------------------------------------------------------------


# My complaints: the session, the user, the list, and the header's two facts (whether the user
# represents a business, their unread count) in one read.
MINE_QUERIES = 4
# The dashboard: the session, the user, the represented businesses (shared with the header), the counts by
# state, one page of the queue, the business's figures (the public profile's), the unread count.
DASHBOARD_QUERIES = 7


@pytest.mark.parametrize("complaints", [1, 6])
def test_list_pages_cost_the_same_number_of_queries_however_many_complaints(
    client, complainant, business, representative, django_assert_num_queries, complaints
):
    for _ in range(complaints):
        complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    Complaint.objects.filter(business=business).update(due_at=timezone.now() - timedelta(days=1))  # all overdue
    client.force_login(complainant)
    with django_assert_num_queries(MINE_QUERIES):
        assert client.get(reverse("complaints:mine")).status_code == 200
    client.force_login(representative)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(reverse("complaints:dashboard")).status_code == 200
    # A filtered queue counts its own length: one query more, whatever the filter (each matches them all).
    for params in ({"state": "awaiting_business"}, {"business": business.pk}, {"overdue": "on"}):
        with django_assert_num_queries(DASHBOARD_QUERIES + 1):
            assert client.get(reverse("complaints:dashboard"), params).status_code == 200


def test_the_dashboard_reads_no_more_for_a_row_in_any_state(
    client, business, representative, django_assert_num_queries
):
    # The queue reads only the columns its rows show (selectors.dashboard.QUEUE_COLUMNS): a row that
    # needed another would cost a query of its own.
    shown = [status for status in Status if status not in (Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN)]
    complaints = [complaint_in(status, business=business) for status in shown]
    on_hold = complaint_in(Status.AWAITING_BUSINESS, business=business)
    Complaint.objects.filter(pk=on_hold.pk).update(on_hold=True, due_at=timezone.now() - timedelta(hours=1))
    client.force_login(representative)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("complaints:dashboard")).content.decode()
    assert all(f"#{complaint.number}</a>" in page for complaint in [*complaints, on_hold])


def test_the_dashboard_reads_the_represented_businesses_once(client, business, representative):
    other = BusinessFactory(name="Second Shop")
    MembershipFactory(user=representative, business=other)
    complaint_in(Status.AWAITING_BUSINESS, business=other)
    client.force_login(representative)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("complaints:dashboard"), {"business": other.pk}).content.decode()
    sqls = [q["sql"] for q in queries.captured_queries]
    # One prepared read of the businesses (accounts.selectors.BUSINESSES_OF), and no other read of them.
    assert len([sql for sql in sqls if sql.startswith("EXECUTE redress_businesses_of(")]) == 1
    assert [sql for sql in sqls if sql.startswith('SELECT "accounts_business"')] == []
    assert [sql for sql in sqls if 'FROM "accounts_membership"' in sql] == []
    # Both forms and the header were drawn from that one read.
    assert f'<option value="{other.pk}" selected>Second Shop</option>' in page
    assert page.count(f'<option value="{business.pk}">Gigwork Market</option>') == 2  # filter and invitation
    assert 'href="/dashboard/"' in page


def test_the_header_reads_the_unread_count_and_the_businesses_once_a_request(rf, representative):
    from complaints.views.viewer import viewer_for

    request = rf.get("/")
    request.user = representative
    Notification.objects.create(user=representative, message="One", url="/")
    Notification.objects.create(user=representative, message="Two", url="/", read_at=timezone.now())
    viewer = viewer_for(request)
    assert viewer_for(request) is viewer
    with CaptureQueriesContext(connection) as queries:
        assert [viewer.unread_notifications, viewer.unread_notifications] == [1, 1]
        assert [viewer.represents_business, viewer.represents_business] == [True, True]
    # Both facts in one read (complaints.selectors.notifications.HEADER_FACTS).
    assert [q["sql"] for q in queries.captured_queries][-1] == f"EXECUTE redress_header_facts({representative.pk})"
    assert len([q for q in queries.captured_queries if q["sql"].startswith("EXECUTE")]) == 1
    # The dashboard lists the businesses before the header is drawn: the header then asks nothing more.
    dashboard = rf.get("/dashboard/")
    dashboard.user = representative
    with CaptureQueriesContext(connection) as queries:
        assert [b.name for b in viewer_for(dashboard).businesses] == ["Gigwork Market"]
        assert [viewer_for(dashboard).represents_business, viewer_for(dashboard).businesses != []] == [True, True]
    assert len(queries.captured_queries) == 1


def test_an_anonymous_header_reads_nothing(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from complaints.views.viewer import viewer_for

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        viewer = viewer_for(request)
        assert (viewer.unread_notifications, viewer.represents_business, viewer.businesses) == (0, False, [])


def test_pages_quote_the_configured_deadlines(client, settings):
    settings.REDRESS_BUSINESS_RESPONSE_DAYS = 21
    page = client.get("/").content.decode()
    assert "It has 21 days to respond." in page


# The step tracker on the case page (complaints.tracker) --------------------------------------------


def tracker_rows(response) -> list[tuple[str, str, str, bool]]:
    """The tracker's steps as the page shows them: label, state word, date, and which is marked current."""
    page = html.fromstring(response.content.decode())
    return [
        (
            item.find_class("tracker-label")[0].text_content().strip(),
            item.find_class("tracker-word")[0].text_content().strip(),
            " ".join(t.text_content() for t in item.iter("time")),
            item.get("aria-current") == "step",
        )
        for item in page.xpath("//*[@data-tracker]//ol/li")
    ]


def test_case_page_shows_the_step_tracker_for_each_party(client):
    complaint = complaint_in(Status.STAFF_REVIEW)
    today = timezone.localtime(complaint.filed_at).strftime("%-d %b %Y")
    client.force_login(complaint.complainant)
    page = client.get(reverse("complaints:detail", kwargs={"number": complaint.number}))
    assert page.status_code == 200
    assert tracker_rows(page) == [
        ("Filed", "Done", today, False),
        ("Screening", "Done", today, False),
        ("With the business", "Done", today, False),
        ("Your answer", "Done", today, False),
        ("Staff review", "Now", today, True),
        ("Closed", "Next", "", False),
    ]
    client.force_login(representative_of(complaint.business))
    page = client.get(reverse("complaints:detail", kwargs={"number": complaint.number}))
    assert [(label, word) for label, word, _, _ in tracker_rows(page)] == [
        ("Filed", "Done"),
        ("Screening", "Done"),
        ("Your response", "Done"),
        ("The complainant's answer", "Done"),
        ("Staff review", "Now"),
        ("Closed", "Next"),
    ]


def test_case_page_tracker_of_a_rejected_complaint_skips_the_steps_never_reached(client):
    complaint = complaint_in(Status.REJECTED)
    client.force_login(complaint.complainant)
    page = client.get(reverse("complaints:detail", kwargs={"number": complaint.number}))
    assert [(label, word, here) for label, word, _, here in tracker_rows(page)] == [
        ("Filed", "Done", False),
        ("Screening", "Done", False),
        ("Closed", "Done", True),
    ]


def test_the_dashboards_links_continue_from_a_row_and_stay_right_while_the_queue_changes(
    client, business, representative, settings, django_assert_num_queries
):
    from complaints.views import dashboard as cases

    settings.DEBUG = False
    cases.DASHBOARD_PAGE_SIZE, original = 2, cases.DASHBOARD_PAGE_SIZE
    try:
        # Five dated complaints (two share a due date) and two with nothing due, which come last.
        complaints = [complaint_in(Status.AWAITING_BUSINESS, business=business) for _ in range(5)]
        closed = [complaint_in(Status.RESOLVED, business=business) for _ in range(2)]
        base = timezone.now().replace(microsecond=0)
        for days, complaint in zip([1, 2, 2, 3, 4], complaints, strict=True):
            Complaint.objects.filter(pk=complaint.pk).update(due_at=base + timedelta(days=days))
        Complaint.objects.filter(pk__in=[c.pk for c in closed]).update(due_at=None)
        expected = [c.number for c in sorted(complaints[1:3], key=lambda c: (-c.filed_at.timestamp(), c.pk))]
        order = [complaints[0].number, *expected, complaints[3].number, complaints[4].number]
        order += [c.number for c in sorted(closed, key=lambda c: (-c.filed_at.timestamp(), c.pk))]
        client.force_login(representative)

        def shown(html: str) -> list[str]:
            return [number for number in order if number in html]

        def link(html: str, rel: str) -> str:
            import html as markup
            import re

            match = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
            return markup.unescape(match.group(1)) if match else ""

        pages, url = [], reverse("complaints:dashboard")
        while url:
            html = client.get(url).content.decode()
            pages.append(shown(html))
            url = link(html, "next") and reverse("complaints:dashboard") + link(html, "next")
        assert pages == [order[0:2], order[2:4], order[4:6], order[6:7]]
        assert "Page 4 of 4 (7 complaints)" in html
        # Back again by the previous links, to the first page.
        back = []
        url = reverse("complaints:dashboard") + link(html, "prev")
        while True:
            html = client.get(url).content.decode()
            back.append(shown(html))
            if not link(html, "prev"):
                break
            url = reverse("complaints:dashboard") + link(html, "prev")
        assert back == [order[4:6], order[2:4], order[0:2]]
        assert "Page 1 of 4" in html
        # A link made before a new complaint is queued ahead of it still continues from its row.
        second_page = client.get(reverse("complaints:dashboard")).content.decode()
        next_link = reverse("complaints:dashboard") + link(second_page, "next")
        early = complaint_in(Status.AWAITING_BUSINESS, business=business)
        Complaint.objects.filter(pk=early.pk).update(due_at=base)
        assert shown(client.get(next_link).content.decode()) == order[2:4]
        # A deep page costs the queries of the first; a key that is not one starts at the top.
        with django_assert_num_queries(DASHBOARD_QUERIES):
            assert client.get(next_link).status_code == 200
        for bad in ("x", "1.2", "-.-.-", "9" * 80, "99999999999999999999.1.1"):
            assert client.get(reverse("complaints:dashboard"), {"after": bad}).status_code == 200
            assert client.get(reverse("complaints:dashboard"), {"before": bad}).status_code == 200
    finally:
        cases.DASHBOARD_PAGE_SIZE = original


# 13 until the roles came with the row; 12 until the thread's files came with the case's files; 11
# until the header's two facts came in one read; 10 until the duplicate links came with the complaint;
# 9 until the thread, the history and the files came in one read; 5 until that read took in the
# complaint and the header's facts: the session, the user, and the case page's one read.
CASE_PAGE_QUERIES = 3


def test_the_case_page_reads_a_fixed_number_of_queries_and_its_roles_with_the_complaint(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    rep = representative_of(business)
    for user in (rep, complainant):
        client.force_login(user)
        client.get(complaint.get_absolute_url())  # the session's first read is not counted
        with CaptureQueriesContext(connection) as queries:
            response = client.get(complaint.get_absolute_url())
        assert response.status_code == 200
        assert len(queries.captured_queries) == CASE_PAGE_QUERIES
        assert not [q for q in queries.captured_queries if '"expressionwrapper' in q["sql"]]


def test_a_closed_case_page_finds_where_it_would_reopen_to_in_its_timeline_without_a_query(
    client, complainant, business, staff
):
    complaint = complaint_in(Status.RESOLVED, complainant=complainant, business=business)
    # Staff read three more: their second factor's two kinds of device, and the case's private notes.
    for user, expected in ((representative_of(business), 0), (complainant, 0), (staff, 3)):
        client.force_login(user)
        client.get(complaint.get_absolute_url())  # the session's first read is not counted
        with CaptureQueriesContext(connection) as queries:
            response = client.get(complaint.get_absolute_url())
        assert response.status_code == 200
        assert len(queries.captured_queries) == CASE_PAGE_QUERIES + expected
