"""The public knowledge-gap register: what it lists, its filters, counts and downloads."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from agenda.models import GapContributor
from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories
from tests.catalogue import assert_query_counts_flat

pytestmark = pytest.mark.django_db

REGISTER = "/gaps/"
S = KnowledgeGap.Status


@pytest.fixture
def gaps(theme):
    """Public gaps of several statuses and sources, and gaps the public may not see."""
    other = factories.ThemeFactory(short_name="Cyber", slug="cyber")
    report = factories.ReportFactory(
        title="Growing momentum", themes=[theme], published_on=datetime.date(2021, 3, 1)
    )
    analysis = factories.GapAnalysisFactory(report=report, title="Police and OCG compared")
    analysis.themes.set([other])
    public = {
        "identified": factories.KnowledgeGapFactory(
            analysis=analysis, question="How do groups adapt?", theme=theme, status=S.IDENTIFIED
        ),
        "analysis-theme": factories.KnowledgeGapFactory(
            analysis=analysis, question="Who launders the money?", status=S.NOT_RECORDED
        ),
        "answered": factories.KnowledgeGapFactory(
            analysis=None,
            report=report,
            question="Does county lines cross borders?",
            theme=theme,
            status=S.ANSWERED,
            answer="Yes, most do.",
        ),
    }
    draft_report = factories.ReportFactory(status=Status.DRAFT)
    draft_analysis = factories.GapAnalysisFactory(status=Status.DRAFT)
    hidden = [
        factories.KnowledgeGapFactory(analysis=None, report=draft_report, question="Draft R gap?"),
        factories.KnowledgeGapFactory(analysis=draft_analysis, question="Draft A gap?"),
    ]
    return public, hidden, other


def test_the_register_lists_every_public_gap_and_no_other(client, gaps):
    public, hidden, _ = gaps
    response = client.get(REGISTER)

    assert response.status_code == 200
    for gap in public.values():
        assertContains(response, gap.question)
        assertContains(response, reverse("agenda:gap-detail", args=[gap.pk]))
    for gap in hidden:
        assertNotContains(response, gap.question)
    assertContains(response, "3 knowledge gaps")


def test_each_row_shows_status_theme_source_raised_and_unrecorded_facts(client, gaps):
    public, _, other = gaps
    html = client.get(REGISTER).content.decode()

    assert "Status not recorded" in html
    assert "Police and OCG compared" in html and "Growing momentum" in html
    # Raised: the date of the source report, as precisely as it is known.
    assert '<time datetime="2021-03-01">1 March 2021</time>' in html
    # A gap without its own theme is about its analysis's themes.
    assert "Cyber" in html
    # Nobody is recorded as working on them, and no status change is dated.
    assert "Not recorded" in html


def test_who_works_on_a_gap_is_shown_only_with_their_agreement(client, gaps):
    public, _, _ = gaps
    gap = public["identified"]
    shown = factories.PersonFactory(name="Shown Person")
    unshown = factories.PersonFactory(name="Private Person")
    draft = factories.PersonFactory(name="Draft Person", status=Status.DRAFT)
    GapContributor.objects.create(gap=gap, person=shown, is_shown=True)
    GapContributor.objects.create(gap=gap, person=unshown, is_shown=False)
    GapContributor.objects.create(gap=gap, person=draft, is_shown=True)
    organisation = factories.OrganisationFactory(name="University of Shown")
    GapContributor.objects.create(gap=gap, organisation=organisation, is_shown=True)

    for page in (REGISTER, reverse("agenda:gap-detail", args=[gap.pk])):
        response = client.get(page)
        assertContains(response, "Dr Shown Person")
        assertContains(response, "University of Shown")
        assertNotContains(response, "Private Person")
        assertNotContains(response, "Draft Person")
    data = client.get("/gaps.json").json()
    names = {n for item in data["knowledge_gaps"] for n in item["who_works_on_it"]}
    assert names == {"Dr Shown Person", "University of Shown"}


def test_filters_by_theme_and_status_with_counts(client, gaps, theme):
    public, _, other = gaps

    response = client.get(REGISTER, {"theme": theme.slug})
    assertContains(response, public["identified"].question)
    assertContains(response, public["answered"].question)
    assertNotContains(response, public["analysis-theme"].question)

    response = client.get(REGISTER, {"theme": other.slug})
    assertContains(response, public["analysis-theme"].question)
    assertNotContains(response, public["identified"].question)

    response = client.get(REGISTER, {"status": "open"})
    assertNotContains(response, public["answered"].question)
    assertContains(response, public["identified"].question)

    response = client.get(REGISTER, {"status": "answered", "theme": theme.slug})
    assert [g["pk"] for g in response.context["gaps"]] == [public["answered"].pk]
    counts = {o["label"]: o["count"] for o in response.context["status_options"]}
    assert counts["Answered"] == 1 and counts["Identified"] == 1
    assert counts["Open: not answered or superseded"] == 1
    theme_counts = {o["label"]: o["count"] for o in response.context["theme_options"]}
    assert theme_counts[theme.short_name] == 1 and theme_counts["Cyber"] == 0


def test_each_status_filter_has_only_its_count_in_brackets(client, gaps):
    """A reader saw "Open (not answered or superseded) (2)": two pairs read as two counts."""
    html = client.get(REGISTER).content.decode()
    status_filters = html.split('id="filter-status"', 1)[1].split("</nav>", 1)[0]
    labels = re.findall(r">([^<>]*\(\d+\))</", status_filters)

    assert "Open: not answered or superseded (2)" in labels
    assert len(labels) == 1 + len(S.choices)
    assert [label for label in labels if label.count("(") != 1] == []


@pytest.mark.parametrize("params", [{}, {"status": "superseded"}], ids=["gaps", "none-match"])
def test_a_link_before_the_filters_skips_to_the_heading_that_counts_the_gaps(client, gaps, params):
    """On a phone the filter links come first; the link goes past them."""
    html = client.get(REGISTER, params).content.decode()

    skip = html.index('<a class="govuk-link" href="#results-count">Skip to the results</a>')
    assert skip < html.index('id="filter-theme"')
    count = "0 knowledge gaps shown of 3" if params else "3 knowledge gaps"
    # A heading, and one that takes the focus: the next Tab goes on from the results.
    assert f'<h2 class="govuk-heading-m" id="results-count" tabindex="-1">{count}</h2>' in html


def test_an_unknown_filter_is_said_and_ignored(client, gaps):
    response = client.get(REGISTER, {"theme": "no-such", "status": "bogus"})
    assert response.status_code == 200
    assertContains(response, "There is no theme with that name")
    assertContains(response, "That is not a status a gap can have")
    assertContains(response, "3 knowledge gaps")


def test_csv_and_json_hold_the_same_filtered_public_gaps(client, gaps, theme):
    public, hidden, _ = gaps
    params = {"theme": theme.slug, "status": "open"}

    rows = list(
        csv.DictReader(io.StringIO(client.get("/gaps.csv", params).content.decode("utf-8-sig")))
    )
    data = client.get("/gaps.json", params).json()

    assert [int(r["id"]) for r in rows] == [public["identified"].pk]
    assert [item["id"] for item in data["knowledge_gaps"]] == [public["identified"].pk]
    assert rows[0]["question"] == "How do groups adapt?"
    assert rows[0]["status"] == "identified"
    assert rows[0]["source"] == "Police and OCG compared"

    everything = client.get("/gaps.json").json()
    ids = {item["id"] for item in everything["knowledge_gaps"]}
    assert ids == {gap.pk for gap in public.values()}
    assert not ids & {gap.pk for gap in hidden}
    answered = next(i for i in everything["knowledge_gaps"] if i["status"] == "answered")
    assert answered["answer"] == "Yes, most do."


def test_a_csv_cell_never_runs_as_a_formula(client, theme):
    report = factories.ReportFactory(themes=[theme])
    factories.KnowledgeGapFactory(analysis=None, report=report, question="=HYPERLINK(1)")
    text = client.get("/gaps.csv").content.decode()
    assert "'=HYPERLINK(1)" in text


def test_the_register_is_in_the_main_navigation_and_on_each_theme_page(client, gaps, theme):
    html = client.get(reverse("browse:home")).content.decode()
    assert f'href="{REGISTER}"' in html
    theme_page = client.get(theme.get_absolute_url()).content.decode()
    assert f'href="{REGISTER}?theme={theme.slug}"' in theme_page
    public, _, _ = gaps
    assert reverse("agenda:gap-detail", args=[public["identified"].pk]) in theme_page


def test_the_register_is_served_from_the_page_cache_until_content_changes(
    client, gaps, django_assert_num_queries
):
    public, _, _ = gaps
    client.get(REGISTER)
    with django_assert_num_queries(1):  # the content version only
        assert client.get(REGISTER).status_code == 200
    gap = public["identified"]
    gap.question = "How fast do groups adapt?"
    gap.save()
    assertContains(client.get(REGISTER), "How fast do groups adapt?")


def grow_gaps(count, theme):
    report = factories.ReportFactory(themes=[theme])
    analysis = factories.GapAnalysisFactory(report=report)
    analysis.themes.set([theme])
    for i in range(count):
        alone = i % 4 == 0  # recorded on its own, published by its own state
        gap = factories.KnowledgeGapFactory(
            analysis=analysis if i % 2 else None,
            report=None if i % 2 or alone else report,
            theme=theme if i % 3 else None,
            status=[S.IDENTIFIED, S.SCOPED, S.ANSWERED][i % 3],
            workflow_status="published" if alone else "draft",
        )
        GapContributor.objects.create(
            gap=gap, person=factories.PersonFactory(), is_shown=bool(i % 2)
        )


def test_query_counts_do_not_grow_with_gaps(client, theme, django_assert_max_num_queries):
    # Enough that page 2 holds every kind of gap (each kind costs its prefetch once), and
    # a second report on the theme so a gap page lists related reports from the start
    # (an empty list skips its one query, reports.items.newest_in_themes).
    factories.ReportFactory(themes=[theme])
    grow_gaps(40, theme)
    gap = KnowledgeGap.objects.published().first()
    pages = [
        REGISTER,
        f"{REGISTER}?page=2",
        f"{REGISTER}?theme={theme.slug}&status=identified",
        "/gaps.csv",
        "/gaps.json",
        reverse("agenda:gap-detail", args=[gap.pk]),
    ]
    assert_query_counts_flat(
        client,
        django_assert_max_num_queries,
        pages,
        budget=20,
        grow=lambda: grow_gaps(60, theme),
    )


def test_deep_pages_are_keyed_and_a_bad_page_is_a_404(client, theme):
    grow_gaps(60, theme)
    response = client.get(REGISTER, {"page": 3})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 3
    assert client.get(REGISTER, {"page": 99}).status_code == 404


def test_the_sitemap_lists_public_gap_pages_and_no_hidden_one(client, gaps):
    from tests.feeds.test_sitemap import all_pages

    public, hidden, _ = gaps
    pages = all_pages(client)
    assert "http://testserver/gaps/" in pages
    for gap in public.values():
        assert f"http://testserver/gaps/{gap.pk}/" in pages
    for gap in hidden:
        assert f"http://testserver/gaps/{gap.pk}/" not in pages


def test_a_deep_page_shows_only_public_gaps_and_their_public_details(client, theme):
    """Page 2 is read by key (agenda.register.items_by_key): drafts on it stay out."""
    report = factories.ReportFactory(themes=[theme], title="Public source report")
    draft_report = factories.ReportFactory(status=Status.DRAFT)
    draft_theme = factories.ThemeFactory(short_name="Unlaunched theme", status=Status.DRAFT)
    day = datetime.date(2024, 6, 1)
    public = []
    for i in range(30):
        raised = day - datetime.timedelta(days=2 * i)
        public.append(
            factories.KnowledgeGapFactory(
                analysis=None, report=report, question=f"Public question {i}?", raised_on=raised
            )
        )
        factories.KnowledgeGapFactory(
            analysis=None,
            report=draft_report,
            question=f"Draft question {i}?",
            raised_on=raised - datetime.timedelta(days=1),
        )
    factories.KnowledgeGapFactory(
        analysis=None, report=None, question="Unpublished question?", raised_on=public[27].raised_on
    )
    gap = public[27]
    gap.theme = draft_theme
    gap.save()
    GapContributor.objects.create(
        gap=gap, person=factories.PersonFactory(name="Shown Person"), is_shown=True
    )
    GapContributor.objects.create(gap=gap, person=factories.PersonFactory(name="Private Person"))
    draft_person = factories.PersonFactory(name="Draft Person", status=Status.DRAFT)
    GapContributor.objects.create(gap=gap, person=draft_person, is_shown=True)

    response = client.get(REGISTER, {"page": 2})
    assert [g["pk"] for g in response.context["gaps"]] == [g.pk for g in public[25:]]
    page = response.content.decode()
    assert "Dr Shown Person" in page and "Public source report" in page
    for hidden in ("Draft question", "Unpublished question?", "Private Person", "Draft Person"):
        assert hidden not in page
    assert "Unlaunched theme" not in page


def test_every_value_of_a_row_is_escaped(client, theme):
    report = factories.ReportFactory(title="Lines & <em>borders</em>", themes=[theme])
    factories.KnowledgeGapFactory(
        analysis=None,
        report=report,
        theme=theme,
        question='Who <script>alert("q")</script> adapts?',
        detail="Background with <b>markup</b> & an ampersand.",
        status=S.SCOPED,
    )
    html = client.get(REGISTER).content.decode()

    assert "Who &lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt; adapts?</a>" in html
    assert "Background with &lt;b&gt;markup&lt;/b&gt; &amp; an ampersand." in html
    assert ">Lines &amp; &lt;em&gt;borders&lt;/em&gt;</a>" in html
    assert '<strong class="govuk-tag govuk-tag--purple">Scoped</strong>' in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]
