"""What pages need to know about the signed-in user, each read at most once per request.

The header shows on every page whether the user represents a business and how many of their
notifications are unread; the dashboard needs the businesses themselves, the case page reads both
facts with its complaint (`keep_facts`), and any other page reads both in one query
(`header_facts`). `viewer_for(request)` keeps one `Viewer` on the request, and each value is
read the first time it is used: a page that never shows it runs no query for it, and the
notifications page, which marks its items read before it renders, is counted after.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.http import HttpRequest

from accounts.selectors import businesses_list_of

from ..selectors.notifications import header_facts, notification_unread_count

if TYPE_CHECKING:
    from accounts.models import Business, User

_ATTRIBUTE = "_redress_viewer"


class Viewer:
    def __init__(self, user: User | None) -> None:
        self.user = user if user is not None and user.is_authenticated else None
        self._facts: tuple[bool, int] | None = None

    @cached_property
    def businesses(self) -> list[Business]:
        """The businesses the user represents, by name."""
        return businesses_list_of(user=self.user) if self.user is not None else []

    @cached_property
    def represents_business(self) -> bool:
        if "businesses" in self.__dict__:
            return bool(self.businesses)
        return self._header_facts()[0]

    @cached_property
    def unread_notifications(self) -> int:
        """A count on notification_unread_idx (partial: unread rows only)."""
        if self.user is None:
            return 0
        if "businesses" in self.__dict__:
            return notification_unread_count(user=self.user)
        return self._header_facts()[1]

    def keep_facts(self, facts: tuple[bool, int] | None) -> None:
        """The header's two facts as a page's own read brought them (the case page's), read before it
        wrote anything: the header then reads none. None (the page read none) leaves them to the header."""
        if facts is not None:
            self._facts = facts

    def _header_facts(self) -> tuple[bool, int]:
        """Both of the header's facts in one read, kept for the request (pages other than the dashboard)."""
        if self.user is None:
            return False, 0
        if self._facts is None:
            self._facts = header_facts(user=self.user)
        return self._facts


def viewer_for(request: HttpRequest) -> Viewer:
    """The request's Viewer, made on first use."""
    viewer = getattr(request, _ATTRIBUTE, None)
    if viewer is None:
        viewer = Viewer(getattr(request, "user", None))  # type: ignore[arg-type]
        setattr(request, _ATTRIBUTE, viewer)
    return viewer
