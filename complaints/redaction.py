"""Mask personal details in text that Redress publishes: a planner, pure and without settings.

`mask_text` reads the text as a person would. It first builds a normalised copy (`normalised`):
Unicode NFKC, format characters (zero-width spaces, soft hyphens, joiners, BOMs) and combining
marks removed, every dash, hyphen and minus sign read as "-" and every space as " ". It finds
what to mask in that copy, then puts asterisks over the original characters each found span
came from, so the masked text keeps the length of the original (docs/domain.md, "Masking").
It replaces, with asterisks:

- e-mail addresses, also written out ("dana at example dot com", "dana (at) example (dot) com",
  "dana@example .com"), and social-media handles ("@dana_w");
- the values of secret query parameters in links ("?token=...", "&session=...", "sid=", ...);
- long numbers (card, account, IBAN, bare digit runs of 7 or more): all but the last 4 digits,
  so "4111 1111 1111 1234" reads "***************1234";
- phone numbers, national and international: wholly. The number rules below, then the
  `phonenumbers` matcher (possible numbers of the given region, any region after a "+");
- street addresses (a house number, street words and a street suffix, then an optional unit,
  city, state and ZIP; the same in lower case; a house number and words followed by a state and
  ZIP or by a ZIP; "rue"/"Straße"-style European forms; P.O. boxes; UK postcodes): wholly;
- the given people's names: each full name, then each part of it on its own (a part that is
  also a common English word, such as "Will" or "Mark", only where it is capitalised).

Masking keeps the length of what it replaces and the spaces inside it, so the text still
reads as a sentence. It errs towards masking: a false positive costs a few asterisks, a false
negative publishes a phone number. Dates (with or without a time), year ranges, amounts after
a currency sign, version numbers and short references are left alone.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

MASK = "*"
KEEP_DIGITS = 4
DEFAULT_REGION = "US"

# Normalisation ---------------------------------------------------------------------------------

# Read as nothing: format characters (Cf: zero-width space and joiners, soft hyphen, BOM, bidi
# marks, word joiner), combining marks left over after NFKC (Mn, Me: variation selectors, the
# grapheme joiner, strike-through marks) and the Hangul fillers, which are letters that show nothing.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
INVISIBLE = frozenset({"\u115f", "\u1160"})
# Read as "-": every dash (Pd: hyphen, non-breaking hyphen, figure dash, en and em dash, the
# full-width hyphen, ...) and these minus signs and hyphen look-alikes.
MINUS_SIGNS = frozenset({"\u2212", "\u2043", "\u02d7", "\u2796"})


def _normal_chars(chunk: str) -> str:
    """A chunk (a character and the marks after it) as masking reads it."""
    return "".join(_normal_char(ch) for ch in unicodedata.normalize("NFKC", chunk))


def _normal_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in INVISIBLE_CATEGORIES or ch in INVISIBLE:
        return ""
    if category == "Zs":
        return " "
    if category == "Pd" or ch in MINUS_SIGNS:
        return "-"
    return ch


def normalised(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text as masking reads it, and for each of its characters the span of `text` it comes from.

    The text is cut into chunks, each a character and the characters after it that read as
    nothing (invisible ones, marks); every character of a chunk's normal form points back at
    the whole chunk. Invisible characters at the very start belong to no chunk. ASCII text is
    its own normal form, returned as it is, with no spans.
    """
    if text.isascii():
        return text, []
    starts = [i for i, ch in enumerate(text) if ch.isascii() or _normal_chars(ch)]
    normal: list[str] = []
    spans: list[tuple[int, int]] = []
    for start, end in itertools.pairwise([*starts, len(text)]):
        chunk = text[start:end]
        chars = chunk if chunk.isascii() else _normal_chars(chunk)
        normal.append(chars)
        spans += [(start, end)] * len(chars)
    return "".join(normal), spans


def _restore(text: str, normal: str, masked: str, spans: list[tuple[int, int]]) -> str:
    """Asterisks over the characters of `text` whose normal form `masked` changed."""
    if normal is text:  # ASCII: its own normal form
        return masked
    if masked == normal:
        return text
    out = list(text)
    for k, (start, end) in enumerate(spans):
        if masked[k] != normal[k]:
            out[start:end] = MASK * (end - start)
    return "".join(out)


# Patterns -----------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Written out: "dana at example dot com", "dana (at) example [dot] com", "dana @ example.com",
# "dana@example .com". Only these top-level domains end one: others ("in", "it", "me") are words
# a sentence ends with ("... at home. In ...").
WRITTEN_TLDS = "com|net|org|edu|gov|io|info|biz|uk|de|fr|ca|au|nl|es|ch|example"
WRITTEN_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s*)"
WRITTEN_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+|\s*\.)"
EMAIL_WRITTEN = re.compile(
    rf"\b[\w.+-]+{WRITTEN_AT}[\w-]+(?:{WRITTEN_DOT}[\w-]+)*{WRITTEN_DOT}(?:{WRITTEN_TLDS})\b",
    re.IGNORECASE,
)
# "@dana_whitfield85", "@dana.w": an "@" not after a word character, then a letter or "_".
HANDLE = re.compile(r"(?<!\w)@[^\W\d]\w*(?:\.\w+)*")
# A link's secret: the value of a query (or fragment) parameter named like a token, a session,
# a key or a password; the name stays, so the link still says what it was.
SECRET_NAMES = (
    r"[\w.-]*(?:token|session|secret|passw|signature|apikey|api_key|auth)[\w.-]*"
    r"|sid|key|code|sig|pwd|pass|otp|jwt|ticket|hash"
)
SECRET_PARAM = re.compile(rf"(?<=[?&;#])((?:{SECRET_NAMES})=)(\S+?)(?=[.,!?)\]]*(?:[\s&#;]|$))", re.IGNORECASE)

# A run of digits with single spaces, dots, dashes or slashes (these three with a space on each
# side too), or brackets between them, maybe after a "+" or "(": the raw material of phone and long
# numbers, classified in `_mask_number`. Letters around it do not protect it ("ID123456789" is a
# long number too), nor does a digit or a "+" right before it ("1+5551234567"), nor an address
# right before an address ("a@b.c+d@e.com"). Brackets belong to a number only after a "+" or a
# "(" ("+49 (0)30 1234567", "(555) 123-4567"), so "250.00 (120.00 back)" is two amounts; the
# phone matcher finds "1 (800) 555-0199". A date comes out as a token of its own, so a time
# after it ("2024-03-15 10:30") is not read as more digits.
SEP = r"(?: [-./] |[ .\-/])"
DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")
NUMBERISH = re.compile(rf"(?:{DATE.pattern})(?![-/.]?\d)|(?:\+ ?|\()\d(?:{SEP}?\(?\d\)?)*(?!\d)|\d(?:{SEP}?\d)*(?!\d)")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d ?- ?(?:19|20)\d\d")
# "v10.2.1.1234", "version 4.12.0.1234", "build 2024.1.1234": a version number stays.
VERSION_BEFORE = re.compile(r"(?:\bv|version|build)\s*$", re.IGNORECASE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
CURRENCY_SIGNS = "$€£¥"
GROUP_JOINTS = " -./"

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
# In lower case ("12 elm st", "12 elm Street, springfield il 62704") the street words are one
# to three lower-case words that are not these, and the suffix one of the plain street words:
# so "3 days in the park", "a 10 minute walk" and "3 kids close by" stay.
NOT_STREET_WORDS = (
    "a an the and or of in on at to from for by with my our your his her their this that was were is are "
    "am pm day days week weeks month months year years hour hours minute minutes time times item items "
    "people dollars mile miles block blocks star stars"
)
NOT_STREET = "|".join(NOT_STREET_WORDS.split())
STREET_WORD = rf"(?!(?:{NOT_STREET})\b)[a-z0-9][\w'\u2019.-]*"
LOWER_SUFFIXES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|terrace|ter|circle|cir|"
    "highway|hwy|parkway|pkwy|way|place|pl"
)
ZIP = r"\d{5}(?:-\d{4})?"
LOWER_STREET_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[a-z]?\s+(?:{STREET_WORD}\s+){{1,3}}(?i:{LOWER_SUFFIXES})\b\.?"
    rf"(?i:(?:(?:,?\s+[a-z]+(?:\s[a-z]+)?,?\s+[a-z]{{2}}\.?)?,?\s+{ZIP}\b)?)"
)
# No street suffix, but a ZIP after a state code ("4410 oak springfield IL 62704", "4410 oak
# IN 62704") or after two words or more ("12 elm springfield 62704") ends it.
SUFFIXLESS_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[a-z]?(?:,?\s+{STREET_WORD}){{1,4}},?\s+(?-i:[A-Z]{{2}})\.?,?\s+{ZIP}\b"
    rf"|\b\d{{1,6}}[a-z]?(?:,?\s+{STREET_WORD}){{2,4}},?\s+{ZIP}\b",
    re.IGNORECASE,
)
PARTICLES = r"(?:(?i:de|du|des|la|le|les|del|della|di|dei|van|von)\s+)*"
# "12 rue de la Paix", "5 bis avenue Foch", "Hauptstraße 5", "Kaiser-Wilhelm-Straße 3", "Calle Mayor 12"
EUROPEAN_ADDRESS = re.compile(
    rf"\b\d{{1,5}}(?:\s?(?i:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|chemin|place|impasse|allée|quai|route|via)"
    rf"(?:\s+{PARTICLES}[A-ZÀ-Ý][\w'\u2019-]*){{1,3}}"
    r"|\b[A-ZÄÖÜ][\w-]*(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+\d{1,5}[a-z]?\b"
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
    if DATE.fullmatch(stripped) or YEAR_RANGE.fullmatch(stripped) or _protected(match.string, match.start()):
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


def _protected(text: str, start: int) -> bool:
    """Whether the number starting at `start` is an amount ("$1234567") or a version ("v10.2.1.1234")."""
    before = text[:start].rstrip()
    if not before:
        return False
    return before[-1] in CURRENCY_SIGNS or VERSION_BEFORE.search(before.rsplit(maxsplit=1)[-1]) is not None


def _mask_phones(text: str, region: str) -> str:
    """Mask what `phonenumbers` finds as a possible number of `region` (of any region after a "+").

    Not a part of a longer number ("4111 - 1111 - 1111 - 1234" is a card, and keeps its last
    digits), an amount or a version: the number rules see those.
    """
    if sum(ch.isdigit() for ch in text) < 7:
        return text
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for found in matcher:
        before, after = text[: found.start].rstrip(GROUP_JOINTS), text[found.end :].lstrip(GROUP_JOINTS)
        if not (before[-1:].isdigit() or after[:1].isdigit() or _protected(text, found.start)):
            text = text[: found.start] + _stars(found.raw_string) + text[found.end :]
    return text


def _mask_secret(match: re.Match[str]) -> str:
    """The parameter with its value masked: "token=abc123" -> "token=******"."""
    return match.group(1) + MASK * len(match.group(2))


def _name_patterns(names: Iterable[str], text: str) -> list[re.Pattern[str]]:
    """Full names first (longest first), then their parts, leaving out names `text` cannot contain."""
    full: set[str] = set()
    parts: set[str] = set()
    for name in names:
        words = [w.strip(".,") for w in name.split()]
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


def mask_text(
    text: str, *, names: Iterable[str] = (), region: str = DEFAULT_REGION, references: Iterable[str] = ()
) -> str:
    """Return `text` with e-mails, handles, secrets, numbers, phones, addresses and the given names masked.

    `region` is the country whose national phone numbers are looked for (ISO code, "US").
    `references` are the complaint's own order and ticket references: masked wherever they appear.
    """
    if not text:
        return text or ""
    masked = _mask_references(text, references)
    normal, spans = normalised(masked)
    result = _mask_normal(normal, [normalised(name)[0] for name in names if name], region)
    return _restore(masked, normal, result, spans)


def _mask_references(text: str, references: Iterable[str]) -> str:
    for reference in sorted({r.strip() for r in references if len(r.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(reference), lambda m: _stars(m.group(0)), text, flags=re.IGNORECASE)
    return text


def _mask_normal(text: str, names: list[str], region: str) -> str:
    text = SECRET_PARAM.sub(_mask_secret, text)
    text = EMAIL.sub(lambda m: _stars(m.group(0)), text)
    text = EMAIL_WRITTEN.sub(lambda m: _stars(m.group(0)), text)
    text = HANDLE.sub(lambda m: _stars(m.group(0)), text)
    text = IBAN.sub(lambda m: _keep_last_digits(m.group(0)), text)
    text = PO_BOX.sub(lambda m: _stars(m.group(0)), text)
    text = STREET_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    text = EUROPEAN_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    text = UK_POSTCODE.sub(lambda m: _stars(m.group(0)), text)
    text = LOWER_STREET_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    text = SUFFIXLESS_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    text = _mask_phones(text, region)
    text = NUMBERISH.sub(_mask_number, text)
    for pattern in _name_patterns(names, text):
        text = pattern.sub(lambda m: _stars(m.group(0)), text)
    return text
