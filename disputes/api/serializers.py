"""Shapes of the exchange after filing: the thread, business responses, customer answers, business information."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from rest_framework import serializers

from complaints.issues import ResponseOutcome
from complaints.models import Attachment, ComplaintEvent
from complaints.services import MAX_ATTACHMENTS
from core.api_fields import FreshFields
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer, Verdict
from disputes.services import TEXT_MAX

KIND_RESPONSE = "response"
KIND_ANSWER = "answer"
KIND_INFORMATION = "information"


class ThreadAttachmentSerializer(FreshFields, serializers.Serializer):
    id = serializers.IntegerField(help_text="The attachment's identifier.")
    name = serializers.CharField(help_text="The file's name as uploaded.")
    content_type = serializers.CharField(help_text="application/pdf, image/png or image/jpeg.")
    size = serializers.IntegerField(help_text="Size in bytes.")
    url = serializers.CharField(
        help_text="Where the parties and staff download it (signed in); anyone else gets 404. Never published."
    )


class ThreadItemSerializer(FreshFields, serializers.Serializer):
    """One business response, customer answer or business information; the thread lists them in date order."""

    kind = serializers.ChoiceField(
        choices=[KIND_RESPONSE, KIND_ANSWER, KIND_INFORMATION],
        help_text="`response` from the business, `answer` from the customer, or `information` from the business "
        "(added where no response was due; it is not a response and counts no round).",
    )
    author_role = serializers.ChoiceField(
        choices=[ComplaintEvent.ActorRole.REPRESENTATIVE.value, ComplaintEvent.ActorRole.COMPLAINANT.value],
        help_text="Who wrote it: `representative` of the business or the `complainant`.",
    )
    author_name = serializers.CharField(help_text="The author's name (the parties and staff see names).")
    text = serializers.CharField(allow_blank=True, help_text="What the author wrote.")
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        allow_null=True,
        help_text="For answers: `accept`, `reject` or `none` (more information). Null for the business's entries.",
    )
    round = serializers.IntegerField(
        allow_null=True,
        help_text="For responses: 1 for the first, 2 after a rejection. Null for answers and information.",
    )
    is_late = serializers.BooleanField(help_text="For responses: sent after the complaint closed as Unanswered.")
    created_at = serializers.DateTimeField(help_text="When it was written.")
    attachments = ThreadAttachmentSerializer(
        many=True, help_text="The private files sent with this entry, oldest first; never published."
    )


ThreadItem = BusinessResponse | CustomerAnswer | BusinessInformation


def attachment_item(attachment: Attachment, *, number: str) -> dict:
    """The serializable form of one file of complaint `number` sent with a thread entry or a staff act."""
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": reverse("api-complaint-attachment", args=[number, attachment.pk]),
    }


def thread_item(item: ThreadItem, *, number: str, text: str | None = None, names: bool = True) -> dict:
    """The serializable form of one thread entry of complaint `number`; `text` replaces the original (e.g. masked).

    The entry's attachments are read from `item.attachments` (prefetched with the thread).
    """
    is_response = isinstance(item, BusinessResponse)
    is_answer = isinstance(item, CustomerAnswer)
    return {
        "kind": KIND_RESPONSE if is_response else KIND_ANSWER if is_answer else KIND_INFORMATION,
        "author_role": (
            ComplaintEvent.ActorRole.COMPLAINANT.value if is_answer else ComplaintEvent.ActorRole.REPRESENTATIVE.value
        ),
        "author_name": item.author.name if names else "",
        "text": item.text if text is None else text,
        "verdict": item.verdict if is_answer else None,  # type: ignore[union-attr]
        "round": item.round if is_response else None,  # type: ignore[union-attr]
        "is_late": bool(is_response and item.is_late),  # type: ignore[union-attr]
        "created_at": item.created_at,
        "attachments": [attachment_item(attachment, number=number) for attachment in item.attachments.all()],
    }


def attachments_field() -> serializers.ListField:
    """Files sent with a response, answer, information or staff act: one `attachments` part each, checked as
    filing's are."""
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text=f"Files, sent as `multipart/form-data` with one `attachments` part each: up to {MAX_ATTACHMENTS}, "
        "PDF, PNG or JPEG by their content, 10 MB each, not empty. Private to the parties and staff.",
    )


class ResponseCreateSerializer(FreshFields, serializers.Serializer):
    text = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        help_text="The business's response to the complaint (up to 10,000 characters).",
    )
    outcome = serializers.ChoiceField(
        choices=ResponseOutcome.choices,
        required=False,
        allow_blank=True,
        help_text="What the business did: `monetary_relief` (give `relief_amount`), `non_monetary_relief`, "
        "`explanation` or `in_progress`.",
    )
    relief_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text="The amount paid or credited, with `monetary_relief` only.",
    )
    attachments = attachments_field()


class BusinessInformationCreateSerializer(FreshFields, serializers.Serializer):
    text = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        help_text="The information the business adds (up to 10,000 characters). It is not a response: the state "
        "and due dates stay as they are.",
    )
    attachments = attachments_field()


class AnswerCreateSerializer(FreshFields, serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=TEXT_MAX,
        help_text="What the complainant says (up to 10,000 characters); required unless the verdict is `accept`. "
        "With `reject`, it is the reason.",
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        help_text="`none` adds information in any open state; `accept` marks the complaint resolved (also late, "
        "after Answered); `reject` rejects a business response awaiting the complainant.",
    )
    attachments = attachments_field()
