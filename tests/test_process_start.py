"""Web workers and Celery pool processes freeze what they loaded out of the collector's sight (decision 0045)."""

import gc
import runpy
from pathlib import Path

import pytest
from celery import signals

from config.celery import startup_frozen

GUNICORN_SETTINGS = Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()


def test_a_web_worker_freezes_what_it_loaded_once_loaded(unfrozen):
    hooks = runpy.run_path(str(GUNICORN_SETTINGS))
    hooks["post_worker_init"](object())
    # Django, the apps and pytest are loaded here: tens of thousands of objects at least.
    assert gc.get_freeze_count() > 10_000
    # What was frozen is out of a full collection's reach; the collector still runs.
    assert gc.isenabled()


def test_a_pool_process_freezes_what_it_loaded_before_its_first_task(unfrozen):
    assert startup_frozen in signals.worker_process_init._live_receivers(None)
    assert gc.get_freeze_count() == 0
    startup_frozen()
    assert gc.get_freeze_count() > 10_000
    assert gc.isenabled()
