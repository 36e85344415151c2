"""Atom feeds: readers parse them cleanly, they list only public things, pages name them."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from collaboration.models import Theme
from reports.models import KnowledgeGap
from tests import factories
from tests.catalogue import SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_reports_feed_lists_published_reports_newest_first_and_no_draft(client, theme):
    older = factories.ReportFactory(title="Older", themes=[theme])
    newer = factories.ReportFactory(title="Newer", themes=[theme])
    factories.ReportFactory(title="A draft", status="draft", themes=[theme])
    author = factories.PersonFactory(name="Ada Lovelace")
    hidden = factories.PersonFactory(name="Hidden Draftperson", status="draft")
    newer.authors.add(author, hidden)

    feed = parsed(client, reverse("feeds:reports"))

    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    first = feed.entries[0]
    assert first.link.endswith(newer.get_absolute_url())
    assert first.id.startswith("tag:") and first.id.endswith(f":report:{newer.pk}")
    assert first.author == "Dr Ada Lovelace"
    assert [tag.term for tag in first.tags] == [theme.short_name]
    assert older.summary in feed.entries[1].summary
    assert b"draft" not in client.get(reverse("feeds:reports")).content.lower()


def test_an_entry_names_only_public_themes_in_their_order_and_public_authors_by_name(client):
    second = factories.ThemeFactory(short_name="Second", position=2)
    first = factories.ThemeFactory(short_name="First", position=1)
    draft = factories.ThemeFactory(short_name="Unpublished theme", status="draft")
    report = factories.ReportFactory(title="Linked", themes=[second, draft, first])
    zoe = factories.PersonFactory(name="Zoe Young", honorific="")
    amir = factories.PersonFactory(name="Amir Khan", honorific="Prof")
    gone = factories.PersonFactory(name="Withdrawn Person", status="withdrawn")
    report.authors.add(zoe, gone, amir)
    factories.ReportFactory(title="Undated", summary="", kind="news", published_on=None)

    entries = {entry.title: entry for entry in parsed(client, reverse("feeds:reports")).entries}

    assert [tag.term for tag in entries["Linked"].tags] == ["First", "Second"]
    # One <author> each, as RFC 4287 has it: not one name made of two.
    assert [author.name for author in entries["Linked"].authors] == [
        "Prof Amir Khan",
        "Zoe Young",
    ]
    assert entries["Undated"].summary.startswith("News, ")
    for feed in ("feeds:reports", "feeds:theme-reports"):
        url = reverse(feed, args=[first.slug] if feed.endswith("theme-reports") else [])
        content = client.get(url).content
        assert b"Unpublished theme" not in content and b"Withdrawn Person" not in content


def test_an_entry_gives_a_publication_moment_only_for_a_known_day(client):
    day = datetime.date(2020, 12, 14)
    factories.ReportFactory(title="Known day", published_on=day)
    factories.ReportFactory(
        title="Month only", published_on=day.replace(day=1), date_precision="month"
    )
    factories.ReportFactory(
        title="Year only", published_on=datetime.date(2019, 1, 1), date_precision="year"
    )

    entries = {entry.title: entry for entry in parsed(client, reverse("feeds:reports")).entries}

    assert entries["Known day"].published.startswith("2020-12-14")
    # Not "1 December" nor "1 January": the feed does not claim a day nobody recorded.
    assert "published" not in entries["Month only"] and "published" not in entries["Year only"]
    assert all(entry.updated for entry in entries.values())  # Atom's required date


def test_theme_feed_lists_only_that_themes_public_reports(client, theme):
    other = factories.ThemeFactory()
    factories.ReportFactory(title="On theme", themes=[theme])
    factories.ReportFactory(title="Off theme", themes=[other])
    factories.ReportFactory(title="Draft on theme", status="draft", themes=[theme])

    feed = parsed(client, reverse("feeds:theme-reports", args=[theme.slug]))

    assert [entry.title for entry in feed.entries] == ["On theme"]
    assert theme.short_name in feed.feed.title


def test_a_draft_themes_feed_is_not_found(client):
    draft = factories.ThemeFactory(status="draft")
    assert client.get(reverse("feeds:theme-reports", args=[draft.slug])).status_code == 404


def test_knowledge_gaps_feed_announces_new_gaps_and_each_change_of_status(client):
    analysis = factories.GapAnalysisFactory()
    gap = factories.KnowledgeGapFactory(analysis=analysis, question="Who launders the money?")
    factories.KnowledgeGapFactory(
        analysis=factories.GapAnalysisFactory(status="draft"), question="Hidden question?"
    )

    feed = parsed(client, reverse("feeds:knowledge-gaps"))
    assert [entry.title for entry in feed.entries] == ["New knowledge gap: Who launders the money?"]
    first_id = feed.entries[0].id

    gap = KnowledgeGap.objects.get(pk=gap.pk)
    gap.status = KnowledgeGap.Status.BEING_RESEARCHED
    gap.save()
    assert gap.status_changed_at is not None

    feed = parsed(client, reverse("feeds:knowledge-gaps"))
    entry = feed.entries[0]
    assert entry.title == "Now being researched: Who launders the money?"
    assert entry.id != first_id, "a change of status must be a new entry for feed readers"
    # The gap's own page in the register, and the feed's page is the register.
    assert entry.link.endswith(reverse("agenda:gap-detail", kwargs={"pk": gap.pk}))
    assert any(link.href.endswith(reverse("agenda:gap-list")) for link in feed.feed.links)
    assert client.get(entry.link).status_code == 200


def test_saving_a_gap_without_changing_its_status_is_not_a_status_change():
    gap = factories.KnowledgeGapFactory()
    gap = KnowledgeGap.objects.get(pk=gap.pk)
    gap.detail = "More detail."
    gap.save()
    assert KnowledgeGap.objects.get(pk=gap.pk).status_changed_at is None


def test_feeds_answer_with_validators_and_304_when_unchanged(client, published_report):
    url = reverse("feeds:reports")
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    factories.ReportFactory(title="Something new")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"Something new" in changed.content


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("reports:report-list", "feeds:reports"),
        ("browse:home", "feeds:reports"),
        ("reports:gapanalysis-list", "feeds:knowledge-gaps"),
        ("agenda:gap-list", "feeds:knowledge-gaps"),
    ],
)
def test_pages_name_their_feed_for_feed_readers_and_people(client, page, feed, published_report):
    html = client.get(reverse(page)).content.decode()
    href = reverse(feed)
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{href}"' in html.split("</head>")[0]
    assert f'<a class="govuk-link" href="{href}">Follow' in html


def test_theme_page_names_its_own_feed(client, theme, published_report):
    html = client.get(theme.get_absolute_url()).content.decode()
    href = reverse("feeds:theme-reports", args=[theme.slug])
    assert f'href="{href}"' in html.split("</head>")[0]
    assert f'<a class="govuk-link" href="{href}">Follow' in html


def test_feeds_query_counts_do_not_grow_with_reports(client, django_assert_max_num_queries):
    themes = list(Theme.objects.published()) or factories.ThemeFactory.create_batch(3)
    grow_catalogue(SMALL, themes=themes)
    pages = [
        reverse("feeds:reports"),
        reverse("feeds:theme-reports", args=[themes[0].slug]),
        reverse("feeds:knowledge-gaps"),
    ]
    assert_query_counts_flat(
        client, django_assert_max_num_queries, pages, budget=8, grow=lambda: grow_catalogue(40)
    )


def test_knowledge_gaps_raised_by_a_report_alone_are_in_the_feed(client):
    report = factories.ReportFactory(title="A news post")
    factories.KnowledgeGapFactory(analysis=None, report=report, question="Who moves the cash?")
    feed = parsed(client, reverse("feeds:knowledge-gaps"))
    entry = feed.entries[0]
    assert entry.title == "New knowledge gap: Who moves the cash?"
    assert "From A news post." in entry.summary
    gap = KnowledgeGap.objects.get()
    assert entry.link.endswith(reverse("agenda:gap-detail", kwargs={"pk": gap.pk}))
