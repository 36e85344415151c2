"""The sitemap (django.contrib.sitemaps): every public page, with its last change where known.

Served as an index at /sitemap.xml with a section per kind of page, so each section
stays under the protocol's 50,000 addresses (Django splits a longer one into pages).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from collaboration.models import Organisation, Person, Theme
from impact.models import ImpactEntry
from reports.models import GapAnalysis, KnowledgeGap, Report


def latest_change(*querysets):
    """The newest updated_at among published rows; None when nothing is published."""
    found = [qs.aggregate(latest=Max("updated_at"))["latest"] for qs in querysets]
    found = [when for when in found if when]
    return max(found) if found else None


class PageSitemap(Sitemap):
    """Pages with a fixed address. A list changes when what it lists changes; the prose
    pages' last change is not recorded in the database, so they carry none."""

    changefreq = "weekly"

    def items(self):
        return [
            ("browse:home", [Report, Theme]),
            ("browse:theme-list", [Theme]),
            ("reports:report-list", [Report]),
            ("reports:gapanalysis-list", [GapAnalysis]),
            ("agenda:gap-list", [KnowledgeGap]),
            ("browse:organisation-list", [Organisation]),
            ("browse:person-list", [Person]),
            ("browse:about", []),
            ("browse:accessibility", []),
            ("browse:privacy", []),
            ("involvement:register", []),
            ("impact:recommendation-list", [Report]),
            ("impact:entry-list", [ImpactEntry]),
            ("impact:coverage", []),
        ]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        models = item[1]
        if not models:
            return None
        return latest_change(*(model.objects.published() for model in models))


class PublishedSitemap(Sitemap):
    """Every published row of a model, by its own page."""

    model = None
    changefreq = "monthly"

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ThemeSitemap(PublishedSitemap):
    model = Theme
    changefreq = "weekly"


class ReportSitemap(PublishedSitemap):
    model = Report


class GapAnalysisSitemap(PublishedSitemap):
    model = GapAnalysis


class KnowledgeGapSitemap(PublishedSitemap):
    model = KnowledgeGap

    def items(self):
        return KnowledgeGap.objects.published().only("pk", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("agenda:gap-detail", kwargs={"pk": item.pk})


class OrganisationSitemap(PublishedSitemap):
    model = Organisation


class PersonSitemap(PublishedSitemap):
    model = Person


class ImpactEntrySitemap(PublishedSitemap):
    model = ImpactEntry


SITEMAPS = {
    "pages": PageSitemap,
    "themes": ThemeSitemap,
    "reports": ReportSitemap,
    "gap-analyses": GapAnalysisSitemap,
    "knowledge-gaps": KnowledgeGapSitemap,
    "partners": OrganisationSitemap,
    "people": PersonSitemap,
    "impact": ImpactEntrySitemap,
}
