"""Every write to a complaint, by job: filing (`filing`), moves (`moves`), the public record
(`record`) and notices (`notices`). `moves.complaint_transition` and
`moves.complaints_enforce_deadlines` are the only code that assigns `status`, through one writer.
"""

from .assignment import complaint_assign
from .filing import DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_ATTACHMENTS, attachment_add, complaint_file
from .moves import (
    Enforced,
    Move,
    complaint_business_link,
    complaint_enforce_deadline,
    complaint_facts,
    complaint_public_response_add,
    complaint_public_text_set,
    complaint_remind,
    complaint_set_consent,
    complaint_transition,
    complaint_withdraw,
    complaints_enforce_deadlines,
    moves_write,
)
from .notes import NOTE_MAX, staff_note_add
from .notices import notification_mark_read, notifications_mark_all_read, outbox_write
from .record import (
    RemaskPage,
    business_stats_rebuild,
    complaint_refresh_search,
    complaint_remask,
    complaints_refresh_search,
    complaints_remask,
    complaints_remask_page,
    stats_summary_rebuild,
    stats_summary_recount,
    stats_summary_stored,
)

__all__ = [
    "DESCRIPTION_MAX",
    "DESCRIPTION_MIN",
    "MAX_ATTACHMENTS",
    "NOTE_MAX",
    "Enforced",
    "Move",
    "RemaskPage",
    "attachment_add",
    "business_stats_rebuild",
    "complaint_assign",
    "complaint_business_link",
    "complaint_enforce_deadline",
    "complaint_facts",
    "complaint_file",
    "complaint_public_response_add",
    "complaint_public_text_set",
    "complaint_refresh_search",
    "complaint_remask",
    "complaint_remind",
    "complaint_set_consent",
    "complaint_transition",
    "complaint_withdraw",
    "complaints_enforce_deadlines",
    "complaints_refresh_search",
    "complaints_remask",
    "complaints_remask_page",
    "moves_write",
    "notification_mark_read",
    "notifications_mark_all_read",
    "outbox_write",
    "staff_note_add",
    "stats_summary_rebuild",
    "stats_summary_recount",
    "stats_summary_stored",
]
