import tomllib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from collaboration.models import Person
from content.loader import EMPAC
from content.management.commands.generate_demo_data import load_vocabulary
from publishing.versioning import current_content_version
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """A stand-in for seed_empac: the six themes, a few partners and one real report."""
    themes = [factories.ThemeFactory(position=n, slug=f"theme-{n}") for n in range(1, 7)]
    factories.OrganisationFactory.create_batch(3)
    real_person = factories.PersonFactory(name="Real Lead")
    real = factories.ReportFactory(title="A real report", themes=themes[:1])
    real.authors.add(real_person)
    return themes


def demo_reports():
    return Report.objects.filter(provenance__startswith="Synthetic")


def test_adds_the_requested_number_of_complete_reports(seeded):
    call_command("generate_demo_data", reports=60, seed=1)

    reports = demo_reports().prefetch_related("themes", "authors", "organisations", "tags")
    assert len(reports) == 60
    for report in reports:
        assert report.title and report.summary and report.body
        assert report.primary_theme in report.themes.all()
        assert report.authors.exists()
        assert report.organisations.exists()
        assert report.tags.exists()
    assert len({r.kind for r in reports}) > 1
    assert len({r.published_on.year for r in reports if r.published_on}) > 3


def test_demo_reports_never_name_real_people_as_authors(seeded):
    call_command("generate_demo_data", reports=40, seed=2)

    real = Person.objects.get(name="Real Lead")
    assert not demo_reports().filter(authors=real).exists()


def test_leaves_the_asked_share_as_drafts(seeded):
    call_command("generate_demo_data", reports=40, drafts=1, seed=3)
    assert not demo_reports().published().exists()

    call_command("generate_demo_data", reports=40, drafts=0, seed=3)
    assert demo_reports().published().count() == 40


def test_running_again_adds_more_with_unique_slugs(seeded):
    call_command("generate_demo_data", reports=50, seed=4)
    call_command("generate_demo_data", reports=50, seed=4)

    slugs = list(demo_reports().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 100


def test_the_same_seed_gives_the_same_reports(seeded):
    call_command("generate_demo_data", reports=30, seed=5)
    first = list(demo_reports().order_by("id").values_list("title", "published_on", "kind"))
    demo_reports().delete()

    call_command("generate_demo_data", reports=30, seed=5)
    again = list(demo_reports().order_by("id").values_list("title", "published_on", "kind"))
    assert again == first


def test_writes_in_bulk_so_queries_do_not_grow_with_the_count(
    seeded, django_assert_max_num_queries
):
    # Search indexing and the recount of reports per theme, organisation and person
    # included: a fixed few queries per batch of 2,000 reports, and a fixed few for the
    # knowledge gaps, registrations, matches, progress updates and impact entries, and
    # the content version's next scheduled change (one query per publishable model).
    with django_assert_max_num_queries(95):
        call_command("generate_demo_data", reports=500, seed=6)
    assert demo_reports().count() == 500


def test_thousands_of_reports_take_queries_by_batch_not_by_report(seeded):
    # How long generating takes is measured by `make bench` (100,000 reports, target
    # under two minutes), not here: a time limit in a test failed on a slower machine
    # (15.8 s of CPU against 15) with nothing changed. What keeps it fast is that the
    # queries go by batch: 4,000 reports take 229 on SQLite and 97 on PostgreSQL; one a
    # report would be 4,000.
    with CaptureQueriesContext(connection) as queries:
        call_command("generate_demo_data", reports=4_000, seed=7)

    assert demo_reports().count() == 4_000
    assert len(queries) < 4_000 // 10


def test_invalidates_cached_pages_when_done(seeded, client):
    """bulk_create sends no signals, so the command itself invalidates the cached pages."""
    client.get("/reports/")
    assert client.get("/reports/")["X-Page-Cache"] == "hit"
    before = current_content_version()

    call_command("generate_demo_data", reports=5, drafts=0, seed=8)

    after = client.get("/reports/")
    assert after["X-Page-Cache"] == "miss"
    for report in demo_reports():
        assert escape(report.title) in after.content.decode()
    assert current_content_version() != before


def test_without_themes_it_says_to_seed_first(db):
    with pytest.raises(CommandError, match="seed_empac"):
        call_command("generate_demo_data", reports=5)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [({"reports": -1}, "--reports"), ({"drafts": 1.5}, "--drafts"), ({"people": -2}, "--people")],
)
def test_rejects_impossible_options_with_a_clear_message(seeded, option, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo_data", **option)
    assert not demo_reports().exists()


def test_topics_and_tags_follow_the_theme_by_slug_not_position(db):
    """Protection reports get protection topics, whichever position their theme holds."""
    words = load_vocabulary()
    protection = factories.ThemeFactory(position=5, slug="protection-from-ocgs")
    what_works = factories.ThemeFactory(position=4, slug="what-works")
    factories.OrganisationFactory()

    call_command("generate_demo_data", reports=80, seed=9)

    for theme, slug in ((protection, "protection-from-ocgs"), (what_works, "what-works")):
        reports = demo_reports().filter(primary_theme=theme).prefetch_related("tags")
        assert reports
        for report in reports:
            title = report.title.lower()
            assert any(topic.lower() in title for topic in words.topics[slug]), report.title
            assert set(report.tags.names()) <= set(words.tags[slug])
    assert "community resilience to organised crime" in words.topics["protection-from-ocgs"]
    assert "measuring what prevention work achieves" in words.topics["what-works"]


def test_every_empac_theme_has_its_own_vocabulary():
    themes = tomllib.loads((EMPAC / "themes.toml").read_text())["themes"]
    assert {theme["slug"] for theme in themes} == set(load_vocabulary().topics)


def test_a_theme_without_vocabulary_draws_on_every_topic(seeded):
    call_command("generate_demo_data", reports=30, seed=10)

    words = load_vocabulary()
    for report in demo_reports():
        assert any(topic.lower() in report.title.lower() for topic in words.every_topic)


def test_makes_gaps_registrations_and_matches_in_proportion(seeded):
    from agenda.models import GapStatusChange, Introduction
    from involvement.models import InterestRegistration
    from reports.models import KnowledgeGap

    call_command("generate_demo_data", reports=200, drafts=0, seed=4)

    gaps = KnowledgeGap.objects.filter(report__in=demo_reports())
    assert gaps.count() == 20
    assert gaps.published().count() == 20
    assert len(set(gaps.values_list("status", flat=True))) > 1
    moved = gaps.exclude(status=KnowledgeGap.Status.IDENTIFIED)
    assert GapStatusChange.objects.filter(gap__in=moved).count() == moved.count()
    assert InterestRegistration.objects.count() == 4
    # Counted as emailed already: a demo registrant is never sent anything.
    assert not InterestRegistration.objects.pending_notification().exists()
    assert Introduction.objects.count() == 2
