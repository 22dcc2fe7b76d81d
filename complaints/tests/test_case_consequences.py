"""The case page says what happens next for its reader, in each state and round (complaints.consequences).

Dates are written out from the test's own clock: each due date is the day the complaint entered
its state plus the period (defaults: screening 2, business 14, answer 10, new response 14, ruling 7).
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from complaints.models import ComplaintEvent, Status
from complaints.tests.factories import complaint_in, representative_of
from disputes.services import answer_submit, response_submit

pytestmark = pytest.mark.django_db


def day(after: int) -> str:
    return f"{(date.today() + timedelta(days=after)):%-d %b %Y}"


def page_of(client, user, complaint) -> str:
    client.force_login(user)
    response = client.get(complaint.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def actions_of(page: str) -> list[str]:
    """The action blocks' names in the order the page shows them."""
    section = page[page.index('id="actions-heading"') :]
    names = []
    for part in section.split('data-consequence="')[1:]:
        names.append(part[: part.index('"')])
    return names


def test_while_screened_the_complainant_reads_the_screening_date_and_mark_resolved_is_not_first(
    client, complainant, business
):
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    page = page_of(client, complainant, complaint)
    assert (
        f"Redress staff screen your complaint by {day(2)}. If they have not acted by then, it is sent to "
        "Gigwork Market."
    ) in page
    assert f"Screening by Redress staff due {day(2)}" in page
    assert actions_of(page) == ["add_information", "mark_resolved", "change_consent", "withdraw"]
    # The main button is adding information; marking resolved is a secondary one.
    assert '<button type="submit" class="button">Add information…</button>' in page
    assert '<button type="submit" class="button button--secondary">Mark resolved…</button>' in page


def test_with_the_business_each_side_reads_the_second_notice_to_come(client, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    mine = page_of(client, complainant, complaint)
    assert (
        f"If Gigwork Market does not respond by {day(14)}, Redress sends it a second notice; with no response "
        f"by {day(28)}, the complaint closes as Unanswered."
    ) in mine
    assert f"Response from Gigwork Market due {day(14)}" in mine
    theirs = page_of(client, representative, complaint)
    assert (
        f"If you do not respond by {day(14)}, Redress sends a second notice; with no response by {day(28)}, "
        "the complaint closes as Unanswered on your business&#x27;s public record."
    ) in theirs
    assert f"Your response due {day(14)}" in theirs
    assert actions_of(theirs) == ["respond"]
    assert f"If you respond now, the complainant has until {day(10)} to accept or reject it." in theirs


def test_after_the_first_response_rejecting_sends_it_back_once_more(client, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    page = page_of(client, complainant, complaint)
    assert f"If you do not answer by {day(10)}, the complaint closes as Answered." in page
    assert f"Your answer due {day(10)}" in page and "Consumer answer" not in page
    assert actions_of(page) == ["accept", "reject_answer", "add_information", "change_consent", "withdraw"]
    assert (
        f"If you reject this answer, Gigwork Market is asked to respond again by {day(14)}. "
        "If you reject that response too, Redress staff will rule."
    ) in page
    assert "Required. Gigwork Market reads this before it responds again." in page
    business_page = page_of(client, representative, complaint)
    assert f"If the complainant does not answer by {day(10)}, the complaint closes as Answered." in business_page


def test_after_the_final_response_the_reject_form_says_staff_will_rule_by_a_date(client, complainant, business):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    last = ComplaintEvent.objects.filter(complaint=complaint).order_by("-created_at", "-id").first()
    assert last is not None and last.event == "reject_answer"
    review_page = page_of(client, complainant, complaint)
    assert (
        f"Redress staff will rule by {day(7)}. If they have not ruled by then, the complaint closes as Answered."
    ) in review_page

    second = _second_answer_due(complainant, business)
    page = page_of(client, complainant, second)
    assert f"If you reject this answer, Redress staff will rule by {day(7)}." in page
    assert "Required. Gigwork Market and Redress staff read this; staff rule on it." in page
    # The history keeps the first round's "asked to respond again"; the actions speak of this round only.
    actions = page[page.index('id="actions-heading"') : page.index('id="history-heading"')]
    assert "respond again" not in actions and "respond once more" not in actions
    form = client.get(reverse("disputes:answer", kwargs={"number": second.number, "kind": "reject_answer"}))
    text = form.content.decode()
    assert f"If you reject this answer, Redress staff will rule by {day(7)}." in text
    assert "respond again" not in text and "respond once more" not in text


def _second_answer_due(complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="The funds are still held.", verdict="reject")
    response_submit(complaint_id=complaint.pk, author=representative_of(business), text="Held under our terms.")
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER and complaint.response_count == 2
    return complaint


def test_a_staff_reader_gets_the_third_person(client, staff, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    page = page_of(client, staff, complaint)
    assert f"If Gigwork Market does not respond by {day(14)}, Redress sends it a second notice" in page


def test_closed_pages_say_why_the_case_closed_and_the_business_may_still_respond_late(
    client, complainant, business, representative
):
    complaint = complaint_in(Status.UNANSWERED, complainant=complainant, business=business)
    mine = page_of(client, complainant, complaint)
    assert "Closed as Unanswered: Gigwork Market did not respond by" in mine
    assert "What happens next:" not in mine
    theirs = page_of(client, representative, complaint)
    assert (
        "The complaint closed as Unanswered. You may still respond: your response is recorded as late and "
        "the complainant is asked to answer it."
    ) in theirs
    ruled = complaint_in(Status.UNRESOLVED, complainant=complainant, business=business)
    assert "Closed as Unresolved: Redress staff found no good-faith effort by Gigwork Market: No good faith." in (
        page_of(client, complainant, ruled)
    )


def test_the_dashboard_row_says_what_happens_for_the_business(client, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    page = client.get(reverse("complaints:dashboard")).content.decode()
    assert complaint.number in page
    assert (
        f"If you do not respond by {day(14)}, Redress sends a second notice; with no response by {day(28)}, "
        "the complaint closes as Unanswered on your business&#x27;s public record."
    ) in page
