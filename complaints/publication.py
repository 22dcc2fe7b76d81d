"""What happens to the public record when a complaint changes state."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Complaint


def complaint_status_changed(complaint: Complaint, previous_status: str) -> None:
    """Keep the public record in step with the complaint (called under the row lock)."""
