"""The dispute services on PostgreSQL: business responses, customer answers, and the event each answer sends.

The clock is frozen at T0 and moved by hand, so every timestamp and due date below is written out.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from complaints.models import Complaint, ComplaintEvent, DueKind, Status
from complaints.tests.factories import complaint_in, file_complaint
from complaints.workflow import Event
from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from core.models import OutboundEmail
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer
from disputes.services import answer_event, answer_submit, business_information_add, response_submit, thread_for

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def last_event(complaint: Complaint) -> ComplaintEvent:
    return complaint.events.order_by("-created_at", "-id")[0]


def event_row(event: ComplaintEvent) -> tuple:
    return (event.event, event.actor, event.actor_role, event.from_status, event.to_status, event.reason)


def counts(complaint: Complaint) -> tuple[int, int, int]:
    """Responses, answers and events of the complaint: what a refused call must leave as it was."""
    return (complaint.responses.count(), complaint.answers.count(), complaint.events.count())


# response_submit -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_first_response_goes_to_the_complainant_with_their_answer_due(clock, settings, business, representative):
    settings.REDRESS_CONSUMER_ANSWER_DAYS = 9
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    clock.shift(3 * DAY)

    response = response_submit(complaint_id=complaint.pk, author=representative, text="  We refunded the order.  ")

    complaint.refresh_from_db()
    assert (response.round, response.is_late, response.text, response.author, response.created_at) == (
        1,
        False,
        "We refunded the order.",
        representative,
        T0 + 3 * DAY,
    )
    assert (complaint.status, complaint.response_count, complaint.first_response_at, complaint.late_response) == (
        Status.AWAITING_CONSUMER,
        1,
        T0 + 3 * DAY,
        False,
    )
    assert (complaint.due_kind, complaint.due_at) == (DueKind.CONSUMER_ANSWER, T0 + 12 * DAY)
    assert event_row(last_event(complaint)) == (
        "respond",
        representative,
        "representative",
        "awaiting_business",
        "awaiting_consumer",
        "",
    )


@pytest.mark.django_db
def test_a_response_after_a_rejection_is_the_second_round_and_keeps_the_first_response_time(
    clock, complainant, business, representative
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    clock.shift(DAY)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Only half was refunded.", verdict="reject")
    clock.shift(DAY)

    second = response_submit(complaint_id=complaint.pk, author=representative, text="The rest follows today.")

    complaint.refresh_from_db()
    assert (second.round, second.is_late, second.created_at) == (2, False, T0 + 2 * DAY)
    assert (complaint.status, complaint.response_count, complaint.first_response_at) == (
        Status.AWAITING_CONSUMER,
        2,
        T0,
    )
    assert list(complaint.responses.values_list("round", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_response_after_unanswered_is_late_and_reopens_the_exchange(clock, business, representative):
    complaint = complaint_in(Status.UNANSWERED, business=business)
    assert complaint.closed_at == T0

    response = response_submit(complaint_id=complaint.pk, author=representative, text="Sorry for the delay.")

    complaint.refresh_from_db()
    assert (response.round, response.is_late) == (1, True)
    assert (complaint.status, complaint.late_response, complaint.closed_at, complaint.due_kind) == (
        Status.AWAITING_CONSUMER,
        True,
        None,
        DueKind.CONSUMER_ANSWER,
    )
    assert event_row(last_event(complaint))[3:5] == ("unanswered", "awaiting_consumer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your message."),
        ("  \n\t ", "Write your message."),
        ("x" * 10_001, "Keep it to 10,000 characters."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_a_response_needs_text_of_at_most_10000_characters(business, representative, text, message):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    before = counts(complaint)
    with pytest.raises(InvalidInput) as refused:
        response_submit(complaint_id=complaint.pk, author=representative, text=text)
    assert refused.value.field_errors == {"text": [message]}
    complaint.refresh_from_db()
    assert (complaint.status, complaint.response_count, counts(complaint)) == (Status.AWAITING_BUSINESS, 0, before)


@pytest.mark.django_db
def test_a_response_of_exactly_10000_characters_is_kept_whole(business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    response = response_submit(complaint_id=complaint.pk, author=representative, text="y" * 10_000)
    assert len(BusinessResponse.objects.get(pk=response.pk).text) == 10_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("write", "status"),
    [(response_submit, Status.AWAITING_BUSINESS), (business_information_add, Status.AWAITING_CONSUMER)],
    ids=["response", "information"],
)
def test_only_a_representative_of_the_business_writes_for_it(
    write, status, complainant, business, other_representative, staff
):
    complaint = complaint_in(status, complainant=complainant, business=business)
    before = counts(complaint)
    with pytest.raises(NotAllowed):
        write(complaint_id=complaint.pk, author=complainant, text="I am not the business.")
    with pytest.raises(NotAllowed):
        write(complaint_id=complaint.pk, author=staff, text="Staff do not write for it.")
    with pytest.raises(NotFound):
        write(complaint_id=complaint.pk, author=other_representative, text="Wrong business.")
    complaint.refresh_from_db()
    assert (complaint.status, counts(complaint)) == (status, before)
    assert not BusinessInformation.objects.exists()


@pytest.mark.django_db
def test_a_complaint_not_yet_forwarded_is_not_the_businesss_to_answer(business, representative):
    complaint = file_complaint(business=business)
    with pytest.raises(NotFound):
        response_submit(complaint_id=complaint.pk, author=representative, text="We saw it early.")
    assert not BusinessResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.AWAITING_CONSUMER, Status.STAFF_REVIEW, Status.IN_MEDIATION, Status.ANSWERED, Status.RESOLVED]
)
def test_a_response_is_refused_where_the_workflow_awaits_none(business, representative, status):
    complaint = complaint_in(status, business=business)
    before = counts(complaint)
    with pytest.raises(InvalidTransition):
        response_submit(complaint_id=complaint.pk, author=representative, text="One more thing.")
    complaint.refresh_from_db()
    assert (complaint.status, counts(complaint)) == (status, before)


@pytest.mark.django_db
def test_a_missing_complaint_is_not_found(representative):
    with pytest.raises(NotFound):
        response_submit(complaint_id=987_654, author=representative, text="Hello.")


# answer_submit ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_the_answer_resolves_and_closes_the_complaint(clock, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    clock.shift(2 * DAY)

    answer = answer_submit(complaint_id=complaint.pk, author=complainant, text="", verdict="accept")

    complaint.refresh_from_db()
    assert (answer.verdict, answer.text, answer.author, answer.created_at) == ("accept", "", complainant, T0 + 2 * DAY)
    assert (complaint.status, complaint.closed_at, complaint.due_kind, complaint.due_at) == (
        Status.RESOLVED,
        T0 + 2 * DAY,
        DueKind.NONE,
        None,
    )
    assert event_row(last_event(complaint)) == (
        "accept",
        complainant,
        "complainant",
        "awaiting_consumer",
        "resolved",
        "",
    )


@pytest.mark.django_db
def test_accepting_late_after_answered_resolves_it(complainant, business):
    complaint = complaint_in(Status.ANSWERED, complainant=complainant, business=business)
    answer = answer_submit(
        complaint_id=complaint.pk, author=complainant, text="It was sorted after all.", verdict="accept"
    )
    complaint.refresh_from_db()
    assert answer.verdict == "accept"
    assert complaint.status == Status.RESOLVED
    assert event_row(last_event(complaint))[0] == "accept"
    assert event_row(last_event(complaint))[3:5] == ("answered", "resolved")
    assert complaint.answers.get().text == "It was sorted after all."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.AWAITING_BUSINESS, Status.STAFF_REVIEW, Status.IN_MEDIATION]
)
def test_accepting_in_another_open_state_marks_the_complaint_resolved(complainant, business, status):
    complaint = complaint_in(status, complainant=complainant, business=business)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="They paid me back.", verdict="accept")
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert event_row(last_event(complaint)) == ("mark_resolved", complainant, "complainant", status, "resolved", "")


@pytest.mark.django_db
def test_rejecting_a_first_answer_gives_the_business_its_rebuttal_period(clock, settings, complainant, business):
    settings.REDRESS_REBUTTAL_DAYS = 12
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    clock.shift(DAY)

    answer = answer_submit(
        complaint_id=complaint.pk, author=complainant, text=" The refund never came. ", verdict="reject"
    )

    complaint.refresh_from_db()
    assert (answer.verdict, answer.text) == ("reject", "The refund never came.")
    assert (complaint.status, complaint.due_kind, complaint.due_at) == (
        Status.AWAITING_BUSINESS,
        DueKind.BUSINESS_REBUTTAL,
        T0 + 13 * DAY,
    )
    assert event_row(last_event(complaint)) == (
        "reject_answer",
        complainant,
        "complainant",
        "awaiting_consumer",
        "awaiting_business",
        "The refund never came.",
    )


@pytest.mark.django_db
def test_rejecting_the_second_response_sends_the_case_to_staff_for_a_ruling(clock, settings, complainant, business):
    settings.REDRESS_RULING_DAYS = 5
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    complaint.refresh_from_db()
    assert (complaint.response_count, complaint.due_kind, complaint.due_at) == (2, DueKind.STAFF_RULING, T0 + 5 * DAY)
    assert event_row(last_event(complaint)) == (
        "reject_answer",
        complainant,
        "complainant",
        "awaiting_consumer",
        "staff_review",
        "That does not apply to me.",
    )


@pytest.mark.django_db
def test_a_rejection_needs_its_reason(complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    before = counts(complaint)
    with pytest.raises(InvalidInput) as refused:
        answer_submit(complaint_id=complaint.pk, author=complainant, text="   ", verdict="reject")
    assert refused.value.field_errors == {"text": ["Write your message."]}
    complaint.refresh_from_db()
    assert (complaint.status, counts(complaint)) == (Status.AWAITING_CONSUMER, before)


@pytest.mark.django_db
def test_there_is_no_answer_to_reject_while_the_business_has_not_responded(complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    with pytest.raises(InvalidTransition):
        answer_submit(complaint_id=complaint.pk, author=complainant, text="No.", verdict="reject")
    assert not CustomerAnswer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [Status.SUBMITTED, Status.AWAITING_BUSINESS, Status.AWAITING_CONSUMER, Status.STAFF_REVIEW, Status.IN_MEDIATION],
)
def test_more_information_adds_to_the_thread_and_changes_nothing_else(clock, complainant, business, status):
    complaint = complaint_in(status, complainant=complainant, business=business)
    complaint.refresh_from_db()
    due_kind, due_at = complaint.due_kind, complaint.due_at
    clock.shift(DAY)

    answer = answer_submit(complaint_id=complaint.pk, author=complainant, text="Order #A-17 too.", verdict="none")

    complaint.refresh_from_db()
    assert (answer.verdict, answer.text, answer.created_at) == ("none", "Order #A-17 too.", T0 + DAY)
    assert (complaint.status, complaint.due_kind, complaint.due_at) == (status, due_kind, due_at)
    # The text is in the thread; the event records the move, not the text.
    assert event_row(last_event(complaint)) == ("add_information", complainant, "complainant", status, status, "")


@pytest.mark.django_db
def test_more_information_needs_text(complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    with pytest.raises(InvalidInput) as refused:
        answer_submit(complaint_id=complaint.pk, author=complainant, text="", verdict="none")
    assert refused.value.field_errors == {"text": ["Write your message."]}


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.RESOLVED, Status.UNANSWERED, Status.WITHDRAWN])
def test_a_closed_complaint_takes_no_more_information(complainant, business, status):
    complaint = complaint_in(status, complainant=complainant, business=business)
    before = counts(complaint)
    with pytest.raises(InvalidTransition):
        answer_submit(complaint_id=complaint.pk, author=complainant, text="One more thing.", verdict="none")
    complaint.refresh_from_db()
    assert (complaint.status, counts(complaint)) == (status, before)


@pytest.mark.django_db
def test_an_unknown_verdict_is_refused_by_name(complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    with pytest.raises(InvalidInput) as refused:
        answer_submit(complaint_id=complaint.pk, author=complainant, text="Hm.", verdict="maybe")
    assert refused.value.field_errors == {"verdict": ["Choose accept, reject or none."]}
    assert not CustomerAnswer.objects.exists()


@pytest.mark.django_db
def test_only_the_complainant_answers(complainant, other_complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    before = counts(complaint)
    with pytest.raises(NotAllowed):
        answer_submit(complaint_id=complaint.pk, author=representative, text="Accepted for them.", verdict="accept")
    with pytest.raises(NotFound):
        answer_submit(complaint_id=complaint.pk, author=other_complainant, text="Not mine.", verdict="none")
    complaint.refresh_from_db()
    assert (complaint.status, counts(complaint)) == (Status.AWAITING_CONSUMER, before)


# business_information_add ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "responses"), [(Status.AWAITING_CONSUMER, 1), (Status.STAFF_REVIEW, 2), (Status.IN_MEDIATION, 2)]
)
def test_business_information_adds_to_the_thread_and_keeps_the_state_the_due_date_and_the_rounds(
    clock, complainant, business, representative, status, responses
):
    complaint = complaint_in(status, complainant=complainant, business=business)
    complaint.refresh_from_db()
    due_kind, due_at, remind_at = complaint.due_kind, complaint.due_at, complaint.remind_at
    clock.shift(DAY)

    information = business_information_add(
        complaint_id=complaint.pk, author=representative, text="  The refund left our bank today.  "
    )

    complaint.refresh_from_db()
    assert (information.text, information.author, information.created_at) == (
        "The refund left our bank today.",
        representative,
        T0 + DAY,
    )
    assert (complaint.status, complaint.due_kind, complaint.due_at, complaint.remind_at) == (
        status,
        due_kind,
        due_at,
        remind_at,
    )
    assert (complaint.response_count, complaint.responses.count()) == (responses, responses)
    event = last_event(complaint)
    assert event_row(event) == ("business_information", representative, "representative", status, status, "")
    assert (event.data, event.created_at) == ({"text": "The refund left our bank today."}, T0 + DAY)
    assert list(BusinessInformation.objects.filter(complaint=complaint).values_list("text", flat=True)) == [
        "The refund left our bank today."
    ]


@pytest.mark.django_db
def test_the_complainant_is_told_of_business_information_with_its_text(clock, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    clock.shift(DAY)
    business_information_add(complaint_id=complaint.pk, author=representative, text="Tracking: 1Z999.")
    event = last_event(complaint)
    emails = OutboundEmail.objects.filter(event=event).order_by("to")
    assert [(email.to, email.subject, email.user_id) for email in emails] == [
        ("dana@example.com", f"[Redress #{complaint.number}] New information from Gigwork Market", complainant.pk),
        ("disputes@gigwork.example", f"[Redress #{complaint.number}] Information delivered", None),
        ("ravi@gigwork.example", f"[Redress #{complaint.number}] Information delivered", representative.pk),
    ]
    # The response of T0 gave the complainant 10 days; information does not move that date.
    assert emails[0].context["lines"] == [
        "Gigwork Market added information to the case. This does not change the case: you still have until "
        "14 May 2026, 08:00 UTC to accept or reject the response.",
        "What Gigwork Market wrote:",
        "Tracking: 1Z999.",
    ]
    assert emails[2].context["lines"] == [
        "The information was added to the case and sent to the complainant. What was added:",
        "Tracking: 1Z999.",
    ]
    # In the app, as in the e-mails: the complainant hears of it; the representative who wrote it
    # has the same receipt as their e-mail.
    assert list(complainant.notifications.filter(event=event).values_list("message", flat=True)) == [
        f"#{complaint.number}: New information from Gigwork Market"
    ]
    assert list(representative.notifications.filter(event=event).values_list("message", flat=True)) == [
        f"#{complaint.number}: Information delivered"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (Status.AWAITING_BUSINESS, InvalidTransition),  # a response is due: the business responds
        (Status.UNANSWERED, InvalidTransition),  # a late response is the move here
        (Status.RESOLVED, InvalidTransition),
        (Status.ANSWERED, InvalidTransition),
        (Status.SUBMITTED, NotFound),  # not forwarded: not the business's to see
    ],
)
def test_business_information_is_refused_where_a_response_is_due_or_the_case_is_closed(
    business, representative, status, error
):
    complaint = complaint_in(status, business=business)
    before = counts(complaint)
    with pytest.raises(error):
        business_information_add(complaint_id=complaint.pk, author=representative, text="One more thing.")
    complaint.refresh_from_db()
    assert (complaint.status, counts(complaint)) == (status, before)
    assert not BusinessInformation.objects.exists()


@pytest.mark.django_db
def test_the_refusal_where_a_response_is_due_says_so(business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    with pytest.raises(InvalidTransition) as refused:
        business_information_add(complaint_id=complaint.pk, author=representative, text="One more thing.")
    assert refused.value.message == "A complaint that is awaiting business does not accept 'business_information'."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"), [("   ", "Write your message."), ("x" * 10_001, "Keep it to 10,000 characters.")]
)
def test_business_information_needs_text_of_at_most_10000_characters(business, representative, text, message):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    with pytest.raises(InvalidInput) as refused:
        business_information_add(complaint_id=complaint.pk, author=representative, text=text)
    assert refused.value.field_errors == {"text": [message]}
    assert not BusinessInformation.objects.exists()


# answer_event: which workflow event an answer sends, for each verdict in each state ---------------------

ACCEPT_EVENTS = {
    Status.SUBMITTED: Event.MARK_RESOLVED,
    Status.AWAITING_BUSINESS: Event.MARK_RESOLVED,
    Status.AWAITING_CONSUMER: Event.ACCEPT,
    Status.STAFF_REVIEW: Event.MARK_RESOLVED,
    Status.IN_MEDIATION: Event.MARK_RESOLVED,
    Status.RESOLVED: Event.MARK_RESOLVED,
    Status.ANSWERED: Event.ACCEPT,
    Status.UNANSWERED: Event.MARK_RESOLVED,
    Status.UNRESOLVED: Event.MARK_RESOLVED,
    Status.UNPURSUABLE: Event.MARK_RESOLVED,
    Status.REJECTED: Event.MARK_RESOLVED,
    Status.WITHDRAWN: Event.MARK_RESOLVED,
}


def test_the_accept_table_covers_every_state():
    assert set(ACCEPT_EVENTS) == set(Status)


@pytest.mark.parametrize(("status", "event"), ACCEPT_EVENTS.items())
def test_accepting_accepts_an_answer_awaiting_the_complainant_and_otherwise_marks_it_resolved(status, event):
    assert answer_event(status, "accept") is event


@pytest.mark.parametrize("status", list(Status))
def test_rejecting_is_reject_answer_and_more_information_is_add_information_in_every_state(status):
    assert answer_event(status, "reject") is Event.REJECT_ANSWER
    assert answer_event(status, "none") is Event.ADD_INFORMATION


# thread_for ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_thread_interleaves_responses_and_answers_in_date_order(clock, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    clock.shift(DAY)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Receipt attached.", verdict="none")
    clock.shift(DAY)
    response_submit(complaint_id=complaint.pk, author=representative, text="Refund sent.")
    clock.shift(DAY)
    business_information_add(complaint_id=complaint.pk, author=representative, text="Reference RF-1.")
    clock.shift(DAY)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Not received.", verdict="reject")

    thread = thread_for(Complaint.objects.get(pk=complaint.pk))

    assert [(type(item).__name__, item.text, item.created_at) for item in thread] == [
        ("CustomerAnswer", "Receipt attached.", T0 + DAY),
        ("BusinessResponse", "Refund sent.", T0 + 2 * DAY),
        ("BusinessInformation", "Reference RF-1.", T0 + 3 * DAY),
        ("CustomerAnswer", "Not received.", T0 + 4 * DAY),
    ]
