"""Random sequences of (event, actor) against one complaint: it only ever moves as the table allows.

Hypothesis drives the real services (the ones pages and the API call) with every event in every
role, and lets deadlines pass by moving the clock and running the deadline service. After each
step the complaint's state is checked against the expected table (test_workflow's, written out
by hand) from the state it was in, and the timeline against what happened: one event for an
accepted move, none for a refused one.
"""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, ComplaintEvent
from complaints.services import (
    complaint_enforce_deadline,
    complaint_facts,
    complaint_set_consent,
    complaint_transition,
    complaint_withdraw,
)
from complaints.tests.factories import file_complaint
from complaints.tests.test_workflow import CLOSED, EXPECTED_TRANSITIONS, OPEN
from complaints.workflow import Actor, Event, events_for
from core.errors import RedressError
from disputes.models import Verdict
from disputes.services import (
    STAFF_ACTIONS,
    answer_submit,
    business_information_add,
    complaint_staff_act,
    response_submit,
)

HUMAN_ROLES = [Actor.COMPLAINANT, Actor.REPRESENTATIVE, Actor.STAFF]
# Moves the table lists are drawn often, so sequences get deep; any other pair tests refusals.
LISTED_MOVES = sorted(
    {(event, actor) for _, event, actors, *_ in EXPECTED_TRANSITIONS for actor in actors if actor in HUMAN_ROLES}
)
MOVES = st.one_of(st.sampled_from(LISTED_MOVES), st.tuples(st.sampled_from(list(Event)), st.sampled_from(HUMAN_ROLES)))


def perform(event: Event, role: Actor, person: Any, complaint: Complaint, reason: str) -> ComplaintEvent:
    """Send `event` as `person` through the service a page or the API would call for it.

    The services choose their own actor role (a response is always a representative's), so a
    person in another role is refused exactly as on the pages. Events no page sends (deadlines)
    go to the move writer directly.
    """
    number = complaint.pk
    if event is Event.RESPOND:
        response_submit(complaint_id=number, author=person, text=reason or "Our response")
    elif event is Event.BUSINESS_INFORMATION:
        business_information_add(complaint_id=number, author=person, text=reason or "Our information")
    elif event in (Event.ACCEPT, Event.MARK_RESOLVED, Event.REJECT_ANSWER, Event.ADD_INFORMATION):
        verdict = {Event.REJECT_ANSWER: Verdict.REJECT, Event.ADD_INFORMATION: Verdict.NONE}.get(event, Verdict.ACCEPT)
        answer_submit(complaint_id=number, author=person, text=reason, verdict=verdict)
    elif event is Event.WITHDRAW:
        complaint_withdraw(complaint_id=number, user=person, reason=reason)
    elif event is Event.CHANGE_CONSENT:
        complaint_set_consent(complaint_id=number, user=person, publish_consent=not complaint.publish_consent)
    elif event in STAFF_ACTIONS:
        complaint_staff_act(
            complaint_id=number, staff=person, action=event, reason=reason, reject_reason="not_business_dispute"
        )
    else:
        return complaint_transition(complaint_id=number, event=event, actor=person, actor_role=role, reason=reason)
    return ComplaintEvent.objects.filter(complaint_id=number).latest("created_at", "id")


def allowed_targets(source: str, event: str, role: str, reopen_to: str | None) -> set[str]:
    targets: set[str] = set()
    for row_source, row_event, actors, row_target, *_ in EXPECTED_TRANSITIONS:
        if row_source == source and row_event == event and role in actors:
            target = reopen_to if row_target == "previous" else row_target
            if target is not None:
                targets.add(target)
    return targets


class ComplaintLifecycle(RuleBasedStateMachine):
    visited: set[str] = set()

    def __init__(self) -> None:
        super().__init__()
        self.clock = time_machine.travel(timezone.now(), tick=True)
        self.coordinates = self.clock.start()
        business = BusinessFactory()
        self.people: dict[Actor, Any] = {
            Actor.COMPLAINANT: UserFactory(),
            Actor.REPRESENTATIVE: MembershipFactory(business=business).user,
            Actor.STAFF: UserFactory(is_staff=True),
        }
        self.complaint = file_complaint(complainant=self.people[Actor.COMPLAINANT], business=business)
        self.status = self.complaint.status
        self.accepted = 1  # the filing
        self.last_open = self.status

    def teardown(self) -> None:
        self.clock.stop()

    def _events(self) -> int:
        return ComplaintEvent.objects.filter(complaint_id=self.complaint.pk).count()

    def _check_step(self, source: str, event: str, role: str, recorded: ComplaintEvent | None) -> None:
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        if recorded is None:
            assert complaint.status == source, f"refused {event} by {role} still moved {source} -> {complaint.status}"
            assert self._events() == self.accepted, f"refused {event} by {role} wrote an event"
            return
        self.accepted += 1
        assert self._events() == self.accepted, f"{event} by {role} did not write exactly one event"
        allowed = allowed_targets(source, event, role, self.last_open)
        assert complaint.status in allowed, f"{source} --{event}/{role}--> {complaint.status}; table allows {allowed}"
        assert (recorded.from_status, recorded.to_status, recorded.event, recorded.actor_role) == (
            source,
            complaint.status,
            event,
            role,
        )
        if complaint.status in CLOSED and source in OPEN:
            self.last_open = source
        self.status = complaint.status
        self.visited.add(complaint.status)

    @rule(move=MOVES, reason=st.sampled_from(["Why", "Why", ""]))
    def act(self, move: tuple[Event, Actor], reason: str) -> None:
        event, role = move
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        try:
            recorded = perform(event, role, self.people[role], complaint, reason)
        except RedressError:
            recorded = None
        if recorded is not None:
            # Accepting is sent as mark-resolved where there is no answer to accept, as on the pages.
            event = Event(recorded.event)
        self._check_step(complaint.status, event, role, recorded)

    @rule(data=st.data())
    def progress(self, data: st.DataObject) -> None:
        """Pick one of the moves the table offers now: it must be accepted."""
        complaint = Complaint.objects.select_related("complainant").get(pk=self.complaint.pk)
        facts = complaint_facts(complaint)
        # A representative sees a complaint only once it was sent to the business (complaints.permissions):
        # before that the table's moves for them (a public response to one resolved in screening) are
        # not theirs to make.
        roles = [role for role in HUMAN_ROLES if role != Actor.REPRESENTATIVE or complaint.forwarded_at is not None]
        options = [(event, role) for role in roles for event in events_for(complaint.status, role, facts)]
        if not options:
            return
        event, role = data.draw(st.sampled_from(options))
        recorded = perform(event, role, self.people[role], complaint, "Why")
        self._check_step(complaint.status, Event(recorded.event), role, recorded)

    @rule(late=st.sampled_from([False, True]))
    def time_passes(self, late: bool) -> None:
        """The clock runs past the due date (or not quite to it) and the deadline service runs."""
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        if complaint.due_at is not None:
            target = complaint.due_at + (timedelta(minutes=1) if late else -timedelta(hours=1))
            if target > timezone.now():
                self.coordinates.move_to(target)
        due_now = complaint.due_at is not None and complaint.due_at <= timezone.now()
        recorded = complaint_enforce_deadline(complaint_id=self.complaint.pk)
        if not due_now:
            assert recorded is None, "a deadline was enforced before its due date"
        self._check_step(complaint.status, recorded.event if recorded else "deadline", Actor.SYSTEM, recorded)

    @invariant()
    def closed_exactly_when_in_a_closed_state(self) -> None:
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        assert (complaint.closed_at is not None) == (complaint.status in CLOSED)
        if complaint.status in CLOSED:
            assert complaint.due_at is None


@pytest.mark.django_db
def test_random_sequences_only_make_moves_the_table_allows():
    ComplaintLifecycle.visited = set()
    run_state_machine_as_test(
        ComplaintLifecycle,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    # The sequences went well past filing, so the checks above saw real moves.
    assert len(ComplaintLifecycle.visited) >= 8, ComplaintLifecycle.visited
