"""What a digest can name: one class per kind of news, each reading its one public queryset.

``settings.EMPAC_DIGEST_SOURCES`` lists them by dotted path, so an app above this one
(status history, an impact log) adds its own without this app importing it. A source
says which items are public now (``public``), what counts as one piece of news about
an item (``keys``: an item's id, or its id and the status it changed to), which of them
a subscription asked for (``for_subscription``) and how a digest names one (``item``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from reports.models import KnowledgeGap, Report


@dataclass(frozen=True)
class DigestItem:
    title: str
    path: str
    detail: str = ""


class DigestSource:
    name = ""
    heading = ""
    # Included for a subscriber to the knowledge-gap register, whatever their themes.
    in_gap_register = False

    def public(self) -> QuerySet:
        raise NotImplementedError

    def keys(self, public: QuerySet):
        """(key, object id) for each piece of news among the public items."""
        return ((str(pk), pk) for pk in public.values_list("pk", flat=True).iterator())

    def for_subscription(self, queryset: QuerySet, *, themes, gap_register: bool) -> QuerySet:
        raise NotImplementedError

    def item(self, obj) -> DigestItem:
        raise NotImplementedError


class NewReports(DigestSource):
    name = "reports"
    heading = "New reports"

    def public(self):
        return Report.objects.published()

    def for_subscription(self, queryset, *, themes, gap_register):
        if not themes:
            return queryset.none()
        about = Q(themes__in=themes) | Q(primary_theme__in=themes)
        return queryset.filter(pk__in=Report.objects.filter(about).values("pk")).newest_first()

    def item(self, report):
        when = report.published_on.strftime("%B %Y") if report.published_on else ""
        return DigestItem(
            title=report.title,
            path=report.get_absolute_url(),
            detail=f"{report.get_kind_display()}{', ' + when if when else ''}",
        )


class NewKnowledgeGaps(DigestSource):
    name = "knowledge-gaps"
    heading = "New knowledge gaps"
    in_gap_register = True

    def public(self):
        return KnowledgeGap.objects.published()

    def for_subscription(self, queryset, *, themes, gap_register):
        if not gap_register:
            if not themes:
                return queryset.none()
            queryset = queryset.filter(pk__in=KnowledgeGap.objects.in_themes(themes).values("pk"))
        return queryset.select_related("analysis", "report").order_by("pk")

    def item(self, gap):
        return DigestItem(
            title=gap.question, path=gap.get_absolute_url(), detail=gap.get_status_display()
        )


class KnowledgeGapStatusChanges(NewKnowledgeGaps):
    """A public gap whose status changed: one piece of news per change."""

    name = "knowledge-gap-status"
    heading = "Knowledge gaps whose status changed"

    def public(self):
        return KnowledgeGap.objects.published().filter(status_changed_at__isnull=False)

    def keys(self, public):
        rows = public.values_list("pk", "status", "status_changed_at").iterator()
        return ((f"{pk}:{status}:{changed.timestamp():.6f}", pk) for pk, status, changed in rows)

    def item(self, gap):
        return DigestItem(
            title=gap.question,
            path=gap.get_absolute_url(),
            detail=f"Now: {gap.get_status_display()}",
        )


def digest_sources() -> list[DigestSource]:
    return [import_string(path)() for path in settings.EMPAC_DIGEST_SOURCES]
