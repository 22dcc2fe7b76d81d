"""Staff set up two-step sign-in and confirm a later sign-in with a code, in Chromium."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in_to_admin(page, live_server) -> None:
    page.goto(live_server.url + "/accounts/signin/?next=/admin/")
    page.get_by_label("E-mail address").fill("sam@redress.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_set_up_an_authenticator_then_confirm_the_next_sign_in(page, live_server, check_page, settings):
    settings.REDRESS_ADMIN_REQUIRE_MFA = True
    UserFactory.create(email="sam@redress.example", name="Sam Staff", is_staff=True)

    # The password alone leads to set-up, not to the admin.
    sign_in_to_admin(page, live_server)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_page(page, "mfa-1-setup")
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    totp = pyotp.TOTP(secret)

    # A wrong code is an error beside the field; the key stays on the page.
    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#field-code .errorlist")).to_contain_text("That code is not right")
    expect(page.locator("#mfa-secret")).to_have_text(re.compile(secret[:4]))
    check_page(page, "mfa-2-setup-wrong-code")
    page.wait_for_timeout(1100)  # the wait after one wrong code

    page.get_by_label("Code from your app").fill(totp.now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your authenticator is set up")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", code) for code in codes)
    check_page(page, "mfa-3-recovery-codes")
    page.get_by_role("link", name="I have saved them, continue").click()
    expect(page.get_by_role("link", name="Redress administration")).to_be_visible()
    screenshot(page, "mfa-4-admin")

    # The next sign-in asks for a code before the admin opens.
    page.get_by_role("button", name="Log out").click()
    sign_in_to_admin(page, live_server)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", name="Confirm your sign-in")).to_be_visible()
    check_page(page, "mfa-5-verify")
    page.goto(live_server.url + "/admin/accounts/user/")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))
    page.goto(live_server.url + "/accounts/mfa/verify/?next=/admin/")
    page.get_by_label("Code").fill(totp.at(time.time() + 30))  # set-up spent this step's code
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("link", name="Redress administration")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/accounts/mfa/")
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    expect(page.get_by_text("10 unused")).to_be_visible()
    assert secret not in page.content()
    check_page(page, "mfa-6-manage")
