"""Reply addresses: signed, naming one user and one complaint, and not to be made up or altered.

No database: these tests judge core/replies.py in the mutation run (`bash scripts/mutation
core/replies.py`), so every expected token, address and instant is written out. The signatures
were computed with the standard library alone (`_stdlib_signature`), following docs/domain.md:
HMAC-SHA256 under the key SHA-256("redress.reply-address" + SECRET_KEY), first 15 bytes, base32,
lower case.
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from core.replies import (
    ReplyToken,
    address_token,
    case_thread_id,
    reply_address,
    reply_address_expired,
    reply_token,
    token_read,
)

# reply_token(7, 1296) under SECRET_KEY "key-one": 7 and 1296 are "7" and "100" in base 36.
TOKEN_7_1296 = "7-100-s54gxrbn5csa3y6ek6rdvcmp"
# Signatures under "key-one" of payloads reply_token never makes, to show that token_read checks
# more than the signature.
SIGNED_UNDER_KEY_ONE = {
    "100-7": "lu4zccx3dk6q3olfvz7ijvfy",
    "0-5": "a44r7yhkkpigh7lqfv6e7ux6",
    "5-0": "xydohbeqtgvrahaoypsqu23p",
    "1-1": "yzunc2daz4lji2cwpvo7ekkz",
    "07-100": "vh54dl5cp7zyntqpxu5xnkqa",
    "z-10": "4ko2zybecga4yslaetxn4hyg",
}
# reply_token(7, 1296) under SECRET_KEY "key-two".
TOKEN_7_1296_KEY_TWO = "7-100-hrfy6cumm3hjtr5pzatigrnd"


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.SECRET_KEY = "key-one"
    settings.SECRET_KEY_FALLBACKS = []
    settings.REDRESS_REPLY_DOMAIN = "reply.redress.test"
    settings.REDRESS_MESSAGE_ID_DOMAIN = "redress.test"


def _stdlib_signature(payload: str, secret: str) -> str:
    key = hashlib.sha256(("redress.reply-address" + secret).encode()).digest()
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:15]
    return base64.b32encode(digest).decode().lower()


def test_the_written_out_signatures_are_the_documented_hmac():
    assert _stdlib_signature("7-100", "key-one") == TOKEN_7_1296.split("-")[2]
    assert _stdlib_signature("7-100", "key-two") == TOKEN_7_1296_KEY_TWO.split("-")[2]
    for payload, signature in SIGNED_UNDER_KEY_ONE.items():
        assert _stdlib_signature(payload, "key-one") == signature, payload


# --- making a token ---------------------------------------------------------------------------------


def test_a_token_is_the_ids_in_base_36_and_a_24_character_signature():
    assert reply_token(7, 1296) == TOKEN_7_1296
    assert reply_token(1296, 7) == "100-7-lu4zccx3dk6q3olfvz7ijvfy"
    assert reply_token(1, 1) == "1-1-yzunc2daz4lji2cwpvo7ekkz"
    assert reply_token(35, 36) == "z-10-4ko2zybecga4yslaetxn4hyg"


def test_base_36_uses_digits_then_lower_case_letters():
    assert [reply_token(n, 1).split("-")[0] for n in (9, 10, 35, 36, 71, 1295, 1296, 46656)] == [
        "9",
        "a",
        "z",
        "10",
        "1z",
        "zz",
        "100",
        "1000",
    ]
    assert reply_token(2_147_483_647, 1).split("-")[0] == "zik0zj"


def test_a_token_is_signed_with_the_current_key_not_a_fallback(settings):
    settings.SECRET_KEY = "key-two"
    settings.SECRET_KEY_FALLBACKS = ["key-one"]
    assert reply_token(7, 1296) == TOKEN_7_1296_KEY_TWO


@pytest.mark.parametrize(("user_id", "complaint_id"), [(0, 5), (5, 0), (0, 0), (-1, 5), (5, -1)])
def test_ids_that_are_not_positive_make_no_token(user_id, complaint_id):
    with pytest.raises(ValueError, match=r"^ids are positive$"):
        reply_token(user_id, complaint_id)


# --- reading a token ---------------------------------------------------------------------------------


def test_a_token_reads_as_its_user_and_complaint():
    assert token_read(TOKEN_7_1296) == ReplyToken(user_id=7, complaint_id=1296)
    assert token_read("100-7-lu4zccx3dk6q3olfvz7ijvfy") == ReplyToken(user_id=1296, complaint_id=7)
    assert token_read("1-1-yzunc2daz4lji2cwpvo7ekkz") == ReplyToken(user_id=1, complaint_id=1)
    assert token_read("z-10-4ko2zybecga4yslaetxn4hyg") == ReplyToken(user_id=35, complaint_id=36)


def test_a_token_reads_in_any_case_and_with_spaces_around_it():
    assert token_read("7-100-S54GXRBN5CSA3Y6EK6RDVCMP") == ReplyToken(7, 1296)
    assert token_read("Z-10-4Ko2zybecga4yslaetxn4hyg") == ReplyToken(35, 36)
    assert token_read("  7-100-s54gxrbn5csa3y6ek6rdvcmp\n") == ReplyToken(7, 1296)


@pytest.mark.parametrize(
    "token",
    [
        "8-100-s54gxrbn5csa3y6ek6rdvcmp",  # another user
        "7-101-s54gxrbn5csa3y6ek6rdvcmp",  # another complaint
        "100-7-s54gxrbn5csa3y6ek6rdvcmp",  # the ids swapped
        "7-100-t54gxrbn5csa3y6ek6rdvcmp",  # the signature's first character changed
        "7-100-s54gxrbn5csa3y6ek6rdvcmq",  # its last
        "7-100-s54gxrbn5csa3y6ek6rdvcm",  # shortened
        "7-100-s54gxrbn5csa3y6ek6rdvcmpa",  # lengthened
        "7-100-",
        "7-100",
        "7-100-s54gxrbn5csa3y6ek6rdvcmp-x",
        "-7-100-s54gxrbn5csa3y6ek6rdvcmp",
        "7--s54gxrbn5csa3y6ek6rdvcmp",
        "--",
        "",
        "not-a-token",
        "7-1_0-s54gxrbn5csa3y6ek6rdvcmp",
        "7.100-s54gxrbn5csa3y6ek6rdvcmp",
    ],
)
def test_an_altered_or_malformed_token_reads_as_nothing(token):
    assert token_read(token) is None


@pytest.mark.parametrize("payload", ["0-5", "5-0", "07-100"])
def test_a_correctly_signed_token_of_no_user_no_complaint_or_a_second_spelling_reads_as_nothing(payload):
    # "07-100" names user 7 and complaint 1296 like "7-100": a token is accepted in one form only.
    assert token_read(f"{payload}-{SIGNED_UNDER_KEY_ONE[payload]}") is None


def test_a_token_signed_with_another_key_reads_only_while_that_key_is_a_fallback(settings):
    settings.SECRET_KEY = "key-two"
    assert token_read(TOKEN_7_1296) is None
    settings.SECRET_KEY_FALLBACKS = ["key-three", "key-one"]
    assert token_read(TOKEN_7_1296) == ReplyToken(7, 1296)
    assert token_read(TOKEN_7_1296_KEY_TWO) == ReplyToken(7, 1296)
    settings.SECRET_KEY_FALLBACKS = ["key-three"]
    assert token_read(TOKEN_7_1296) is None


# --- addresses ---------------------------------------------------------------------------------------


def test_the_address_is_reply_plus_token_at_the_reply_domain():
    assert reply_address(7, 1296) == "reply+7-100-s54gxrbn5csa3y6ek6rdvcmp@reply.redress.test"


def test_the_longest_address_fits_the_64_characters_of_a_local_part():
    local = reply_address(2**63 - 1, 2**63 - 1).rpartition("@")[0]
    assert local.startswith("reply+1y2p0ij32e8e7-1y2p0ij32e8e7-") and len(local) == 6 + 13 + 1 + 13 + 1 + 24 == 58


def test_no_reply_domain_means_no_reply_address(settings):
    settings.REDRESS_REPLY_DOMAIN = ""
    assert reply_address(7, 1296) is None
    assert address_token("reply+7-100-s54gxrbn5csa3y6ek6rdvcmp@reply.redress.test") is None
    assert address_token("reply+7-100-s54gxrbn5csa3y6ek6rdvcmp@") is None


@pytest.mark.parametrize(
    ("address", "token"),
    [
        ("reply+abc@reply.redress.test", "abc"),
        ("<reply+abc@reply.redress.test>", "abc"),
        ("  reply+abc@reply.redress.test \n", "abc"),
        (" <reply+abc@reply.redress.test> ", "abc"),
        ("REPLY+ABC@REPLY.REDRESS.TEST", "ABC"),  # the case of the token is left to token_read
        ("Reply+aBc@Reply.Redress.Test", "aBc"),
        ("reply+reply+abc@reply.redress.test", "reply+abc"),
        ("reply+abc@elsewhere.example@reply.redress.test", "abc@elsewhere.example"),  # the last "@"
    ],
)
def test_a_reply_address_on_the_reply_domain_carries_its_token(address, token):
    assert address_token(address) == token


@pytest.mark.parametrize(
    "address",
    [
        "reply+abc@elsewhere.example",
        "reply+abc@reply.redress.test.example",
        "reply+abc@sub.reply.redress.test",
        "reply+abc@reply.redress.test@elsewhere.example",
        "replies+abc@reply.redress.test",
        "reply-abc@reply.redress.test",
        "xreply+abc@reply.redress.test",
        "Xreply+abc@reply.redress.test",
        "reply+@reply.redress.test",
        "reply@reply.redress.test",
        "reply+abc",
        "no-at-sign",
        "",
    ],
)
def test_other_addresses_carry_no_token(address):
    assert address_token(address) is None


def test_a_mail_system_that_changes_the_case_of_an_address_does_not_break_it():
    token = address_token("REPLY+7-100-S54GXRBN5CSA3Y6EK6RDVCMP@Reply.Redress.Test")
    assert token_read(token) == ReplyToken(7, 1296)


def test_the_configured_domain_is_compared_in_any_case(settings):
    settings.REDRESS_REPLY_DOMAIN = "Reply.Redress.TEST"
    assert address_token("reply+abc@reply.redress.test") == "abc"


# --- when an address stops working -------------------------------------------------------------------

CLOSED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_the_reply_window_is_30_days_after_closing_by_default(settings):
    assert settings.REDRESS_REPLY_DAYS_AFTER_CLOSING == 30


@pytest.mark.parametrize(
    ("now", "expired"),
    [
        (datetime(2026, 3, 1, 12, 0, tzinfo=UTC), False),  # the instant it closed
        (datetime(2026, 2, 1, 12, 0, tzinfo=UTC), False),
        (datetime(2026, 3, 30, 12, 0, tzinfo=UTC), False),
        (datetime(2026, 3, 31, 11, 59, 59, 999_999, tzinfo=UTC), False),
        (datetime(2026, 3, 31, 12, 0, tzinfo=UTC), False),  # exactly 30 days after: still works
        (datetime(2026, 3, 31, 12, 0, 0, 1, tzinfo=UTC), True),  # the next microsecond: refused
        (datetime(2026, 4, 1, 12, 0, tzinfo=UTC), True),
        (datetime(2027, 3, 1, 12, 0, tzinfo=UTC), True),
    ],
)
def test_an_address_stops_working_just_after_30_days_from_closing(settings, now, expired):
    settings.REDRESS_REPLY_DAYS_AFTER_CLOSING = 30
    assert reply_address_expired(CLOSED, now) is expired


def test_the_window_follows_the_setting(settings):
    settings.REDRESS_REPLY_DAYS_AFTER_CLOSING = 7
    assert reply_address_expired(CLOSED, datetime(2026, 3, 8, 12, 0, tzinfo=UTC)) is False
    assert reply_address_expired(CLOSED, datetime(2026, 3, 8, 12, 0, 0, 1, tzinfo=UTC)) is True


def test_an_open_case_takes_replies_however_long_it_runs():
    assert reply_address_expired(None, CLOSED + timedelta(days=3650)) is False


# --- threads -------------------------------------------------------------------------------------------


def test_a_case_is_threaded_under_its_own_message_id():
    assert case_thread_id("12345678") == "<redress-case-12345678@redress.test>"
