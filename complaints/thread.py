"""The exchange's texts, as the complaint's public record needs them.

When a complaint enters the public record, its description and its thread (business responses,
customer answers) are masked and indexed together (`complaints.publication`). The thread's
models belong to `disputes`, which sits above `complaints` (docs/architecture.md): disputes
registers them here when it loads (`disputes.apps`), so this layer reads them without importing
the one above it.

A thread model has `complaint_id`, `author_id`, `text`, `text_masked` and `created_at`.
"""

from __future__ import annotations

from django.db.models import Model

_MODELS: list[type[Model]] = []


def thread_models_register(*models: type[Model]) -> None:
    """Make these models part of every complaint's thread (called once, at start-up)."""
    for model in models:
        if model not in _MODELS:
            _MODELS.append(model)


def thread_models() -> tuple[type[Model], ...]:
    """The registered thread models, in registration order."""
    return tuple(_MODELS)
