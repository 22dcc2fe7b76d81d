"""Redress under `config.settings.production` behind gunicorn, on the test database.

The attack tests talk to it over HTTP, as an outsider would: production settings (no debug,
secure cookies, HSTS and the SSL redirect, the admin behind MFA, the strict CSP) and real
gunicorn workers. The test plays the TLS-terminating proxy in front of it: it sends
`X-Forwarded-Proto: https`, and with `REDRESS_TRUSTED_PROXIES=1` it appends the client's address to
`X-Forwarded-For` as the proxy would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.celery_worker import database_url
from tests.processes import free_port, process_stop

BASE_DIR = Path(__file__).resolve().parent.parent


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


class _BehindTheProxy(requests.Session):
    """A client that sends back every cookie it was given.

    Redress sets its cookies Secure and for the Host header's name (redress.test); the requests go
    over plain HTTP to 127.0.0.1, as they do from a TLS proxy, so a browser's rules would send none.
    """

    def request(self, method: str | bytes, url: str | bytes, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        headers = dict(kwargs.pop("headers", None) or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)
        kwargs["headers"] = headers
        return super().request(_text(method), _text(url), **kwargs)


@dataclass
class ProductionServer:
    url: str
    log: Path
    mail_dir: Path

    def session(self) -> requests.Session:
        """A client that reaches Redress through the (simulated) TLS proxy."""
        session = _BehindTheProxy()
        session.headers["X-Forwarded-Proto"] = "https"
        session.headers["Host"] = "redress.test"
        # Django checks the Origin of unsafe HTTPS requests against the host (CSRF).
        session.headers["Origin"] = "https://redress.test"
        session.headers["Referer"] = "https://redress.test/"
        return session

    def mail_to(self, address: str) -> int:
        """How many e-mails the server sent straight to `address` (the outbox's are rows, not files)."""
        return sum(path.read_text(errors="replace").count(f"\nTo: {address}\n") for path in self.mail_dir.iterdir())

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            requests.get(
                f"{url}/businesses/", headers={"X-Forwarded-Proto": "https", "Host": "redress.test"}, timeout=10
            )
            return
        except (requests.ConnectionError, requests.Timeout):
            # Nothing listens yet, or a worker is still importing Redress on a busy machine.
            time.sleep(0.3)
    raise AssertionError(f"gunicorn did not serve within {timeout}s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def production_server(transactional_db, tmp_path, settings) -> Iterator[ProductionServer]:
    """Start gunicorn with production settings on a free port; yield its base URL.

    Users the test makes get production's password hash (the suite's fast MD5 is not one that
    production accepts).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    port = free_port()
    log = tmp_path / "gunicorn.log"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    cache_prefix = f"prod-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "redress-production-test-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "redress.test",
        "CSRF_TRUSTED_ORIGINS": "https://redress.test",
        "SITE_URL": "https://redress.test",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "CACHE_URL": os.environ.get("CACHE_URL", "rediscache://127.0.0.1:6379/1"),
        "CACHE_KEY_PREFIX": cache_prefix,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "none",
        "REDRESS_TRUSTED_PROXIES": "1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield ProductionServer(url=url, log=log, mail_dir=mail_dir)
    finally:
        process_stop(process)
