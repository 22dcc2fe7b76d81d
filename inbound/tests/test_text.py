"""Only the new text of a reply: each client's quote, signature and footer left out, HTML made plain."""

import pytest

from inbound.message import message_parse
from inbound.tests.corpus import CORPUS, EXPECTED, corpus_message
from inbound.text import first_line_command, html_to_text, new_text, unflow

WITH_TEXT = sorted(name for name, case in EXPECTED.items() if case["status"] == "accepted")


def test_the_corpus_has_every_shape_the_domain_names():
    assert (
        sorted(path.name for path in CORPUS.glob("*.eml"))
        == sorted(EXPECTED)
        == [
            "apple_mail_reply.eml",
            "closing_word_in_text.eml",
            "dsn_bounce.eml",
            "forwarded.eml",
            "gmail_reply.eml",
            "html_only.eml",
            "multipart_attachment.eml",
            "out_of_office.eml",
            "outlook_reply.eml",
            "phone_reply.eml",
            "tampered_token.eml",
            "wrong_address.eml",
        ]
    )


@pytest.mark.parametrize("name", WITH_TEXT)
def test_the_new_text_of_each_reply_in_the_corpus(name):
    parsed = message_parse(corpus_message(name))
    assert new_text(parsed.body) == EXPECTED[name]["new_text"]


def test_a_gmail_reply_loses_its_signature_and_the_quoted_notice():
    text = EXPECTED["gmail_reply.eml"]["new_text"]
    assert "Ravi Patel" not in text and "wrote:" not in text and "Open the case" not in text
    assert text.endswith("Sorry for the trouble with the courier.")


def test_a_closing_word_that_opens_a_sentence_keeps_the_rest_of_the_message():
    # mail-parser-reply alone cuts at "Thanks," to the end of the reply.
    text = new_text("I called again today.\n\nThanks, but it is damaged as well:\n- the box\n- the lid\n\nDana")
    assert text == "I called again today.\n\nThanks, but it is damaged as well:\n- the box\n- the lid\n\nDana"


def test_a_short_closing_with_a_name_is_a_signature():
    assert new_text("The parcel came.\n\nKind regards,\nDana Whitfield\nFlat 2") == "The parcel came."
    assert new_text("The parcel came.\n\nSent from my iPhone") == "The parcel came."
    assert new_text("The parcel came.\n\nGet Outlook for Android") == "The parcel came."


def test_a_reply_that_is_only_a_quote_has_no_new_text():
    assert new_text("On Tue, 3 Mar 2026 at 10:02, Redress <no-reply@redress.test> wrote:\n> old text") == ""
    assert new_text("> old text\n> more") == ""
    assert new_text("") == ""


def test_inline_answers_keep_the_new_lines_and_drop_the_quoted_ones():
    text = "> Did the parcel arrive?\nNo, it did not.\n> When did you call?\nOn Monday."
    assert new_text(text) == "No, it did not.\nOn Monday."


def test_format_flowed_paragraphs_are_joined_again():
    assert unflow("one two \nthree\n\nfour \nfive \nsix") == "one two three\n\nfour five six"
    assert unflow("> quoted one \n> two\nnew") == "> quoted one two\nnew"
    assert unflow(" >not a quote, space-stuffed") == ">not a quote, space-stuffed"
    assert unflow("abc \ndef", delsp=True) == "abcdef"
    assert unflow("text\n-- \nDana") == "text\n-- \nDana"


def test_html_becomes_text_without_the_quote_its_client_marked():
    html = (
        "<div>Hello,<br><br>It is <b>not</b> fixed &amp; I want a refund.</div>"
        "<ul><li>called twice</li></ul>"
        '<div class="gmail_quote">On Tue, Redress wrote:<blockquote>old</blockquote></div>'
    )
    assert html_to_text(html) == "Hello,\n\nIt is not fixed & I want a refund.\n* called twice"
    outlook = '<p>Done.</p><div id="divRplyFwdMsg"><b>From:</b> Redress</div><div>old</div>'
    assert html_to_text(outlook) == "Done."
    assert html_to_text("<p>Hi</p><script>alert(1)</script><style>p{}</style>") == "Hi"
    assert html_to_text("") == ""


@pytest.mark.parametrize(
    ("text", "verdict", "rest"),
    [
        ("accept", "accept", ""),
        ("Accept.\n\nThanks for the refund.", "accept", "Thanks for the refund."),
        ("ACCEPT!", "accept", ""),
        ("reject: the refund was short by $12.50", "reject", "the refund was short by $12.50"),
        ("Reject:\nThe refund was short.\nBy $12.50.", "reject", "The refund was short.\nBy $12.50."),
        ("reject : short\n\nSee the receipt.", "reject", "short\n\nSee the receipt."),
        ("reject", "none", "reject"),  # without the colon it is not the word
        ("I accept the refund", "none", "I accept the refund"),
        ("accepted", "none", "accepted"),
        ("The courier came.\naccept", "none", "The courier came.\naccept"),
        ("", "none", ""),
    ],
)
def test_the_first_line_words(text, verdict, rest):
    command = first_line_command(text)
    assert (command.verdict, command.text) == (verdict, rest)
