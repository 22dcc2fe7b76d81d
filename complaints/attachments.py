"""Attachments: checked by content, not by name (PDF, PNG and JPEG up to 10 MB each), and served privately."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

if TYPE_CHECKING:
    from .models import Attachment

ALLOWED_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
MAX_BYTES = 10 * 1024 * 1024


def sniff_content_type(upload: UploadedFile) -> str | None:
    """Read the first bytes of an upload and name its real type, whatever it is called."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_attachments(uploads: Iterable[UploadedFile]) -> list[str]:
    """Return one message per refused file; an empty list means every file is acceptable."""
    problems = []
    for upload in uploads:
        name = upload.name or "file"
        if (upload.size or 0) > MAX_BYTES:
            problems.append(f"{name} is larger than 10 MB.")
            continue
        if (upload.size or 0) == 0:
            problems.append(f"{name} is empty.")
            continue
        if sniff_content_type(upload) not in ALLOWED_TYPES:
            problems.append(f"{name} is not a PDF, PNG or JPEG file (checked by its content, not its name).")
    return problems


def attachment_response(attachment: Attachment, *, inline: bool) -> FileResponse:
    """The file itself, private: PDFs download unless `inline`; images show in the browser."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.content_type == "application/pdf" and not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
