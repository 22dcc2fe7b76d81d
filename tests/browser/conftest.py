"""Chromium through Playwright against Django's live server.

Debian's Chromium is used (Playwright cannot download its own here); axe-core comes from
node_modules (`npm install`) and is injected into the page from disk, never from a CDN.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("REDRESS_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


# A step that waits longer than these has failed: shorter than Playwright's own 30 s, so a broken
# page fails fast, and long enough for the CI host, which has run the suite 1.7 times slower than
# a quiet machine (a whole-page screenshot of a long document there took over 10 s).
ACTION_TIMEOUT_MS = 20_000
EXPECT_TIMEOUT_MS = 10_000


@pytest.fixture(autouse=True)
def _fast_failures(page):
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def sign_in(context, live_server, user) -> None:
    """Give a browser context the session of `user` (the sign-in form is tested on its own)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "domain": host, "path": "/"}])


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """Save what the page shows under test-artifacts/screenshots; `full_page` takes the whole scroll height."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def serious_violations(page) -> list[str]:
    """Run axe-core on the page; return the serious and critical violations, described."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` in the project root")
    # Evaluated through the DevTools protocol, not added as a <script>: the page's
    # Content-Security-Policy refuses inline scripts, and the tests keep that policy on.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def check_page():
    """Screenshot the page and assert axe finds no serious or critical violation on it."""

    def check(page, name: str) -> None:
        screenshot(page, name)
        problems = serious_violations(page)
        assert not problems, f"{name}: {problems}"

    return check
