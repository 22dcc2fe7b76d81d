"""Every response carries the security headers; production settings pass Django's deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from csp.constants import NONCE, SELF
from csp.exceptions import CSPNonceError
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.tests.factories import BusinessFactory
from config.middleware import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parent.parent

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return dict(parts)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/businesses/", "/accounts/signin/", "/admin/login/", "/api/v1/businesses/"])
def test_pages_and_api_carry_the_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == STRICT
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_missing_page_carries_the_policy_too(client):
    response = client.get("/businesses/no-such-business/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"]) == STRICT


@pytest.mark.django_db
def test_swagger_ui_keeps_the_strict_policy_and_loads_its_script_from_its_own_url(client):
    page = client.get("/api/docs/")
    assert directives(page["Content-Security-Policy"]) == STRICT
    html = page.content.decode()
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<style" not in html and "<script>" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert 'url: "/api/schema/"' in script.content.decode()


@pytest.mark.django_db
def test_redoc_alone_allows_inline_styles_and_blob_workers(client):
    page = client.get("/api/redoc/")
    assert directives(page["Content-Security-Policy"]) == {
        **STRICT,
        "style-src": "'self' 'unsafe-inline'",
        "worker-src": "'self' blob:",
    }
    html = page.content.decode()
    assert '<redoc spec-url="/api/schema/"></redoc>' in html
    assert "<script>" not in html and "fonts.googleapis.com" not in html


@pytest.mark.django_db
def test_every_response_turns_off_the_browser_features_redress_does_not_use(client):
    response = client.get("/")
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"):
        assert f"{feature}=()" in policy.split(", ")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_", "REDRESS_TLS", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="redress.example",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/redress_deploy_check",
        **extra,
    )
    return env


def production_setting(names: str, **extra: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, n) for n in {names.split()!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**extra), capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_deploy_check_passes_with_production_settings_at_warning_level():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts_by_default():
    names = "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD"
    assert production_setting(names) == "True 31536000 True True"
    assert production_setting("SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE SESSION_COOKIE_HTTPONLY") == "True True True"


def test_behind_a_tls_terminating_proxy_one_switch_turns_redirect_and_hsts_off():
    assert production_setting("SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS", REDRESS_TLS_AT_PROXY="true") == "False 0"
    # Each can still be set on its own.
    assert production_setting("SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS", SECURE_HSTS_SECONDS="600") == "True 600"


@pytest.mark.django_db
def test_a_not_modified_answer_for_a_public_page_carries_the_policy(client):
    business = BusinessFactory(name="Gigwork Market")
    first = client.get(business.get_absolute_url())
    repeat = client.get(business.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert repeat.status_code == 304
    assert directives(repeat["Content-Security-Policy"]) == STRICT


@pytest.mark.django_db
def test_a_changed_policy_setting_reaches_the_next_response(client, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": ["'self'"]}}
    response = client.get("/")
    assert directives(response["Content-Security-Policy"]) == {"default-src": "'none'"}
    # Directives not given keep django-csp's defaults: default-src 'self'.
    assert directives(response["Content-Security-Policy-Report-Only"]) == {
        "default-src": "'self'",
        "script-src": "'self'",
    }


@pytest.mark.django_db
def test_an_excluded_prefix_goes_without_the_policy(client, settings):
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/businesses/"]}
    assert "Content-Security-Policy" not in client.get("/businesses/")
    assert directives(client.get("/")["Content-Security-Policy"]) == STRICT


def test_a_nonce_asked_for_after_the_header_was_written_is_an_error():
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    response = middleware(request)
    assert directives(response["Content-Security-Policy"]) == STRICT
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_nonce_asked_for_by_the_page_goes_into_its_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    def page(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    request = RequestFactory().get("/")
    response = ContentSecurityPolicyMiddleware(page)(request)
    nonce = response.content.decode().split("'")[1]
    assert len(nonce) == 24
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
    }
