"""What Redress holds about a person, app by app: the export a person downloads and the erasure
of an account (docs/domain.md, "Your own data").

Each app above `accounts` holds rows about a user that `accounts` may not import. Each registers
one part here when Django starts (its `apps.py`): a function that returns its rows about the user
as plain JSON values (keys of the export), and one that removes the person from them. `accounts.selectors` and
`accounts.services` call the parts in order; erasure runs them from the top layer down, so the
withdrawals `complaints` writes are there when the outbox's e-mails are erased after them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import User

NAME_REMOVED = "[name removed]"
EMAIL_REMOVED = "[e-mail removed]"
# The shortest part of a name cut on its own: shorter ones ("Al", "Jo") are too often other words.
NAME_PART_MIN = 3


@dataclass(frozen=True)
class Part:
    """One app's share of a person's data."""

    name: str
    export: Callable[[User], dict[str, Any]] | None
    # (user, cut, reason) -> facts for the deletion's audit entry, such as the complaints withdrawn.
    erase: Callable[[User, Cutter, str], dict[str, Any] | None]


_PARTS: list[Part] = []


def personal_data_register(
    name: str,
    *,
    erase: Callable[[User, Cutter, str], dict[str, Any] | None],
    export: Callable[[User], dict[str, Any]] | None = None,
) -> None:
    """Add an app's part (called once, at start-up); a second call with the same name replaces it.

    A part without `export` holds nothing the other parts' exports do not already show.
    """
    _PARTS[:] = [part for part in _PARTS if part.name != name]
    _PARTS.append(Part(name, export, erase))


def personal_data_parts() -> tuple[Part, ...]:
    """The registered parts, in registration order (the order of the layers, bottom up)."""
    return tuple(_PARTS)


class Cutter:
    """Cuts a person's name and e-mail address out of a text, keeping the rest as written.

    The whole name, then each part of it of NAME_PART_MIN letters or more, as whole words and in
    any case; the address in any case. A text that never named them comes back unchanged.
    """

    def __init__(self, *, name: str, email: str) -> None:
        parts = [part for part in re.split(r"[\s,]+", name.strip()) if len(part) >= NAME_PART_MIN]
        names = sorted({name.strip(), *parts} - {""}, key=len, reverse=True)
        self.email = re.compile(re.escape(email), re.IGNORECASE) if email else None
        self.names = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE) if names else None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self.email is not None:
            text = self.email.sub(EMAIL_REMOVED, text)
        if self.names is not None:
            text = self.names.sub(NAME_REMOVED, text)
        return text
