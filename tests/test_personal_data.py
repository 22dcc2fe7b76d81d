"""A complainant downloads what Redress holds about them and deletes their account (docs/domain.md, "Your own data")."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken

from accounts.models import BusinessAuditEntry, User
from accounts.personal_data import Cutter
from accounts.tests.factories import MembershipFactory, UserFactory
from complaints.models import Complaint, ComplaintEvent, Notification, Status
from complaints.services import attachment_add, complaint_public_text_set
from complaints.tests.factories import complaint_in, staff_user
from core.models import OutboundEmail
from disputes.models import CustomerAnswer
from disputes.services import answer_submit

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
NAMED = (
    "I am Dana Whitfield and the courier left my parcel at the wrong door twice. "
    "Write to me at Dana@Example.com; Whitfield is on the label."
)


@pytest.fixture
def dana():
    return UserFactory(email="dana@example.com", name="Dana Whitfield")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_export_holds_the_account_its_complaints_files_notices_and_emails(dana):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=dana, description=NAMED)
    upload = SimpleUploadedFile("receipt.png", PNG, content_type="image/png")
    attachment = attachment_add(complaint=complaint, uploaded_by=dana, upload=upload)

    response = signed_in(dana).get("/accounts/data/redress-data.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="redress-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "dana@example.com"
    assert data["account"]["name"] == "Dana Whitfield"
    assert data["account"]["time_zone"] == ""
    assert data["memberships"] == []
    [filed] = data["complaints"]
    assert filed["number"] == complaint.number
    assert filed["description"] == NAMED
    assert filed["status"] == "awaiting_business"
    assert filed["reference"] == "ACC-99812"
    assert next(line["text"] for line in filed["history"]) == "The complainant filed the complaint"
    assert filed["files"] == [
        {
            "name": "receipt.png",
            "content_type": "image/png",
            "size": 80,
            "uploaded_at": attachment.created_at.isoformat(),
            "url": f"http://127.0.0.1:8000/complaints/{complaint.number}/attachments/{attachment.pk}/",
        }
    ]
    assert data["notifications"], "the filing and forwarding notices"
    assert {email["to"] for email in data["emails"]} == {"dana@example.com"}
    assert len(data["emails"]) == 2  # filed, then sent to the business
    assert data["emails_received"] == []


def test_the_api_export_is_the_same_document_for_the_signed_in_person_only(dana, client):
    complaint_in(Status.SUBMITTED, complainant=dana)
    _, token = AuthToken.objects.create(user=dana)

    response = client.get("/api/v1/auth/me/export/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json()["account"]["email"] == "dana@example.com"
    assert len(response.json()["complaints"]) == 1
    assert client.get("/api/v1/auth/me/export/").status_code == 401


def test_the_data_page_offers_the_download_and_the_deletion(dana):
    page = signed_in(dana).get("/accounts/data/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/accounts/data/redress-data.json"' in html
    assert 'action="/accounts/data/delete/"' in html
    assert Client().get("/accounts/data/").status_code == 302


def text_columns(complaint: Complaint) -> str:
    row = Complaint.objects.filter(pk=complaint.pk).values().get()
    return " ".join(str(value) for value in row.values())


def test_deleting_keeps_the_complaints_without_the_person_and_the_timeline_still_verifies(dana):
    open_one = complaint_in(Status.AWAITING_BUSINESS, complainant=dana, description=NAMED)
    closed = complaint_in(Status.AWAITING_CONSUMER, complainant=dana, description=NAMED)
    answer_submit(complaint_id=closed.pk, author=dana, text="Thanks, Dana Whitfield is satisfied.", verdict="accept")
    other_session = signed_in(dana)
    AuthToken.objects.create(user=dana)
    events_before = ComplaintEvent.objects.count()

    client = signed_in(dana)
    response = client.post("/accounts/data/delete/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    # The complaints stay; the open one was withdrawn with the reason, the closed one as it was.
    assert Complaint.objects.filter(complainant=dana).count() == 2
    open_one.refresh_from_db()
    closed.refresh_from_db()
    assert open_one.status == Status.WITHDRAWN
    assert closed.status == Status.RESOLVED
    withdrawal = ComplaintEvent.objects.get(complaint=open_one, event="withdraw")
    assert withdrawal.reason == "Account deleted at the complainant's request"
    assert ComplaintEvent.objects.count() == events_before + 1
    # Nothing of the person is left in the complaint rows or the thread.
    for complaint in (open_one, closed):
        text = text_columns(complaint).lower()
        assert "dana" not in text and "whitfield" not in text and "example.com" not in text
    assert open_one.description == (
        "I am [name removed] and the courier left my parcel at the wrong door twice. "
        "Write to me at [e-mail removed]; [name removed] is on the label."
    )
    assert CustomerAnswer.objects.get(complaint=closed).text == "Thanks, [name removed] is satisfied."
    # The account keeps its id under a placeholder, and cannot be used.
    dana.refresh_from_db()
    assert re.fullmatch(rf"deleted-{dana.pk}-[0-9a-f]{{16}}@deleted\.invalid", dana.email)
    assert dana.name == "Deleted account"
    assert not dana.is_active and not dana.has_usable_password()
    assert not AuthToken.objects.filter(user=dana).exists()
    assert not Notification.objects.filter(user=dana).exists()
    assert not OutboundEmail.objects.filter(to__iexact="dana@example.com").exists()
    assert not OutboundEmail.objects.filter(user=dana, state="pending").exists()
    # One audit entry says what was done and why.
    entry = BusinessAuditEntry.objects.get(kind="account_deleted")
    assert entry.actor_id == dana.pk and entry.business_id is None
    assert entry.reason == "Account deleted at the complainant's request"
    assert entry.data == {"user": dana.pk, "withdrawn": [open_one.number], "complaints_kept": 2}
    # The hash chain covers ids, not names: it still verifies.
    out = io.StringIO()
    call_command("verify_timeline", stdout=out)
    assert "no broken link" in out.getvalue()
    # Signed out here and everywhere; the old password no longer signs in.
    assert client.get("/complaints/")["Location"].startswith("/accounts/signin/")
    assert other_session.get("/complaints/")["Location"].startswith("/accounts/signin/")
    # Through the sign-in page, as a person would (the lockout backend needs the request).
    stranger = Client()
    signin = stranger.post("/accounts/signin/", {"username": "dana@example.com", "password": PASSWORD})
    assert signin.status_code == 200
    assert "_auth_user_id" not in stranger.session
    refused = Client().post("/accounts/signin/", {"username": "dana@example.com", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session


def test_a_deleted_complainant_is_told_nothing_of_later_acts_on_their_complaints(dana, staff, other_complainant):
    theirs = complaint_in(Status.RESOLVED, complainant=dana)
    others = complaint_in(Status.RESOLVED, complainant=other_complainant)
    signed_in(dana).post("/accounts/data/delete/", {"password": PASSWORD, "confirm": "on"})

    for complaint in (theirs, others):
        complaint_public_text_set(complaint_id=complaint.pk, staff=staff, reason="Typo", description="A new text.")

    # The active complainant is told, by notice and e-mail; the deleted account is not.
    assert Notification.objects.filter(user=other_complainant, message__contains="Published text edited").count() == 1
    assert OutboundEmail.objects.filter(user=other_complainant, subject__contains="Published text edited").count() == 1
    assert not Notification.objects.filter(user=dana).exists()
    assert not OutboundEmail.objects.filter(user=dana, state="pending").exists()


def test_a_wrong_password_or_no_confirmation_deletes_nothing(dana):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=dana)
    client = signed_in(dana)

    wrong = client.post("/accounts/data/delete/", {"password": "not it at all", "confirm": "on"})
    unconfirmed = client.post("/accounts/data/delete/", {"password": PASSWORD})

    assert wrong.status_code == 400
    assert "This is not your password." in wrong.content.decode()
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    dana.refresh_from_db()
    complaint.refresh_from_db()
    assert dana.is_active and dana.email == "dana@example.com"
    assert complaint.status == Status.AWAITING_BUSINESS
    assert not BusinessAuditEntry.objects.filter(kind="account_deleted").exists()


def test_staff_and_representatives_are_refused_with_a_reason():
    staff = staff_user()
    staff.set_password(PASSWORD)
    staff.save()
    rep = MembershipFactory(user=UserFactory(email="ravi@gigwork.example")).user

    for user, words in ((staff, "closed by a Redress administrator"), (rep, "Ask Redress staff to remove you")):
        response = signed_in(user).post("/accounts/data/delete/", {"password": PASSWORD, "confirm": "on"})
        assert response.status_code == 400
        assert words in response.content.decode()
        assert User.objects.get(pk=user.pk).is_active


def test_the_cutter_removes_whole_names_parts_and_the_address_in_any_case():
    cut = Cutter(name="Dana Whitfield", email="dana@example.com")
    assert cut("DANA@EXAMPLE.COM wrote: dana whitfield, Danal, Whitfields") == (
        "[e-mail removed] wrote: [name removed], Danal, Whitfields"
    )
    assert Cutter(name="Al Li", email="")("Al Li and Ali") == "[name removed] and Ali"
    assert cut("") == ""


def test_the_api_deletes_the_account_after_the_password_and_the_token_ends(dana, client):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=dana)
    _, token = AuthToken.objects.create(user=dana)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}

    wrong = client.post("/api/v1/auth/me/delete/", {"password": "not it"}, content_type="application/json", **auth)
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"password": ["This is not your password."]}
    assert User.objects.get(pk=dana.pk).is_active

    done = client.post("/api/v1/auth/me/delete/", {"password": PASSWORD}, content_type="application/json", **auth)

    assert done.status_code == 204
    assert client.get("/api/v1/auth/me/export/", **auth).status_code == 401
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
    token_again = client.post(
        "/api/v1/auth/token/", {"email": "dana@example.com", "password": PASSWORD}, content_type="application/json"
    )
    assert token_again.status_code == 400


def test_the_business_sees_that_the_complainant_left_not_a_placeholder(dana, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=dana, business=business)
    rep = signed_in(representative)
    assert "by Dana Whitfield (dana@example.com)" in rep.get(complaint.get_absolute_url()).content.decode()
    signed_in(dana).post("/accounts/data/delete/", {"password": PASSWORD, "confirm": "on"})

    page = rep.get(complaint.get_absolute_url()).content.decode()

    assert "by a complainant who has since deleted their account" in page
    assert "deleted.invalid" not in page and "Dana" not in page
