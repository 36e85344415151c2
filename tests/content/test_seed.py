import datetime
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from collaboration.models import Organisation, Person, Role, Theme
from content.loader import EMPAC
from content.models import SeedRecord
from publishing.models import Status
from publishing.versioning import current_content_version
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
)

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    Theme,
    Organisation,
    Person,
    Role,
    Report,
    Recommendation,
    AlignmentRow,
    GapAnalysis,
    ComparisonRow,
    KnowledgeGap,
]
TIMESTAMPED = [Theme, Organisation, Person, Report, GapAnalysis, KnowledgeGap]


def seed_with(*args: str) -> str:
    out = StringIO()
    call_command("seed_empac", *args, stdout=out)
    return out.getvalue()


def seed() -> str:
    return seed_with()


@pytest.fixture
def seeded(db):
    return seed()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def report(slug: str) -> Report:
    return Report.objects.get(slug=slug)


def test_six_themes_in_source_order_with_both_wordings(seeded):
    themes = list(Theme.objects.published())
    assert [t.position for t in themes] == [1, 2, 3, 4, 5, 6]
    assert themes[0].short_name == "Understanding international links"
    assert themes[0].full_name == "Links between UK and international Organised Crime Groups (OCGs)"
    assert themes[0].alternative_wording == "Linking national and international crime groups"
    assert themes[3].full_name == "Protecting individuals and communities from OCGs"
    assert themes[5].full_name == (
        "Creating a more agile law enforcement mindset to counter the entrepreneurial "
        "nature of OCGs"
    )
    assert all(t.description and t.slug for t in themes)


def test_nineteen_members_of_the_right_kinds_and_other_bodies_as_non_members(seeded):
    members = Organisation.objects.filter(is_member=True)
    kinds = {kind: members.filter(kind=kind).count() for kind in Organisation.Kind}
    assert members.count() == 19
    assert kinds == {
        Organisation.Kind.POLICE_FORCE: 5,
        Organisation.Kind.PCC: 5,
        Organisation.Kind.ROCU: 1,
        Organisation.Kind.UNIVERSITY: 8,
        Organisation.Kind.OTHER: 0,
    }
    assert set(
        members.filter(kind=Organisation.Kind.POLICE_FORCE).values_list("name", flat=True)
    ) == {
        "Derbyshire Constabulary",
        "Leicestershire Police",
        "Lincolnshire Police",
        "Northamptonshire Police",
        "Nottinghamshire Police",
    }
    outsiders = Organisation.objects.filter(is_member=False)
    assert outsiders.get(name="Sheffield Hallam University").kind == Organisation.Kind.UNIVERSITY
    assert outsiders.get(short_name="HMIC").kind == Organisation.Kind.OTHER
    assert outsiders.filter(name="Economic and Social Research Council").exists()
    # No website is given in the sources for any of them.
    assert not Organisation.objects.exclude(website="").exists()


def test_emsou_keeps_one_expansion_and_records_the_other(seeded):
    emsou = Organisation.objects.get(short_name="EMSOU")
    assert emsou.name == "East Midlands Special Operations Unit"
    assert emsou.kind == Organisation.Kind.ROCU
    assert "East Midlands Specialist Operations Unit" in emsou.description


def test_people_keep_their_honorifics_and_stated_organisations(seeded):
    walsh = Person.objects.get(slug="dave-walsh")
    assert str(walsh) == "Professor Dave Walsh"
    assert walsh.organisation.short_name == "DMU"
    assert str(Person.objects.get(slug="chris-haward")) == "DCC Chris Haward"
    assert Person.objects.get(name="Craig Paterson").organisation.name == (
        "Sheffield Hallam University"
    )
    assert str(Person.objects.get(name="Housley")) == "Supt Housley"
    # Where the sources name no organisation, none is made up.
    assert Person.objects.get(name="Rob McCusker").organisation is None
    assert Person.objects.get(name="Rachel Swann").organisation is None


def test_operational_lead_changed_hands_gibson_current_haward_past(seeded):
    current = Role.objects.leads().current().filter(kind=Role.Kind.OPERATIONAL_LEAD)
    assert [role.person.name for role in current] == ["Paul Gibson"]
    haward = Role.objects.get(person__name="Chris Haward", kind=Role.Kind.OPERATIONAL_LEAD)
    assert haward in Role.objects.past()
    assert haward.end_date == datetime.date(2021, 1, 1)
    assert "not stated" in haward.dates_note
    assert haward.source.title == "Community Resilience Progress Report November 2020"
    gibson = current.get()
    assert gibson.start_date == datetime.date(2021, 1, 1)
    assert gibson.source.kind == Report.Kind.NEWS
    assert "not stated" in gibson.dates_note


def test_academic_and_strategic_leads_are_current(seeded):
    leads = Role.objects.leads().current()
    assert leads.get(kind=Role.Kind.ACADEMIC_LEAD).person.name == "Dave Walsh"
    assert set(
        leads.filter(kind=Role.Kind.STRATEGIC_LEAD).values_list("person__name", flat=True)
    ) == {"Hardyal Dhindsa", "Rachel Swann"}


def test_researchers_are_tied_to_the_report_and_theme_that_name_them(seeded):
    sage = Role.objects.get(person__name="Dan Sage")
    assert sage.kind == Role.Kind.RESEARCHER
    assert sage.theme.full_name == "Protecting individuals and communities from OCGs"
    assert sage.source.slug == "community-resilience-progress-report-november-2020"
    severn = Role.objects.get(person__name="Dick Severn")
    assert severn.source.slug == "organisational-adaptability-progress-report-december-2020"


def test_reports_by_kind_with_dates_as_precise_as_the_sources(seeded):
    by_kind = {kind: Report.objects.filter(kind=kind).count() for kind in Report.Kind}
    assert by_kind == {
        Report.Kind.PROGRESS: 3,
        Report.Kind.INTERIM: 2,
        Report.Kind.NEWS: 2,
        Report.Kind.PRESS: 1,
    }
    press = Report.objects.get(kind=Report.Kind.PRESS)
    assert press.published_on == datetime.date(2015, 12, 2)
    assert press.date_precision == Report.DatePrecision.DAY
    assert [str(a) for a in press.authors.all()] == ["Liam Norcliffe"]
    adaptability = report("organisational-adaptability-progress-report-december-2020")
    assert adaptability.display_date == "December 2020"
    assert (
        adaptability.primary_theme.short_name == "Developing a more agile law enforcement mindset"
    )
    assert report("community-resilience-progress-report-november-2020").display_date == (
        "November 2020"
    )
    for news in Report.objects.filter(kind=Report.Kind.NEWS):
        assert news.display_date == "2021"
        assert "undated" in news.provenance


def test_summaries_carry_the_figures(seeded):
    adaptability = report("organisational-adaptability-progress-report-december-2020")
    assert "£37 billion" in adaptability.body
    assert "1,000 hours" in adaptability.body
    press = Report.objects.get(kind=Report.Kind.PRESS)
    assert "1,400" in press.body
    assert "all 13" in press.body


def test_interim_reports_record_what_each_news_post_says(seeded):
    december = report("interim-report-december-2019")
    january = report("interim-generic-update-report-january-2020")
    assert december.title == "Interim Report December 2019"
    assert january.title == "Interim Generic Update Report January 2020"
    assert december.source_url == (
        "https://empac.org.uk/wp-content/uploads/2019/12/DMU-SOC-Dec-2019.pdf"
    )
    assert january.source_url == ""
    assert (december.published_on, december.date_precision) == (
        datetime.date(2019, 12, 1),
        Report.DatePrecision.MONTH,
    )
    assert (january.published_on, january.date_precision) == (
        datetime.date(2020, 1, 1),
        Report.DatePrecision.MONTH,
    )
    for interim in (december, january):
        assert "same report" in interim.provenance
        assert "Interim Report December 2019" in interim.provenance
        assert "Interim Generic Update Report January 2020" in interim.provenance
    assert [r.title for r in december.listed_in.all()] == [
        "Working together on serious organised crime"
    ]
    assert [r.title for r in january.listed_in.all()] == [
        "Growing momentum in tackling serious organised crime"
    ]


def test_each_news_post_lists_four_reports(seeded):
    for news in Report.objects.filter(kind=Report.Kind.NEWS):
        listed = news.listed_reports.all()
        assert listed.count() == 4
        assert listed.filter(slug="intelligence-progress-report-february-2021").exists()


def test_intelligence_report_is_known_only_by_title_and_date(seeded):
    intelligence = report("intelligence-progress-report-february-2021")
    assert intelligence.kind == Report.Kind.PROGRESS
    assert intelligence.display_date == "February 2021"
    assert intelligence.primary_theme is None
    assert not intelligence.themes.exists()
    assert intelligence.body == ""
    assert "only its title and date" in intelligence.summary


def test_recommendation_headings_are_verbatim(seeded):
    adaptability = report("organisational-adaptability-progress-report-december-2020")
    resilience = report("community-resilience-progress-report-november-2020")
    assert list(adaptability.recommendations.values_list("number", "heading")) == [
        (1, "We share what we have done so far."),
        (2, "We get the best evidence."),
        (3, "We try things out."),
        (4, "We bring in sustainable funding."),
    ]
    assert list(resilience.recommendations.values_list("heading", flat=True)) == [
        "We unite our ongoing and previous evidence.",
        "We support the Police and Crime Plans.",
        "We seek external funding for long-term proactive development in prevention.",
    ]
    assert not Recommendation.objects.filter(explanation="").exists()


def test_alignment_table_has_twelve_rows_with_wrapped_cells_rejoined(seeded):
    rows = list(report("community-resilience-progress-report-november-2020").alignment_rows.all())
    assert len(rows) == 12
    assert rows[1].approach == "Local policing & intelligence operations / campaigns"
    assert rows[1].activity == (
        "Latent evidence base to be mapped and mined:- Crimestoppers & Neighbourhood Watch "
        "campaigns; Project Servitor (CT learning); MS / HT (car washes etc)"
    )
    assert rows[9].asset == "Supt Housley (Lincs), Kate Hemstock (Derbys); NTU researchers"
    assert rows[11].approach == "Explore opportunities to widen and enhance early intervention"


def test_mind_the_gap_compares_police_and_ocg_on_three_dimensions(seeded):
    analysis = GapAnalysis.objects.published().get(title="Mind the gap")
    assert analysis.table_caption == (
        "Table 1. Mind the gap: the difference between policing and crime adaptabilities"
    )
    assert (analysis.first_side, analysis.second_side) == ("Police", "OCG")
    assert analysis.report.slug == "organisational-adaptability-progress-report-december-2020"
    rows = list(analysis.comparison_rows.all())
    assert [r.dimension for r in rows] == ["Organisational character", "Focus", "Operational"]
    assert len(rows[0].first_side_list) == 9
    assert rows[0].second_side_list[-1] == "Promiscuous partnering for common objectives"
    assert rows[1].first_side_list == ["Reactive", "Historical", "Short term future horizon"]
    assert rows[2].second_side_list[-1] == "Franchise"


def test_knowledge_gaps_are_open_questions_with_themes(seeded):
    gaps = KnowledgeGap.objects.published()
    assert gaps.count() >= 4
    assert all(gap.question.endswith("?") for gap in gaps)
    # Corrected (issue 13): the general question "what does policing not yet know" is tied
    # to no theme, since no source says so; every other gap has its (inferred) theme.
    general = gaps.get(question__startswith="What does policing not yet know")
    assert general.theme is None
    assert all(gap.theme_id for gap in gaps.exclude(pk=general.pk))
    # Corrected: red teaming is "identified as a potential tactic", not scoped.
    red_teaming = gaps.get(question__icontains="red teaming")
    assert red_teaming.status == KnowledgeGap.Status.IDENTIFIED
    assert gaps.open().count() == gaps.count()


def test_everything_seeded_is_published(seeded):
    for model in (Theme, Organisation, Person, Report, GapAnalysis):
        assert not model.objects.exclude(status=Status.PUBLISHED).exists(), model.__name__


def test_reports_carry_tags(seeded):
    resilience = report("community-resilience-progress-report-november-2020")
    assert "community resilience" in resilience.tags.names()
    assert not Report.objects.filter(tags__isnull=True).exists()


def test_second_run_creates_nothing_and_touches_nothing(seeded):
    before = counts()
    stamps = {m: dict(m.objects.values_list("pk", "updated_at")) for m in TIMESTAMPED}
    output = seed()
    assert counts() == before
    assert {m: dict(m.objects.values_list("pk", "updated_at")) for m in TIMESTAMPED} == stamps
    assert "nothing to create" in output


def test_first_run_reports_what_it_created(db):
    output = seed()
    assert "created 6 themes" in output
    assert "8 reports" in output
    assert output.count("\n") == 1


def test_verbosity_zero_seeds_everything_silently(db):
    output = seed_with("--verbosity", "0")

    assert output == ""
    assert Theme.objects.count() == 6
    assert Report.objects.count() == 8


def test_verbosity_zero_still_reports_invalid_seed_data(db, broken_seed_data):
    with pytest.raises(CommandError, match="nothing was saved"):
        seed_with("--verbosity", "0", "--from", str(broken_seed_data))


def test_curator_edits_survive_a_rerun(seeded):
    resilience = report("community-resilience-progress-report-november-2020")
    resilience.title = "Community resilience (curated title)"
    resilience.save()
    resilience.tags.remove("county lines")
    recommendation = resilience.recommendations.get(number=1)
    recommendation.heading = "We pool the evidence we already have."
    recommendation.save()
    emsou = Organisation.objects.get(short_name="EMSOU")
    emsou.status = Status.DRAFT
    emsou.save()
    before = counts()

    seed()

    resilience.refresh_from_db()
    assert resilience.title == "Community resilience (curated title)"
    assert "county lines" not in resilience.tags.names()
    assert resilience.recommendations.get(number=1).heading == (
        "We pool the evidence we already have."
    )
    assert Organisation.objects.get(short_name="EMSOU").status == Status.DRAFT
    assert counts() == before


def test_curator_renamed_slugs_do_not_cause_duplicates(seeded):
    theme = Theme.objects.get(position=1)
    theme.slug = "international-networks"
    theme.save()
    organisation = Organisation.objects.get(name="Crimestoppers")
    organisation.slug = "crimestoppers-uk"
    organisation.save()
    before = counts()

    seed()

    assert counts() == before
    assert Theme.objects.get(position=1).slug == "international-networks"


def delete_as_a_curator() -> list:
    """Delete one seeded object of each kind a curator might remove; return what went."""
    doomed = [
        Theme.objects.get(slug="what-works"),
        Organisation.objects.get(name="Crimestoppers"),
        Person.objects.get(slug="dave-walsh"),
        report("community-resilience-progress-report-november-2020"),
        Recommendation.objects.get(heading="We try things out."),
        GapAnalysis.objects.get(title="Mind the gap"),
    ]
    for obj in doomed:
        obj.delete()
    return doomed


def adaptability_headings() -> list:
    adaptability = report("organisational-adaptability-progress-report-december-2020")
    return list(adaptability.recommendations.values_list("number", "heading"))


def delete_the_first_recommendation_and_renumber_the_rest() -> None:
    adaptability = report("organisational-adaptability-progress-report-december-2020")
    adaptability.recommendations.get(number=1).delete()
    for recommendation in adaptability.recommendations.order_by("number"):
        recommendation.number -= 1
        recommendation.save()


def test_what_a_curator_deleted_stays_deleted_after_a_rerun(seeded):
    doomed = delete_as_a_curator()
    before = counts()

    output = seed()

    assert counts() == before
    for obj in doomed:
        assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert not Person.objects.filter(slug="dave-walsh").exists()
    assert not Report.objects.filter(
        slug="community-resilience-progress-report-november-2020"
    ).exists()
    assert not Recommendation.objects.filter(heading="We try things out.").exists()
    assert "nothing to create" in output
    assert f"{len(doomed)} skipped because a curator deleted them" in output
    assert "--restore" in output


def test_renumbered_recommendations_are_not_added_again(seeded):
    delete_the_first_recommendation_and_renumber_the_rest()
    before = counts()

    seed()

    assert counts() == before
    assert adaptability_headings() == [
        (1, "We get the best evidence."),
        (2, "We try things out."),
        (3, "We bring in sustainable funding."),
    ]


def test_restore_recreates_what_curators_deleted_and_nothing_else(db):
    seed()
    original = counts()
    delete_as_a_curator()

    output = seed_with("--restore")

    assert counts() == original
    assert "nothing to create; restored 1 theme, 1 organisation, 1 person" in output
    assert adaptability_headings()[2] == (3, "We try things out.")
    resilience = report("community-resilience-progress-report-november-2020")
    assert resilience.recommendations.count() == 3
    assert resilience.alignment_rows.count() == 12
    assert "county lines" in resilience.tags.names()
    assert resilience.primary_theme is not None
    walsh = Person.objects.get(slug="dave-walsh")
    assert walsh.roles.get(kind=Role.Kind.ACADEMIC_LEAD).is_current()
    analysis = GapAnalysis.objects.get(title="Mind the gap")
    assert analysis.comparison_rows.count() == 3
    assert analysis.themes.exists()
    assert "0 skipped because a curator deleted them" in seed()


def test_restore_leaves_a_number_a_curator_reused_alone(seeded):
    adaptability = report("organisational-adaptability-progress-report-december-2020")
    adaptability.recommendations.get(number=3).delete()
    moved = adaptability.recommendations.get(number=4)
    moved.number = 3
    moved.save()
    before = counts()

    output = seed_with("--restore")

    assert counts() == before
    assert adaptability_headings()[2:] == [(3, "We bring in sustainable funding.")]
    assert "1 not restored because other objects now hold their slugs or numbers" in output


def test_database_seeded_before_records_keeps_its_objects_and_then_its_deletions(seeded):
    SeedRecord.objects.all().delete()
    # Renumbered before records were kept: the headings still identify the recommendations.
    delete_the_first_recommendation_and_renumber_the_rest()
    before = counts()
    version = current_content_version()

    output = seed()

    assert counts() == before
    assert "nothing to create" in output
    # Recording what is there is bookkeeping, not content: cached pages stay valid.
    assert current_content_version() == version
    Person.objects.get(slug="dave-walsh").delete()
    seed()
    assert not Person.objects.filter(slug="dave-walsh").exists()


@pytest.fixture
def broken_seed_data(tmp_path):
    """A copy of the EMPAC folder with one report whose title is too long for the database."""
    folder = tmp_path / "broken"
    shutil.copytree(EMPAC, folder)
    with (folder / "reports.toml").open("a") as reports:
        reports.write(
            '\n[[reports]]\nslug = "a-broken-entry"\nkind = "news"\n'
            f'title = "{"x" * 300}"\n'
            'provenance = { document = "working-together", passage = "Working together" }\n'
        )
    return folder


def test_invalid_seed_data_saves_nothing_and_says_what_is_wrong(db, broken_seed_data):
    with pytest.raises(CommandError) as excinfo:
        seed_with("--from", str(broken_seed_data))

    assert "nothing was saved" in str(excinfo.value)
    # The file, the entry (by number and key) and the field.
    assert "reports.toml, entry 9 (a-broken-entry), field “title”" in str(excinfo.value)
    assert counts() == dict.fromkeys(counts(), 0)


def test_seeding_invalidates_cached_pages_only_when_it_creates_something(db):
    before = current_content_version()
    seed()
    after_first_run = current_content_version()
    seed()
    assert after_first_run != before
    assert current_content_version() == after_first_run
