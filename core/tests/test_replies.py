"""Reply addresses: signed, naming one user and one complaint, and not to be made up or altered."""

import pytest

from core.replies import address_token, case_thread_id, reply_address, reply_token, token_read


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.SECRET_KEY = "key-one"
    settings.SECRET_KEY_FALLBACKS = []
    settings.REDRESS_REPLY_DOMAIN = "reply.redress.test"
    settings.REDRESS_MESSAGE_ID_DOMAIN = "redress.test"


def test_a_token_names_the_user_and_the_complaint_in_base_36_with_a_24_character_signature():
    token = reply_token(7, 1296)
    user, complaint, signature = token.split("-")
    assert (user, complaint) == ("7", "100")
    assert len(signature) == 24 and signature == signature.lower() and signature.isalnum()
    assert token_read(token).user_id == 7 and token_read(token).complaint_id == 1296


def test_the_address_is_reply_plus_token_at_the_reply_domain_and_fits_a_local_part():
    address = reply_address(123456, 987654321)
    local, domain = address.split("@")
    assert domain == "reply.redress.test" and local.startswith("reply+")
    assert len(local) <= 64


def test_no_reply_domain_means_no_reply_address(settings):
    settings.REDRESS_REPLY_DOMAIN = ""
    assert reply_address(1, 2) is None
    assert address_token("reply+1-2-x@reply.redress.test") is None


def test_changing_any_part_of_a_token_makes_it_unreadable():
    token = reply_token(7, 1296)
    user, complaint, signature = token.split("-")
    flipped = ("b" if signature[0] == "a" else "a") + signature[1:]
    for altered in (
        f"8-{complaint}-{signature}",
        f"{user}-101-{signature}",
        f"{user}-{complaint}-{flipped}",
        f"{user}-{complaint}-{signature[:-1]}",
        f"0{user}-{complaint}-{signature}",  # the same ids spelt another way
        f"{user}-{complaint}",
        "",
        "not-a-token",
    ):
        assert token_read(altered) is None, altered


def test_a_token_signed_with_another_key_is_refused_unless_that_key_is_a_fallback(settings):
    token = reply_token(7, 1296)
    settings.SECRET_KEY = "key-two"
    assert token_read(token) is None
    settings.SECRET_KEY_FALLBACKS = ["key-one"]
    assert token_read(token) is not None


def test_mail_systems_that_change_the_case_of_an_address_do_not_break_it():
    address = reply_address(7, 1296)
    token = address_token(address.upper().replace("REPLY.REDRESS.TEST", "Reply.Redress.Test"))
    assert token_read(token).complaint_id == 1296


def test_only_reply_addresses_on_the_reply_domain_carry_a_token():
    assert address_token("reply+abc@reply.redress.test") == "abc"
    assert address_token("<reply+abc@reply.redress.test>") == "abc"
    assert address_token("reply+abc@elsewhere.example") is None
    assert address_token("replies+abc@reply.redress.test") is None
    assert address_token("reply+@reply.redress.test") is None
    assert address_token("no-at-sign") is None


def test_a_case_is_threaded_under_its_own_message_id():
    assert case_thread_id("12345678") == "<redress-case-12345678@redress.test>"
