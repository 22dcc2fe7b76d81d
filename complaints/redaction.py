"""Mask personal details in text that Redress publishes.

`mask_text` replaces, with asterisks:

- e-mail addresses;
- long numbers (card, account, IBAN, bare digit runs of 7 or more): all but the last 4 digits,
  so "4111 1111 1111 1234" reads "***************1234";
- phone numbers, national and international: wholly;
- street addresses (a house number, street words and a street suffix, then an optional unit,
  city, state and ZIP; "rue"/"Straße"-style European forms; P.O. boxes; UK postcodes): wholly;
- the given people's names: each full name, then each part of it on its own (a part that is
  also a common English word, such as "Will" or "Mark", only where it is capitalised).

Masking keeps the length of what it replaces and the spaces inside it, so the text still
reads as a sentence. It errs towards masking: a false positive costs a few asterisks, a false
negative publishes a phone number. Dates, amounts and short references are left alone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

MASK = "*"
KEEP_DIGITS = 4

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# A run of digits with single spaces, dots, dashes, slashes or brackets between them, maybe after
# a "+" or "(": the raw material of phone and long numbers, classified in `_mask_number`. Letters
# around it do not protect it ("ID123456789" is a long number too), nor does a digit or a "+"
# right before it ("1+5551234567"), nor an address right before an address ("a@b.c+d@e.com").
SEP = r"[ \u00a0.\-/]"
NUMBERISH = re.compile(rf"(?:\+ ?|\()?\d(?:{SEP}?\(?\d\)?)*(?!\d)")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")
CURRENCY_SIGNS = "$€£¥"

STREET_SUFFIXES = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|"
    "circle|cir|highway|hwy|parkway|pkwy|square|sq|close|crescent|cres|gardens|row|alley|trail|trl|"
    "plaza|loop|pike|turnpike|grove|mews|walk|hill|park"
)
UNIT = r"(?:,?\s*(?i:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|#)\.?\s*#?[\w-]{1,6})"
DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
US_STATE_ZIP = r"(?:,?\s+[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)?,?\s+[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?)"
# "1600 Pennsylvania Avenue NW, Washington, DC 20500", "221B Baker Street", "4 Elm Ct., Apt 5": the
# street words must be capitalised, so "waited 3 days in the park" stays as it is.
STREET_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?\s+(?:{DIRECTION}\s+)?(?:[A-Z0-9][\w'\u2019.-]*\s+){{1,4}}"
    rf"(?i:{STREET_SUFFIXES})\b\.?(?:\s+{DIRECTION}(?!\w))?{UNIT}?{US_STATE_ZIP}?"
)
PARTICLES = r"(?:(?i:de|du|des|la|le|les|del|della|di|dei|van|von)\s+)*"
# "12 rue de la Paix", "5 bis avenue Foch", "Hauptstraße 5", "Kaiser-Wilhelm-Straße 3", "Calle Mayor 12"
EUROPEAN_ADDRESS = re.compile(
    rf"\b\d{{1,5}}(?:\s?(?i:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|chemin|place|impasse|allée|quai|route|via)"
    rf"(?:\s+{PARTICLES}[A-ZÀ-Ý][\w'\u2019-]*){{1,3}}"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+\d{1,5}[a-z]?\b"
    rf"|\b(?i:calle|carrer|avenida|rua|via|piazza)\s+(?:{PARTICLES}[A-ZÀ-Ý][\w'\u2019-]*\s+){{1,4}}\d{{1,5}}\b"
)
PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.IGNORECASE)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")

# Name parts that are also everyday words: masked only where capitalised.
_COMMON_WORDS = (
    "will may mark bill grant rose june april august art bob buck cash chance chase chip dean faith "
    "frank gene glen grace hope ivy joy king lane law long love major miles price ray read rich rob "
    "sky stone summer van von de del la le da di der den du bin al"
)
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
# Titles and particles that are never masked on their own.
_NOT_NAMES = "mr mrs ms miss dr prof sir madam jr sr ii iii de del la le da di der den du van von"
NOT_NAMES = frozenset(_NOT_NAMES.split())


def _stars(text: str) -> str:
    """Asterisks for every character but whitespace."""
    return "".join(ch if ch.isspace() else MASK for ch in text)


def _keep_last_digits(text: str) -> str:
    """Asterisks for everything but the last 4 digits: "4111-1111-1111-1234" -> "***************1234"."""
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    if len(positions) <= KEEP_DIGITS:
        return text
    first_kept = positions[-KEEP_DIGITS]
    return MASK * first_kept + text[first_kept:]


def _mask_number(match: re.Match[str]) -> str:
    token = match.group(0)
    stripped = token.strip()
    digits = sum(ch.isdigit() for ch in stripped)
    separated = any(not ch.isdigit() for ch in stripped)  # a leading "+" returned above
    before = match.string[: match.start()].rstrip()
    if DATE.fullmatch(stripped) or (before and before[-1] in CURRENCY_SIGNS):
        return token
    if stripped.startswith("+") or stripped.startswith("00"):
        return _stars(token) if digits >= 7 else token
    if not separated:
        return _keep_last_digits(token) if digits >= 7 else token
    if 7 <= digits <= 11:
        return _stars(token)  # (555) 123-4567, 020 7946 0958, 06 12 34 56 78
    if digits >= 12:
        return _keep_last_digits(token)  # card and account numbers written in groups
    return token


def _name_patterns(names: Iterable[str], text: str) -> list[re.Pattern[str]]:
    """Full names first (longest first), then their parts, leaving out names `text` cannot contain."""
    full: set[str] = set()
    parts: set[str] = set()
    for name in names:
        words = [w.strip(".,") for w in (name or "").split()]
        words = [w for w in words if w]
        if not words:
            continue
        if len(words) > 1:
            full.add(" ".join(words))
        for word in words:
            if len(word) >= 2 and word.lower() not in NOT_NAMES:
                parts.add(word)
    # In ASCII text a name can only match where its first word appears, whatever the case: skip
    # the others without compiling them (most complaints never name most of their people).
    if text.isascii():
        lowered = text.lower()
        full = {name for name in full if not name.isascii() or name.split()[0].lower() in lowered}
        parts = {part for part in parts if not part.isascii() or part.lower() in lowered}
    return [_full_name_pattern(name) for name in sorted(full, key=len, reverse=True)] + [
        _name_part_pattern(part) for part in sorted(parts, key=len, reverse=True)
    ]


# Compiled once per name or part: the sweep masks thousands of complaints whose people share names.
@functools.lru_cache(maxsize=20_000)
def _full_name_pattern(name: str) -> re.Pattern[str]:
    words = name.split()
    if any(word.lower() in COMMON_WORDS for word in words):
        forms = {" ".join(_capitalised(w) for w in words), name.upper()}
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in sorted(forms))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    spaced = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){spaced}(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=20_000)
def _name_part_pattern(part: str) -> re.Pattern[str]:
    if part.lower() in COMMON_WORDS:
        alternatives = "|".join(re.escape(p) for p in sorted({_capitalised(part), part.upper()}))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.IGNORECASE)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """Return `text` with e-mails, numbers, phones, street addresses and the given names masked."""
    if not text:
        return text or ""
    text = EMAIL.sub(lambda m: _stars(m.group(0)), text)
    text = IBAN.sub(lambda m: _keep_last_digits(m.group(0)), text)
    text = PO_BOX.sub(lambda m: _stars(m.group(0)), text)
    text = STREET_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    text = EUROPEAN_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    text = UK_POSTCODE.sub(lambda m: _stars(m.group(0)), text)
    text = NUMBERISH.sub(_mask_number, text)
    for pattern in _name_patterns(names, text):
        text = pattern.sub(lambda m: _stars(m.group(0)), text)
    return text
