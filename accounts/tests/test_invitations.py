"""Invitations work only for the invited address, once, for 7 days, until they are withdrawn."""

import datetime as dt
import hashlib
import json
import logging

import pytest
import time_machine
from django.urls import reverse

from accounts.models import BusinessAuditEntry, Invitation, Membership, User
from accounts.services import invitation_create
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
PASSWORD = "a sturdy passphrase"


@pytest.fixture
def invited(db):
    """An invitation from a representative of Gigwork Market to col@gigwork.example, and its link."""
    business = BusinessFactory(name="Gigwork Market")
    inviter = MembershipFactory(business=business, user=UserFactory(email="ravi@gigwork.example")).user
    with time_machine.travel(SENT, tick=False):
        invitation, token = invitation_create(business=business, email="Col@Gigwork.example", invited_by=inviter)
    return invitation, reverse("accounts:invitation", args=[token]), token


def security_events(caplog) -> list[dict]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "redress.security"]


def granted(business) -> list[str]:
    return sorted(Membership.objects.filter(business=business).values_list("user__email", flat=True))


def test_the_row_keeps_a_digest_and_the_email_carries_the_token(invited):
    invitation, url, token = invited
    invitation.refresh_from_db()
    assert invitation.email == "col@gigwork.example"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.expires_at == dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC)
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in json.dumps(row, default=str)
    email = OutboundEmail.objects.get(kind="invitation")
    assert url in email.body_text
    assert "works once, for 7 days, and only for an account with this address (col@gigwork.example)" in (
        email.body_text
    )


def test_a_leaked_link_opened_by_another_account_is_refused_and_grants_nothing(client, invited, caplog):
    invitation, url, _ = invited
    caplog.set_level(logging.WARNING, logger="redress.security")
    other = UserFactory(email="dana@example.com")
    client.force_login(other)

    with time_machine.travel(SENT + dt.timedelta(hours=1), tick=False):
        page = client.get(url)
        accepted = client.post(url)

    assert page.status_code == 403 and accepted.status_code == 403
    text = page.content.decode()
    assert "This invitation was sent to a different e-mail address than the one you are signed in with." in text
    assert "You are signed in as dana@example.com. Nothing was changed on your account." in text
    assert "col@gigwork.example" not in text
    assert granted(invitation.business) == ["ravi@gigwork.example"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.accepted_by is None
    events = security_events(caplog)
    assert [(e["event"], e["reason"], e["user"], e["path"]) for e in events] == [
        ("invitation_refused", "other_address", "dana@example.com", url),
        ("invitation_refused", "other_address", "dana@example.com", url),
    ]


def test_signing_up_through_the_link_with_another_address_keeps_nothing(client, invited):
    invitation, url, _ = invited
    with time_machine.travel(SENT + dt.timedelta(hours=1), tick=False):
        response = client.post(url, {"email": "someone.else@example.com", "name": "Some One", "password": PASSWORD})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Use the address the invitation was sent to." in text
    assert 'value="someone.else@example.com"' in text and 'value="Some One"' in text
    assert not User.objects.filter(email="someone.else@example.com").exists()
    assert granted(invitation.business) == ["ravi@gigwork.example"]


def test_the_invited_address_signs_up_in_any_case_and_becomes_a_representative(client, invited):
    invitation, url, _ = invited
    with time_machine.travel(SENT + dt.timedelta(days=6, hours=23), tick=False):
        assert client.get(url).status_code == 200
        response = client.post(url, {"email": "COL@gigwork.EXAMPLE", "name": "Col League", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("complaints:dashboard")
    colleague = User.objects.get(email="col@gigwork.example")
    assert colleague.is_email_verified
    assert granted(invitation.business) == ["col@gigwork.example", "ravi@gigwork.example"]
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague


def test_an_existing_account_of_the_invited_address_signs_in_and_accepts(client, invited):
    invitation, url, _ = invited
    colleague = UserFactory(email="col@gigwork.example", email_verified_at=None)
    with time_machine.travel(SENT + dt.timedelta(days=2), tick=False):
        signin = client.get(url)
        assert f"{reverse('accounts:signin')}?next={url}" in signin.content.decode().replace("%2F", "/")
        signed_in = client.post(
            f"{reverse('accounts:signin')}?next={url}",
            {"username": "col@gigwork.example", "password": "correct horse battery", "next": url},
        )
        assert signed_in.status_code == 302 and signed_in["Location"] == url
        page = client.get(url)
        assert "You are signed in as col@gigwork.example." in page.content.decode()
        accepted = client.post(url)
    assert accepted.status_code == 302
    assert granted(invitation.business) == ["col@gigwork.example", "ravi@gigwork.example"]
    colleague.refresh_from_db()
    assert colleague.email_verified_at == SENT + dt.timedelta(days=2)


def test_an_expired_invitation_is_refused(client, invited, caplog):
    invitation, url, _ = invited
    caplog.set_level(logging.WARNING, logger="redress.security")
    client.force_login(UserFactory(email="col@gigwork.example"))
    with time_machine.travel(SENT + dt.timedelta(days=7), tick=False):
        page = client.get(url)
        accepted = client.post(url)
    assert page.status_code == 410 and accepted.status_code == 410
    assert "This invitation has expired. Ask the person who invited you to send a new one." in page.content.decode()
    assert granted(invitation.business) == ["ravi@gigwork.example"]
    assert [e["reason"] for e in security_events(caplog)] == ["expired", "expired"]


def test_an_expired_invitation_refuses_a_sign_up_and_creates_no_account(client, invited):
    _, url, _ = invited
    with time_machine.travel(SENT + dt.timedelta(days=8), tick=False):
        response = client.post(url, {"email": "col@gigwork.example", "name": "Col League", "password": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="col@gigwork.example").exists()


def test_a_link_works_once(client, invited):
    invitation, url, _ = invited
    colleague = UserFactory(email="col@gigwork.example")
    client.force_login(colleague)
    with time_machine.travel(SENT + dt.timedelta(days=1), tick=False):
        assert client.post(url).status_code == 302
        again = client.post(url)
    assert again.status_code == 410
    assert "This invitation has already been used. An invitation link works once." in again.content.decode()
    assert Membership.objects.filter(user=colleague, business=invitation.business).count() == 1
    assert list(
        BusinessAuditEntry.objects.filter(kind="invitation_accepted").values_list("actor__email", flat=True)
    ) == ["col@gigwork.example"]


def test_an_unknown_link_is_404(client):
    response = client.get(reverse("accounts:invitation", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_the_inviter_sees_pending_invitations_and_withdraws_one_with_a_reason(client, invited):
    invitation, url, _ = invited
    client.force_login(invitation.invited_by)
    with time_machine.travel(SENT + dt.timedelta(days=1), tick=False):
        page = client.get(reverse("accounts:invite"))
        text = page.content.decode()
        assert page.status_code == 200
        assert "<strong>col@gigwork.example</strong> to represent Gigwork Market, sent 2 Nov 2026" in text
        assert "works until 9 Nov 2026, 09:00 UTC" in text
        revoke = reverse("accounts:invitation-revoke", args=[invitation.pk])
        assert f'action="{revoke}"' in text
        response = client.post(revoke, {"reason": "Col left the company"}, follow=True)
        assert "The invitation to col@gigwork.example was withdrawn; its link no longer works." in (
            response.content.decode()
        )
        assert "No invitation you sent is waiting." in response.content.decode()
        client.force_login(UserFactory(email="col@gigwork.example"))
        refused = client.post(url)
    assert refused.status_code == 410
    assert "This invitation was withdrawn." in refused.content.decode()
    assert granted(invitation.business) == ["ravi@gigwork.example"]
    entry = BusinessAuditEntry.objects.get(kind="invitation_revoked")
    assert (entry.actor.email, entry.reason, entry.data) == (
        "ravi@gigwork.example",
        "Col left the company",
        {"invitation": invitation.pk, "email": "col@gigwork.example"},
    )


@time_machine.travel(SENT + dt.timedelta(days=3), tick=False)
def test_only_the_inviter_or_an_owner_withdraws_an_invitation(client, invited):
    invitation, _, _ = invited
    revoke = reverse("accounts:invitation-revoke", args=[invitation.pk])
    colleague = MembershipFactory(business=invitation.business).user
    outsider = MembershipFactory().user
    for user in (colleague, outsider):
        client.force_login(user)
        assert "col@gigwork.example" not in client.get(reverse("accounts:invite")).content.decode()
        assert client.post(revoke).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    owner = MembershipFactory(business=invitation.business, role=Membership.Role.OWNER).user
    client.force_login(owner)
    assert "col@gigwork.example" in client.get(reverse("accounts:invite")).content.decode()
    assert client.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_by == owner


def test_withdrawing_an_accepted_invitation_is_refused_with_a_message(client, invited):
    invitation, url, _ = invited
    client.force_login(UserFactory(email="col@gigwork.example"))
    with time_machine.travel(SENT + dt.timedelta(days=1), tick=False):
        client.post(url)
    client.force_login(invitation.invited_by)
    response = client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]), follow=True)
    assert "This invitation has already been used." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert granted(invitation.business) == ["col@gigwork.example", "ravi@gigwork.example"]
