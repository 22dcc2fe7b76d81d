"""Masking against its corpus (masking_corpus.json, written by make_masking_corpus.py): per kind.

Each case says which substrings must become asterisks where they stand and which must stay.
The test prints the miss rate of each kind and fails on any miss: a must-mask kind that leaves
a character showing, or a must-stay kind that loses one.
"""

import json
from collections import Counter
from pathlib import Path

from complaints.redaction import mask_text

CORPUS = json.loads((Path(__file__).parent / "masking_corpus.json").read_text())
CASES = CORPUS["cases"]
KEEP_KINDS = set(CORPUS["keep_kinds"])
# Misses allowed per kind, in per cent of its cases: none.
THRESHOLD = 0.0


def places(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start != -1:
        found.append(start)
        start = text.find(part, start + 1)
    return found


def problems(case: dict) -> list[str]:
    """What went wrong in one case: parts left showing, parts lost."""
    text = case["text"]
    masked = mask_text(text, names=case.get("names", []))
    wrong = []
    if len(masked) != len(text):
        wrong.append(f"length {len(text)} became {len(masked)}")
        return wrong
    for part in case["masked"]:
        assert places(text, part), f"{part!r} is not in {text!r}"
        for start in places(text, part):
            found = zip(part, masked[start : start + len(part)], strict=True)
            shown = [ch for ch, out in found if not ch.isspace() and out != "*"]
            if shown:
                wrong.append(f"{part!r} shows {''.join(shown)!r} in {masked!r}")
    for part in case["kept"]:
        assert places(text, part), f"{part!r} is not in {text!r}"
        for start in places(text, part):
            if masked[start : start + len(part)] != part:
                wrong.append(f"{part!r} lost in {masked!r}")
    return wrong


def test_the_corpus_is_large_and_every_case_says_what_to_check():
    assert len(CASES) >= 300
    for case in CASES:
        assert case["masked"] or case["kept"], case
        assert (case["kind"] in KEEP_KINDS) == (not case["masked"]), case


def test_every_kind_of_the_corpus_is_masked_or_kept_without_a_miss():
    total: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    failures = []
    for case in CASES:
        total[case["kind"]] += 1
        wrong = problems(case)
        if wrong:
            missed[case["kind"]] += 1
            failures.append(f"[{case['kind']}] {case['text']!r}: {'; '.join(wrong)}")
    print("\nmasking corpus: misses per kind")
    print(f"{'kind':<20} {'must':<6} {'cases':>6} {'missed':>7} {'rate':>7}")
    for kind in sorted(total):
        must = "stay" if kind in KEEP_KINDS else "mask"
        rate = 100.0 * missed[kind] / total[kind]
        print(f"{kind:<20} {must:<6} {total[kind]:>6} {missed[kind]:>7} {rate:>6.1f}%")
    print(f"{'all':<20} {'':<6} {sum(total.values()):>6} {sum(missed.values()):>7}")
    over = [kind for kind in total if 100.0 * missed[kind] / total[kind] > THRESHOLD]
    assert not over, "\n".join(failures)
