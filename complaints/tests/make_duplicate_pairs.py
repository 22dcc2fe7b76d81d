"""Build complaints/tests/data/duplicate_pairs.json, the labelled set of complaint pairs.

Each base complaint is a few facts, each written two ways. A rewording (a duplicate) picks a
wording per fact, may leave one out and tells the rest in another order, and keeps the reference
and amount only sometimes, as a complainant filing again from memory does. Non-duplicates are the
same text against another business, and different complaints against the same business (told in
the same vocabulary: several suspensions, several billing errors). Run it again to rebuild:
`python complaints/tests/make_duplicate_pairs.py`; the seed keeps the file the same.
"""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path

BASES: list[dict] = [
    {
        "business": "gigwork-market",
        "reference": "GW-48213",
        "amount": "1840.00",
        "facts": [
            [
                "Gigwork Market suspended my freelancer account on the day I delivered the final milestone.",
                "My freelancer account at Gigwork Market was suspended right after I handed in the last milestone.",
            ],
            [
                "They are holding $1,840 of my earnings and will not say why.",
                "Earnings of 1,840 dollars are frozen and nobody explains the reason.",
            ],
            [
                "Support sends the same template reply to every message I write.",
                "Every ticket I open gets the identical canned answer from support.",
            ],
            [
                "I want the account reinstated and the money released.",
                "Please restore my account and pay out what I earned.",
            ],
        ],
    },
    {
        "business": "gigwork-market",
        "reference": "GW-51907",
        "amount": "640.00",
        "facts": [
            [
                "My client account was deactivated after I left a negative review for a freelancer.",
                "Gigwork Market closed my client account right after I posted a critical review of a freelancer.",
            ],
            [
                "A deposit of $640 for an unfinished project is still in escrow.",
                "The $640 I paid into escrow for a project that was never finished has not been returned.",
            ],
            [
                "The deactivation notice cites a terms violation but does not name it.",
                "The e-mail says I broke the terms without telling me which rule.",
            ],
            ["I want the escrow refunded.", "I ask for the escrow deposit to be returned to my card."],
        ],
    },
    {
        "business": "gigwork-market",
        "reference": "GW-33018",
        "amount": "212.50",
        "facts": [
            [
                "A service fee of $212.50 was charged twice on one contract payout.",
                "Gigwork took its service fee two times from a single payout, $212.50 each time.",
            ],
            [
                "The payout statement shows both deductions on the same day.",
                "Both fees appear on the statement with the same date.",
            ],
            [
                "Billing support said the second fee would be reversed within five days, which did not happen.",
                "I was promised a reversal of the extra fee in five days and it never came.",
            ],
            ["I want the duplicate fee refunded.", "Please refund the fee that was taken twice."],
        ],
    },
    {
        "business": "gigwork-market",
        "reference": "GW-70442",
        "amount": "960.00",
        "facts": [
            [
                "My verified account was locked after a routine password reset.",
                "After I reset my password the platform locked my verified profile.",
            ],
            [
                "Identity verification keeps failing although I uploaded my passport three times.",
                "I sent my passport for verification three times and it is rejected each time.",
            ],
            [
                "Payouts of $960 are on hold while the account is locked.",
                "While the lock lasts, $960 of payouts cannot be withdrawn.",
            ],
            [
                "I want access back and my payouts sent.",
                "I need the lock lifted so the payouts can be sent to my bank.",
            ],
        ],
    },
    {
        "business": "gigwork-market",
        "reference": "GW-15560",
        "amount": "75.00",
        "facts": [
            [
                "Gigwork charged a currency conversion fee on a payout in euros to a euro bank account.",
                "My payout was in euros to a euro account, yet a conversion fee was deducted.",
            ],
            [
                "The fee was $75 and the help page says no conversion applies in this case.",
                "Their own help article says no conversion happens here, but $75 was taken.",
            ],
            [
                "Support closed my ticket without answering the question.",
                "My ticket about it was marked solved with no reply.",
            ],
        ],
    },
    {
        "business": "northwind-telecom",
        "reference": "NW-2024-8812",
        "amount": "129.99",
        "facts": [
            [
                "Northwind Telecom billed me $129.99 for a router I returned in March.",
                "I was charged 129.99 for the router even though I sent it back in March.",
            ],
            [
                "I have the courier receipt showing the router was delivered to their warehouse.",
                "The tracking receipt proves their warehouse received the returned router.",
            ],
            [
                "The charge went to collections after I disputed it by phone.",
                "After I called to dispute it they passed the charge to a debt collector.",
            ],
            [
                "I want the charge cancelled and the collection stopped.",
                "Please cancel the router charge and withdraw it from collections.",
            ],
        ],
    },
    {
        "business": "northwind-telecom",
        "reference": "NW-2024-9023",
        "amount": "45.00",
        "facts": [
            [
                "My internet has dropped every evening for six weeks.",
                "For six weeks the connection has cut out each night.",
            ],
            [
                "Three technician visits were booked and nobody came to any of them.",
                "They scheduled a technician three times and no one turned up.",
            ],
            [
                "I still pay the full monthly price of $45 for a service that does not work.",
                "I am billed the full $45 a month for broken internet.",
            ],
            [
                "I want a repair and a credit for the weeks without service.",
                "I ask for the line to be fixed and the lost weeks credited.",
            ],
        ],
    },
    {
        "business": "northwind-telecom",
        "reference": "NW-2025-0117",
        "amount": "300.00",
        "facts": [
            [
                "I cancelled my contract within the cooling-off period and was charged a $300 early termination fee.",
                "Northwind took a 300 dollar termination fee although I cancelled inside the cooling-off period.",
            ],
            [
                "The salesperson told me cancelling in the first fourteen days was free.",
                "In the shop I was promised that cancelling within fourteen days costs nothing.",
            ],
            [
                "Customer service says the fee is automatic and cannot be removed.",
                "The call centre claims the fee is applied by the system and cannot be reversed.",
            ],
            ["I want the termination fee refunded.", "Please refund the early termination fee."],
        ],
    },
    {
        "business": "northwind-telecom",
        "reference": "",
        "amount": "58.20",
        "facts": [
            [
                "My bill shows roaming charges of $58.20 for a week I spent at home.",
                "I was charged 58.20 in roaming for days when I never left the country.",
            ],
            [
                "My phone's location history shows I did not travel.",
                "I can show from my phone that I stayed home that week.",
            ],
            [
                "The agent said roaming charges are never refunded.",
                "I was told on the phone that roaming is not refundable.",
            ],
        ],
    },
    {
        "business": "brightside-furniture",
        "reference": "BF-100392",
        "amount": "1299.00",
        "facts": [
            [
                "I paid $1,299 for a sofa that was due in four weeks and it has not arrived after three months.",
                "The sofa I bought for 1,299 dollars was promised in a month; three months later there is nothing.",
            ],
            [
                "The delivery date has been moved five times by e-mail.",
                "They have pushed back the delivery date by e-mail five times.",
            ],
            [
                "The store will not give a refund because the order is in production.",
                "I was refused a refund because the sofa is supposedly being made.",
            ],
            ["I want my money back.", "I want a full refund of the order."],
        ],
    },
    {
        "business": "brightside-furniture",
        "reference": "BF-100877",
        "amount": "450.00",
        "facts": [
            [
                "The dining table was delivered with a deep crack across the top.",
                "Our new dining table arrived with a large split in the tabletop.",
            ],
            [
                "The driver left before I could inspect it and I reported the damage the same evening with photos.",
                "I sent photos of the crack that same evening because the driver did not wait.",
            ],
            [
                "Brightside offered a $50 voucher instead of a replacement for a $450 table.",
                "For a table that cost $450 they only offer a fifty dollar voucher.",
            ],
            ["I want a replacement table.", "I ask them to replace the damaged table."],
        ],
    },
    {
        "business": "brightside-furniture",
        "reference": "BF-099120",
        "amount": "89.00",
        "facts": [
            [
                "I was charged an $89 assembly fee for assembly that never took place.",
                "Brightside billed 89 dollars for assembling furniture nobody assembled.",
            ],
            [
                "The assembler cancelled the appointment twice and we built the wardrobe ourselves.",
                "After two cancelled visits we put the wardrobe together on our own.",
            ],
            [
                "The store says the fee is not refundable once booked.",
                "They claim a booked assembly fee cannot be refunded.",
            ],
        ],
    },
    {
        "business": "brightside-furniture",
        "reference": "BF-101455",
        "amount": "720.00",
        "facts": [
            [
                "The mattress sagged within six months and the ten-year warranty claim was refused.",
                "After only six months the mattress sank in the middle, and they turned down the warranty claim.",
            ],
            [
                "The inspector said the sag was within tolerance without measuring it.",
                "Their inspector declared the dip acceptable without taking a measurement.",
            ],
            [
                "The mattress cost $720 and came with a written warranty.",
                "I paid 720 dollars and have the written warranty.",
            ],
            ["I want the mattress replaced under the warranty.", "Please honour the warranty and replace it."],
        ],
    },
    {
        "business": "brightside-furniture",
        "reference": "",
        "amount": "",
        "facts": [
            [
                "The salesperson was rude and refused to let me see the returns policy.",
                "A member of staff spoke rudely to me and would not show me the returns policy.",
            ],
            [
                "I asked for a manager and was told none was available for the whole day.",
                "No manager was available all day when I asked for one.",
            ],
            ["I want an explanation and an apology.", "I would like an explanation of how I was treated."],
        ],
    },
]
OTHER_BUSINESS = {
    "gigwork-market": "taskfair-online",
    "northwind-telecom": "eastline-mobile",
    "brightside-furniture": "oakhaus-home",
}


def telling(base: dict, rng: random.Random, *, reword: bool) -> dict:
    """One telling of a base complaint: as first filed, or reworded from memory."""
    facts = base["facts"]
    if not reword:
        return {
            "business": base["business"],
            "description": " ".join(fact[0] for fact in facts),
            "reference": base["reference"],
            "amount": base["amount"] or None,
        }
    chosen = [fact[1] if rng.random() < 0.6 else fact[0] for fact in facts]
    if len(chosen) > 3 and rng.random() < 0.4:
        chosen.pop(rng.randrange(1, len(chosen)))
    rest = chosen[1:]
    rng.shuffle(rest)
    if rng.random() < 0.3:
        rest.append(
            rng.choice(
                [
                    "I am writing again because nobody answered.",
                    "This is still not sorted out.",
                    "I already complained about this but heard nothing.",
                ]
            )
        )
    return {
        "business": base["business"],
        "description": " ".join([chosen[0], *rest]),
        "reference": base["reference"] if rng.random() < 0.5 else "",
        "amount": (base["amount"] or None) if rng.random() < 0.6 else None,
    }


def pairs() -> list[dict]:
    rng = random.Random(19)
    made = []
    for base in BASES:
        for _ in range(8):
            made.append(
                {
                    "kind": "rewording",
                    "duplicate": True,
                    "a": telling(base, rng, reword=False),
                    "b": telling(base, rng, reword=True),
                }
            )
        for _ in range(2):
            other = telling(base, rng, reword=rng.random() < 0.5)
            other["business"] = OTHER_BUSINESS[base["business"]]
            made.append(
                {"kind": "other_business", "duplicate": False, "a": telling(base, rng, reword=False), "b": other}
            )
    for first, second in combinations(range(len(BASES)), 2):
        if BASES[first]["business"] != BASES[second]["business"]:
            continue
        for _ in range(3):
            made.append(
                {
                    "kind": "unrelated",
                    "duplicate": False,
                    "a": telling(BASES[first], rng, reword=rng.random() < 0.5),
                    "b": telling(BASES[second], rng, reword=rng.random() < 0.5),
                }
            )
    # The same amount by coincidence: two different complaints about a payout or fee of one price.
    same_business = [
        (i, j) for i, j in combinations(range(len(BASES)), 2) if BASES[i]["business"] == BASES[j]["business"]
    ]
    for first, second in rng.sample(same_business, 16):
        a, b = telling(BASES[first], rng, reword=False), telling(BASES[second], rng, reword=True)
        b["amount"] = a["amount"] = a["amount"] or "100.00"
        made.append({"kind": "unrelated_same_amount", "duplicate": False, "a": a, "b": b})
    return made


if __name__ == "__main__":
    out = Path(__file__).parent / "data" / "duplicate_pairs.json"
    out.write_text(json.dumps(pairs(), indent=1, ensure_ascii=False) + "\n")
    print(f"{len(pairs())} pairs written to {out}")
