"""A deleted account's complaints: withdrawn if open, kept on the record without the person.

Called by `accounts.services.account_delete` through `accounts.personal_data` (docs/domain.md,
"Your own data"). The events are left exactly as they are: they name the actor by id, never by
name, so the timeline's hashes still verify once the account is anonymised.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from accounts.personal_data import Cutter
from core.bulk import bulk_set

from ..models import Complaint, Notification
from ..thread import thread_models
from ..workflow import OPEN_STATES
from .moves import complaint_withdraw
from .record import complaints_refresh_search

COMPLAINT_TEXTS = ("description", "desired_outcome_detail", "reference", "description_masked")
THREAD_TEXTS = ("text", "text_masked")


def _cut_fields(objects: list[Any], fields: tuple[str, ...], cut: Cutter) -> list[Any]:
    """Cut the person out of these fields; the objects whose text changed."""
    changed = []
    for obj in objects:
        before = [getattr(obj, name) for name in fields]
        for name in fields:
            setattr(obj, name, cut(getattr(obj, name)))
        if [getattr(obj, name) for name in fields] != before:
            changed.append(obj)
    return changed


def complainant_erase(user: User, cut: Cutter, reason: str) -> dict[str, Any]:
    """Withdraw the person's open complaints, then cut their name and address from the texts.

    Their complaints, the thread on them and the public copies stay; their in-app notices go.
    Returns the numbers of the complaints withdrawn, for the deletion's audit entry.
    """
    open_ids = list(
        Complaint.objects.filter(complainant=user, status__in=OPEN_STATES).order_by("pk").values_list("pk", flat=True)
    )
    withdrawn = [complaint_withdraw(complaint_id=pk, user=user, reason=reason).complaint.number for pk in open_ids]
    complaints = list(Complaint.objects.filter(complainant=user).select_for_update().order_by("pk"))
    changed = _cut_fields(complaints, COMPLAINT_TEXTS, cut)
    bulk_set(changed, list(COMPLAINT_TEXTS))
    ids = [complaint.pk for complaint in complaints]
    for model in thread_models():
        items = list(model._default_manager.filter(complaint_id__in=ids).order_by("pk"))
        bulk_set(_cut_fields(items, THREAD_TEXTS, cut), list(THREAD_TEXTS))
    complaints_refresh_search(complaint_ids=ids)
    Notification.objects.filter(user=user).delete()
    return {"withdrawn": sorted(withdrawn), "complaints_kept": len(ids)}
