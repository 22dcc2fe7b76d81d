"""Django's database sessions (SESSION_ENGINE), the session read by a statement prepared on each connection.

Every signed-in request reads its session first; through the ORM, building that one lookup by
key cost several times running it (bench/README.md, "Seventh round"). The rows, their writes,
expiry and `clearsessions` are Django's own: only the read changes, and on a database that
prepares no statements (SQLite) it is Django's too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import Columns, PreparedRead, prepared_reads

_SESSION = Columns(Session)
# The session by key, if it has not expired: what Django's SessionStore reads.
SESSION_READ = PreparedRead(
    "redress_session",
    lambda: (
        f"SELECT {_SESSION.select('s')} FROM {Session._meta.db_table} s "  # nosec B608: names from the model's meta
        "WHERE s.session_key = $1 AND s.expire_date > $2"
    ),
)


class SessionStore(db.SessionStore):
    # Django's method (missing from its stubs): the session row, or None with the key dropped.
    def _get_session_from_db(self) -> Any:
        if not prepared_reads():
            return super()._get_session_from_db()  # type: ignore[misc]
        key = self.session_key
        rows = SESSION_READ.rows(key, timezone.now()) if key else []
        if not rows:
            # As Django's store does for a key with no live session: the next save starts a new one.
            self._session_key = None
            return None
        return _SESSION.instance(rows[0])
