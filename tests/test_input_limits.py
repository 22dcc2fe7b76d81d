"""Every form and API field refuses what its column cannot hold, and every form refuses NUL.

The walk finds each form class and each serializer that the API reads a body with, in every
Redress module, so a field added later without a limit fails here (docs/api.md, "Limits of input").
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from core.forms import NulFreeMixin

APPS = ("core", "accounts", "complaints", "disputes", "inbound", "webhooks")

# The column each text field of a plain form or serializer is stored in, with the column's
# length (None: a text column, limited by the field alone). Model forms are matched to their
# model's columns without this table.
COLUMNS = {
    "webhooks.forms.EndpointForm.url": ("webhooks.Endpoint.url", 500),
    "webhooks.api.serializers.EndpointCreateSerializer.url": ("webhooks.Endpoint.url", 500),
    "webhooks.api.serializers.EndpointUpdateSerializer.url": ("webhooks.Endpoint.url", 500),
    "accounts.forms.SignUpForm.email": ("accounts.User.email", 254),
    "accounts.forms.SignUpForm.name": ("accounts.User.name", 150),
    "accounts.forms.SignInForm.username": ("accounts.User.email", 254),
    "accounts.forms.InvitationForm.email": ("accounts.Invitation.email", 254),
    "accounts.forms.RepresentationRequestForm.message": ("accounts.RepresentationRequest.message", None),
    "accounts.forms.InvitationRevokeForm.reason": ("accounts.BusinessAuditEntry.reason", None),
    "accounts.admin.BusinessForm.alert_reason": ("accounts.BusinessAuditEntry.reason", None),
    "complaints.forms.filing.BusinessStepForm.business_name": ("complaints.Complaint.business_name", 200),
    "complaints.forms.filing.BusinessStepForm.business_website": ("complaints.Complaint.business_website", 200),
    "complaints.forms.filing.BusinessStepForm.business_address": ("complaints.Complaint.business_address", 255),
    "complaints.forms.filing.BusinessStepForm.business_email": ("complaints.Complaint.business_email", 254),
    "complaints.forms.filing.BusinessStepForm.business_phone": ("complaints.Complaint.business_phone", 40),
    "complaints.forms.filing.DetailsStepForm.description": ("complaints.Complaint.description", None),
    "complaints.forms.filing.DetailsStepForm.desired_outcome_detail": (
        "complaints.Complaint.desired_outcome_detail",
        255,
    ),
    "complaints.forms.filing.DetailsStepForm.currency": ("complaints.Complaint.currency", 3),
    "complaints.forms.filing.DetailsStepForm.reference": ("complaints.Complaint.reference", 100),
    "complaints.forms.filing.DetailsStepForm.region": ("complaints.Complaint.region", 100),
    "complaints.forms.filing.DetailsStepForm.business_ticket_reference": (
        "complaints.Complaint.business_ticket_reference",
        100,
    ),
    "complaints.forms.case.ResponseForm.text": ("disputes.BusinessResponse.text", None),
    "complaints.forms.open_data.OpenDataFilterForm.state": ("complaints.Complaint.region", 100),
    "complaints.forms.profile.ProfileFilterForm.region": ("complaints.Complaint.region", 100),
    "complaints.forms.open_data.OpenDataFilterForm.search_term": ("complaints.Complaint.description_masked", None),
    "complaints.forms.search.SearchForm.q": ("complaints.Complaint.description_masked", None),
    "complaints.forms.search.SearchForm.business": ("accounts.Business.slug", 220),
    "complaints.forms.case.MessageForm.text": ("disputes.CustomerAnswer.text", None),
    "complaints.forms.case.StaffNoteForm.text": ("complaints.StaffNote.text", None),
    "complaints.api.serializers.StaffNoteCreateSerializer.text": ("complaints.StaffNote.text", None),
    "disputes.forms.StaffActionForm.reason": ("complaints.ComplaintEvent.reason", None),
    "disputes.forms.StaffActionForm.duplicate_of": ("complaints.Complaint.number", 8),
    "complaints.admin.patterns.PatternReviewForm.alert_text": ("accounts.Business.alert", None),
    "complaints.admin.patterns.PatternReviewForm.decision_reason": ("complaints.PatternReview.reason", None),
    "complaints.admin.complaint.ComplaintForm.edit_reason": ("complaints.ComplaintEvent.reason", None),
    "accounts.api.serializers.SignupSerializer.email": ("accounts.User.email", 254),
    "accounts.api.serializers.SignupSerializer.name": ("accounts.User.name", 150),
    "accounts.api.serializers.SignupSerializer.time_zone": ("accounts.User.time_zone", 64),
    "accounts.api.serializers.TokenRequestSerializer.email": ("accounts.User.email", 254),
    "accounts.api.serializers.BusinessCreateSerializer.name": ("accounts.Business.name", 200),
    "accounts.api.serializers.BusinessCreateSerializer.notice_email": ("accounts.Business.notice_email", 254),
    "accounts.api.serializers.BusinessCreateSerializer.website": ("accounts.Business.website", 200),
    "accounts.api.serializers.BusinessCreateSerializer.category": ("accounts.Business.category", 120),
    "accounts.api.serializers.BusinessCreateSerializer.address": ("accounts.Business.address", 255),
    "accounts.api.serializers.RepresentativeAddSerializer.email": ("accounts.User.email", 254),
    "complaints.api.serializers.ComplaintFileSerializer.business": ("accounts.Business.slug", 220),
    "complaints.api.serializers.ComplaintFileSerializer.business_name": ("complaints.Complaint.business_name", 200),
    "complaints.api.serializers.ComplaintFileSerializer.business_website": (
        "complaints.Complaint.business_website",
        200,
    ),
    "complaints.api.serializers.ComplaintFileSerializer.business_address": (
        "complaints.Complaint.business_address",
        255,
    ),
    "complaints.api.serializers.ComplaintFileSerializer.business_email": ("complaints.Complaint.business_email", 254),
    "complaints.api.serializers.ComplaintFileSerializer.business_phone": ("complaints.Complaint.business_phone", 40),
    "complaints.api.serializers.ComplaintFileSerializer.description": ("complaints.Complaint.description", None),
    "complaints.api.serializers.ComplaintFileSerializer.desired_outcome_detail": (
        "complaints.Complaint.desired_outcome_detail",
        255,
    ),
    "complaints.api.serializers.ComplaintFileSerializer.currency": ("complaints.Complaint.currency", 3),
    "complaints.api.serializers.ComplaintFileSerializer.reference": ("complaints.Complaint.reference", 100),
    "complaints.api.serializers.WithdrawSerializer.reason": ("complaints.ComplaintEvent.reason", None),
    "complaints.api.serializers.PublicTextSerializer.description": ("complaints.Complaint.description_masked", None),
    "complaints.api.serializers.PublicTextSerializer.reason": ("complaints.ComplaintEvent.reason", None),
    "complaints.api.serializers.PublicResponseSerializer.text": ("complaints.Complaint.public_response", None),
    "complaints.api.serializers.ComplaintFileSerializer.region": ("complaints.Complaint.region", 100),
    "complaints.api.serializers.ComplaintFileSerializer.business_ticket_reference": (
        "complaints.Complaint.business_ticket_reference",
        100,
    ),
    "complaints.api.serializers.StaffTransitionSerializer.reason": ("complaints.ComplaintEvent.reason", None),
    "complaints.api.serializers.StaffTransitionSerializer.duplicate_of": ("complaints.Complaint.number", 8),
    "disputes.api.serializers.ResponseCreateSerializer.text": ("disputes.BusinessResponse.text", None),
    "disputes.api.serializers.AnswerCreateSerializer.text": ("disputes.CustomerAnswer.text", None),
    "disputes.api.serializers.BusinessInformationCreateSerializer.text": ("disputes.BusinessInformation.text", None),
}
# Text fields that are never stored as typed: a search box, one-time codes, and passwords (only their hash is kept;
# password inputs of forms are left out by their widget).
NOT_STORED = {
    "complaints.forms.filing.BusinessStepForm.query",
    "accounts.forms.MfaSetupForm.code",
    "accounts.forms.MfaVerifyForm.code",
    "accounts.api.serializers.TokenRequestSerializer.otp",
    "accounts.api.serializers.SignupSerializer.password",
    "accounts.api.serializers.TokenRequestSerializer.password",
    "accounts.api.serializers.AccountDeleteSerializer.password",
}


def _import_every_module():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".tests" not in module.name and ".migrations" not in module.name:
                importlib.import_module(module.name)


def _subclasses(base):
    found, pending = set(), [base]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return {cls for cls in found if cls.__module__.split(".")[0] in APPS and ".tests" not in cls.__module__}


def _name(cls, field):
    return f"{cls.__module__}.{cls.__qualname__}.{field}"


def _column(label):
    app_model, field = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(field)


@pytest.fixture(scope="module")
def form_classes():
    _import_every_module()
    return sorted(_subclasses(forms.BaseForm), key=lambda cls: _name(cls, ""))


@pytest.fixture(scope="module")
def input_serializers():
    """The serializers that read a request body: those with a request component in the schema."""
    _import_every_module()
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    requested = {name.removesuffix("Request") for name in components if name.endswith("Request")}
    found = [cls for cls in _subclasses(serializers.Serializer) if cls.__name__.removesuffix("Serializer") in requested]
    return sorted(found, key=lambda cls: _name(cls, ""))


def _text_fields_of_form(cls):
    """Text fields (e-mail, URL and slug fields are text fields too), leaving out passwords, which are hashed."""
    for name, field in cls.base_fields.items():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            yield name, field


def _text_fields_of_serializer(cls):
    for name, field in cls().fields.items():
        if isinstance(field, serializers.CharField) and not field.read_only:
            yield name, field


def test_the_walk_finds_the_forms_and_serializers_of_every_door(form_classes, input_serializers):
    form_names = {_name(cls, "")[:-1] for cls in form_classes}
    assert {
        "accounts.forms.SignUpForm",
        "accounts.forms.SignInForm",
        "accounts.forms.InvitationForm",
        "complaints.forms.filing.BusinessStepForm",
        "complaints.forms.case.MessageForm",
        "disputes.forms.StaffActionForm",
        "accounts.admin.BusinessForm",
    } <= form_names
    serializer_names = {_name(cls, "")[:-1] for cls in input_serializers}
    assert {
        "accounts.api.serializers.SignupSerializer",
        "accounts.api.serializers.TokenRequestSerializer",
        "accounts.api.serializers.BusinessCreateSerializer",
        "complaints.api.serializers.ComplaintFileSerializer",
        "disputes.api.serializers.AnswerCreateSerializer",
    } <= serializer_names
    assert "complaints.api.serializers.ComplaintDetailSerializer" not in serializer_names  # output only


def test_every_form_refuses_nul_characters(form_classes):
    assert [cls.__qualname__ for cls in form_classes if not issubclass(cls, NulFreeMixin)] == []


def test_every_text_field_of_a_form_is_limited_to_its_column(form_classes):
    problems = []
    for cls in form_classes:
        model = getattr(getattr(cls, "_meta", None), "model", None)
        for name, field in _text_fields_of_form(cls):
            full = _name(cls, name)
            if full in NOT_STORED:
                continue
            if field.max_length is None:
                problems.append(f"{full}: no max_length")
            elif full in COLUMNS:
                problems += _over_column(full, field.max_length)
            elif model is not None and name in {f.name for f in model._meta.get_fields()}:
                column = model._meta.get_field(name).max_length
                if column is not None and field.max_length > column:
                    problems.append(f"{full}: {field.max_length} > column {column}")
            else:
                problems.append(f"{full}: not in COLUMNS (which column stores it?)")
    assert problems == []


def test_every_text_field_of_an_api_body_is_limited_to_its_column(input_serializers):
    problems = []
    for cls in input_serializers:
        for name, field in _text_fields_of_serializer(cls):
            full = _name(cls, name)
            if field.max_length is None:
                problems.append(f"{full}: no max_length")
            elif full in COLUMNS:
                problems += _over_column(full, field.max_length)
            elif full not in NOT_STORED:
                problems.append(f"{full}: not in COLUMNS (which column stores it?)")
    assert problems == []


def test_every_string_of_every_request_body_in_the_schema_has_a_max_length():
    """The same rule read from the published schema, which also covers bodies without a serializer class."""
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    unbounded = [
        f"{name}.{field}"
        for name, component in components.items()
        if name.endswith("Request")
        for field, spec in component.get("properties", {}).items()
        if spec.get("type") == "string"
        and spec.get("format") not in {"date", "date-time", "decimal", "binary"}
        and "enum" not in spec
        and "maxLength" not in spec
    ]
    assert unbounded == []


def _over_column(full, max_length):
    label, length = COLUMNS[full]
    column = _column(label).max_length
    if column != length:
        return [f"{full}: the table says {label} holds {length}, the model says {column}"]
    if length is not None and max_length > length:
        return [f"{full}: {max_length} > column {length}"]
    return []
