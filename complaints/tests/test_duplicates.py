"""Likely duplicates at filing: the measure, the labelled set, the review step, the API, and staff's link."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.duplicates import DUPLICATE_THRESHOLD, duplicate_score, trigram_similarity, trigrams
from complaints.models import Complaint, ComplaintEvent, Status
from complaints.tests.factories import DESCRIPTION, file_complaint
from core.errors import InvalidInput
from disputes.services import complaint_staff_act

PAIRS = json.loads((Path(__file__).parent / "data" / "duplicate_pairs.json").read_text())
REWORDED = (
    "Support closed my tickets without an answer. My seller account was suspended without warning on "
    "3 March and the platform holds the earnings of four finished contracts."
)
UNRELATED = (
    "The courier left my parcel at the wrong address twice and the business refuses to send a "
    "replacement or refund the delivery charge of the order."
)


def test_trigrams_are_formed_as_pg_trgm_forms_them():
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert trigram_similarity("cat", "cat") == 1.0
    assert trigram_similarity("", "") == 0.0


def test_a_shared_reference_and_amount_strengthen_the_match():
    plain = duplicate_score(text_similarity=0.2, reference="", other_reference="", amount=None, other_amount=None)
    both = duplicate_score(
        text_similarity=0.2,
        reference="gw-1",
        other_reference=" GW-1 ",
        amount=Decimal("10.00"),
        other_amount=Decimal("10"),
    )
    assert (plain, round(both, 2)) == (0.2, 0.6)


def test_the_labelled_set_has_at_least_200_pairs_of_each_kind():
    kinds = {pair["kind"] for pair in PAIRS}
    assert len(PAIRS) >= 200
    assert kinds == {"rewording", "other_business", "unrelated", "unrelated_same_amount"}


def _amount(value):
    return Decimal(value) if value else None


@pytest.mark.django_db
def test_precision_and_recall_on_the_labelled_set_with_pg_trgm(capsys):
    """pg_trgm scores the pairs as filing does; the threshold is docs/decisions/0025-duplicates-at-filing.md."""
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT similarity(a, b) FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(a, b, n) ORDER BY n",
            [[p["a"]["description"] for p in PAIRS], [p["b"]["description"] for p in PAIRS]],
        )
        similarities = [row[0] for row in cursor.fetchall()]
    found = tp = fp = fn = 0
    for pair, similarity in zip(PAIRS, similarities, strict=True):
        a, b = pair["a"], pair["b"]
        # The Python measure (the embedded default's) agrees with pg_trgm.
        assert abs(trigram_similarity(a["description"], b["description"]) - similarity) < 0.01
        score = duplicate_score(
            text_similarity=similarity,
            reference=a["reference"],
            other_reference=b["reference"],
            amount=_amount(a["amount"]),
            other_amount=_amount(b["amount"]),
        )
        flagged = a["business"] == b["business"] and score >= DUPLICATE_THRESHOLD
        found += flagged
        tp += flagged and pair["duplicate"]
        fp += flagged and not pair["duplicate"]
        fn += pair["duplicate"] and not flagged
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nduplicates at threshold {DUPLICATE_THRESHOLD}: {len(PAIRS)} pairs, {found} flagged, "
            f"precision {precision:.3f}, recall {recall:.3f}"
        )
    assert precision >= 0.95
    assert recall >= 0.90


@pytest.mark.django_db
def test_filing_again_lists_the_complainant_own_like_complaint_and_files_anyway():
    complainant, business = UserFactory(), BusinessFactory()
    first = file_complaint(complainant, business)
    file_complaint(complainant, business, description=UNRELATED, reference="", amount=None)
    file_complaint(UserFactory(), business)  # the same text by someone else is not theirs to see
    file_complaint(complainant, BusinessFactory())  # the same text against another business
    again = file_complaint(complainant, business, description=REWORDED, reference="", amount=None)
    assert again.status == Status.SUBMITTED
    assert again.possible_duplicates == [first.number]


@pytest.mark.django_db
def test_the_review_step_warns_with_a_link_to_the_like_complaint(client, complainant, business):
    first = file_complaint(complainant, business)
    client.force_login(complainant)
    steps = {
        "business": {"business": business.slug, "query": ""},
        "details": {
            "type": "account_suspension",
            "description": REWORDED,
            "desired_outcomes": ["release_funds"],
            "currency": "USD",
            "amount": "1240.00",
            "reference": "",
            "desired_outcome_detail": "",
            "transaction_date": "",
        },
        "consent": {"publish_consent": "yes", "affirm_true": "on", "affirm_not_in_court": "on"},
    }
    for step, data in steps.items():
        response = client.post(f"/complaints/new/{step}/", {**data, "action": "next"})
        assert response.status_code == 302, (step, response.content[:2000])
    page = client.get("/complaints/new/review/").content.decode()
    assert "You already filed a complaint that reads like this" in page
    assert f'href="/complaints/{first.number}/"' in page
    filed = client.post("/complaints/new/review/", {"action": "file"})
    assert filed.status_code == 302
    assert Complaint.objects.filter(complainant=complainant).count() == 2


@pytest.mark.django_db
def test_the_api_answers_201_with_the_possible_duplicates(api, complainant, business):
    first = file_complaint(complainant, business)
    filing = {
        "business": business.slug,
        "type": "account_suspension",
        "description": REWORDED,
        "desired_outcome": "release_funds",
        "amount": "1240.00",
        "affirm_true": True,
        "affirm_not_in_court": True,
    }
    response = api(complainant).post("/api/v1/complaints/", filing, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["possible_duplicates"] == [first.number]
    other = api(complainant).post(
        "/api/v1/complaints/", {**filing, "description": UNRELATED, "type": "delivery"}, format="json"
    )
    assert other.status_code == 201 and other.json()["possible_duplicates"] == []


@pytest.mark.django_db
def test_staff_reject_as_a_duplicate_linked_to_the_other_and_both_cases_show_it(client, complainant, business, staff):
    first = file_complaint(complainant, business)
    again = file_complaint(complainant, business, description=DESCRIPTION + " I am writing again.")
    with pytest.raises(InvalidInput) as missing:
        complaint_staff_act(
            complaint_id=again.pk, staff=staff, action="reject", reason="Filed twice", reject_reason="duplicate"
        )
    assert "duplicate_of" in missing.value.field_errors
    event = complaint_staff_act(
        complaint_id=again.pk,
        staff=staff,
        action="reject",
        reason="Filed twice",
        reject_reason="duplicate",
        duplicate_of=f"#{first.number}",
    )
    again.refresh_from_db()
    assert (again.status, again.duplicate_of_id) == (Status.REJECTED, first.pk)
    assert (event.reason, event.data["duplicate_of"]) == ("Filed twice", first.number)
    assert ComplaintEvent.objects.filter(complaint=first).count() == 1  # the other's history is untouched
    client.force_login(staff)
    rejected = client.get(f"/complaints/{again.number}/").content.decode()
    assert f'Rejected as a duplicate of <a href="/complaints/{first.number}/">complaint #{first.number}</a>' in rejected
    original = client.get(f"/complaints/{first.number}/").content.decode()
    assert f'Rejected as a duplicate of this complaint: <a href="/complaints/{again.number}/">#{again.number}</a>' in (
        original
    )
    change = client.get(f"/admin/complaints/complaint/{first.pk}/change/").content.decode()
    assert f'Rejected as duplicates of this complaint: <a href="/complaints/{again.number}/">#{again.number}</a>' in (
        change
    )


@pytest.mark.django_db
def test_staff_see_possible_duplicate_of_on_the_case_and_the_admin_page(client, complainant, business, staff):
    first = file_complaint(complainant, business)
    again = file_complaint(complainant, business, description=REWORDED)
    client.force_login(staff)
    page = client.get(f"/complaints/{again.number}/").content.decode()
    assert f'Possible duplicate of <a href="/complaints/{first.number}/">#{first.number}</a>' in page
    change = client.get(f"/admin/complaints/complaint/{again.pk}/change/").content.decode()
    assert f'Possible duplicate of <a href="/complaints/{first.number}/">#{first.number}</a>' in change
    client.force_login(complainant)
    assert "Possible duplicate of" not in client.get(f"/complaints/{again.number}/").content.decode()


@pytest.mark.django_db
def test_the_case_fetch_carries_the_duplicate_links_as_they_are_read_alone(complainant, business, staff):
    from complaints.selectors.duplicates import DuplicateLinks, duplicate_links
    from complaints.selectors.visibility import complaint_get_for_user

    first = file_complaint(complainant, business)
    later = [file_complaint(complainant, business, description=DESCRIPTION + f" Again, {n}.") for n in range(2)]
    for again in reversed(later):  # rejected newest first: the links still list them oldest filed first
        complaint_staff_act(
            complaint_id=again.pk,
            staff=staff,
            action="reject",
            reason="Filed twice",
            reject_reason="duplicate",
            duplicate_of=first.number,
        )
    expected = {
        first.number: DuplicateLinks(duplicates=[later[0].number, later[1].number]),
        later[0].number: DuplicateLinks(duplicate_of=first.number),
        later[1].number: DuplicateLinks(duplicate_of=first.number),
    }
    for number, links in expected.items():
        alone = duplicate_links(Complaint.objects.get(number=number), staff=False, party=True)
        fetched = complaint_get_for_user(user=complainant, number=number)
        with CaptureQueriesContext(connection) as queries:
            carried = duplicate_links(fetched, staff=False, party=True)
        assert carried == alone == links
        assert len(queries.captured_queries) == (
            0 if connection.vendor == "postgresql" else 1 + bool(links.duplicate_of)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "orm"])
def test_the_listed_business_candidates_read_alike_either_way(monkeypatch, prepared):
    from complaints.selectors.duplicates import duplicates_for_filing

    if not prepared:
        monkeypatch.setattr("complaints.selectors.duplicates.prepared_reads", lambda: False)
    complainant, business = UserFactory(), BusinessFactory()
    first = file_complaint(complainant, business)
    reworded = file_complaint(complainant, business, description=REWORDED, reference="", amount=None)
    file_complaint(complainant, business, description=UNRELATED, reference="", amount=None)
    rejected = file_complaint(complainant, business, description=DESCRIPTION)
    Complaint.objects.filter(pk=rejected.pk).update(duplicate_of=first)  # a rejected duplicate is no candidate
    file_complaint(UserFactory(), business)  # someone else's
    file_complaint(complainant, BusinessFactory())  # another business
    with CaptureQueriesContext(connection) as queries:
        found = duplicates_for_filing(
            complainant_id=complainant.pk,
            business_id=business.pk,
            description=DESCRIPTION,
            reference="ACC-99812",
            amount=Decimal("1240.00"),
        )
    assert [item.number for item in found] == [first.number, reworded.number]
    assert found[0].score == pytest.approx(1.0)
    assert 0.5 < found[1].score < found[0].score
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("EXECUTE redress_listed_candidates(") is prepared
