"""Masking against its corpus: what must disappear, what must stay, and a few exact outputs."""

import json
from pathlib import Path

import pytest

from complaints.redaction import mask_text

CORPUS = json.loads((Path(__file__).parent / "redaction_corpus.json").read_text())["cases"]


@pytest.mark.parametrize("case", CORPUS, ids=[case["id"] for case in CORPUS])
def test_corpus_case_masks_what_it_must_and_keeps_the_rest(case):
    masked = mask_text(case["text"], names=case.get("names", []))
    for secret in case["gone"]:
        assert secret not in masked, f"{secret!r} survived in {masked!r}"
    for kept in case["kept"]:
        assert kept in masked, f"{kept!r} was lost from {masked!r}"
    if "exact" in case:
        assert masked == case["exact"]


def test_masking_keeps_the_length_and_spaces_of_what_it_replaces():
    text = "Call (555) 123-4567 now"
    assert mask_text(text) == "Call ***** ******** now"


def test_long_numbers_keep_only_their_last_four_digits():
    assert mask_text("acct 123456789012") == "acct ********9012"


def test_empty_text_and_no_names_are_fine():
    assert mask_text("") == ""
    assert mask_text("Nothing personal here.", names=["", "  "]) == "Nothing personal here."


def test_a_name_part_inside_another_word_is_left_alone():
    assert mask_text("Danaher and Patelco are companies.", names=["Dana Patel"]) == (
        "Danaher and Patelco are companies."
    )


def test_masking_is_idempotent():
    case = next(case for case in CORPUS if case["id"] == "mixed-everything")
    once = mask_text(case["text"], names=case["names"])
    assert mask_text(once, names=case["names"]) == once


def test_names_are_masked_in_any_case_and_names_absent_from_the_text_change_nothing():
    names = ["Ravi Shankar", "Dana O'Brien", "Will Stone"]
    text = "RAVI shankar called; dana o'brien waited. Will Stone said he will not come. Nobody else."
    masked = mask_text(text, names=names)
    assert masked == "**** ******* called; **** ******* waited. **** ***** said he will not come. Nobody else."
    assert mask_text("Nobody named here, café ümlaut.", names=names) == "Nobody named here, café ümlaut."
    # Non-ASCII text takes the full path: the names are still found.
    assert mask_text("Ravi Shankar a écrit.", names=names) == "**** ******* a écrit."
