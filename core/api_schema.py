"""Pieces of the OpenAPI description shared by every API view."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERROR_MEANINGS = {
    400: "Invalid input: `errors` names each field at fault (`non_field_errors` otherwise).",
    401: "Not signed in: send `Authorization: Token <token>` or use a session.",
    403: "Signed in, but not allowed to do this (wrong role, or a party who may see but not act).",
    404: "No such thing, or not yours to see: the two answer the same.",
    409: "The complaint's present status does not allow this move.",
    429: "Too many requests: wait for the number of seconds in `Retry-After`.",
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A sentence for people.")
    code = serializers.CharField(
        help_text="A machine value: invalid, not_authenticated, authentication_failed, permission_denied, "
        "not_allowed, not_found, invalid_transition, throttled, parse_error, method_not_allowed, ..."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # Declared here, not as a class attribute, so that it does not hide `Serializer.errors`.
        fields = super().get_fields()
        fields["errors"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="For 400: messages per field (`non_field_errors` when no field is to blame). Empty otherwise.",
        )
        return fields


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses for `extend_schema(responses=...)`."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_MEANINGS[code]) for code in codes}
