"""Real Celery workers, started by a test, with a clock the test can move.

A worker runs `celery -A config worker` (with embedded beat unless told otherwise) against the
test database and a real Redis, on a queue of its own (so parallel test processes never take
each other's tasks) or on one it shares with the test's other workers, with beat firing every
periodic task each second, and mail written to files the test reads. Its clock is moved with
libfaketime (Debian package `faketime`): the library reads the offset from a file on every
clock call, so `worker.set_clock(when)` moves the whole worker process, beat included, while it
runs. The clock should only move forward: beat waits out an interval measured from its last run.
"""

from __future__ import annotations

import contextlib
import email
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app

FAKETIME_LIBRARY = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
BASE_DIR = Path(__file__).resolve().parent.parent
# What complaints/tasks.py logs: the periodic task's walk, then each page task's attempt.
SWEEP_QUEUED = re.compile(
    r"Deadline sweep at (\S+): (?:nothing due|queued (\d+) due-date pages? and (\d+) reminder pages?)$", re.M
)
SWEEP_PAGE = re.compile(r"Deadline sweep at (\S+), (due-date|reminder) page of (\d+): (.*)$", re.M)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def publishing_to(queue: str, broker_url: str | None = None) -> Iterator[None]:
    """Make this process publish its tasks to `queue` (and `broker_url`) for the duration."""
    conf = celery_app.conf
    saved = conf.task_default_queue, conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    conf.task_default_queue = queue
    if broker_url:
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        os.environ["CELERY_BROKER_URL"] = conf.broker_url = broker_url
        _reset_connections()
    try:
        yield
    finally:
        conf.task_default_queue, conf.broker_url, environ_url = saved
        if broker_url:
            if environ_url is None:
                os.environ.pop("CELERY_BROKER_URL", None)
            else:
                os.environ["CELERY_BROKER_URL"] = environ_url
            _reset_connections()


@pytest.fixture
def scratch_queue():
    """Publish this test's tasks to a queue of its own that no worker reads, deleted afterwards."""
    queue = f"redress-scratch-{uuid.uuid4().hex[:12]}"
    with publishing_to(queue):
        yield queue
    delete_queue(settings.CELERY_BROKER_URL, queue)


def delete_queue(broker_url: str, queue: str) -> None:
    """Remove a test queue and the bindings kombu keeps for it from Redis."""
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(broker_url, socket_connect_timeout=1)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()


def _reset_connections() -> None:
    # Celery caches its connection and producer pools; a new broker URL needs new ones.
    celery_app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        celery_app.amqp._producer_pool = None


class Worker:
    def __init__(self, directory: Path, broker_url: str, queue: str | None = None) -> None:
        self.directory = directory
        self.broker_url = broker_url
        self.queue = queue or f"redress-test-{uuid.uuid4().hex[:12]}"
        self.name = f"{directory.name}-{uuid.uuid4().hex[:6]}"
        self.clock_file = directory / "clock"
        self.mail_dir = directory / "mail"
        self.log_file = directory / "worker.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.clock_file.write_text("+0\n")

    def start(self, *, beat: bool = True, **env_overrides: str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.directory / "beat-schedule"),
            "REDRESS_SWEEP_SECONDS": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PYTHONUNBUFFERED": "1",
            "LD_PRELOAD": str(FAKETIME_LIBRARY),
            "FAKETIME_TIMESTAMP_FILE": str(self.clock_file),
            "FAKETIME_NO_CACHE": "1",
            **env_overrides,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *(["-B"] if beat else []),
            "-Q",
            self.queue,
            "-c",
            "1",
            "-n",
            f"{self.name}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def set_clock(self, when: datetime) -> None:
        """Move the worker's clock so that it reads `when` now (and runs on from there)."""
        offset = int((when - timezone.now()).total_seconds())
        self.clock_file.write_text(f"{offset:+d}\n")

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def wait_until_ready(self, timeout: float = 30) -> Worker:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assert_alive()
            if re.search(rf"{re.escape(self.name)}@\S+ ready\.", self.log()):
                return self
            time.sleep(0.1)
        raise AssertionError(f"The worker was not ready within {timeout}s:\n{self.log()[-3000:]}")

    def wait_for_sweep_at_or_after(self, when: datetime, timeout: float = 20) -> None:
        """Wait until a deadline sweep whose clock read `when` or later has had all its pages applied.

        One sweep is the periodic task's walk, which logs how many pages it queued, and one task
        per page, which logs each attempt; the sweep is done when every page has logged an
        attempt that is not followed by a retry.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assert_alive()
            if any(datetime.fromisoformat(stamp) >= when for stamp in completed_sweeps(self.log())):
                return
            time.sleep(0.2)
        raise AssertionError(f"No deadline sweep at or after {when} within {timeout}s:\n{self.log()[-3000:]}")

    def page_lines(self) -> list[tuple[str, str, int, str]]:
        """Every page attempt this worker logged: (sweep time, kind, page size, summary)."""
        return [(stamp, kind, int(size), summary) for stamp, kind, size, summary in SWEEP_PAGE.findall(self.log())]

    def assert_alive(self) -> None:
        assert self.process is not None and self.process.poll() is None, f"The worker died:\n{self.log()[-3000:]}"

    def sent_mail(self) -> Counter[str]:
        """How many times each OutboundEmail id was handed to the mail backend."""
        sent: Counter[str] = Counter()
        for path in self.mail_dir.glob("*.log"):
            # The file backend writes each message followed by a line of 79 dashes.
            for chunk in path.read_text(errors="replace").split("-" * 79 + "\n"):
                if chunk.strip():
                    sent[str(email.message_from_string(chunk)["X-Redress-Email-Id"])] += 1
        return sent

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # Cold shutdown: every task here can run twice, so nothing needs to finish.
        os.killpg(self.process.pid, signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # The pool child and beat are in the worker's session; make sure none outlives it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def delete_queue(self) -> None:
        delete_queue(self.broker_url, self.queue)


def completed_sweeps(log: str) -> list[str]:
    """The times of the sweeps in a worker log whose pages have all been applied."""
    finished: Counter[str] = Counter(
        stamp for stamp, _, _, summary in SWEEP_PAGE.findall(log) if not summary.endswith(")")
    )
    return [
        stamp
        for stamp, due, reminders in SWEEP_QUEUED.findall(log)
        if finished[stamp] >= int(due or 0) + int(reminders or 0)
    ]


def page_summary(summary: str) -> Counter[str]:
    """A page's logged summary ("closed answered: 9, errors: 1 (retrying 1)") as counts."""
    counts: Counter[str] = Counter()
    for part in summary.split(" (retrying")[0].split(", "):
        label, _, n = part.rpartition(": ")
        if label:
            counts[label] += int(n)
    return counts


def wait_until(predicate, timeout: float = 20, interval: float = 0.2, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out waiting for {message}")


@pytest.fixture
def celery_worker_factory(tmp_path):
    """Start workers with `celery_worker_factory(broker_url=..., queue=..., beat=..., **env)`; all stop afterwards."""
    if not FAKETIME_LIBRARY.exists():
        pytest.fail("libfaketime is not installed: scripts/test installs it (apt-get install faketime)")
    started: list[Worker] = []

    def start(broker_url: str | None = None, queue: str | None = None, beat: bool = True, **env: str) -> Worker:
        worker = Worker(tmp_path / f"worker{len(started)}", broker_url or settings.CELERY_BROKER_URL, queue)
        started.append(worker)
        return worker.start(beat=beat, **env)

    yield start
    for worker in started:
        worker.stop()
        worker.delete_queue()
