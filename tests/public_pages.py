"""One address for each kind of public page, picked from the published content.

Shared by the HTML validity test and the browser tests, so both check the same
set of pages; `test_every_public_page_type_is_checked` keeps it complete.
"""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from alerts.tokens import confirm_token, manage_token, unsubscribe_token
from collaboration.models import Organisation, Person, Theme
from impact.models import ImpactEntry
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report

MISSING_PAGE = "/no-such-page/"
# A subscription as alert links name it; the confirm and unsubscribe pages only show a button.
LINKED = SimpleNamespace(pk=1, key="example")


def public_pages() -> dict[str, str]:
    """Name → path of every public page type, with content from the database.

    A theme with published reports is chosen so the theme page, the filtered
    index and the report page all have something to show.
    """
    reports = Report.objects.published()
    report = reports.filter(themes__in=Theme.objects.published()).newest_first().first()
    assert report is not None, "no published report with a theme: seed the content first"
    theme = Theme.objects.published().filter(reports=report).first()
    organisation = Organisation.objects.published().filter(people__isnull=False).first()
    person = Person.objects.published().filter(roles__isnull=False).first()
    analysis = GapAnalysis.objects.published().first()
    gap = KnowledgeGap.objects.published().open().filter(theme__isnull=False).first()
    assert organisation and person and analysis and gap, "seeded content is missing a page type"
    gaps = reverse("agenda:gap-list")
    filters = urlencode({"theme": theme.slug, "year": report.published_on.year})
    search = reverse("search:results")
    recommendation, entry = example_impact_content(report)
    example_status_change(gap)
    return {
        "home": reverse("browse:home"),
        "theme-list": reverse("browse:theme-list"),
        "theme-detail": theme.get_absolute_url(),
        "report-list": reverse("reports:report-list"),
        "report-list-filtered": f"{reverse('reports:report-list')}?{filters}",
        "report-detail": report.get_absolute_url(),
        "organisation-list": reverse("browse:organisation-list"),
        "organisation-detail": organisation.get_absolute_url(),
        "person-list": reverse("browse:person-list"),
        "person-detail": person.get_absolute_url(),
        "gapanalysis-list": reverse("reports:gapanalysis-list"),
        "gapanalysis-detail": analysis.get_absolute_url(),
        "about": reverse("browse:about"),
        "accessibility": reverse("browse:accessibility"),
        "privacy": reverse("browse:privacy"),
        "contact": reverse("browse:contact"),
        "gap-list": gaps,
        "gap-list-filtered": f"{gaps}?{urlencode({'theme': gap.theme.slug, 'status': 'open'})}",
        "gap-detail": reverse("agenda:gap-detail", args=[gap.pk]),
        "register": reverse("involvement:register"),
        # A gap page's "I could help with this": the form with the gap chosen.
        "register-gap": f"{reverse('involvement:register')}?{urlencode({'gap': gap.pk})}",
        "register-thanks": reverse("involvement:thanks"),
        "alerts-subscribe": reverse("alerts:subscribe"),
        "alerts-check-email": reverse("alerts:check-email"),
        # The pages a link in an alert email opens (a button each: a GET changes nothing).
        "alerts-confirm": reverse(
            "alerts:confirm",
            args=[
                confirm_token(
                    subscription=LINKED,
                    theme_ids=[theme.pk],
                    gap_register=False,
                    frequency="weekly",
                )
            ],
        ),
        "alerts-unsubscribe": reverse("alerts:unsubscribe", args=[unsubscribe_token(LINKED)]),
        # A confirmed subscriber's own page, with its form.
        "alerts-manage": reverse("alerts:manage", args=[manage_token(example_subscription())]),
        "search": search,
        # Results with every part of the page: facets, highlights, a filter in use.
        "search-results": f"{search}?{urlencode({'q': 'resilience', 'type': 'report'})}",
        # A typo corrected, then nothing found: the help that ends no journey.
        "search-no-results": f"{search}?{urlencode({'q': 'rezilience zzqx'})}",
        "api-docs": reverse("api:docs"),
        "recommendation-list": reverse("impact:recommendation-list"),
        "recommendation-detail": reverse(
            "impact:recommendation-detail",
            kwargs={"slug": recommendation.report.slug, "number": recommendation.number},
        ),
        "impact-entry-list": reverse("impact:entry-list"),
        "impact-entry-detail": entry.get_absolute_url(),
        "coverage": reverse("impact:coverage"),
        "not-found": MISSING_PAGE,
    }


def example_subscription():
    """A confirmed subscription to one theme and the register, made for the test."""
    from alerts.models import Subscription

    subscription, created = Subscription.objects.get_or_create(
        email="example-subscriber@example.org",
        defaults={"includes_gap_register": True, "confirmed_at": timezone.now()},
    )
    if created:
        subscription.themes.set(Theme.objects.published()[:1])
    return subscription


def example_status_change(gap):
    """A dated change of the gap's status, made for the test if it has none.

    Seeded gaps have no recorded change; with one, the register and the gap's page show
    "Status last changed" and the history, whose <time> values must be valid HTML too
    (a time with microseconds was not: a reader's check with the Nu checker found it).
    """
    from agenda.models import GapStatusChange
    from agenda.services import gap_status_set

    if not GapStatusChange.objects.filter(gap=gap).exists():
        gap_status_set(
            gap=gap,
            status=KnowledgeGap.Status.SCOPED,
            previous=gap.status,
            note="Example change made by the test suite.",
        )


def example_impact_content(report):
    """A tracked recommendation and an impact entry, made for the test if none exist.

    The EMPAC sources record no progress and no impact, so seeded content has neither;
    this test-only example lets the pages be checked with every part showing.
    """
    from tests import factories

    recommendation = Recommendation.objects.published().order_by("pk").first()
    assert recommendation is not None, "seeded content has no recommendation"
    if not recommendation.updates.exists():
        recommendation.status = Recommendation.Status.IN_PROGRESS
        recommendation.target_date = report.published_on
        recommendation.owner_organisation = Organisation.objects.published().first()
        recommendation.save()
        factories.RecommendationUpdateFactory(
            recommendation=recommendation,
            summary="Example update made by the test suite.",
            evidence_url="https://example.org/evidence",
        )
    entry = ImpactEntry.objects.published().first()
    if entry is None:
        entry = factories.ImpactEntryFactory(
            title="Example change made by the test suite",
            themes=list(Theme.objects.published()[:1]),
            recommendations=[recommendation],
            reports=[recommendation.report],
            organisations=list(Organisation.objects.published()[:2]),
            evidence_url="https://example.org/impact",
        )
    return recommendation, entry


PAGE_TYPES = [
    "home",
    "theme-list",
    "theme-detail",
    "report-list",
    "report-list-filtered",
    "report-detail",
    "organisation-list",
    "organisation-detail",
    "person-list",
    "person-detail",
    "gapanalysis-list",
    "gapanalysis-detail",
    "about",
    "accessibility",
    "privacy",
    "contact",
    "gap-list",
    "gap-list-filtered",
    "gap-detail",
    "register",
    "register-gap",
    "register-thanks",
    "alerts-subscribe",
    "alerts-check-email",
    "alerts-confirm",
    "alerts-unsubscribe",
    "alerts-manage",
    "search",
    "search-results",
    "search-no-results",
    "api-docs",
    "recommendation-list",
    "recommendation-detail",
    "impact-entry-list",
    "impact-entry-detail",
    "coverage",
    "not-found",
]
