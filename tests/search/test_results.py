"""The results page: ranking, snippets, facets, typos, prefixes, paging and help."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from publishing.models import Status
from publishing.signals import schedule_passed
from publishing.versioning import bump_content_version
from reports.models import Report
from search import signals as search_signals
from tests import factories
from tests.catalogue import SMALL, assert_query_counts_flat, grow_catalogue
from tests.pdfs import pdf_with_text
from tests.search.conftest import facet_options, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_empac", verbosity=0)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("resilience", "Community Resilience Progress Report November 2020"),
        ("county lines", "Community Resilience Progress Report November 2020"),
        ("international links", "Understanding international links"),
        ("adaptability report", "Organisational Adaptability Progress Report December 2020"),
        ('"mind the gap"', "Mind the gap"),
        ("McCusker", "Professor Rob McCusker"),
        ("EMSOU", "East Midlands Special Operations Unit"),
        ("intelligence -adaptability", "Intelligence Progress Report February 2021"),
    ],
)
def test_relevance_on_the_seeded_content(seeded, search, query, first):
    assert titles(search(query))[0] == first


def test_a_match_in_a_title_ranks_above_one_in_a_summary_above_one_in_the_body(search):
    old = datetime.date(2016, 1, 1)
    body = factories.ReportFactory(title="C", body="About cuckooing.", published_on=old)
    summary = factories.ReportFactory(title="B", summary="About cuckooing.", published_on=old)
    title = factories.ReportFactory(title="A study of cuckooing", published_on=old)
    newer = factories.ReportFactory(title="D", body="About cuckooing.")

    assert titles(search("cuckooing")) == [title.title, summary.title, newer.title, body.title]
    assert titles(search("cuckooing", sort="date"))[0] == newer.title


def test_drafts_are_never_found_nor_counted_nor_offered_as_facets(search):
    theme = factories.ThemeFactory(short_name="Public theme")
    draft_theme = factories.ThemeFactory(short_name="Draft theme", status=Status.DRAFT)
    factories.ReportFactory(title="Cuckooing in towns", themes=[theme], tags=["public tag"])
    factories.ReportFactory(
        title="Cuckooing draft", status=Status.DRAFT, themes=[theme], tags=["secret tag"]
    )
    factories.ReportFactory(title="Cuckooing with a draft theme", themes=[draft_theme])
    factories.PersonFactory(name="Cuckooing Draftperson", status=Status.DRAFT)

    response = search("cuckooing")

    assert sorted(titles(response)) == ["Cuckooing in towns", "Cuckooing with a draft theme"]
    assert response.context["results"].count == 2
    assert facet_options(response, "theme") == {"Public theme": 1}
    assert facet_options(response, "tag") == {"public tag": 1}
    assertNotContains(response, "Draft theme")
    assertNotContains(response, "secret")
    assertNotContains(response, "Draftperson")


def test_what_stops_being_public_without_a_write_is_hidden_at_once(search):
    """Results are checked against .published() when searched, not only when indexed."""
    report = factories.ReportFactory(title="Cuckooing in towns")
    Report.objects.filter(pk=report.pk).update(status=Status.DRAFT)  # no signal, no reindex

    response = search("cuckooing")

    assert titles(response) == []
    assert response.context["results"].count == 0


def test_what_was_found_public_is_checked_again_in_the_next_content_version(search):
    """Keys found public are kept per content version only: a change that sends no
    signal but starts a new version (as bulk writes must) hides the item at once."""
    report = factories.ReportFactory(title="Cuckooing in towns")
    assert titles(search("cuckooing")) == ["Cuckooing in towns"]

    Report.objects.filter(pk=report.pk).update(status=Status.DRAFT)  # no signal, no reindex
    bump_content_version()
    response = search("cuckooing")

    assert titles(response) == []
    assert response.context["results"].count == 0
    assert facet_options(response, "type") == {}


@pytest.fixture
def index_behind_the_schedule():
    """As if the index had not yet followed a go-live or an expiry."""
    schedule_passed.disconnect(dispatch_uid="search-schedule")
    yield
    schedule_passed.connect(search_signals.schedule_passed, dispatch_uid="search-schedule")


def test_an_item_leaves_the_results_when_it_expires_before_the_index_does(
    search, settings, index_behind_the_schedule
):
    """The check against .published() asks about the moment of the search."""
    now = timezone.now()
    settings.EMPAC_CLOCK = now
    factories.ReportFactory(
        title="Cuckooing in towns", expires_at=now + datetime.timedelta(minutes=1)
    )
    assert titles(search("cuckooing")) == ["Cuckooing in towns"]

    settings.EMPAC_CLOCK = now + datetime.timedelta(minutes=2)
    response = search("cuckooing")

    assert titles(response) == []
    assert response.context["results"].count == 0


def test_snippets_highlight_the_matched_words_and_escape_content(search):
    factories.ReportFactory(
        title="<script>alert(1)</script> cuckooing",
        summary="Before <b>bold</b> then cuckooing & <img src=x onerror=alert(1)> after.",
    )

    response = search("cuckooing")

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>cuckooing</mark>" in html
    # (PostgreSQL's ts_headline leaves out what looks like a tag; SQLite keeps it, escaped.)
    snippet = response.context["results"].items[0]["snippet"]
    assert "then <mark>cuckooing</mark> &amp;" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_a_snippet_comes_from_the_first_field_holding_a_matched_word(search):
    report = factories.ReportFactory(
        title="Progress report",
        summary="Cuckooing in market towns.",
        body="Hawala banking networks, and cuckooing again.",
    )
    report.pdf.save("report.pdf", ContentFile(pdf_with_text("Trade-based laundering evidence")))

    def snippet(query):
        (item,) = search(query).context["results"].items
        return item["snippet"]

    summary, body = "<mark>Cuckooing</mark> in market towns", "<mark>Hawala</mark> banking"
    assert summary in snippet("cuckooing")
    from_body = snippet("hawala")
    assert body in from_body and "market" not in from_body
    assert "<mark>laundering</mark> evidence" in snippet("laundering")
    # Words matched in different fields: the summary's word is shown.
    assert summary in snippet("cuckooing hawala")
    assert "Cuckooing in market <mark>towns</mark>" in snippet("towns laundering")


def test_a_match_past_the_part_of_a_long_summary_that_snippets_read_still_shows(search):
    # Snippets read the first 50,000 characters of each field (ts_headline reads all it is
    # given); a summary longer than that, matching only after it, must not hide the body's.
    factories.ReportFactory(summary="filler words " * 4_500 + "hawala", body="Hawala banking.")

    (item,) = search("hawala").context["results"].items

    assert "<mark>" in item["snippet"]


def test_every_value_of_a_result_and_of_a_facet_link_is_escaped(search):
    organisation = factories.OrganisationFactory(name="Bold <b>University</b> & Co")
    factories.PersonFactory(name="Hawala Expert", organisation=organisation)
    theme = factories.ThemeFactory(short_name="<i>Markets</i>")
    factories.ReportFactory(title="Hawala networks", themes=[theme], tags=["<u>Banking</u>"])

    response = search("hawala")

    html = response.content.decode()
    assert "<b>University</b>" not in html and "<i>Markets</i>" not in html
    assert "<u>Banking</u>" not in html
    assert "Bold &lt;b&gt;University&lt;/b&gt; &amp; Co" in html  # the person's meta
    assert "&lt;i&gt;Markets&lt;/i&gt;" in html  # the report's theme, and its facet
    assert "&lt;u&gt;Banking&lt;/u&gt; <span" in html  # the tag's facet link
    # A facet link's address has its ampersands escaped in the attribute.
    assert 'href="/search/?q=hawala&amp;' in html
    assert "&amp;lt;" not in html and "&amp;amp;" not in html  # nothing escaped twice


def test_facet_counts_equal_the_results_they_filter_to(search, client):
    themes = factories.ThemeFactory.create_batch(3)
    organisation = factories.OrganisationFactory()
    for i in range(12):
        report = factories.ReportFactory(
            title=f"Cuckooing study {i}",
            themes=themes[: i % 3 + 1],
            tags=[f"tag {i % 2}"],
            kind=Report.Kind.PROGRESS if i % 4 else Report.Kind.NEWS,
            published_on=datetime.date(2018 + i % 3, 5, 1),
        )
        if i % 5 == 0:
            report.organisations.add(organisation)
    factories.KnowledgeGapFactory(question="Where does cuckooing happen?", theme=themes[0])
    response = search("cuckooing")

    for group in response.context["facet_groups"]:
        for option in group["options"]:
            narrowed = client.get(option["href"])
            assert narrowed.context["results"].count == option["count"], option["href"]


def test_every_year_is_offered_and_a_cut_facet_says_how_many_more(search):
    """Only the commonest tags are listed, and the page says so; no year is left out."""
    for i in range(14):
        factories.ReportFactory(
            title=f"Cuckooing study {i}",
            published_on=datetime.date(2000 + i, 5, 1),
            tags=[f"tag {i}"],
        )
    response = search("cuckooing")

    assert set(facet_options(response, "year")) == {str(2000 + i) for i in range(14)}
    groups = {group["name"]: group for group in response.context["facet_groups"]}
    shown = len(groups["tag"]["options"])
    assert shown < 14 and groups["tag"]["more"] == 14 - shown
    assert f"{14 - shown} more not shown: narrow the search" in response.content.decode()
    assert groups["year"]["more"] == 0


def test_facets_combine_and_each_is_removable(search, client):
    theme = factories.ThemeFactory(short_name="Protection", slug="protection")
    other = factories.ThemeFactory(short_name="Other", slug="other")
    factories.ReportFactory(title="Cuckooing 2019", themes=[theme], published_on="2019-03-01")
    factories.ReportFactory(title="Cuckooing 2020", themes=[theme], published_on="2020-03-01")
    factories.ReportFactory(title="Cuckooing other", themes=[other], published_on="2020-04-01")

    response = search("cuckooing", theme="protection", year="2020")

    assert titles(response) == ["Cuckooing 2020"]
    chosen = {c["label"]: c["href"] for c in response.context["chosen_facets"]}
    assert set(chosen) == {"Protection", "2020"}
    without_year = client.get(chosen["2020"])
    assert sorted(titles(without_year)) == ["Cuckooing 2019", "Cuckooing 2020"]
    without_theme = client.get(chosen["Protection"])
    assert sorted(titles(without_theme)) == ["Cuckooing 2020", "Cuckooing other"]


def test_kind_of_result_narrows_to_one_kind(search):
    factories.ReportFactory(title="Cuckooing report")
    factories.KnowledgeGapFactory(question="What is cuckooing?")

    response = search("cuckooing")
    assert facet_options(response, "type") == {"Reports": 1, "Knowledge gaps": 1}
    assert titles(search("cuckooing", type="knowledge-gap")) == ["What is cuckooing?"]


def test_bad_facet_values_are_ignored_and_said_so(search):
    factories.ReportFactory(title="Cuckooing report")

    response = search("cuckooing", theme="no-such-theme", year="1066x", type="spaceship")

    assert titles(response) == ["Cuckooing report"]
    assertContains(response, "There is no theme called “no-such-theme”; it was left out.")
    assertContains(response, "“1066x” is not a year")
    assertContains(response, "“spaceship” is not a kind of result")


def test_stemming_finds_other_forms_of_a_word(search):
    factories.ReportFactory(title="Money laundering through cafés")

    assert titles(search("laundered")) == ["Money laundering through cafés"]


def test_accents_and_case_are_folded(search):
    factories.ReportFactory(title="Money laundering through cafés")
    factories.PersonFactory(name="Zoë Brontë")

    assert titles(search("CAFE")) == ["Money laundering through cafés"]
    assert titles(search("Café")) == ["Money laundering through cafés"]
    assert titles(search("zoe bronte")) == ["Dr Zoë Brontë"]


def test_a_name_is_found_from_its_beginning_as_it_is_typed(search):
    factories.PersonFactory(name="Rob McCusker")

    assert titles(search("McCus")) == ["Dr Rob McCusker"]
    assert titles(search("mccusk")) == ["Dr Rob McCusker"]


def test_a_misspelt_word_still_finds_the_report(search):
    factories.ReportFactory(title="Organisational adaptability progress report")
    factories.ReportFactory(title="Community resilience progress report")

    response = search("adaptibility")
    assert titles(response) == ["Organisational adaptability progress report"]

    response = search("rezilience")
    assert titles(response) == ["Community resilience progress report"]
    assert response.context["results"].corrected.text() == "resilience"
    assertContains(response, "so these are the results for “<strong>resilience</strong>”")
    # Narrowing them goes on from the corrected query.
    assert "q=resilience" in response.context["facet_groups"][0]["options"][0]["href"]


def test_words_spellings_and_tags_learnt_by_searches_follow_what_is_published(search):
    # Searches remember which words the vocabulary holds, how a prefix ends, the likeliest
    # spelling and a tag's name: each must follow the next write.
    assert titles(search("mccus")) == []
    assert titles(search("hawala")) == []
    assert titles(search("rezilience")) == []
    factories.PersonFactory(name="Rob McCusker")
    report = factories.ReportFactory(title="Hawala and community resilience")
    report.tags.add("Banking")

    assert titles(search("mccus")) == ["Dr Rob McCusker"]
    assert titles(search("hawala")) == [report.title]
    assert search("rezilience").context["results"].corrected.text() == "resilience"
    assert facet_options(search("hawala", sort="date"), "tag") == {"Banking": 1}

    tag = report.tags.get()
    tag.name = "Informal banking"
    tag.save()
    assert facet_options(search("hawala"), "tag") == {"Informal banking": 1}


def test_a_misspelling_among_results_offers_did_you_mean(search):
    factories.ReportFactory(title="Community resilience progress report")
    factories.ReportFactory(title="Community policing")

    response = search("community OR rezilience")

    assert titles(response)
    link = reverse("search:results") + "?q=community+OR+resilience"
    assertContains(response, f'Did you mean <a class="govuk-link" href="{link}">')


def test_a_suggestion_is_only_offered_when_it_finds_something_public(search):
    report = factories.ReportFactory(title="Community resilience progress report")
    report.status = Status.DRAFT
    report.save()  # "resilience" stays in the vocabulary until a rebuild

    response = search("rezilience")

    assert titles(response) == []
    assert response.context["results"].corrected is None
    assertNotContains(response, "resilience”")


def test_zero_results_suggest_broader_searches_removing_filters_and_the_themes(search):
    theme = factories.ThemeFactory(slug="protection", short_name="Protection")
    factories.ReportFactory(title="Cuckooing report")

    response = search('"cuckooing report" -drugs xylophone', theme="protection")

    assert titles(response) == []
    assertContains(response, "Nothing public matches")
    assertContains(response, "Try a broader search")
    assertContains(response, "Search without the filter theme: Protection")
    assertContains(response, f'href="{reverse("browse:theme-list")}"')
    assert theme


def test_many_results_are_paginated(search, client):
    factories.ReportFactory.create_batch(25, title="Cuckooing study")

    first = search("cuckooing")
    assert len(titles(first)) == 20
    second = search("cuckooing", page=2)
    assert len(titles(second)) == 5
    assertContains(first, "page=2")


def test_a_huge_match_set_is_bounded_and_says_so(search, settings):
    settings.EMPAC_SEARCH_CANDIDATES = 10
    factories.ReportFactory.create_batch(12, title="Cuckooing study")

    response = search("cuckooing")

    assert response.context["results"].truncated
    assertContains(response, "More than 10 results")
    assertContains(response, "Only the 10 newest matches are ranked and counted")


def test_the_bounded_matches_of_several_words_are_the_newest(search, settings):
    settings.EMPAC_SEARCH_CANDIDATES = 4
    for year in (2016, 2019, 2017, 2021, 2018, 2020, 2015):
        factories.ReportFactory(
            title=f"Cuckooing study {year}",
            body="Data on county lines.",
            published_on=datetime.date(year, 6, 1),
        )
    factories.ReportFactory(title="Cuckooing study undated", published_on=None)
    factories.ReportFactory(title="Cuckooing alone", published_on=datetime.date(2022, 1, 1))

    response = search("cuckooing data", sort="date")

    assert titles(response) == [f"Cuckooing study {year}" for year in (2021, 2020, 2019, 2018)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_a_search_inside_a_transaction_leaves_the_planner_settings_as_they_were(search):
    factories.ReportFactory(title="Cuckooing study")
    with transaction.atomic(), connection.cursor() as cursor:
        # Not the value the search plans with, so a setting left behind shows.
        cursor.execute("SET LOCAL random_page_cost = 3")

        assert titles(search("cuckooing")) == ["Cuckooing study"]

        cursor.execute("SELECT current_setting('random_page_cost')")
        assert cursor.fetchone()[0] == "3"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
@pytest.mark.django_db(transaction=True)
def test_a_search_outside_a_transaction_leaves_the_planner_settings_as_they_were(search):
    factories.ReportFactory(title="Cuckooing study")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost')")
        before = cursor.fetchone()[0]

        # As requests run: autocommit, the setting sent with the statement it is for.
        assert not connection.in_atomic_block
        assert titles(search("cuckooing")) == ["Cuckooing study"]

        cursor.execute("SELECT current_setting('random_page_cost')")
        assert cursor.fetchone()[0] == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index setting")
def test_a_bulk_index_inside_a_transaction_leaves_the_callers_settings_as_they_were():
    from search.backends import backend

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL gin_pending_list_limit = '8MB'")
        with backend().bulk():
            cursor.execute("SELECT current_setting('gin_pending_list_limit')")
            assert cursor.fetchone()[0] == "1GB"  # while it writes, the large pending list

        cursor.execute("SELECT current_setting('gin_pending_list_limit')")
        assert cursor.fetchone()[0] == "8MB"


def test_a_signed_in_search_reads_the_content_version_once(editor_client):
    factories.ReportFactory(title="Cuckooing in market towns")

    # Not served by the page cache (a signed-in reader), with words to complete and correct.
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse("search:results"), {"q": "cuckoo markt towns"})

    assert response.status_code == 200 and titles(response) == ["Cuckooing in market towns"]
    reads = [query for query in queries if "publishing_contentversion" in query["sql"]]
    assert len(reads) == 1


def test_the_header_box_searches_on_every_page(client):
    response = client.get(reverse("browse:home"))

    assertContains(response, 'role="search"')
    assertContains(response, f'action="{reverse("search:results")}"')
    assertContains(response, '<label class="govuk-visually-hidden" for="site-search">')


def test_the_empty_search_page_invites_a_search(search):
    response = search("")

    assertContains(response, "What are you looking for?")
    assertNotContains(response, "results-count")


def test_search_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    grow_catalogue(SMALL)
    pages = [
        reverse("search:results") + "?q=report",
        reverse("search:results") + "?q=progress&sort=date&page=2",
        reverse("search:results") + "?q=repotr",
        reverse("search:results") + "?q=thing&type=report",
    ]
    assert_query_counts_flat(
        client, django_assert_max_num_queries, pages, budget=30, grow=lambda: grow_catalogue(40)
    )
