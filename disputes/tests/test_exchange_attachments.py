"""Files sent with a response, an answer or the business's information: checked like filing's, private,
listed beside their entry in the thread, on the case page and in the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from complaints.models import Attachment, Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_services import executable_bytes, pdf_bytes, png_bytes
from complaints.tests.test_views import CASE_PAGE_QUERIES
from core.errors import InvalidInput
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer, ThreadAttachment
from disputes.services import answer_submit, business_information_add, response_submit

from .uploads import media_in_tmp, signed_in, upload  # noqa: F401 (media_in_tmp: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


# Services ---------------------------------------------------------------------------------


def test_a_response_keeps_its_files_beside_it(representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    response = response_submit(
        complaint_id=complaint.pk,
        author=representative,
        text="Refund issued; the receipt is attached.",
        attachments=[upload("refund.pdf", pdf_bytes()), upload("screen.png", png_bytes())],
    )
    files = list(response.attachments.order_by("pk"))
    assert [(f.original_name, f.content_type, f.uploaded_by) for f in files] == [
        ("refund.pdf", "application/pdf", representative),
        ("screen.png", "image/png", representative),
    ]
    assert all(f.complaint_id == complaint.pk for f in files)
    assert ThreadAttachment.objects.filter(response=response).count() == 2
    event = complaint.events.get(event="respond")
    assert event.data["attachments"] == ["refund.pdf", "screen.png"]


def test_an_answer_and_business_information_keep_their_files(complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    answer = answer_submit(
        complaint_id=complaint.pk,
        author=complainant,
        text="The bank statement shows no refund.",
        verdict="none",
        attachments=[upload("statement.pdf", pdf_bytes())],
    )
    information = business_information_add(
        complaint_id=complaint.pk,
        author=representative,
        text="Our ledger shows the refund.",
        attachments=[upload("ledger.png", png_bytes())],
    )
    assert [a.original_name for a in answer.attachments.all()] == ["statement.pdf"]
    assert [a.original_name for a in information.attachments.all()] == ["ledger.png"]


def test_a_refused_file_saves_nothing_and_names_the_file(representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    with pytest.raises(InvalidInput) as refused:
        response_submit(
            complaint_id=complaint.pk,
            author=representative,
            text="See attached.",
            attachments=[upload("refund.pdf", executable_bytes())],
        )
    assert refused.value.field_errors == {
        "attachments": ["refund.pdf is not a PDF, PNG or JPEG file (checked by its content, not its name)."]
    }
    assert BusinessResponse.objects.count() == 0
    assert Attachment.objects.count() == 0
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS


def test_more_than_five_files_are_refused(complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    with pytest.raises(InvalidInput) as refused:
        answer_submit(
            complaint_id=complaint.pk,
            author=complainant,
            text="All my receipts.",
            verdict="none",
            attachments=[upload(f"r{i}.png", png_bytes()) for i in range(6)],
        )
    assert refused.value.field_errors == {"attachments": ["Attach at most 5 files."]}
    assert CustomerAnswer.objects.count() == 0


# API ----------------------------------------------------------------------------------------


def test_a_response_with_files_through_the_api_lists_them_in_the_thread_and_both_parties_download(
    api, complainant, representative, other_complainant, other_representative, staff, business
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    created = api(representative).post(
        f"/api/v1/complaints/{complaint.number}/responses/",
        {"text": "Refund issued.", "attachments": [upload("refund.pdf", pdf_bytes())]},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    [item] = body["thread"]
    [file] = item["attachments"]
    assert (file["name"], file["content_type"], file["size"]) == ("refund.pdf", "application/pdf", len(pdf_bytes()))
    assert file["url"] == f"/api/v1/complaints/{complaint.number}/attachments/{file['id']}/"
    # The filing's list holds only the files filed with the complaint.
    assert body["attachments"] == []
    for user, code in [
        (complainant, 200),
        (representative, 200),
        (staff, 200),
        (other_complainant, 404),
        (other_representative, 404),
    ]:
        got = api(user).get(file["url"])
        assert got.status_code == code, user
        if code == 200:
            assert b"".join(got.streaming_content) == pdf_bytes()
    assert api().get(file["url"]).status_code == 401


def test_answers_and_business_information_take_files_through_the_api(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    answered = api(complainant).post(
        f"/api/v1/complaints/{complaint.number}/answers/",
        {"text": "Here is my statement.", "verdict": "none", "attachments": [upload("statement.png", png_bytes())]},
        format="multipart",
    )
    assert answered.status_code == 201, answered.content
    informed = api(representative).post(
        f"/api/v1/complaints/{complaint.number}/business-information/",
        {"text": "Our ledger.", "attachments": [upload("ledger.pdf", pdf_bytes())]},
        format="multipart",
    )
    assert informed.status_code == 201, informed.content
    thread = informed.json()["thread"]
    assert [(i["kind"], [a["name"] for a in i["attachments"]]) for i in thread] == [
        ("response", []),
        ("answer", ["statement.png"]),
        ("information", ["ledger.pdf"]),
    ]


def test_a_bad_file_through_the_api_is_400_with_the_field_and_nothing_saved(api, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    response = api(representative).post(
        f"/api/v1/complaints/{complaint.number}/responses/",
        {"text": "See attached.", "attachments": [upload("invoice.pdf", b"<html><script>x</script></html>")]},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["attachments"] == [
        "invoice.pdf is not a PDF, PNG or JPEG file (checked by its content, not its name)."
    ]
    empty = api(representative).post(
        f"/api/v1/complaints/{complaint.number}/responses/",
        {"text": "See attached.", "attachments": [upload("empty.pdf", b"")]},
        format="multipart",
    )
    assert empty.status_code == 400
    assert "attachments" in empty.json()["errors"]
    assert BusinessResponse.objects.count() == 0
    assert BusinessInformation.objects.count() == 0
    assert Attachment.objects.count() == 0


# Pages ----------------------------------------------------------------------------------------


def test_files_are_chosen_on_the_confirmation_step_and_listed_beside_the_response(
    complainant, representative, other_complainant, business
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client = signed_in(representative)
    url = f"/complaints/{complaint.number}/respond/"
    step = client.post(url, {"text": "Refund issued."})
    assert step.status_code == 200
    page = step.content.decode()
    assert "data-confirm" in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    sent = client.post(
        url, {"text": "Refund issued.", "confirm": "yes", "attachments": upload("refund.pdf", pdf_bytes())}
    )
    assert sent.status_code == 302
    attachment = Attachment.objects.get()
    case = signed_in(complainant).get(f"/complaints/{complaint.number}/").content.decode()
    link = f"/complaints/{complaint.number}/attachments/{attachment.pk}/"
    assert link in case and "refund.pdf" in case
    # Beside the response in the exchange, not under the filing's attachments.
    exchange = case.split('id="thread-heading"', 1)[1]
    assert link in exchange
    assert case.count(link) == 1
    download = signed_in(complainant).get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert signed_in(other_complainant).get(link).status_code == 404


def test_the_case_page_reads_every_file_of_the_exchange_in_one_query_and_lists_each_beside_its_entry(
    complainant, representative, business
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    response_submit(
        complaint_id=complaint.pk,
        author=representative,
        text="Refund issued.",
        attachments=[upload("refund.pdf", pdf_bytes()), upload("screen.png", png_bytes())],
    )
    answer_submit(
        complaint_id=complaint.pk,
        author=complainant,
        text="No refund came.",
        verdict="none",
        attachments=[upload("statement.pdf", pdf_bytes())],
    )
    business_information_add(
        complaint_id=complaint.pk,
        author=representative,
        text="Our ledger shows it.",
        attachments=[upload("ledger.png", png_bytes())],
    )
    client = signed_in(complainant)
    client.get(complaint.get_absolute_url())  # the session's first read is not counted
    with CaptureQueriesContext(connection) as queries:
        page = client.get(complaint.get_absolute_url()).content.decode()
    # As many queries as a case with a bare exchange: the files come with the case's own.
    assert len(queries.captured_queries) == CASE_PAGE_QUERIES
    entries = page.split('id="thread-heading"', 1)[1].split('class="message-card', 4)[1:]
    assert len(entries) == 3
    response_files = entries[0]
    assert 0 < response_files.index("refund.pdf") < response_files.index("screen.png")
    assert "statement.pdf" in entries[1] and "refund.pdf" not in entries[1] and "ledger.png" not in entries[1]
    assert "ledger.png" in entries[2] and "statement.pdf" not in entries[2]


def test_a_refused_file_on_the_page_is_a_form_error_and_the_text_is_kept(representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client = signed_in(representative)
    refused = client.post(
        f"/complaints/{complaint.number}/respond/",
        {"text": "Refund issued, see the file.", "confirm": "yes", "attachments": upload("a.pdf", executable_bytes())},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "a.pdf is not a PDF, PNG or JPEG file (checked by its content, not its name)." in page
    # Still the confirmation step, with the typed text carried along.
    assert "data-confirm" in page
    assert 'value="Refund issued, see the file."' in page
    assert BusinessResponse.objects.count() == 0


def test_published_entries_never_carry_the_exchanges_files(api, complainant, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business, publish_consent=True)
    response_submit(
        complaint_id=complaint.pk,
        author=representative,
        text="Refund issued.",
        attachments=[upload("refund.pdf", pdf_bytes())],
    )
    answer_submit(complaint_id=complaint.pk, author=complainant, text="", verdict="accept")
    public = api().get(f"/api/v1/businesses/{business.slug}/complaints/")
    assert public.status_code == 200
    assert "refund.pdf" not in public.content.decode()
    assert "attachments" not in public.content.decode()
    profile = Client().get(f"/businesses/{business.slug}/")
    assert "refund.pdf" not in profile.content.decode()
