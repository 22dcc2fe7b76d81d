"""The business's outcomes on its figures: counted at closing, summed in the day rows and the
summary, shown on the profile and in the API, kept right by the migration and the cache."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from accounts.models import Business
from complaints.figures import business_figures
from complaints.models import BusinessStatsDay, BusinessStatsSummary, Status
from complaints.publication import Facts, contribution
from complaints.services import business_stats_rebuild, stats_summary_recount
from complaints.services.record import stats_summary_stored
from complaints.tests.factories import complaint_in, file_complaint, representative_of, staff_user
from disputes.services import answer_submit, complaint_staff_act, response_submit

from .test_publication_rules import TOLD
from .test_publication_rules import facts as rules_facts


def facts(**overrides) -> Facts:
    """A published delivery complaint whose business responded five hours after being told."""
    return rules_facts(**{"first_response_at": TOLD + timedelta(hours=5), **overrides})


RESPONDED = {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "on_time": 1, "h:5": 1}


@pytest.mark.parametrize(
    ("overrides", "added"),
    [
        ({}, {}),
        ({"outcome": "explanation"}, {"o:explanation": 1}),
        ({"outcome": "in_progress"}, {"o:in_progress": 1}),
        ({"outcome": "non_monetary_relief"}, {"o:non_monetary_relief": 1}),
        # monetary relief in hundredths of the complaint's currency
        (
            {"outcome": "monetary_relief", "relief_amount": Decimal("125.50")},
            {"o:monetary_relief": 1, "relief:USD": 12550},
        ),
        (
            {"outcome": "monetary_relief", "relief_amount": Decimal("0.07"), "currency": "EUR"},
            {"o:monetary_relief": 1, "relief:EUR": 7},
        ),
        ({"outcome": "monetary_relief", "relief_amount": None}, {"o:monetary_relief": 1}),
    ],
)
def test_the_outcome_counters_one_complaint_adds(overrides, added):
    assert contribution(facts(**overrides)) == {**RESPONDED, **added}


# With the database ---------------------------------------------------------------------------------


def closed_with(business, outcome, relief=None, currency="USD"):
    """A complaint the business answered with `outcome` and the complainant accepted: Resolved."""
    complaint = file_complaint(business=business, currency=currency)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="forward", reason="Eligible")
    response_submit(
        complaint_id=complaint.pk,
        author=representative_of(business),
        text="We refunded the order in full.",
        outcome=outcome,
        relief_amount=relief,
    )
    answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Thank you.", verdict="accept")
    return complaint


def outcome_record(business):
    closed_with(business, "monetary_relief", Decimal("100.00"))
    closed_with(business, "monetary_relief", Decimal("50.25"))
    closed_with(business, "monetary_relief", Decimal("20.50"), currency="EUR")
    closed_with(business, "explanation")
    closed_with(business, "in_progress")
    complaint_in(Status.RESOLVED, business=business)  # a response without an outcome
    complaint_in(Status.UNANSWERED, business=business)
    complaint_in(Status.AWAITING_CONSUMER, business=business)  # not published: not counted


EXPECTED_OUTCOMES = {
    "monetary_relief": 3,
    "non_monetary_relief": 0,
    "explanation": 1,
    "in_progress": 1,
    "none": 2,
}


@pytest.mark.django_db
def test_figures_count_the_outcomes_and_add_up_the_relief_per_currency(business):
    outcome_record(business)

    figures = business_figures(business.pk)

    assert figures.total == 7
    assert figures.by_outcome == EXPECTED_OUTCOMES
    assert figures.relief_totals == {"EUR": Decimal("20.50"), "USD": Decimal("150.25")}
    assert figures.relief_display == ["20.50 EUR", "150.25 USD"]
    today = BusinessStatsDay.objects.get(business=business).counts
    assert {key: value for key, value in today.items() if key.startswith(("o:", "relief:"))} == {
        "o:monetary_relief": 3,
        "o:explanation": 1,
        "o:in_progress": 1,
        "relief:USD": 15025,
        "relief:EUR": 2050,
    }
    summary = BusinessStatsSummary.objects.get(business=business).counts
    assert summary["o:monetary_relief"] == 3 and summary["relief:USD"] == 15025
    assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)


@pytest.mark.django_db
def test_a_late_response_with_relief_moves_the_complaint_from_none_given_to_monetary_relief(business):
    complaint = complaint_in(Status.UNANSWERED, business=business)
    assert business_figures(business.pk).by_outcome == {**dict.fromkeys(EXPECTED_OUTCOMES, 0), "none": 1}

    response_submit(
        complaint_id=complaint.pk,
        author=representative_of(business),
        text="Sorry for the delay: we refunded you.",
        outcome="monetary_relief",
        relief_amount=Decimal("80.00"),
    )
    # Awaiting the consumer again: out of the public record, its earlier closing taken away.
    figures = business_figures(business.pk)
    assert figures.total == 0
    assert figures.by_outcome == dict.fromkeys(EXPECTED_OUTCOMES, 0)
    assert figures.relief_totals == {}

    answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Received.", verdict="accept")
    figures = business_figures(business.pk)
    assert figures.by_outcome == {**dict.fromkeys(EXPECTED_OUTCOMES, 0), "monetary_relief": 1}
    assert figures.relief_totals == {"USD": Decimal("80.00")}
    # The rows written move by move are the rows a recount gives.
    written = dict(BusinessStatsDay.objects.filter(business=business).values_list("day", "counts"))
    business_stats_rebuild(business_id=business.pk)
    assert dict(BusinessStatsDay.objects.filter(business=business).values_list("day", "counts")) == written


@pytest.mark.django_db
def test_a_reopened_complaint_takes_its_outcome_and_relief_away(business):
    complaint = closed_with(business, "monetary_relief", Decimal("30.00"))
    complaint_staff_act(
        complaint_id=complaint.pk, staff=staff_user(), action="reopen", reason="The refund never arrived"
    )

    figures = business_figures(business.pk)

    assert figures.by_outcome == dict.fromkeys(EXPECTED_OUTCOMES, 0)
    assert figures.relief_totals == {}
    counts = BusinessStatsDay.objects.get(business=business).counts
    assert not [key for key in counts if key.startswith(("o:", "relief:"))]


@pytest.mark.django_db
def test_a_new_closing_with_an_outcome_changes_the_cached_figures(business, settings, django_assert_num_queries):
    settings.REDRESS_FIGURES_CACHE_SECONDS = 300
    closed_with(business, "explanation")
    first = business_figures(business.pk)
    with django_assert_num_queries(0):
        assert business_figures(business.pk).by_outcome == first.by_outcome  # from the cache

    closed_with(business, "monetary_relief", Decimal("12.00"))

    figures = business_figures(business.pk)
    assert first.by_outcome == {**dict.fromkeys(EXPECTED_OUTCOMES, 0), "explanation": 1}
    assert figures.by_outcome == {**dict.fromkeys(EXPECTED_OUTCOMES, 0), "explanation": 1, "monetary_relief": 1}
    assert figures.relief_totals == {"USD": Decimal("12.00")}


@pytest.mark.django_db
def test_the_profile_shows_the_outcomes_with_their_definitions_and_a_chart_with_its_table(client, business):
    outcome_record(business)

    page = client.get(f"/businesses/{business.slug}/").content.decode()

    assert 'data-outcome="monetary_relief">3<' in page
    assert 'data-outcome="non_monetary_relief">0<' in page
    assert 'data-outcome="explanation">1<' in page
    assert 'data-outcome="in_progress">1<' in page
    assert 'data-outcome="none">2<' in page
    assert '<span class="relief-total">20.50 EUR</span><span class="relief-total">150.25 USD</span>' in page
    assert "The business explained but gave no relief." in page
    assert "The business gave no outcome, or did not respond." in page
    assert "The monetary relief the business reported on those complaints, added up per currency." in page
    assert (
        "7 complaints: monetary relief 3; non-monetary relief 0; explanation only 1; in progress 1; none given 2."
        in page
    )
    assert "<tr><td>Monetary relief</td><td>3</td></tr>" in page
    # the longest bar takes 80% of the width, the others in proportion
    assert 'width="80.0%"' in page and 'width="53.33%"' in page and 'width="26.67%"' in page


@pytest.mark.django_db
def test_a_profile_without_complaints_says_no_relief_was_reported(client, business):
    page = client.get(f"/businesses/{business.slug}/").content.decode()

    assert 'data-outcome="none">0<' in page
    assert '<dd data-figure="relief">none reported</dd>' in page
    assert "No published complaints to show." in page


@pytest.mark.django_db
def test_the_api_business_record_has_the_outcome_figures(api, business):
    outcome_record(business)

    body = api().get(f"/api/v1/businesses/{business.slug}/").json()

    assert body["figures"]["by_outcome"] == EXPECTED_OUTCOMES
    assert body["figures"]["relief_totals"] == {"EUR": "20.50", "USD": "150.25"}
    assert body["figures"]["definitions"]["outcomes"] == (
        "Of the complaints in the last 36 months, how many the business closed with each outcome "
        "it gave with its latest response."
    )
    assert [(d["outcome"], d["name"]) for d in body["outcome_definitions"]] == [
        ("monetary_relief", "Monetary relief"),
        ("non_monetary_relief", "Non-monetary relief"),
        ("explanation", "Explanation only"),
        ("in_progress", "In progress"),
        ("none", "None given"),
    ]


@pytest.mark.django_db
def test_the_migration_recounts_day_rows_written_before_the_outcomes(business):
    outcome_record(business)
    written = dict(BusinessStatsDay.objects.filter(business=business).values_list("day", "counts"))
    # The row and the summary as the code before the outcomes wrote them: no `o:` or `relief:` counters.
    row = BusinessStatsDay.objects.get(business=business)
    row.counts = {key: value for key, value in row.counts.items() if not key.startswith(("o:", "relief:"))}
    row.save()
    BusinessStatsSummary.objects.filter(business=business).update(counts=row.counts)
    assert business_figures(business.pk).by_outcome == {**dict.fromkeys(EXPECTED_OUTCOMES, 0), "none": 7}
    version = Business.objects.get(pk=business.pk).public_version

    migration = importlib.import_module("complaints.migrations.0017_figures_count_outcomes")
    migration.recount(django_apps, None)

    assert dict(BusinessStatsDay.objects.filter(business=business).values_list("day", "counts")) == written
    assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)
    figures = business_figures(business.pk)
    assert figures.by_outcome == EXPECTED_OUTCOMES
    assert figures.relief_totals == {"EUR": Decimal("20.50"), "USD": Decimal("150.25")}
    assert Business.objects.get(pk=business.pk).public_version == version + 1
