"""Shapes of the account and business API. Rules live in accounts.services."""

from __future__ import annotations

from knox.models import AuthToken
from rest_framework import serializers

from accounts.models import Business, Location, Membership
from accounts.zones import ZONE_NAMES
from core.api_fields import FreshFields


class SignupSerializer(FreshFields, serializers.Serializer):
    email = serializers.EmailField(
        max_length=254, help_text="The address you will sign in with; a confirmation link is sent to it."
    )
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}, help_text="Checked by the password rules."
    )
    name = serializers.CharField(max_length=150, help_text="Your name, as businesses and staff will see it.")
    # A name checked against the system's zones, not an enum: the schema stays small (docs/api.md).
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="An IANA time zone name (e.g. Europe/Berlin) that e-mails give times in; empty: the site's zone.",
    )

    def validate_time_zone(self, value: str) -> str:
        if value and value not in ZONE_NAMES:
            raise serializers.ValidationError("Unknown time zone: give an IANA name such as Europe/Berlin.")
        return value


class SignupAcceptedSerializer(FreshFields, serializers.Serializer):
    email = serializers.EmailField(read_only=True, help_text="The address the message was sent to.")
    detail = serializers.CharField(read_only=True, help_text="What to do next: open the link in the message.")


class TokenRequestSerializer(FreshFields, serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="The account's sign-in address.")
    password = serializers.CharField(
        max_length=128, style={"input_type": "password"}, help_text="The account's password."
    )
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Staff, when second factors are required: a code from the authenticator app, or a recovery code.",
    )


class AccountDeleteSerializer(FreshFields, serializers.Serializer):
    password = serializers.CharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="The account's password, asked again.",
    )


class TokenSerializer(FreshFields, serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it on each request as `Authorization: Token <token>`. Shown once: Redress keeps only a "
        "digest of it. Its first 15 characters are its `id`."
    )
    expires_at = serializers.DateTimeField(help_text="When the token stops working; then sign in again.")


class ApiTokenSerializer(FreshFields, serializers.Serializer):
    """One of the owner's API tokens; never the token itself, which Redress does not keep."""

    id = serializers.CharField(
        source="token_key", read_only=True, help_text="The token's first 15 characters; revoke it by this id."
    )
    created_at = serializers.DateTimeField(source="created", read_only=True, help_text="When it was issued.")
    expires_at = serializers.DateTimeField(source="expiry", read_only=True, help_text="When it stops working.")
    current = serializers.SerializerMethodField(help_text="Whether this request was signed with this token.")

    def get_current(self, token: AuthToken) -> bool:
        return token.digest == self.context.get("current_digest")


class TokensRevokedSerializer(FreshFields, serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many tokens were ended.")


class LocationSerializer(FreshFields, serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["label", "address", "city", "region", "postal_code", "country"]
        extra_kwargs = {
            "label": {"help_text": "What the business calls this place, if anything."},
            "address": {"help_text": "Street address."},
            "city": {"help_text": "City."},
            "region": {"help_text": "State, province or region."},
            "postal_code": {"help_text": "Postal code."},
            "country": {"help_text": "ISO 3166-1 alpha-2 country code."},
        }


BUSINESS_HELP = {
    "slug": {"help_text": "The business's identifier in URLs."},
    "name": {"help_text": "The business's name."},
    "category": {"help_text": "What kind of business it is."},
    "website": {"help_text": "The business's website."},
    "phone": {"help_text": "The business's public phone number."},
    "address": {"help_text": "Street address of the main office."},
    "city": {"help_text": "City of the main office."},
    "region": {"help_text": "State, province or region of the main office."},
    "postal_code": {"help_text": "Postal code of the main office."},
    "country": {"help_text": "ISO 3166-1 alpha-2 country code of the main office."},
    "accredited": {"help_text": "Whether the business is accredited."},
}


class BusinessSerializer(FreshFields, serializers.ModelSerializer):
    """A directory entry."""

    # Plain strings: the website may be empty, which is no URI.
    website = serializers.CharField(read_only=True, help_text="The business's website; empty when unknown.")

    class Meta:
        model = Business
        fields = ["slug", "name", "category", "website", "phone", "address", "city", "region", "postal_code",
                  "country", "accredited"]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = BUSINESS_HELP


class BusinessCreateSerializer(FreshFields, serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="The business's name; its slug is made from it.")
    notice_email = serializers.EmailField(max_length=254, help_text="Where complaint notices are sent.")
    website = serializers.URLField(max_length=200, required=False, default="", allow_blank=True,
                                   help_text="The business's website.")  # fmt: skip
    category = serializers.CharField(max_length=120, required=False, default="", allow_blank=True,
                                     help_text="What kind of business it is.")  # fmt: skip
    address = serializers.CharField(max_length=255, required=False, default="", allow_blank=True,
                                    help_text="Street address of the main office.")  # fmt: skip


class RepresentativeAddSerializer(FreshFields, serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="The sign-in address of an existing Redress account.")


class RepresentativeSerializer(FreshFields, serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True, help_text="The representative's address.")
    name = serializers.CharField(source="user.name", read_only=True, help_text="The representative's name.")
    business = serializers.SlugField(source="business.slug", read_only=True, help_text="The business's slug.")

    class Meta:
        model = Membership
        fields = ["email", "name", "business", "role", "created_at"]
        read_only_fields = fields
        extra_kwargs = {
            "role": {"help_text": "owner or representative."},
            "created_at": {"help_text": "When the user became a representative."},
        }
