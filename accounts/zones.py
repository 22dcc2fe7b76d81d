"""The time zones a user may choose (docs/domain.md, "Dates and times")."""

from __future__ import annotations

import zoneinfo

from django.conf import settings

# Every IANA zone the system knows, by name; "" is the site's own zone.
ZONE_NAMES = frozenset(zoneinfo.available_timezones())
ZONE_CHOICES = [("", f"The site's zone ({settings.TIME_ZONE})"), *((name, name) for name in sorted(ZONE_NAMES))]


def zone_checked(name: str) -> str:
    """A zone name as stored: a known IANA name or "" (the site's zone); anything else raises ValueError."""
    name = (name or "").strip()
    if name and name not in ZONE_NAMES:
        raise ValueError(name)
    return name
