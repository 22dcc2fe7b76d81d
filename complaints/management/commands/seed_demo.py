"""Load a demo of Redress: businesses, people and complaint threads in every state.

Everything goes through the services, with the clock moved (time-machine) so each thread has
realistic dates: closed cases spread over the past year and a half, open ones still within
their due dates. Running it again changes nothing: it reports that the demo is loaded.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import time_machine
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Business, Location, User
from accounts.services import business_create, representative_add
from complaints.issues import ISSUES, ResponseOutcome
from complaints.models import Complaint, Status
from complaints.services import complaint_enforce_deadline, complaint_file, complaint_withdraw
from disputes.services import answer_submit, complaint_staff_act, response_submit

PASSWORD = "redress-demo-2026"
ADMIN_EMAIL = "admin@redress.example"

LOGINS = [
    ("Staff (Django admin, superuser)", ADMIN_EMAIL),
    ("Staff (screening and rulings)", "sam.staff@redress.example"),
    ("Representative of Gigwork Market", "ravi@gigwork.example"),
    ("Complainant", "dana@example.com"),
]

BUSINESSES: list[dict[str, Any]] = [
    {
        "name": "Gigwork Market",
        "category": "Online freelance marketplace",
        "notice_email": "disputes@gigwork.example",
        "website": "https://gigwork.example",
        "phone": "+1 415 555 0140",
        "address": "500 Howard Street, Floor 4",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
        "accredited": False,
        "alert": (
            "Redress has received a pattern of complaints that Gigwork Market suspends freelancer "
            "accounts and withholds earnings for finished contracts without stating a reason. "
            "The business has been asked to review its suspension and payout procedures."
        ),
        "locations": [
            ("Head office", "500 Howard Street, Floor 4", "San Francisco", "CA", "94105"),
            ("Trust and safety centre", "1200 Congress Avenue", "Austin", "TX", "78701"),
        ],
        "representatives": [("ravi@gigwork.example", "Ravi Patel"), ("mei@gigwork.example", "Mei Tanaka")],
    },
    {
        "name": "Northwind Telecom",
        "category": "Telecommunications",
        "notice_email": "complaints@northwind-telecom.example",
        "website": "https://northwind-telecom.example",
        "phone": "+1 312 555 0199",
        "address": "233 South Wacker Drive",
        "city": "Chicago",
        "region": "IL",
        "postal_code": "60606",
        "accredited": True,
        "alert": "",
        "locations": [
            ("Flagship store", "835 North Michigan Avenue", "Chicago", "IL", "60611"),
            ("Store", "1 Monument Circle", "Indianapolis", "IN", "46204"),
        ],
        "representatives": [("olivia@northwind-telecom.example", "Olivia Brandt")],
    },
    {
        "name": "Harbor & Pine Furniture",
        "category": "Furniture store",
        "notice_email": "care@harborpine.example",
        "website": "https://harborpine.example",
        "phone": "+1 503 555 0123",
        "address": "1410 NW Johnson Street",
        "city": "Portland",
        "region": "OR",
        "postal_code": "97209",
        "accredited": True,
        "alert": "",
        "locations": [
            ("Showroom", "1410 NW Johnson Street", "Portland", "OR", "97209"),
            ("Warehouse", "7700 NE Airport Way", "Portland", "OR", "97218"),
        ],
        "representatives": [("marcus@harborpine.example", "Marcus Greene")],
    },
    {
        "name": "Swift Parcel Couriers",
        "category": "Courier and delivery",
        "notice_email": "claims@swiftparcel.example",
        "website": "https://swiftparcel.example",
        "phone": "+1 404 555 0177",
        "address": "1000 Cobb Parkway",
        "city": "Atlanta",
        "region": "GA",
        "postal_code": "30339",
        "accredited": False,
        "alert": "",
        "locations": [("Depot", "1000 Cobb Parkway", "Atlanta", "GA", "30339")],
        "representatives": [("tasha@swiftparcel.example", "Tasha Reid")],
    },
    {
        "name": "BrightFix Appliance Repair",
        "category": "Appliance repair",
        "notice_email": "office@brightfix.example",
        "website": "https://brightfix.example",
        "phone": "+1 602 555 0110",
        "address": "2020 East Camelback Road",
        "city": "Phoenix",
        "region": "AZ",
        "postal_code": "85016",
        "accredited": False,
        "alert": "",
        "locations": [("Workshop", "2020 East Camelback Road", "Phoenix", "AZ", "85016")],
        "representatives": [("luis@brightfix.example", "Luis Ortega")],
    },
]

COMPLAINANTS = [
    ("dana@example.com", "Dana Whitfield"),
    ("jamal.okafor@example.net", "Jamal Okafor"),
    ("priya.raman@example.org", "Priya Raman"),
    ("tom.becker@example.com", "Tom Becker"),
    ("lucia.ferraro@example.net", "Lucia Ferraro"),
    ("kwame.mensah@example.org", "Kwame Mensah"),
    ("sofia.lindqvist@example.com", "Sofia Lindqvist"),
    ("hannah.cho@example.net", "Hannah Cho"),
]


@dataclass
class Thread:
    """One complaint and what happens to it: steps are (days after filing, action, text)."""

    business: str | None
    complainant: str
    type: str
    description: str
    outcome: str | tuple[str, ...]  # one outcome wanted, or several, main one first
    detail: str
    amount: str | None
    reference: str
    days_ago: float
    steps: list[tuple[float, str, str]] = field(default_factory=list)
    consent: bool = True
    business_name: str = ""


GIG, TEL, FUR, COU, FIX = (
    "Gigwork Market",
    "Northwind Telecom",
    "Harbor & Pine Furniture",
    "Swift Parcel Couriers",
    "BrightFix Appliance Repair",
)

THREADS: list[Thread] = [
    # --- Open cases, recent enough that their due dates are still ahead. ---
    Thread(
        GIG,
        "dana@example.com",
        "account_suspension",
        "Gigwork Market suspended my freelancer account on the day I delivered the final milestone of "
        "a website project. The client had already approved the work. Since then $2,380 in earnings "
        "from four completed contracts shows as 'on hold' and support answers every ticket with the "
        "same template saying the decision is final.",
        ("release_funds", "reinstatement"),
        "Release the $2,380 of earnings for the four completed contracts",
        "2380.00",
        "GW-FL-220417",
        days_ago=0.5,
    ),
    Thread(
        GIG,
        "jamal.okafor@example.net",
        "account_suspension",
        "My account was closed for 'suspicious activity' after I logged in from a hotel while travelling "
        "for a conference. I verified my identity with a passport scan as requested, but the account is "
        "still locked and my $640 balance cannot be withdrawn.",
        ("reinstatement", "release_funds"),
        "Reinstate the account and allow the withdrawal",
        "640.00",
        "GW-FL-331902",
        days_ago=6,
        steps=[(2.1, "deadline", "")],
    ),
    Thread(
        TEL,
        "priya.raman@example.org",
        "billing_collection",
        "Northwind Telecom charged me an early termination fee of $350 when I moved house, although the "
        "agent on the phone confirmed that moving to an address outside their coverage area waives the fee. "
        "I have the call reference and the coverage checker result.",
        "refund",
        "Refund the $350 termination fee",
        "350.00",
        "NWT-88213-4",
        days_ago=9,
        steps=[
            (1, "forward", "Eligible: billing dispute with a listed business."),
            (5, "respond", "We have found the call recording and are reviewing the fee. We will write again."),
        ],
    ),
    Thread(
        FUR,
        "tom.becker@example.com",
        "guarantee_warranty",
        "The recliner I bought from Harbor & Pine in January has a broken reclining mechanism after four "
        "months. It has a five-year warranty, but the store says the damage is 'misuse' without having "
        "inspected it. Two technicians' visits were booked and cancelled by the store.",
        "repair",
        "Repair or replace the recliner under warranty",
        "1199.00",
        "HP-ORD-55120",
        days_ago=28,
        steps=[
            (1, "forward", "Eligible."),
            (6, "respond", "Our technician's notes say the frame was overloaded. This is not covered."),
            (9, "reject", "Nobody inspected the chair. I have photos showing the broken weld."),
            (20, "respond", "We stand by our assessment; the warranty excludes overloading."),
            (24, "reject", "The warranty terms say nothing about weight. I want an inspection."),
        ],
    ),
    Thread(
        GIG,
        "lucia.ferraro@example.net",
        "account_suspension",
        "Gigwork Market froze my agency account over an unpaid invoice dispute with one client and is "
        "holding $5,900 owed by eleven other clients for delivered work. The platform's own dispute "
        "process ruled in my favour in the client dispute, yet the hold remains.",
        ("release_funds", "reinstatement"),
        "Release the $5,900 owed by the other clients",
        "5900.00",
        "GW-AG-10087",
        days_ago=40,
        steps=[
            (1, "forward", "Eligible."),
            (8, "respond", "The hold is required by our risk policy while the chargeback window is open."),
            (10, "reject", "The chargeback window closed 60 days ago. The money is mine."),
            (19, "respond", "We will review the case manually; this can take up to 90 days."),
            (21, "reject", "Ninety more days is not an answer. I ask Redress to rule."),
            (25, "mediation", "Both sides agreed to mediation on the release schedule."),
        ],
    ),
    Thread(
        None,
        "hannah.cho@example.net",
        "order",
        "I paid $89 to an online shop called QuickCase Phone Accessories for two phone cases that never "
        "arrived. The website has since disappeared and the e-mail address bounces. The payment went "
        "through a card processor and the only contact I have is a phone number.",
        "refund",
        "Refund $89",
        "89.00",
        "QC-20931",
        days_ago=1,
        business_name="QuickCase Phone Accessories",
    ),
    # --- Closed cases, spread over the past months. ---
    Thread(
        COU,
        "kwame.mensah@example.org",
        "delivery",
        "Swift Parcel marked my parcel with a laptop as delivered, but it was left in an unsecured lobby of "
        "a building I do not live in. The driver's photo shows a different door number. The sender says "
        "I must claim from the courier.",
        "refund",
        "Pay the declared value of $1,050",
        "1050.00",
        "SP-7781-2204-US",
        days_ago=62,
        steps=[
            (1, "forward", "Eligible."),
            (4, "info", "The driver photo is attached to the sender's tracking page under 'proof of delivery'."),
            (7, "respond", "We confirmed the misdelivery and approved a claim for the declared value."),
            (9, "accept", "The payment arrived today. Thank you for sorting this out."),
        ],
    ),
    Thread(
        TEL,
        "sofia.lindqvist@example.com",
        "customer_service",
        "For three weeks my home internet has dropped every evening between 7 and 11 pm. Northwind "
        "support keeps opening tickets that are closed automatically after 48 hours. I work from home and "
        "have lost client calls.",
        "repair",
        "Fix the connection and credit the lost weeks",
        "120.00",
        "NWT-TK-55018",
        days_ago=120,
        steps=[
            (2, "deadline", ""),
            (6, "respond", "An engineer replaced the street cabinet card. We credited three weeks of service."),
            (16.1, "deadline", ""),
        ],
    ),
    Thread(
        FIX,
        "priya.raman@example.org",
        "service_repair",
        "BrightFix charged $240 for a dishwasher repair and the same fault returned after two days. They "
        "never answered calls or the message I left on their website, and the 90-day guarantee on their "
        "invoice is being ignored.",
        "refund",
        "Refund $240 or repair under the guarantee",
        "240.00",
        "BF-INV-3391",
        days_ago=150,
        steps=[(1, "forward", "Eligible."), (15, "deadline", ""), (29.1, "deadline", "")],
    ),
    Thread(
        GIG,
        "tom.becker@example.com",
        "account_suspension",
        "Gigwork Market deactivated my client account after I left a negative review for a freelancer. "
        "I had prepaid $1,500 into escrow for a project that now cannot be released or refunded.",
        "refund",
        "Refund the $1,500 in escrow",
        "1500.00",
        "GW-CL-44120",
        days_ago=210,
        steps=[
            (1, "forward", "Eligible."),
            (5, "respond", "The account was closed for a terms violation; escrow will be released in 180 days."),
            (7, "reject", "No violation was named. Escrow rules say refunds are due in 14 days."),
            (14, "respond", "Our decision stands."),
            (16, "reject", "The business has not engaged with the facts. I ask for a ruling."),
            (20, "rule_unresolved", "The business gave no reason and no timetable: no good-faith effort."),
        ],
    ),
    Thread(
        FUR,
        "jamal.okafor@example.net",
        "delivery",
        "Harbor & Pine delivered a dining table with a cracked top and two chairs missing. The delivery "
        "team would not wait while I inspected it. Customer care says it will 'look into it'.",
        "replacement",
        "Replace the table top and deliver the missing chairs",
        "1680.00",
        "HP-ORD-49811",
        days_ago=260,
        steps=[
            (1, "forward", "Eligible."),
            (3, "respond", "We are sorry. A new top and the two chairs are scheduled for delivery next week."),
            (5, "reject", "The delivery slot you offered was cancelled by your depot."),
            (12, "respond", "Rebooked for Saturday with a confirmed slot and a $100 voucher."),
            (14, "reject", "The chairs delivered do not match the set."),
            (18, "rule_answered", "The business replaced the top and offered a credit: a good-faith effort."),
        ],
    ),
    Thread(
        None,
        "sofia.lindqvist@example.com",
        "product",
        "I bought a robot vacuum from a seller called Nordic Home Gadgets that stopped charging after a "
        "week. The seller's address turned out to be a mail forwarding service and the website is gone.",
        "refund",
        "Refund $310",
        "310.00",
        "NHG-77102",
        days_ago=300,
        steps=[(3, "unpursuable", "The business could not be located: its only address is a mail drop.")],
        business_name="Nordic Home Gadgets",
    ),
    Thread(
        TEL,
        "kwame.mensah@example.org",
        "customer_service",
        "I want to complain about a Northwind employee who was rude to me in a store. This is about the "
        "employee's manner, and I would like him to be disciplined by the company.",
        "other",
        "Discipline the employee",
        None,
        "",
        days_ago=330,
        steps=[(1, "reject_filing", "A personnel matter with no consumer transaction to resolve.")],
        consent=False,
    ),
    Thread(
        COU,
        "hannah.cho@example.net",
        "delivery",
        "A Swift Parcel courier left a parcel with my neighbour without my authorisation and it has gone "
        "missing. The sender refunded half the value and told me to claim the rest.",
        "refund",
        "Refund the remaining $45",
        "45.00",
        "SP-5530-1877-US",
        days_ago=380,
        steps=[(1, "forward", "Eligible."), (4, "withdraw", "My neighbour found the parcel in her garage.")],
    ),
    Thread(
        GIG,
        "sofia.lindqvist@example.com",
        "billing_collection",
        "Gigwork Market charged a 20% 'currency conversion fee' on a payout in euros, although my payout "
        "currency setting is euros and no conversion took place.",
        "refund",
        "Refund the $212 conversion fee",
        "212.00",
        "GW-FL-50233",
        days_ago=430,
        steps=[
            (1, "forward", "Eligible."),
            (9, "respond", "We confirmed a display error; the fee was refunded to your balance."),
            (11, "accept", "Refund received. Thanks."),
        ],
    ),
    Thread(
        FUR,
        "dana@example.com",
        "order",
        "I ordered a bookshelf from Harbor & Pine and was charged twice. The second charge was not refunded "
        "after a month despite three calls.",
        "refund",
        "Refund the duplicate charge of $420",
        "420.00",
        "HP-ORD-39002",
        days_ago=480,
        steps=[
            (1, "forward", "Eligible."),
            (3, "respond", "Duplicate charge confirmed and refunded today."),
            (13.1, "deadline", ""),
            (20, "late_accept", "I checked my statement: the refund arrived. Resolved."),
        ],
    ),
]

# Shorter Gigwork Market cases, so the profile's monthly chart and figures have a history.
GIG_EXTRA: list[tuple[str, str | tuple[str, ...], str]] = [
    (
        "account_suspension",
        ("release_funds", "reinstatement"),
        "My account was suspended without notice and {amount} of earnings is held.",
    ),
    ("billing_collection", "refund", "A service fee of {amount} was charged twice on a single contract payout."),
    ("customer_service", "explanation", "Support closed my ticket about a {amount} payout delay without a reply."),
    (
        "account_suspension",
        ("reinstatement", "release_funds"),
        "My verified account was locked after a password reset; {amount} held.",
    ),
]

# Gigwork Market's suspension complaints jump this week: about one a week for twelve weeks, then
# nine in the last seven days, so `manage.py detect_patterns` opens a pattern review on the demo.
SURGE_PEOPLE = [
    ("ana.souza@example.com", "Ana Souza"),
    ("ben.harlow@example.net", "Ben Harlow"),
    ("chen.wei@example.org", "Chen Wei"),
    ("dmitri.volkov@example.com", "Dmitri Volkov"),
    ("eva.novak@example.net", "Eva Novak"),
    ("farah.haddad@example.org", "Farah Haddad"),
    ("gus.moreau@example.com", "Gus Moreau"),
    ("ines.duarte@example.net", "Ines Duarte"),
    ("jonah.reyes@example.org", "Jonah Reyes"),
    ("kiri.walker@example.com", "Kiri Walker"),
    ("leo.marsh@example.net", "Leo Marsh"),
]
SURGE_ROLES = ["freelancer", "seller", "agency", "translator", "designer", "developer"]
SURGE_CAUSES = [
    "a routine identity check",
    "an automated fraud flag",
    "a chargeback by one client",
    "a login from a new phone",
    "a change of payout bank",
    "a dispute I won last month",
]
SURGE_SUPPORT = [
    "support answers with a template",
    "my appeal was closed within an hour",
    "no one replies to the ticket",
    "the help centre link leads nowhere",
]


class Command(BaseCommand):
    help = "Load demo businesses, people and complaints in every state (does nothing if already loaded)."

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(email=ADMIN_EMAIL).exists() or Business.objects.filter(name=GIG).exists():
            self.stdout.write("The demo data is already loaded; nothing changed.")
            self._print_logins()
            return
        now = timezone.now()
        with transaction.atomic():
            admin, staff = self._people(now)
            businesses = self._businesses(admin)
            for thread in THREADS:
                self._play(thread, businesses, staff, now)
            for thread in self._gig_history(now):
                self._play(thread, businesses, staff, now)
            for thread in self._gig_surge():
                self._play(thread, businesses, staff, now)
        counts = {status: Complaint.objects.filter(status=status).count() for status in Status.values}
        self.stdout.write(self.style.SUCCESS(f"Loaded {Complaint.objects.count()} complaints."))
        self.stdout.write(", ".join(f"{status}: {count}" for status, count in counts.items()))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo sign-ins (password for all: {PASSWORD}):")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<34} {email}")
        self.stdout.write(f"Site: {settings.SITE_URL}/   Admin: {settings.SITE_URL}/admin/")
        if settings.REDRESS_ADMIN_REQUIRE_MFA:
            self.stdout.write("Staff have no authenticator yet: they set one up at their first sign-in.")

    def _people(self, now: datetime) -> tuple[User, User]:
        past = now - timedelta(days=600)
        admin = User.objects.create_superuser(ADMIN_EMAIL, PASSWORD, name="Alex Admin", date_joined=past)
        staff = User.objects.create_user(
            "sam.staff@redress.example", PASSWORD, name="Sam Staff", is_staff=True, email_verified_at=past
        )
        for email, name in COMPLAINANTS + SURGE_PEOPLE:
            User.objects.create_user(email, PASSWORD, name=name, email_verified_at=past, date_joined=past)
        return admin, staff

    def _businesses(self, admin: User) -> dict[str, Business]:
        made = {}
        for spec in BUSINESSES:
            business = business_create(
                staff=admin,
                name=spec["name"],
                notice_email=spec["notice_email"],
                website=spec["website"],
                category=spec["category"],
                address=spec["address"],
            )
            Business.objects.filter(pk=business.pk).update(
                phone=spec["phone"],
                city=spec["city"],
                region=spec["region"],
                postal_code=spec["postal_code"],
                accredited=spec["accredited"],
                alert=spec["alert"],
                alert_set_at=timezone.now() if spec["alert"] else None,
            )
            for label, address, city, region, postal_code in spec["locations"]:
                Location.objects.create(
                    business=business, label=label, address=address, city=city, region=region, postal_code=postal_code
                )
            for email, name in spec["representatives"]:
                User.objects.create_user(email, PASSWORD, name=name, email_verified_at=timezone.now())
                representative_add(staff=admin, business=business, email=email)
            made[business.name] = business
        return made

    def _gig_history(self, now: datetime) -> list[Thread]:
        rng = random.Random(2026)
        endings: list[list[tuple[float, str, str]]] = [
            [(1, "forward", "Eligible."), (4, "respond", "Funds released after review."), (6, "accept", "Paid.")],
            [(1, "forward", "Eligible."), (6, "respond", "Our policy applies."), (16.1, "deadline", "")],
            [(1, "forward", "Eligible."), (15, "deadline", ""), (29.1, "deadline", "")],
            [(2.1, "deadline", ""), (3, "respond", "Account restored and payout sent."), (5, "accept", "Thanks.")],
        ]
        threads = []
        for index in range(12):
            type_, outcome, text = GIG_EXTRA[index % len(GIG_EXTRA)]
            amount = Decimal(rng.randrange(80, 3000))
            threads.append(
                Thread(
                    GIG,
                    COMPLAINANTS[index % len(COMPLAINANTS)][0],
                    type_,
                    text.format(amount=f"${amount}") + " I contacted support several times and got template replies.",
                    outcome,
                    "",
                    str(amount),
                    f"GW-{rng.randrange(10000, 99999)}",
                    days_ago=70 + index * 40 + rng.randrange(0, 20),
                    steps=endings[(index + index // 4) % len(endings)],
                    consent=rng.random() < 0.8,
                )
            )
        return threads

    def _gig_surge(self) -> list[Thread]:
        rng = random.Random(19)
        days_ago = [9 + 7 * week + rng.random() * 5 for week in range(12)]  # the twelve weeks before
        days_ago += [0.2 + 0.7 * i for i in range(9)]  # this week's nine
        threads = []
        for index, ago in enumerate(days_ago):
            amount = Decimal(rng.randrange(150, 4000))
            role, cause = SURGE_ROLES[index % len(SURGE_ROLES)], SURGE_CAUSES[(index * 5) % len(SURGE_CAUSES)]
            text = (
                f"Gigwork Market suspended my {role} account after {cause}. ${amount} of earnings from "
                f"finished work is held, and {SURGE_SUPPORT[index % len(SURGE_SUPPORT)]}."
            )
            threads.append(
                Thread(
                    GIG,
                    SURGE_PEOPLE[index % len(SURGE_PEOPLE)][0],
                    "account_suspension",
                    text,
                    ("reinstatement", "release_funds"),
                    "",
                    str(amount),
                    f"GW-{rng.randrange(10000, 99999)}",
                    days_ago=ago,
                    steps=[(1, "forward", "Eligible.")] if ago > 2 else [],
                    consent=True,
                )
            )
        return threads

    def _play(self, thread: Thread, businesses: dict[str, Business], staff: User, now: datetime) -> None:
        filed_at = (now - timedelta(days=thread.days_ago)).replace(microsecond=0)
        complainant = User.objects.get(email=thread.complainant)
        business = businesses[thread.business] if thread.business else None
        rep = business.memberships.select_related("user").first().user if business else None  # type: ignore[union-attr]
        with time_machine.travel(filed_at, tick=False) as clock:
            complaint = complaint_file(
                complainant=complainant,
                business=business,
                business_name=thread.business_name,
                type=thread.type,
                description=thread.description,
                desired_outcomes=(thread.outcome,) if isinstance(thread.outcome, str) else thread.outcome,
                desired_outcome_detail=thread.detail,
                transaction_date=(filed_at - timedelta(days=12)).date(),
                amount=Decimal(thread.amount) if thread.amount else None,
                currency="USD",
                reference=thread.reference,
                publish_consent=thread.consent,
                affirm_true=True,
                affirm_not_in_court=True,
                **_place_and_issue(thread.type, thread.description),
            )
            for day, action, text in thread.steps:
                moment = filed_at + timedelta(days=day)
                if action == "deadline":
                    due = Complaint.objects.values_list("due_at", flat=True).get(pk=complaint.pk)
                    moment = max(moment, due + timedelta(minutes=5)) if due else moment
                if moment > now:
                    raise RuntimeError(f"Demo thread {thread.reference or thread.business_name} runs into the future")
                clock.move_to(moment)
                self._step(complaint, action, text, complainant, rep, staff)

    def _step(
        self, complaint: Complaint, action: str, text: str, complainant: User, rep: User | None, staff: User
    ) -> None:
        pk = complaint.pk
        staff_actions = {
            "forward": "forward",
            "unpursuable": "unpursuable",
            "rule_answered": "rule_answered",
            "rule_unresolved": "rule_unresolved",
        }
        if action in staff_actions:
            complaint_staff_act(complaint_id=pk, staff=staff, action=staff_actions[action], reason=text)
        elif action == "reject_filing":
            complaint_staff_act(
                complaint_id=pk, staff=staff, action="reject", reason=text, reject_reason="not_business_dispute"
            )
        elif action == "mediation":
            complaint_staff_act(
                complaint_id=pk, staff=staff, action="open_mediation", reason=text, mediation_kind="mediation"
            )
        elif action == "respond":
            response_submit(complaint_id=pk, author=rep, text=text, **_outcome(text))  # type: ignore[arg-type]
        elif action == "reject":
            answer_submit(complaint_id=pk, author=complainant, text=text, verdict="reject")
        elif action in ("accept", "late_accept"):
            answer_submit(complaint_id=pk, author=complainant, text=text, verdict="accept")
        elif action == "info":
            answer_submit(complaint_id=pk, author=complainant, text=text, verdict="none")
        elif action == "withdraw":
            complaint_withdraw(complaint_id=pk, user=complainant, reason=text)
        elif action == "deadline":
            if complaint_enforce_deadline(complaint_id=pk) is None:
                raise RuntimeError(f"Nothing was due for demo complaint #{complaint.number}")
        else:  # pragma: no cover - a typo in the script above
            raise ValueError(action)


# The demo's issues, places and outcomes, chosen from the texts so every seed is the same.
DEMO_PLACES = [("US", "CA"), ("US", "TX"), ("US", "NY"), ("US", "WA"), ("GB", "Scotland"), ("CA", "Ontario")]


def _place_and_issue(type_: str, description: str) -> dict[str, Any]:
    key = zlib.crc32(description.encode())
    issues = ISSUES.get(type_, [])
    country, region = DEMO_PLACES[key % len(DEMO_PLACES)]
    contacted = key % 3 != 0
    return {
        "issue": issues[key % len(issues)][0] if issues else "",
        "country": country,
        "region": region,
        "contacted_business": contacted,
        "business_ticket_reference": f"SUP-{key % 100000:05d}" if contacted else "",
    }


def _outcome(text: str) -> dict[str, Any]:
    outcome = list(ResponseOutcome)[zlib.crc32(text.encode()) % len(ResponseOutcome)]
    relief = Decimal(25 + zlib.crc32(text.encode()) % 200) if outcome == ResponseOutcome.MONETARY_RELIEF else None
    return {"outcome": outcome.value, "relief_amount": relief}
