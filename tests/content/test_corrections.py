"""The seeded EMPAC content as issue 13's audit corrected it, on the pages readers see."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from collaboration.models import Organisation, Person, Role, Theme
from publishing.provenance import inference_note
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report

pytestmark = pytest.mark.django_db

GROWING_MOMENTUM = "growing-momentum-in-tackling-serious-organised-crime"
ADAPTABILITY = "organisational-adaptability-progress-report-december-2020"
RESILIENCE = "community-resilience-progress-report-november-2020"
PRESS = "east-midlands-crime-unit-leads-the-way-nationally-according-to-new-report"


@pytest.fixture(autouse=True)
def seeded(db):
    call_command("seed_empac", verbosity=0)


def text(slug: str) -> str:
    report = Report.objects.get(slug=slug)
    return f"{report.summary}\n{report.body}"


def everything_written() -> str:
    """All prose the seed writes, where a claim the sources do not make could hide."""
    parts = []
    for model, fields in [
        (Theme, ["description"]),
        (Organisation, ["description"]),
        (Person, ["biography"]),
        (Report, ["summary", "body"]),
        (Recommendation, ["explanation"]),
        (GapAnalysis, ["summary"]),
        (KnowledgeGap, ["question", "detail"]),
    ]:
        for values in model.objects.values_list(*fields):
            parts += values
    return "\n".join(parts)


@pytest.mark.parametrize(
    "overstated",
    [
        "mostly through command and control",
        "the main vehicle",
        "start straight away",
        "funded the first stage",
        "in England and Wales",
        "community and youth work",
        "seldom stops at the regional or national border",
        "not all of them succeed",
        "cuts across all six themes",
    ],
)
def test_no_wording_says_more_than_its_source(overstated):
    assert overstated not in everything_written()


def test_wording_keeps_the_strength_of_its_source():
    adaptability = text(ADAPTABILITY)
    assert "often works through command and control" in adaptability
    assert "appear better able to anticipate" in adaptability
    assert "supported by some initial funding from De Montfort University" in adaptability
    resilience = Report.objects.get(slug=RESILIENCE)
    assert "initial research access is straightforward" in resilience.body
    assert "a core central driver" in resilience.recommendations.get(number=2).explanation
    assert "in the country" in Report.objects.get(slug=PRESS).summary
    assert "Community and Youth" in Organisation.objects.get(short_name="DMU").description
    assert "Community and Youth" in text(GROWING_MOMENTUM)


def test_the_facts_the_audit_found_missing_are_there():
    for slug in (RESILIENCE, ADAPTABILITY):
        body = text(slug)
        assert "gaining outside research investment" in body
        assert "one of its thematic priorities" in body
    assert "EMSOU collated" in text("working-together-on-serious-organised-crime")
    resilience = text(RESILIENCE)
    for fact in [
        "Policing Vision 2025",
        "“20205”, a misprint",
        "data analytics and technology",
        "“Stopping crime before it happens",
        "social landlords, the voluntary sector and business",
        "investigation alone ever more difficult and costly",
        "risk identification",
        "commissioned across agencies",
    ]:
        assert fact in resilience, fact
    adaptability = text(ADAPTABILITY)
    assert "research bids take time and are highly competitive" in adaptability
    assert "internal and external weaknesses" in adaptability
    press = Report.objects.get(slug=PRESS)
    for fact in [
        "“most advanced and well-established”",
        "“an ambitious model of cross-force collaboration”",
        "“other additional services”",
        "“much larger than any of the other ROCUs”",
        "“one of the first such regional ROCU to be established”",
    ]:
        assert fact in press.body, fact
    assert "2:14 pm" in press.provenance
    northampton = Organisation.objects.get(slug="university-of-northampton")
    assert "early intervention" in northampton.description
    dmu = Organisation.objects.get(short_name="DMU").description
    assert "modern slavery" in dmu and "place-based evaluations" in dmu


def test_people_and_organisations_as_the_sources_give_them():
    assert not Role.objects.get(person__slug="kem-mehmet").organisation
    assert Person.objects.get(slug="kem-mehmet").honorific == "ACC"
    sage = Role.objects.get(person__slug="dan-sage")
    assert sage.title.startswith("Cited for")
    assert "Leads" not in Person.objects.get(slug="dan-sage").biography
    leicestershire = Organisation.objects.get(slug="leicestershire-opcc")
    assert "took part" not in leicestershire.description
    kate = Person.objects.get(slug="kate-hemstock")
    assert inference_note(kate, "organisation") == "the source says only “Derbys”"
    for slug in ("lincolnshire-opcc", "northamptonshire-opcc", "nottinghamshire-opcc"):
        opcc = Organisation.objects.get(slug=slug)
        assert "constructed" in inference_note(opcc, "name")
        assert "constructed" in inference_note(opcc, "short_name")
    esrc = Organisation.objects.get(short_name="ESRC")
    assert inference_note(esrc, "short_name")


def test_every_researcher_theme_is_marked_as_inferred():
    researchers = Role.objects.filter(kind=Role.Kind.RESEARCHER)
    assert researchers.count() == 12
    for role in researchers.exclude(theme=None):
        assert inference_note(role, "theme"), role


def test_no_lead_is_called_current_on_the_strength_of_sources_that_end_in_2021(client):
    leads = Role.objects.leads()
    assert not leads.confirmed_current().exists()
    assert set(leads.last_named_in_sources().values_list("person__slug", flat=True)) == {
        "paul-gibson",
        "dave-walsh",
        "hardyal-dhindsa",
        "rachel-swann",
    }
    gibson = leads.get(person__slug="paul-gibson")
    assert gibson.latest_source.slug == GROWING_MOMENTUM
    assert leads.get(person__slug="rachel-swann").latest_source.slug == ADAPTABILITY

    response = client.get(reverse("browse:person-list"))

    assert list(response.context["current_leads"]) == []
    html = response.content.decode()
    gibson_at = html.index("DCC Paul Gibson</a>: Operational lead")
    named = html[gibson_at : html.index("</li>", gibson_at)]
    assert "Growing momentum in tackling serious organised crime</a>, 2021" in named
    assert "no earlier than" in named and "not confirmed as current" in named
    haward = client.get(Person.objects.get(slug="chris-haward").get_absolute_url())
    assertContains(haward, "estimated: no source gives the date of the handover")


def test_knowledge_gaps_have_the_statuses_and_homes_their_sources_give():
    mind_the_gap = GapAnalysis.objects.get(slug="mind-the-gap")
    assert mind_the_gap.knowledge_gaps.count() == 3
    post = Report.objects.get(slug=GROWING_MOMENTUM)
    raised = list(post.knowledge_gaps.order_by("position"))
    assert [gap.analysis for gap in raised] == [None, None, None]
    assert raised[2].theme is None
    transnational = KnowledgeGap.objects.get(question__icontains="transnational")
    assert transnational.status == KnowledgeGap.Status.NOT_RECORDED
    # The gap about their work is filed as its contributors' roles are.
    contributor = Role.objects.get(person__slug="craig-paterson")
    assert transnational.theme == contributor.theme
    for gap in KnowledgeGap.objects.exclude(theme=None):
        assert inference_note(gap, "theme"), gap


def test_public_pages_say_what_is_inferred(client):
    post = Report.objects.get(slug=GROWING_MOMENTUM)
    page = client.get(post.get_absolute_url())
    assertContains(page, "date derived, not stated")
    assertContains(page, "Knowledge gaps raised here")
    opcc = client.get(Organisation.objects.get(slug="lincolnshire-opcc").get_absolute_url())
    assertContains(opcc, "Name constructed here")
    adaptability = client.get(Report.objects.get(slug=ADAPTABILITY).get_absolute_url())
    assertContains(adaptability, "Theme inferred from the report&#x27;s subject.")
    press = client.get(Report.objects.get(slug=PRESS).get_absolute_url())
    assertNotContains(press, "date derived")


def test_lists_of_reports_mark_a_derived_date_as_derived(client):
    post = Report.objects.get(slug=GROWING_MOMENTUM)
    press = Report.objects.get(slug=PRESS)

    news = client.get(f"/reports/?kind={post.kind}")
    press_list = client.get(f"/reports/?kind={press.kind}")
    home = {item["pk"]: item for item in client.get("/").context["latest_reports"]}

    assertContains(news, "(date derived, not stated)")
    assertNotContains(press_list, "date derived")
    assert home[post.pk]["date_derived"]
