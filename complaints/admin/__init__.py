"""Staff screens for complaints: screening, rulings, masked text, the timeline and mail.

`complaint` (the complaint screen and its inlines), `staff_actions` (the actions on the list,
through the service), `export` (CSV), `records` (events, attachments, notifications), `stats`
(the daily figures). Importing them registers them with the admin site.
"""

from . import complaint, patterns, records, stats

__all__ = ["complaint", "patterns", "records", "stats"]
