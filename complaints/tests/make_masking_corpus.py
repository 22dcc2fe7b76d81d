"""Write masking_corpus.json: texts with what masking must hide and what it must leave, by kind.

Run `python complaints/tests/make_masking_corpus.py` after changing the lists below. The
expectations come from these lists alone (each value is written out here, with the part that
must be hidden and the part that must stay): nothing here calls the masking code.

A case is {"kind", "text", "masked", "kept", "names"?}: every character of each `masked`
substring that is not a space must be an asterisk in the output, at the place it has in the
text; each `kept` substring must be unchanged at its place. Kinds listed in KEEP_KINDS are text
that must stay whole; the others are personal details.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("masking_corpus.json")

# The sentences a value is put into ({} is the value). Plain words only, so that the sentence
# itself holds nothing to mask.
CARRIERS = [
    "I gave them {} for the order.",
    "Please note: {}.",
    "They wrote {} on the form, twice.",
    "({}) was printed on the receipt.",
]

# Separators between groups of digits as people (and their phones) type them.
DASHES = {
    "hyphen": "-",
    "en dash": "\u2013",
    "em dash": "\u2014",
    "non-breaking hyphen": "\u2011",
    "hyphen U+2010": "\u2010",
    "figure dash": "\u2012",
    "minus sign": "\u2212",
    "full-width hyphen": "\uff0d",
    "small hyphen-minus": "\ufe63",
    "spaced hyphen": " - ",
    "spaced en dash": " \u2013 ",
    "spaced dot": " . ",
    "spaced slash": " / ",
}
SPACES = {
    "space": " ",
    "no-break space": "\u00a0",
    "thin space": "\u2009",
    "narrow no-break space": "\u202f",
    "figure space": "\u2007",
    "ideographic space": "\u3000",
    "en space": "\u2002",
    "hair space": "\u200a",
    "medium mathematical space": "\u205f",
}
SEPARATORS = {**DASHES, **SPACES}

KEEP_KINDS = {
    "date",
    "time",
    "amount",
    "reference",
    "year",
    "percentage",
    "version",
    "prose",
    "not-an-email",
    "not-a-handle",
    "not-a-street",
    "plain-link",
}

cases: list[dict[str, object]] = []


def add(kind: str, text: str, masked: list[str], kept: list[str], names: list[str] | None = None) -> None:
    case: dict[str, object] = {"kind": kind, "text": text, "masked": masked, "kept": kept}
    if names:
        case["names"] = names
    cases.append(case)


def in_carriers(kind: str, value: str, masked: list[str], kept: list[str], carriers: list[str] = CARRIERS) -> None:
    for carrier in carriers:
        before, after = carrier.split("{}")
        words = [part for part in (before.strip(" ("), after.strip(" ).,")) if part]
        add(kind, carrier.format(value), masked, kept + words)


# --- cards: all but the last four digits go -----------------------------------------------------

for number in ("4111 1111 1111 1234", "5500 0000 0000 0004", "6011 0009 9013 9424"):
    groups = number.split()
    for sep in SEPARATORS.values():
        value = sep.join(groups)
        head = value[: -len(groups[-1])]
        in_carriers("card", value, [head], [groups[-1]], CARRIERS[:1] if number[0] != "4" else CARRIERS[:2])
in_carriers("card", "378282246310005", ["37828224631"], ["0005"])
in_carriers("card", "3782\u2013822463\u201310005", ["3782\u2013822463\u20131"], ["0005"])

# --- social security numbers: wholly --------------------------------------------------------------

for sep in SEPARATORS.values():
    value = sep.join(("123", "45", "6789"))
    in_carriers("ssn", value, [value], [], CARRIERS[:1])

# --- phone numbers --------------------------------------------------------------------------------

for sep in SEPARATORS.values():
    value = sep.join(("555", "123", "4567"))
    in_carriers("phone-us", value, [value], [], CARRIERS[:2])
for value in (
    "(555) 123-4567",
    "(555) 123\u20134567",
    "(555)\u00a0123\u20114567",
    "555 . 123 . 4567",
    "555  123  4567",
    "555 / 123 / 4567",
    "1-800-555-0199",
    "1\u2013800\u2013555\u20130199",
    "+1 555 123 4567",
    "+1 (555) 123-4567",
    "+1.555.123.4567",
    "555-1234",
    "555\u20131234",
    "\uff15\uff15\uff15-\uff11\uff12\uff13-\uff14\uff15\uff16\uff17",
    "555\u200b123\u200b4567",
    "5551234567",
):
    in_carriers("phone-us", value, [value], [], CARRIERS[:2])

for value in (
    "+44 20 7946 0958",
    "+44\u00a020\u00a07946\u00a00958",
    "+44 (0)20 7946 0958",
    "+33 1 23 45 67 89",
    "+33\u20091\u200923\u200945\u200967\u200989",
    "+49 30 1234567",
    "+49 (0)30 1234567",
    "+91 98765 43210",
    "+86 138 0013 8000",
    "+7 495 123-45-67",
    "+7 495 123\u201345\u201367",
    "+81 3-1234-5678",
    "+61 2 9876 5432",
    "+34 912 345 678",
    "+39 06 1234 5678",
    "+55 11 91234-5678",
    "+27 21 123 4567",
    "+353 1 234 5678",
    "0044 20 7946 0958",
    "020 7946 0958",
    "020\u20137946\u20130958",
    "06 12 34 56 78",
    "06\u202f12\u202f34\u202f56\u202f78",
    "07911 123456",
):
    in_carriers("phone-intl", value, [value], [], CARRIERS[:2])

# --- e-mail addresses -------------------------------------------------------------------------------

for value in (
    "dana.whitfield@example.com",
    "d.w+orders@mail.shop.co.uk",
    "ravi@gigwork.example",
    "x_y-z@my-shop.io",
    "DANA@EXAMPLE.COM",
    "dana@ex\u00adample.com",
    "dana\u200b@example.com",
):
    in_carriers("email", value, [value], [], CARRIERS[:3])

TLDS = ["com", "net", "org", "edu", "gov", "io", "info", "biz", "uk", "de", "fr", "ca", "au", "nl", "es", "ch"]
for tld in TLDS:
    value = f"dana at shop dot {tld}"
    in_carriers("email-written", value, [value], [], CARRIERS[:1])
for value in (
    "dana at gmail dot com",
    "dana (at) gmail (dot) com",
    "dana [at] gmail [dot] com",
    "dana {at} gmail {dot} com",
    "dana <at> gmail <dot> com",
    "dana(at)gmail(dot)com",
    "dana AT gmail DOT com",
    "DANA AT GMAIL DOT COM",
    "dana at gmail.com",
    "dana@gmail .com",
    "dana @ gmail.com",
    "dana @gmail.com",
    "dana at bbc dot co dot uk",
    "dana.whitfield at mail dot example",
    "dana_w85 (at) example (dot) org",
):
    in_carriers("email-written", value, [value], [], CARRIERS[:2])

# --- handles ---------------------------------------------------------------------------------------

HANDLES = ("@dana_whitfield85", "@dana.whitfield", "@DanaW", "@_dana", "@dana_w", "@Дана", "@dana\u200b_whitfield85")
for value in HANDLES:
    in_carriers("handle", value, [value], [], CARRIERS[:2])

# --- links carrying a secret: the value goes, the link and the parameter's name stay --------------

for name in (
    "token",
    "access_token",
    "reset_token",
    "session",
    "sessionid",
    "session_id",
    "secret",
    "client_secret",
    "password",
    "signature",
    "apikey",
    "api_key",
    "auth",
    "authkey",
    "sid",
    "key",
    "code",
    "sig",
    "pwd",
    "pass",
    "otp",
    "jwt",
    "ticket",
    "hash",
    "Token",
    "reset.token",
    "x-auth-token",
    "token.v2",
    "token-id",
):
    link = f"https://shop.example/reset?{name}="
    add("token-link", f"The link {link}Zx9Qw3Er7Ty was in the e-mail.", ["Zx9Qw3Er7Ty"], [link, "was in the e-mail."])
for end in (".", ",", "!", "?", ")", "]"):
    link = "https://shop.example/r?token="
    add("token-link", f"Open {link}abc123{end} now", ["abc123"], [link, f"{end} now"])
for joint in ("&", "#", ";"):
    link = "https://shop.example/r?token="
    add("token-link", f"Open {link}abc123{joint}lang=en now", ["abc123"], [link, f"{joint}lang=en now"])
add(
    "token-link",
    "See https://shop.example/a?lang=en&session=s3cr3t&sid=99#code=zz today.",
    ["s3cr3t", "99", "zz"],
    ["https://shop.example/a?lang=en&session=", "&sid=", "#code=", "today."],
)
add("token-link", "See shop.example/reset?token=k3y9 today.", ["k3y9"], ["shop.example/reset?token=", "today."])
add("token-link", "See https://shop.example/a?lang=en;token=k3y9", ["k3y9"], ["https://shop.example/a?lang=en;token="])

# --- street addresses ----------------------------------------------------------------------------

for value in (
    "1600 Pennsylvania Avenue NW, Washington, DC 20500",
    "221B Baker Street",
    "42 Elm St., Apt 5B",
    "4567 N Oak Ridge Blvd",
    "77 Maple Drive, Springfield, IL 62704",
    "12 Elm St",
    "12 Elm\u00a0Street",
    "12\u2009Elm\u2009Street",
    "12 rue de la Paix",
    "Hauptstra\u00dfe 5",
    "Calle Mayor 12",
    "P.O. Box 1234",
):
    in_carriers("street", value, [value], [], CARRIERS[:2])

STREET_LOWER = [
    "12 elm st",
    "12 elm street",
    "12 elm ave",
    "12 elm avenue",
    "12 elm rd",
    "12 elm road",
    "12 elm blvd",
    "12 elm boulevard",
    "12 elm ln",
    "12 elm lane",
    "12 elm dr",
    "12 elm drive",
    "12 elm ct",
    "12 elm court",
    "12 elm ter",
    "12 elm terrace",
    "12 elm cir",
    "12 elm circle",
    "12 elm hwy",
    "12 elm highway",
    "12 elm pkwy",
    "12 elm parkway",
    "12 elm way",
    "12 elm pl",
    "12 elm place",
    "4410 old mill rd",
    "9 north elm st",
    "12a elm st",
    "12 elm st springfield il 62704",
    "12 elm st, springfield, il 62704",
    "12 5th ave",
]
for value in STREET_LOWER:
    in_carriers("street-lowercase", value, [value], [], CARRIERS[:1])
for value in ("12 elm st", "4410 old mill rd", "12 elm st springfield il 62704"):
    in_carriers("street-lowercase", value, [value], [], CARRIERS[1:3])

for value in (
    "4410 oak springfield IL 62704",
    "4410 oak springfield, IL 62704",
    "4410 oak springfield IL 62704-1234",
    "4410 oak, springfield, IL, 62704",
    "12 elm springfield 62704",
    "12 elm springfield il 62704",
    "12 Elm Springfield 62704",
    "12 Old Mill Springfield TX 78501",
):
    in_carriers("street-suffixless", value, [value], [], CARRIERS[:2])
_US_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR"
)
for state in _US_STATES.split():
    value = f"4410 oak {state} 62704"
    add("street-suffixless", f"I gave them {value} for the order.", [value], ["I gave them", "for the order."])

# --- names -------------------------------------------------------------------------------------------

NAMES = ["Dana Whitfield", "Ravi Patel"]
for text, masked, kept in (
    ("Dana Whitfield called twice.", ["Dana Whitfield"], ["called twice."]),
    ("I spoke to Ravi Patel on Monday.", ["Ravi Patel"], ["I spoke to", "on Monday."]),
    ("Later Ravi told Dana to wait.", ["Ravi", "Dana"], ["Later", "told", "to wait."]),
    ("Ms WHITFIELD and mr patel agreed.", ["WHITFIELD", "patel"], ["Ms", "and mr", "agreed."]),
    ("It was Dana's order and Patel's fault.", ["Dana", "Patel"], ["It was", "'s order and", "'s fault."]),
    ("Whitfield, Dana wrote first.", ["Whitfield", "Dana"], ["wrote first."]),
    ("dana whitfield signed it.", ["dana whitfield"], ["signed it."]),
    ("(Ravi) and [Dana] were copied.", ["Ravi", "Dana"], ["(", ") and [", "] were copied."]),
):
    add("name", text, masked, kept, NAMES)
for mark in {
    "zero-width space": "\u200b",
    "soft hyphen": "\u00ad",
    "zero-width joiner": "\u200d",
    "zero-width non-joiner": "\u200c",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "left-to-right mark": "\u200e",
    "combining grapheme joiner": "\u034f",
    "variation selector": "\ufe0f",
    "Hangul filler": "\u3164",
    "Mongolian vowel separator": "\u180e",
}.values():
    dana = f"Da{mark}na"
    whitfield = f"Whit{mark}field"
    add("name-split", f"{dana} {whitfield} wrote again.", [dana, whitfield], ["wrote again."], NAMES)
    add("name-split", f"Then {dana} called.", [dana], ["Then", "called."], NAMES)
for text, masked in (
    ("\uff24\uff41\uff4e\uff41 Whitfield wrote.", ["\uff24\uff41\uff4e\uff41", "Whitfield"]),
    ("D\u0336a\u0336n\u0336a\u0336 wrote.", ["D\u0336a\u0336n\u0336a\u0336"]),
    (
        "R\u200ba\u200bv\u200bi\u200b P\u00ada\u00adt\u00adel wrote.",
        ["R\u200ba\u200bv\u200bi", "P\u00ada\u00adt\u00adel"],
    ),
):
    add("name-split", text, masked, ["wrote."], NAMES)

# --- what must stay ------------------------------------------------------------------------------------

for value in (
    "2024-03-15",
    "2024/03/15",
    "2024.03.15",
    "15/03/2024",
    "15.03.2024",
    "03/15/24",
    "2024\u201303\u201315",
    "15\u201303\u20132024",
    "2024\u221203\u221215",
    "2024-03-15 10:30",
    "2024-03-15 10:30:45",
    "15 March 2024",
    "March 15, 2024",
):
    in_carriers("date", value, [], [value], CARRIERS[:2])
for value in ("10:30", "10:30 am", "9:05 pm", "23:59:59", "9\u201317", "9:00\u201317:00"):
    in_carriers("time", value, [], [value], CARRIERS[:2])
for value in (
    "$1,250.00",
    "$1250",
    "$1234567",
    "\u20ac 1234567",
    "\u00a312,345,678.00",
    "\u00a51234567",
    "$1\u00a0250\u00a0000",
    "1,250.00 USD",
    "250.00 (120.00 refunded)",
    "$12.99",
):
    in_carriers("amount", value, [], [value], CARRIERS[:2])
for value in (
    "order #A1234",
    "ticket 55012",
    "ref 123456",
    "case RX-2041",
    "invoice INV-0042",
    "order 12-34-56",
    "ACC-99812",
    "item 3 of 12",
):
    in_carriers("reference", value, [], [value], CARRIERS[:2])
YEARS = ("2019", "in 2019 and 2023", "2019-2023", "2019\u20132023", "1999 - 2004", "1990-1999", "from 2010 to 2020")
for value in YEARS:
    in_carriers("year", value, [], [value], CARRIERS[:2])
for value in ("12.5%", "100%", "a 20% refund", "(12.5%)", "3.5 %"):
    in_carriers("percentage", value, [], [value], CARRIERS[:2])
for value in ("v2.14.1", "v10.2.1.1234", "version 10.2.1.1234", "build 2024.1.1234", "1.2.3", "Version 4.12.0.1234"):
    in_carriers("version", value, [], [value], CARRIERS[:2])
for text in (
    "I waited 3 days in the park and 14 days for a reply to my 2 emails.",
    "It was a 10 minute walk from the station.",
    "We have 3 kids close by and 2 dogs.",
    "They were late 2 times in a row.",
    "The 12 apples cost 3 dollars in 2 shops.",
    "It took 2 hours on the road and 1 hour drive back.",
    "I rated it 1 star way too generously.",
    "Only 5 stars place them above the rest.",
    "We walked 3 blocks down the street.",
    "After 2 weeks st ill nothing.",
    "3 years ago the court said so.",
    "I called 4 times at 9:00 and again at 17:30.",
    "My 2 cents: it was 50% off.",
    "I bought 3 items for the trip.",
    "The store is on the corner of the street.",
):
    add("prose", text, [], [text])
for text in (
    "I was at home. In the morning it rained.",
    "She was at work dot it was late.",
    "We met at noon. Com on!",
    "Price: 2 @ $3 each.",
    "The sign said @ 5pm sharp.",
    "Look at it dot by dot.",
):
    add("not-an-email", text, [], [text])
for text in ("Meet @10am at the door.", "Meet @ the door.", "It costs 2@3 each.", "Call me @ 9."):
    add("not-a-handle", text, [], [text])
_NOT_STREET_WORDS = (
    "a an the and or of in on at to from for by with my our your his her their this that was were is are am pm "
    "day days week weeks month months year years hour hours minute minutes time times item items people "
    "dollars mile miles block blocks star stars"
)
for word in _NOT_STREET_WORDS.split():
    text = f"Once 3 {word} way off."
    add("not-a-street", text, [], [text])
for text in ("See https://shop.example/help?lang=en&page=2 today.", "See https://shop.example/orders/55012 today."):
    add("plain-link", text, [], [text])


def main() -> None:
    kinds: dict[str, int] = {}
    for case in cases:
        kinds[str(case["kind"])] = kinds.get(str(case["kind"]), 0) + 1
    document = {
        "about": (
            "Masking corpus written by make_masking_corpus.py. masked: substrings whose characters "
            "(but spaces) must become asterisks where they stand; kept: substrings that must stay "
            "where they stand. names: the people whose names are masked."
        ),
        "keep_kinds": sorted(KEEP_KINDS),
        "cases": cases,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(cases)} cases: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))


if __name__ == "__main__":
    main()
