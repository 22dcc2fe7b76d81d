"""What the case page fetches (disputes.selectors.case_page_fetch): on PostgreSQL one prepared read,
the same instances, in the same order, as the ORM's fetch with `prefetch_related` gives, nothing
read again once loaded, the header's facts with it, and nothing for a user who may not see it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint, Notification, Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_services import pdf_bytes, png_bytes
from core.errors import NotFound
from disputes.models import BusinessResponse, CustomerAnswer
from disputes.selectors import act_attachments, case_page_fetch, entry_attachments, filed_attachments
from disputes.services import answer_submit, business_information_add, response_submit

from .uploads import media_in_tmp, upload  # noqa: F401 (media_in_tmp: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def values(instance) -> list:
    return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]


def loaded(complaint: Complaint, *, prepared: bool, monkeypatch, user=None) -> Complaint:
    """The case page's fetch for `user` (the complainant unless given): prepared, or the ORM's."""
    with monkeypatch.context() as patch:
        if not prepared:
            patch.setattr("disputes.selectors.prepared_reads", lambda: False)
        return case_page_fetch(user=user or complaint.complainant, number=complaint.number)


@pytest.fixture
def thread(complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    response_submit(
        complaint_id=complaint.pk,
        author=representative,
        text="Refund issued; the receipt is attached.",
        attachments=[upload("refund.pdf", pdf_bytes()), upload("screen.png", png_bytes())],
    )
    answer_submit(
        complaint_id=complaint.pk,
        author=complainant,
        text="The bank statement shows no refund.",
        verdict="none",
        attachments=[upload("statement.pdf", pdf_bytes())],
    )
    business_information_add(complaint_id=complaint.pk, author=representative, text="Our ledger shows the refund.")
    return complaint


def test_the_prepared_load_gives_what_prefetch_related_gives(thread, monkeypatch):
    prepared = loaded(thread, prepared=True, monkeypatch=monkeypatch)
    orm = loaded(thread, prepared=False, monkeypatch=monkeypatch)
    for accessor in ("responses", "answers", "business_information", "events"):
        assert [values(row) for row in getattr(prepared, accessor).all()] == [
            values(row) for row in getattr(orm, accessor).all()
        ], accessor
    assert [row.text for row in prepared.responses.all()] == ["Refund issued; the receipt is attached."]
    assert [row.verdict for row in prepared.answers.all()] == ["none"]
    assert [event.event for event in prepared.events.all()][:2] == ["file", "forward"]
    assert [values(a) for a in prepared.case_attachments] == [values(a) for a in orm.case_attachments]
    assert values(prepared) == values(orm) and values(prepared.business) == values(orm.business)
    assert values(prepared.complainant) == values(orm.complainant)
    assert (prepared.role_complainant, prepared.role_representative) == (orm.role_complainant, orm.role_representative)
    assert [a.original_name for a in prepared.case_attachments] == ["refund.pdf", "screen.png", "statement.pdf"]


def test_nothing_is_read_again_once_loaded(thread, monkeypatch):
    complaint = loaded(thread, prepared=True, monkeypatch=monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        events = list(complaint.events.all())
        entries = [*complaint.responses.all(), *complaint.answers.all(), *complaint.business_information.all()]
        assert all(entry.complaint is complaint for entry in entries)
        assert all(event.complaint is complaint for event in events)
        links = [attachment.thread_link for attachment in complaint.case_attachments]
        assert all(link.attachment.complaint is complaint for link in links)
        files = entry_attachments(complaint)
        assert filed_attachments(complaint) == [] and act_attachments(complaint) == {}
    assert queries.captured_queries == []
    response, answer = complaint.responses.get(), complaint.answers.get()
    assert [a.original_name for a in files[BusinessResponse, response.pk]] == ["refund.pdf", "screen.png"]
    assert [a.original_name for a in files[CustomerAnswer, answer.pk]] == ["statement.pdf"]


def test_a_file_without_a_link_reads_as_filed_with_no_query(thread, monkeypatch):
    from complaints.models import Attachment

    Attachment.objects.create(
        complaint=thread,
        uploaded_by=thread.complainant,
        file="filed.pdf",
        original_name="filed.pdf",
        content_type="application/pdf",
        size=10,
    )
    complaint = loaded(thread, prepared=True, monkeypatch=monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        assert [a.original_name for a in filed_attachments(complaint)] == ["filed.pdf"]
    assert queries.captured_queries == []


def test_a_complaint_with_no_thread_loads_empty_lists(complainant, business, monkeypatch):
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    loaded_complaint = loaded(complaint, prepared=True, monkeypatch=monkeypatch)
    assert list(loaded_complaint.responses.all()) == [] and loaded_complaint.case_attachments == []
    assert [event.event for event in loaded_complaint.events.all()] == ["file"]


def test_the_header_facts_come_with_the_case(thread, representative, complainant, monkeypatch):
    # What the thread's moves told them is read; then two new notices for one, one for the other.
    Notification.objects.filter(user__in=[complainant, representative]).update(read_at=timezone.now())
    Notification.objects.create(user=complainant, complaint=thread, message="Answered")
    Notification.objects.create(user=complainant, complaint=thread, message="Answered again")
    Notification.objects.create(user=representative, complaint=thread, message="Rejected")
    with CaptureQueriesContext(connection) as queries:
        as_complainant = loaded(thread, prepared=True, monkeypatch=monkeypatch, user=complainant)
        as_representative = loaded(thread, prepared=True, monkeypatch=monkeypatch, user=representative)
    assert [q["sql"] for q in queries.captured_queries] == [
        f"EXECUTE redress_case_page('{thread.number}', {complainant.pk})",
        f"EXECUTE redress_case_page('{thread.number}', {representative.pk})",
    ]
    assert as_complainant.header_facts == (False, 2)
    assert as_representative.header_facts == (True, 1)


def test_a_case_the_user_may_not_see_is_not_found_with_its_thread_dropped(thread, other_complainant, monkeypatch):
    for prepared in (True, False):
        with pytest.raises(NotFound):
            loaded(thread, prepared=prepared, monkeypatch=monkeypatch, user=other_complainant)


def test_a_number_that_cannot_be_a_case_reads_nothing(complainant, monkeypatch):
    with CaptureQueriesContext(connection) as queries:
        for number in ("1234567", "12345678\x00", "abcdefgh", "99999999"):
            with pytest.raises(NotFound):
                case_page_fetch(user=complainant, number=number)
    assert len(queries.captured_queries) == 1  # only the well-formed 99999999 is looked for
