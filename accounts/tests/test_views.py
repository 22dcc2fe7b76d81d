"""Account pages: sign-up with e-mail verification, sign-in and out, password reset, invitations."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from accounts.models import Invitation, Membership, RepresentationRequest, User
from accounts.services import invitation_create
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def limit(settings, scope: str, rate: str) -> None:
    """Lower one rate limit for this test, with its counters cleared."""
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope: rate},
    }


def csrf_free(page: str) -> str:
    """A page without its CSRF token, which differs on every answer."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_emails_a_link_that_confirms_the_address_and_signs_in_this_browser(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {"email": "New.Person@Example.com", "name": "New Person", "password": "a sturdy passphrase"},
        )
    user = User.objects.get(email="new.person@example.com")
    assert response.status_code == 302 and response.url == "/accounts/signup/sent/"
    assert "_auth_user_id" not in client.session  # not signed in before the address is confirmed
    sent = client.get(response.url).content.decode()
    assert "Check your inbox" in sent and "new.person@example.com" in sent
    assert user.email_verified_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@example.com"]
    opened = client.get(link_in(mail.outbox[0]))
    assert opened.status_code == 302 and opened.url == "/complaints/new/"
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_confirmation_link_opened_in_another_browser_confirms_but_does_not_sign_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"email": "new.person@example.com", "name": "New Person", "password": "a sturdy passphrase"},
        )
    other = Client()
    opened = other.get(link_in(mail.outbox[0]))
    assert opened.status_code == 302 and opened.url == "/accounts/signin/"
    assert "_auth_user_id" not in other.session
    assert User.objects.get(email="new.person@example.com").email_verified_at is not None


def test_signup_with_a_taken_address_answers_the_same_and_tells_the_owner(client, django_capture_on_commit_callbacks):
    owner = UserFactory.create(email="taken@example.com", name="Tara Owner")
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            reverse("accounts:signup"),
            {"email": "Taken@Example.com", "name": "Someone Else", "password": "a sturdy passphrase"},
        )
    taken_page = client.get(taken.url).content.decode()
    fresh_client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = fresh_client.post(
            reverse("accounts:signup"),
            {"email": "fresh@example.com", "name": "Someone Else", "password": "a sturdy passphrase"},
        )
    fresh_page = fresh_client.get(fresh.url).content.decode()
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url) == (302, "/accounts/signup/sent/")
    assert csrf_free(taken_page).replace("taken@example.com", "fresh@example.com") == csrf_free(fresh_page)
    assert "_auth_user_id" not in client.session
    owner.refresh_from_db()
    assert owner.name == "Tara Owner" and owner.check_password("correct horse battery")
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    to_owner, to_fresh = mail.outbox
    assert to_owner.to == ["taken@example.com"]
    assert to_owner.subject == "Redress: someone tried to sign up with your address"
    assert "/accounts/signin/" in to_owner.body and "/accounts/password-reset/" in to_owner.body
    assert to_fresh.to == ["fresh@example.com"] and to_fresh.subject == "Redress: confirm your e-mail address"


def test_signup_errors_show_beside_fields_and_keep_what_was_typed(client):
    UserFactory.create(email="taken@example.com")
    response = client.post(reverse("accounts:signup"), {"email": "taken@example.com", "name": "Kim", "password": "123"})
    page = response.content.decode()
    assert "already exists" not in page  # a taken address is never told
    assert "This password is too short. It must contain at least 12 characters." in page
    assert 'value="Kim"' in page
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short phrase", None),  # 12 characters: the shortest accepted
        ("eleven char", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("839201746352", "This password is entirely numeric."),
        ("kimberly.stone", "The password is too similar to the name."),
    ],
)
def test_passwords_need_12_characters_and_must_not_be_common_numeric_or_like_the_name(client, password, message):
    response = client.post(
        reverse("accounts:signup"), {"email": "kim@example.com", "name": "Kimberly Stone", "password": password}
    )
    if message is None:
        assert response.status_code == 302 and User.objects.filter(email="kim@example.com").exists()
    else:
        assert response.status_code == 200 and message in response.content.decode()
        assert not User.objects.filter(email="kim@example.com").exists()


def test_a_forged_verification_link_is_refused(client):
    user = UserFactory.create(email_verified_at=None)
    response = client.get(reverse("accounts:verify-email", kwargs={"token": "forged:token"}))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_the_link_can_be_sent_again(client, django_capture_on_commit_callbacks):
    user = UserFactory.create(email_verified_at=None)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:verify-email-resend"))
    assert len(mail.outbox) == 1
    client.get(link_in(mail.outbox[0]))
    user.refresh_from_db()
    assert user.is_email_verified


def test_signin_and_signout_by_post(client):
    UserFactory.create(email="dana@example.com")
    response = client.post(
        reverse("accounts:signin"), {"username": "dana@example.com", "password": "correct horse battery"}
    )
    assert response.url == "/complaints/"
    assert client.get(reverse("complaints:mine")).status_code == 200
    assert client.get(reverse("accounts:signout")).status_code == 405
    client.post(reverse("accounts:signout"))
    assert client.get(reverse("complaints:mine")).status_code == 302


def test_a_representative_lands_on_the_dashboard_unless_a_next_page_was_asked_for(client):
    rep = UserFactory.create(email="ravi@gigwork.example")
    MembershipFactory(user=rep)
    credentials = {"username": "ravi@gigwork.example", "password": "correct horse battery"}
    response = client.post(reverse("accounts:signin"), credentials)
    assert response.status_code == 302 and response.url == "/dashboard/"
    assert "Your record" in client.get(response.url).content.decode()
    # Already signed in, the sign-in page sends them to the same place.
    assert client.get(reverse("accounts:signin")).url == "/dashboard/"
    client.post(reverse("accounts:signout"))

    # The next-page parameter still wins, in the address or in the form; an off-site one does not.
    response = client.post(reverse("accounts:signin") + "?next=/notifications/", credentials)
    assert response.url == "/notifications/"
    client.post(reverse("accounts:signout"))
    response = client.post(reverse("accounts:signin"), {**credentials, "next": "/complaints/"})
    assert response.url == "/complaints/"
    client.post(reverse("accounts:signout"))
    response = client.post(reverse("accounts:signin"), {**credentials, "next": "https://elsewhere.example/"})
    assert response.url == "/dashboard/"


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory.create(email="dana@example.com")
    response = client.post(reverse("accounts:signin"), {"username": "dana@example.com", "password": "nope"})
    assert response.status_code == 200 and "correct" in response.content.decode()


def test_password_reset_by_email(client):
    user = UserFactory.create(email="dana@example.com")
    client.post(reverse("accounts:password-reset"), {"email": "dana@example.com"})
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "another good phrase", "new_password2": "another good phrase"})
    user.refresh_from_db()
    assert user.check_password("another good phrase")


def test_invitation_signs_up_and_makes_a_representative(client, django_capture_on_commit_callbacks):
    business = BusinessFactory.create(name="Gigwork Market")
    owner = MembershipFactory.create(business=business).user
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invite"), {"business": business.pk, "email": "colleague@gigwork.example"})
    invitation = Invitation.objects.get()
    assert mail.outbox[0].to == ["colleague@gigwork.example"]
    client.logout()
    url = link_in(mail.outbox[0])
    assert "Gigwork Market" in client.get(url).content.decode()
    client.post(url, {"email": "colleague@gigwork.example", "name": "Col League", "password": "a sturdy passphrase"})
    colleague = User.objects.get(email="colleague@gigwork.example")
    assert Membership.objects.filter(user=colleague, business=business).exists()
    assert colleague.is_email_verified
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague
    assert client.get(url).status_code == 410  # a link works once


def test_cannot_invite_for_a_business_one_does_not_represent(client):
    user = UserFactory.create()
    client.force_login(user)
    response = client.post(
        reverse("accounts:invite"), {"business": BusinessFactory.create().pk, "email": "x@example.com"}
    )
    assert response.status_code == 400 and not Invitation.objects.exists()


def test_a_signed_in_user_asks_to_represent_a_business(client):
    user = UserFactory.create()
    business = BusinessFactory.create()
    client.force_login(user)
    client.post(reverse("accounts:represent"), {"business": business.pk, "message": "I am the owner."})
    request = RepresentationRequest.objects.get()
    assert request.user == user and request.status == RepresentationRequest.Status.PENDING
    again = client.post(reverse("accounts:represent"), {"business": business.pk})
    assert "pending" in again.content.decode() and RepresentationRequest.objects.count() == 1


def test_a_verification_email_that_cannot_be_sent_is_kept_and_retried(client, settings):
    from core.models import OutboundEmail
    from core.outbox import emails_send_due

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens there
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"email": "later@example.com", "name": "Later Person", "password": "a sturdy passphrase"},
        )
    stored = OutboundEmail.objects.get(to="later@example.com", kind="verification")
    assert stored.state == OutboundEmail.State.PENDING and stored.attempts == 1 and stored.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    emails_send_due(now=stored.next_attempt_at)
    stored.refresh_from_db()
    assert stored.state == OutboundEmail.State.SENT
    assert [message.to for message in mail.outbox] == [["later@example.com"]]


def test_too_many_sign_in_attempts_are_refused_on_the_page_and_keep_the_address(client, settings):
    limit(settings, "signin", "2/minute")
    UserFactory.create(email="guess@example.com")
    attempt = {"username": "guess@example.com", "password": "wrong guess"}
    for _ in range(2):
        assert client.post(reverse("accounts:signin"), attempt).status_code == 200  # plain wrong password
    refused = client.post(reverse("accounts:signin"), {**attempt, "password": "correct horse battery"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many attempts from here" in page and 'value="guess@example.com"' in page
    assert "_auth_user_id" not in client.session  # not signed in, even with the right password


def test_a_refused_sign_in_does_not_tell_whether_the_password_was_right(client, settings):
    limit(settings, "signin", "1/minute")
    UserFactory.create(email="guess@example.com", password="correct horse battery")
    wrong_login = "Please enter a correct"  # Django's invalid_login message
    first = client.post(reverse("accounts:signin"), {"username": "guess@example.com", "password": "wrong"})
    assert wrong_login in first.content.decode()  # not refused yet: the guess is checked and fails
    pages = [
        client.post(reverse("accounts:signin"), {"username": "guess@example.com", "password": guess}).content.decode()
        for guess in ("still wrong", "correct horse battery")
    ]
    assert all("Too many attempts from here" in page and wrong_login not in page for page in pages)
    assert "_auth_user_id" not in client.session


def test_too_many_sign_ups_from_one_address_are_refused_and_keep_what_was_typed(client, settings):
    limit(settings, "signup", "1/minute")
    client.post(
        reverse("accounts:signup"), {"email": "first@example.com", "name": "First", "password": "a sturdy passphrase"}
    )
    client.logout()
    refused = client.post(
        reverse("accounts:signup"), {"email": "second@example.com", "name": "Second", "password": "a sturdy passphrase"}
    )
    assert refused.status_code == 429
    assert 'value="Second"' in refused.content.decode()
    assert not User.objects.filter(email="second@example.com").exists()


def test_password_reset_requests_are_limited_so_no_inbox_is_flooded(client, settings):
    limit(settings, "mail", "2/hour")
    UserFactory.create(email="target@example.com")
    for _ in range(2):
        assert client.post(reverse("accounts:password-reset"), {"email": "target@example.com"}).status_code == 302
    refused = client.post(reverse("accounts:password-reset"), {"email": "target@example.com"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many attempts from here" in page and 'value="target@example.com"' in page
    assert len(mail.outbox) == 2


def test_invitations_are_limited_and_the_form_keeps_the_address(client, settings, django_capture_on_commit_callbacks):
    limit(settings, "mail", "1/hour")
    business = BusinessFactory.create()
    client.force_login(MembershipFactory.create(business=business).user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invite"), {"business": business.pk, "email": "one@example.com"})
        refused = client.post(reverse("accounts:invite"), {"business": business.pk, "email": "two@example.com"})
    assert refused.status_code == 429
    assert "Too many attempts from here" in refused.content.decode()
    assert 'value="two@example.com"' in refused.content.decode()
    assert list(Invitation.objects.values_list("email", flat=True)) == ["one@example.com"]
    assert [message.to for message in mail.outbox] == [["one@example.com"]]


def test_new_confirmation_links_are_limited(client, settings, django_capture_on_commit_callbacks):
    limit(settings, "mail", "1/hour")
    user = UserFactory.create(email_verified_at=None)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:verify-email-resend"))
        refused = client.post(reverse("accounts:verify-email-resend"), follow=True)
    assert "Too many attempts from here" in refused.content.decode()
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_signing_up_through_an_invitation_shares_the_sign_up_limit(client, settings):
    limit(settings, "signup", "1/hour")
    client.post(
        reverse("accounts:signup"), {"email": "first@example.com", "name": "First", "password": "a sturdy pass"}
    )
    client.logout()
    business = BusinessFactory.create()
    _, token = invitation_create(
        business=business, email="col@example.com", invited_by=MembershipFactory.create(business=business).user
    )
    refused = client.post(
        reverse("accounts:invitation", args=[token]),
        {"email": "col@example.com", "name": "Col League", "password": "a sturdy passphrase"},
    )
    assert refused.status_code == 429
    assert "Too many attempts from here" in refused.content.decode()
    assert not User.objects.filter(email="col@example.com").exists()
