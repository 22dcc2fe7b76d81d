"""Shapes of the complaint API. Serializers check shape; complaints.services checks the rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import LocationSerializer
from complaints.closing import summary_of
from complaints.history import history
from complaints.issues import COUNTRIES, ISSUE_LABELS, ResponseOutcome
from complaints.models import Attachment, Complaint, ComplaintType, DesiredOutcome, DueKind, RejectReason, Status
from complaints.services import DESCRIPTION_MAX, MAX_ATTACHMENTS, NOTE_MAX
from core.api_fields import FreshFields
from disputes.api.serializers import (
    ThreadAttachmentSerializer,
    ThreadItemSerializer,
    attachment_item,
    attachments_field,
    thread_item,
)
from disputes.models import MediationCase
from disputes.selectors import act_attachments, filed_attachments
from disputes.services import STAFF_ACTIONS, thread_for


class ComplaintFileSerializer(FreshFields, serializers.Serializer):
    # No schema default for the slug and the e-mail: '' is allowed but would contradict their
    # pattern and format in the OpenAPI document; `validate` fills in '' when they are left out.
    business = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=220,
        help_text="Slug of the business in the directory. Leave empty and give `business_name` if it is not listed.",
    )
    business_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="Name of a business not listed."
    )
    business_website = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="Website of a business not listed."
    )
    business_address = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255, help_text="Address of a business not listed."
    )
    business_email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="E-mail address of a business not listed.",
    )
    business_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="Phone number of a business not listed."
    )
    type = serializers.ChoiceField(choices=ComplaintType.choices, help_text="The complaint type.")
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        help_text="What happened, in plain text, 50 to 10,000 characters. Frozen once filed.",
    )
    desired_outcomes = serializers.ListField(
        child=serializers.ChoiceField(choices=DesiredOutcome.choices),
        required=False,
        allow_empty=False,
        max_length=len(DesiredOutcome.choices),
        help_text="The outcomes wanted, main one first, each once (in `multipart/form-data`, one part each). "
        "Give this or `desired_outcome`.",
    )
    desired_outcome = serializers.ChoiceField(
        choices=DesiredOutcome.choices,
        required=False,
        help_text="One outcome wanted, for a client that sends one; `desired_outcomes` takes several.",
    )
    desired_outcome_detail = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=255,
        help_text="A short detail of the outcome wanted; required when the outcomes include `other`.",
    )
    transaction_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="When the transaction took place (not in the future)."
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Amount in dispute (not negative).",
    )
    currency = serializers.CharField(
        required=False, default="USD", max_length=3, help_text="Three-letter ISO 4217 currency code of the amount."
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="Order or account reference."
    )
    publish_consent = serializers.BooleanField(
        required=False, default=False, help_text="Consent to publish the text, masked, once the complaint closes."
    )
    issue = serializers.ChoiceField(
        choices=list(ISSUE_LABELS.items()),
        required=False,
        allow_blank=True,
        default="",
        help_text="The issue under `type` (GET /api/v1/open-data/ lists each type's issues); it must belong to "
        "the type.",
    )
    country = serializers.ChoiceField(
        choices=list(COUNTRIES.items()),
        required=False,
        allow_blank=True,
        default="",
        help_text="The consumer's country, an ISO 3166-1 alpha-2 code; published.",
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="The consumer's state or region; published at this level only.",
    )
    contacted_business = serializers.BooleanField(
        required=False, default=False, help_text="Whether the consumer contacted the business before filing."
    )
    business_ticket_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="The business's ticket or case reference, when the consumer contacted it. Not published.",
    )
    affirm_true = serializers.BooleanField(help_text="The complainant affirms the complaint is true (must be true).")
    affirm_not_in_court = serializers.BooleanField(
        help_text="The complainant affirms the matter is not in court (must be true)."
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        write_only=True,
        help_text=f"Files, sent as `multipart/form-data` with one `attachments` part each: up to {MAX_ATTACHMENTS}, "
        "PDF, PNG or JPEG (checked by content), 10 MB each. Only the parties and staff can open them.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("business", "")
        attrs.setdefault("business_email", "")
        outcomes = attrs.get("desired_outcomes")
        one = attrs.pop("desired_outcome", None)
        if outcomes is None:
            if one is None:
                raise serializers.ValidationError({"desired_outcomes": ["Choose at least one outcome you want."]})
            outcomes = [one]
        elif one is not None and one != outcomes[0]:
            raise serializers.ValidationError(
                {"desired_outcome": ["Give the main outcome first in `desired_outcomes`, or leave this out."]}
            )
        if len(set(outcomes)) != len(outcomes):
            raise serializers.ValidationError({"desired_outcomes": ["Choose each outcome once."]})
        attrs["desired_outcomes"] = outcomes
        return attrs


class ComplaintListSerializer(FreshFields, serializers.ModelSerializer):
    """A complaint as the parties and staff see it, without the thread."""

    business: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Slug of the business, null if not listed."
    )
    business_name = serializers.CharField(
        source="business_display_name", read_only=True, help_text="Name of the business complained about."
    )
    complainant_name = serializers.CharField(source="complainant.name", read_only=True, help_text="Who filed it.")
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text="Where the case stands.")
    due_kind = serializers.ChoiceField(
        choices=DueKind.choices, read_only=True, help_text="What `due_at` is for; empty when nothing is due."
    )
    desired_outcomes = serializers.ListField(
        child=serializers.ChoiceField(choices=DesiredOutcome.choices),
        source="desired_outcome_values",
        read_only=True,
        help_text="Every outcome the complainant wants, main one first.",
    )

    class Meta:
        model = Complaint
        fields = [
            "number",
            "status",
            "status_changed_at",
            "due_at",
            "due_kind",
            "business",
            "business_name",
            "complainant_name",
            "type",
            "desired_outcome",
            "desired_outcomes",
            "filed_at",
            "closed_at",
            "response_count",
            "late_response",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "number": {"help_text": "The case number: 8 digits, the complaint's identifier in URLs."},
            "status_changed_at": {"help_text": "When the status last changed."},
            "due_at": {"help_text": "When the party whose move it is must act; null when nothing is due."},
            "type": {"help_text": "The complaint type."},
            "desired_outcome": {"help_text": "The main outcome wanted: the first of `desired_outcomes`."},
            "filed_at": {"help_text": "When the complaint was filed."},
            "closed_at": {"help_text": "When the complaint closed; null while open."},
            "response_count": {"help_text": "How many times the business has responded."},
            "late_response": {"help_text": "Whether the business responded after the case closed as Unanswered."},
        }


class AttachmentSerializer(FreshFields, serializers.Serializer):
    id = serializers.IntegerField(help_text="The attachment's identifier.")
    name = serializers.CharField(source="original_name", help_text="The file's name as uploaded.")
    content_type = serializers.CharField(help_text="application/pdf, image/png or image/jpeg.")
    size = serializers.IntegerField(help_text="Size in bytes.")
    created_at = serializers.DateTimeField(help_text="When it was uploaded.")
    url = serializers.SerializerMethodField(help_text="Where the parties and staff download it (signed in).")

    def get_url(self, attachment: Attachment) -> str:
        return reverse("api-complaint-attachment", args=[attachment.complaint.number, attachment.pk])


class TimelineEventSerializer(FreshFields, serializers.Serializer):
    """One event of the complaint's append-only timeline, with its link in the hash chain."""

    kind = serializers.CharField(help_text="The workflow event, e.g. forward, respond, reject_answer, rule_answered.")
    actor = serializers.ChoiceField(
        choices=["complainant", "representative", "staff", "system"], help_text="Who acted, by role."
    )
    text = serializers.CharField(help_text="What happened, in a sentence.")
    reason = serializers.CharField(
        allow_blank=True, help_text="The reason staff (or the complainant) gave; may be empty."
    )
    created_at = serializers.DateTimeField(help_text="When it happened.")
    hash = serializers.CharField(help_text="SHA-256 over this event and the previous event's hash (docs/domain.md).")
    attachments = ThreadAttachmentSerializer(
        many=True,
        help_text="The private files staff sent with this act, oldest first; empty for other events. Never published.",
    )


def timeline_data(
    complaint: Complaint, events: Any, files: Mapping[int, Sequence[Attachment]] | None = None
) -> list[dict[str, Any]]:
    """The timeline's events as the API gives them to the parties; `files`: those sent with staff acts, by event."""
    events = list(events)
    lines = history(events, business=complaint.business_display_name, files=files)
    return [
        {
            "kind": event.event,
            "actor": event.actor_role,
            "text": line.text,
            "reason": line.reason,
            "created_at": event.created_at,
            "hash": event.hash,
            "attachments": [attachment_item(file, number=complaint.number) for file in line.attachments],
        }
        for event, line in zip(events, lines, strict=True)
    ]


class ComplaintDetailSerializer(ComplaintListSerializer):
    """One complaint with everything its parties may read, and the thread in date order."""

    thread = serializers.SerializerMethodField(
        help_text="Business responses and customer answers, oldest first, each with its author's role."
    )
    attachments = serializers.SerializerMethodField(
        help_text="The private files filed with the complaint, oldest first; never published."
    )
    timeline = serializers.SerializerMethodField(help_text="Every event of the complaint, oldest first.")
    timeline_head = serializers.CharField(
        read_only=True, help_text="The hash of the last event: the head of the timeline's hash chain."
    )
    closing_summary = serializers.SerializerMethodField(
        help_text="Why the complaint closed, in one sentence; empty while it is open."
    )
    # Plain strings: what the complainant gave may be empty, which is no e-mail address.
    business_email = serializers.CharField(
        read_only=True, help_text="E-mail address the complainant gave for a business not listed."
    )
    reject_reason = serializers.ChoiceField(
        choices=[("", "Not rejected"), *RejectReason.choices],
        read_only=True,
        help_text="Why staff rejected the complaint; empty unless rejected.",
    )

    assigned_to = serializers.SerializerMethodField(
        help_text="E-mail address of the staff member looking after the case; shown to staff only, null otherwise."
    )

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "business_website",
            "business_address",
            "business_email",
            "business_phone",
            "description",
            "desired_outcome_detail",
            "transaction_date",
            "amount",
            "currency",
            "reference",
            "publish_consent",
            "issue",
            "country",
            "region",
            "contacted_business",
            "business_ticket_reference",
            "business_outcome",
            "relief_amount",
            "public_response",
            "public_response_at",
            "on_hold",
            "assigned_to",
            "reject_reason",
            "attachments",
            "thread",
            "timeline",
            "timeline_head",
            "closing_summary",
        ]
        read_only_fields = fields
        extra_kwargs = {
            **ComplaintListSerializer.Meta.extra_kwargs,
            "business_website": {"help_text": "Website the complainant gave for a business not listed."},
            "business_address": {"help_text": "Address the complainant gave for a business not listed."},
            "business_email": {"help_text": "E-mail address the complainant gave for a business not listed."},
            "business_phone": {"help_text": "Phone number the complainant gave for a business not listed."},
            "description": {"help_text": "What happened, as filed (the original, unmasked text)."},
            "desired_outcome_detail": {"help_text": "A short detail of the outcome wanted."},
            "transaction_date": {"help_text": "When the transaction took place."},
            "amount": {"help_text": "Amount in dispute."},
            "currency": {"help_text": "Currency of the amount."},
            "reference": {"help_text": "Order or account reference."},
            "publish_consent": {"help_text": "Whether the complainant consents to publishing the masked text."},
            "on_hold": {"help_text": "Staff hold: not forwarded automatically."},
            "reject_reason": {"help_text": "Why staff rejected the complaint, if they did."},
            "issue": {"help_text": "The issue under the complaint type; empty if none was given."},
            "country": {"help_text": "The consumer's country (ISO 3166-1 alpha-2); empty if not given."},
            "region": {"help_text": "The consumer's state or region; empty if not given."},
            "contacted_business": {"help_text": "Whether the consumer contacted the business before filing."},
            "business_ticket_reference": {"help_text": "The business's ticket reference the consumer gave."},
            "business_outcome": {
                "help_text": "The outcome of the business's latest response: `monetary_relief`, "
                "`non_monetary_relief`, `explanation` or `in_progress`; empty before a response gives one."
            },
            "relief_amount": {"help_text": "The amount of monetary relief; null otherwise."},
            "public_response": {"help_text": "The business's public response after closing, as written."},
            "public_response_at": {"help_text": "When the public response was added; null if none."},
        }

    def get_assigned_to(self, complaint: Complaint) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.is_staff or complaint.assigned_to_id is None:
            return None
        return complaint.assigned_to.email  # type: ignore[union-attr]

    @extend_schema_field(ThreadItemSerializer(many=True))
    def get_thread(self, complaint: Complaint) -> Any:
        # A caller that knows the thread (empty, for a complaint just filed) passes it in the context.
        items = self.context["thread"] if "thread" in self.context else thread_for(complaint)
        return ThreadItemSerializer([thread_item(item, number=complaint.number) for item in items], many=True).data

    def _events(self, complaint: Complaint) -> list[Any]:
        if "events" not in self.context:
            self.context["events"] = list(complaint.events.all())  # one query unless prefetched
        return self.context["events"]

    @extend_schema_field(TimelineEventSerializer(many=True))
    def get_timeline(self, complaint: Complaint) -> Any:
        # A caller that knows there are none (a complaint just filed) passes them in the context.
        files = self.context["act_attachments"] if "act_attachments" in self.context else act_attachments(complaint)
        return TimelineEventSerializer(timeline_data(complaint, self._events(complaint), files), many=True).data

    @extend_schema_field(serializers.CharField())
    def get_closing_summary(self, complaint: Complaint) -> str:
        return summary_of(complaint, self._events(complaint))

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, complaint: Complaint) -> Any:
        # Prefetched with the complaint (complaints.api.views.THREAD_PREFETCH), or passed in like the thread.
        # The files sent with the thread or a staff act are listed beside their entry or act instead.
        items = self.context["attachments"] if "attachments" in self.context else filed_attachments(complaint)
        return AttachmentSerializer(items, many=True).data


class ComplaintFiledSerializer(ComplaintDetailSerializer):
    """The complaint just filed, with the complainant's own complaints it reads like."""

    possible_duplicates = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Numbers of the complainant's complaints against the same business that read alike, "
        "most alike first; empty when none does. The complaint is filed all the same.",
    )

    class Meta(ComplaintDetailSerializer.Meta):
        fields = [*ComplaintDetailSerializer.Meta.fields, "possible_duplicates"]
        read_only_fields = fields


class WithdrawSerializer(FreshFields, serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="Why the complaint is withdrawn."
    )


class PublicTextSerializer(FreshFields, serializers.Serializer):
    description = serializers.CharField(
        max_length=12_000, help_text="The masked text to publish in place of the present one."
    )
    reason = serializers.CharField(max_length=2000, help_text="Why staff edit the published text (on the record).")


class PublicResponseSerializer(FreshFields, serializers.Serializer):
    text = serializers.CharField(
        max_length=2_000, help_text="The business's public response (up to 2,000 characters), masked when shown."
    )


class ConsentSerializer(FreshFields, serializers.Serializer):
    publish_consent = serializers.BooleanField(
        help_text="Give (true) or revoke (false) consent to publish the masked text, at any time; "
        "revoked after closing, the text is unpublished at once."
    )


class StaffTransitionSerializer(FreshFields, serializers.Serializer):
    action = serializers.ChoiceField(choices=list(STAFF_ACTIONS), help_text="The staff action to apply.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Why; required for reject, unpursuable, rule_answered, rule_unresolved, reopen and hold.",
    )
    reject_reason = serializers.ChoiceField(
        choices=RejectReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="For `reject`: the reason code.",
    )
    duplicate_of = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=8,
        help_text="For `reject` with `reject_reason` `duplicate`: the number of the complaint it duplicates.",
    )
    mediation_kind = serializers.ChoiceField(
        choices=MediationCase.Kind.choices,
        required=False,
        default=MediationCase.Kind.MEDIATION,
        help_text="For `open_mediation`: mediation or arbitration.",
    )
    attachments = attachments_field()


class StaffNoteSerializer(FreshFields, serializers.Serializer):
    id = serializers.IntegerField(help_text="The note's identifier.")
    author_name = serializers.CharField(source="author.name", help_text="The staff member who wrote it.")
    text = serializers.CharField(help_text="The note, as written; notes are never changed.")
    created_at = serializers.DateTimeField(help_text="When it was written.")


class StaffNoteCreateSerializer(FreshFields, serializers.Serializer):
    text = serializers.CharField(
        max_length=NOTE_MAX,
        allow_blank=True,
        help_text="The private note (up to 10,000 characters). Only staff read it; it cannot be changed afterwards.",
    )


class NotificationSerializer(FreshFields, serializers.Serializer):
    id = serializers.IntegerField(help_text="The notification's identifier.")
    message = serializers.CharField(help_text="What happened, with the case number.")
    complaint = serializers.CharField(
        source="complaint.number", allow_null=True, help_text="The case number it is about; null for none."
    )
    url = serializers.CharField(help_text="The page of the case, on this site.")
    created_at = serializers.DateTimeField(help_text="When it was sent.")
    read_at = serializers.DateTimeField(allow_null=True, help_text="When it was marked read; null while unread.")


class NotificationReadSerializer(FreshFields, serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=500,
        help_text="Notifications to mark read (yours; others' ids change nothing).",
    )


class NotificationReadResultSerializer(FreshFields, serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are now read.")


class StatusDefinitionSerializer(FreshFields, serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, help_text="A public closed state.")
    name = serializers.CharField(help_text="Its name for people.")
    meaning = serializers.CharField(help_text="What it means on a profile.")


class MonthCountSerializer(FreshFields, serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    count = serializers.IntegerField(help_text="Published complaints closed that month.")


class FiguresSerializer(FreshFields, serializers.Serializer):
    window_months = serializers.IntegerField(help_text="How many months the figures cover (36 by default).")
    total = serializers.IntegerField(help_text="Published complaints closed within the window.")
    closed_last_12_months = serializers.IntegerField(help_text="Of those, how many closed in the last 12 months.")
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Count per public closed state, every state present."
    )
    by_type = serializers.DictField(
        child=serializers.IntegerField(), help_text="Count per complaint type, every type present."
    )
    counted = serializers.IntegerField(
        help_text="Published complaints the response figures count: responded to before closing, or whose "
        "first response date passed before closing (see `definitions`)."
    )
    responded = serializers.IntegerField(help_text="Of those, how many got a business response.")
    answered_on_time = serializers.IntegerField(help_text="Of those, how many got it by the first due date.")
    response_percent = serializers.IntegerField(
        allow_null=True, help_text="responded / counted, in percent; null when nothing is counted."
    )
    on_time_percent = serializers.IntegerField(
        allow_null=True, help_text="answered_on_time / counted, in percent; null when nothing is counted."
    )
    definitions = serializers.DictField(
        child=serializers.CharField(), help_text="Each figure's definition, as the profile shows it."
    )
    median_response_hours = serializers.FloatField(
        allow_null=True, help_text="Median hours from forwarding to the first response; null without responses."
    )
    monthly = MonthCountSerializer(many=True, help_text="Published complaints by the month they closed, oldest first.")
    by_outcome = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Published complaints within the window by the outcome the business gave with its latest "
        "response before closing: `monetary_relief`, `non_monetary_relief`, `explanation`, `in_progress`, and "
        "`none` when it gave none; every key present, summing to `total`.",
    )
    relief_totals = serializers.DictField(
        child=serializers.DecimalField(max_digits=None, decimal_places=2),
        help_text="The monetary relief reported on those complaints, per currency code (ISO 4217), as a decimal "
        "string; empty when none was reported.",
    )


class OutcomeDefinitionSerializer(FreshFields, serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[*ResponseOutcome.choices, ("none", "None given")], help_text="A business outcome, or `none`."
    )
    name = serializers.CharField(help_text="Its name on the profile.")
    meaning = serializers.CharField(help_text="What it means on a profile.")


class BusinessProfileSerializer(FreshFields, serializers.Serializer):
    """A business's public profile with its figures."""

    slug = serializers.SlugField(help_text="The business's identifier in URLs.")
    name = serializers.CharField(help_text="The business's name.")
    category = serializers.CharField(help_text="What kind of business it is.")
    website = serializers.CharField(help_text="The business's website.")
    phone = serializers.CharField(help_text="The business's public phone number.")
    address = serializers.CharField(help_text="Street address of the main office.")
    city = serializers.CharField(help_text="City of the main office.")
    region = serializers.CharField(help_text="State, province or region of the main office.")
    postal_code = serializers.CharField(help_text="Postal code of the main office.")
    country = serializers.CharField(help_text="Country code of the main office.")
    accredited = serializers.BooleanField(help_text="Whether the business is accredited.")
    alert = serializers.CharField(help_text="Staff alert ('Important information'); empty when there is none.")
    locations = LocationSerializer(many=True, help_text="Other places of business.")
    figures = FiguresSerializer(help_text="The public figures of its complaints.")
    status_definitions = StatusDefinitionSerializer(many=True, help_text="What each public closed state means.")
    outcome_definitions = OutcomeDefinitionSerializer(
        many=True, help_text="What each outcome of `figures.by_outcome` means, in display order."
    )


class PublishedItemSerializer(FreshFields, serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["response", "answer", "information"],
        help_text="`response` or `information` from the business, or the customer's `answer`.",
    )
    author_role = serializers.ChoiceField(
        choices=["representative", "complainant"], help_text="The business's `representative` or the `complainant`."
    )
    text = serializers.CharField(
        allow_null=True, help_text="The masked text; null where the complainant did not consent to publication."
    )
    verdict = serializers.CharField(allow_blank=True, help_text="For answers: accept, reject or none. Empty otherwise.")
    is_late = serializers.BooleanField(help_text="For responses: sent after the case closed as Unanswered.")
    created_at = serializers.DateTimeField(help_text="When it was written.")


class PublishedComplaintSerializer(FreshFields, serializers.Serializer):
    """A published complaint: type, dates and status always; masked text only with consent."""

    number = serializers.CharField(help_text="The case number.")
    type = serializers.ChoiceField(choices=ComplaintType.choices, help_text="The complaint type.")
    desired_outcomes = serializers.ListField(
        child=serializers.ChoiceField(choices=DesiredOutcome.choices),
        help_text="Every outcome the complainant wants, main one first.",
    )
    status = serializers.ChoiceField(choices=Status.choices, help_text="The public closed state.")
    filed_at = serializers.DateTimeField(help_text="When it was filed.")
    closed_at = serializers.DateTimeField(help_text="When it closed.")
    late_response = serializers.BooleanField(help_text="Whether the business responded late.")
    text = serializers.CharField(
        allow_null=True, help_text="The masked complaint text; null where the complainant did not consent."
    )
    closing_summary = serializers.CharField(help_text="Why it closed, in one sentence.")
    timeline_head = serializers.CharField(
        help_text="The head of the complaint's hash chain: a copy of the record can be checked against it later."
    )
    thread = PublishedItemSerializer(
        many=True, help_text="Responses, information from the business and answers, oldest first, masked."
    )


def published_data(entry: Any) -> dict[str, Any]:
    """The serializable form of a `complaints.selectors.public.PublishedEntry`."""
    complaint = entry.complaint
    return {
        "number": complaint.number,
        "type": complaint.type,
        "desired_outcomes": complaint.desired_outcome_values,
        "status": complaint.status,
        "filed_at": complaint.filed_at,
        "closed_at": complaint.closed_at,
        "late_response": complaint.late_response,
        "text": entry.text,
        "closing_summary": entry.closing_summary,
        "timeline_head": complaint.timeline_head,
        "thread": [
            {
                "kind": item.kind,
                "author_role": "complainant" if item.kind == "answer" else "representative",
                "text": item.text,
                "verdict": item.verdict,
                "is_late": item.is_late,
                "created_at": item.created_at,
            }
            for item in entry.thread
        ],
    }
