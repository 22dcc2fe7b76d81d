"""The complainant's own complaints: /complaints/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..presentation import standing
from ..selectors.visibility import complaint_list_for_complainant
from ..workflow import Actor

ROLES = {Actor.COMPLAINANT}


@login_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    user = request.user
    verified = user.email_verified_at is not None  # type: ignore[union-attr]
    now = timezone.now()
    complaints = list(complaint_list_for_complainant(user=user).order_by("-filed_at"))  # type: ignore[arg-type]
    for complaint in complaints:
        complaint.standing = standing(  # type: ignore[attr-defined]
            complaint.status, complaint.due_at, ROLES, now=now, complainant_verified=verified
        )
    return render(
        request,
        "complaints/my_complaints.html",
        {
            "complaints": complaints,
            "waiting_for_verification": any(c.standing.move.confirm_email for c in complaints),  # type: ignore[attr-defined]
        },
    )
