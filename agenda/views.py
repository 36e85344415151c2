import csv
import json
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from collaboration.models import Theme
from publishing.http import cached_by_content
from publishing.pagination import LargeListMixin
from publishing.versioning import content_cached, content_key
from reports.items import newest_in_themes, report_items
from reports.models import (
    RELATED_REPORTS_LIMIT,
    KnowledgeGap,
    Recommendation,
    Report,
)

from . import register
from .models import GapStatusChange

CSV_COLUMNS = [
    "id",
    "question",
    "background",
    "themes",
    "status",
    "source",
    "source_url",
    "raised",
    "status_last_changed",
    "who_works_on_it",
    "answer",
    "answered_by",
    "answer_url",
    "url",
]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def decorate(gap):
    """What the templates show of a gap, computed once here."""
    gap.themes_shown = register.gap_themes(gap)
    gap.source_title, gap.source_url = register.source_of(gap)
    gap.raised_iso, gap.raised_text = register.raised(gap)
    return gap


class Filters:
    """The register's filters from the query string; an unknown value is ignored, and said."""

    def __init__(self, params):
        self.notes = []
        slug = params.get("theme", "")
        self.theme = None
        if slug:
            self.theme = content_cached(
                f"theme:{slug[:80]}",
                lambda: Theme.objects.published().filter(slug=slug[:80]).first(),
            )
            if self.theme is None:
                self.notes.append("There is no theme with that name; showing gaps on every theme.")
        self.status = params.get("status", "")
        if self.status and self.status not in dict(register.STATUS_CHOICES):
            self.notes.append("That is not a status a gap can have; showing every status.")
            self.status = ""

    def apply(self, gaps):
        return register.filtered(gaps, theme=self.theme, status=self.status)

    @property
    def key(self) -> str:
        return f"theme={self.theme.pk if self.theme else ''}&status={self.status}"

    @property
    def fragment_key(self) -> str:
        """Names the rendered filters: their links and counts, for this content and these values."""
        return content_key(f"gap-filters:{self.key}")

    def query(self, **changes) -> str:
        values = {"theme": self.theme.slug if self.theme else "", "status": self.status}
        values.update(changes)
        kept = {name: value for name, value in values.items() if value}
        return f"?{urlencode(kept)}" if kept else ""


class GapListView(LargeListMixin, ListView):
    """Every public knowledge gap, filtered by theme and status, a page at a time."""

    template_name = "agenda/gap_list.html"
    context_object_name = "gaps"
    paginate_by = 25
    items_by_key = staticmethod(register.items_by_key)

    def get_queryset(self):
        self.filters = Filters(self.request.GET)
        return super().get_queryset()

    def get_list(self):
        return self.filters.apply(register.register_gaps())

    def list_key(self) -> str:
        return f"gaps:{self.filters.key}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters
        counts = register.counts(theme=filters.theme, status=filters.status)

        def theme_options():
            themes = content_cached("gap-register-themes", lambda: list(Theme.objects.published()))
            return [
                {
                    "label": theme.short_name,
                    "count": counts["theme"].get(theme.pk, 0),
                    "href": filters.query(theme=theme.slug),
                    "current": filters.theme is not None and filters.theme.pk == theme.pk,
                }
                for theme in themes
            ]

        def status_options():
            return [
                {
                    "label": label,
                    "count": counts["status"].get(value, 0),
                    "href": filters.query(status=value),
                    "current": filters.status == value,
                }
                for value, label in register.STATUS_CHOICES
            ]

        context.update(
            filters=filters,
            # Read only when the filters' HTML is not kept yet (gap_list.html's {% cache %}):
            # built on each request they were 0.3 ms of a deep page (in-process).
            theme_options=SimpleLazyObject(theme_options),
            all_themes_href=filters.query(theme=""),
            status_options=SimpleLazyObject(status_options),
            all_statuses_href=filters.query(status=""),
            total=sum(n for value, n in counts["status"].items() if value != register.OPEN),
            download_query=filters.query(),
        )
        return context


def _download(request, render):
    filters = Filters(request.GET)
    gaps = register.for_display(filters.apply(register.register_gaps()))
    return render([register.record(gap, request.build_absolute_uri) for gap in gaps])


def _cell(value) -> str:
    text = "; ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


@require_safe
@cached_by_content
def gap_list_csv(request):
    def render(records):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="knowledge-gaps.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for item in records:
            writer.writerow([_cell(item[column]) for column in CSV_COLUMNS])
        return response

    return _download(request, render)


@require_safe
@cached_by_content
def gap_list_json(request):
    def render(records):
        body = json.dumps(
            {"count": len(records), "knowledge_gaps": records},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="knowledge-gaps.json"'
        return response

    return _download(request, render)


class GapDetailView(DetailView):
    template_name = "agenda/gap_detail.html"
    context_object_name = "gap"

    def get_queryset(self):
        return register.for_display(KnowledgeGap.objects.published()).prefetch_related(
            Prefetch("status_changes", queryset=GapStatusChange.objects.order_by("changed_at"))
        )

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except (ValueError, TypeError) as exc:
            raise Http404("No public knowledge gap has that number.") from exc

    def get_context_data(self, **kwargs):
        gap = decorate(self.object)
        published = Report.objects.published()
        source_report = gap.source_report
        related = []
        if source_report is not None and source_report.is_published():
            related.append(source_report)
        if gap.answered_by_id and gap.answered_by.is_published():
            related.append(gap.answered_by)
        recommendations = (
            Recommendation.objects.published().filter(report=source_report)
            if source_report is not None
            else Recommendation.objects.none()
        )
        register_url = reverse("involvement:register")
        return super().get_context_data(
            source_reports=report_items(published.filter(pk__in=[r.pk for r in related])),
            related_reports=newest_in_themes(
                gap.themes_shown, limit=RELATED_REPORTS_LIMIT, exclude=[r.pk for r in related]
            ),
            recommendations=list(recommendations),
            history=list(gap.status_changes.all()),
            contributors=gap.shown_contributors,
            help_url=f"{register_url}?{urlencode({'gap': gap.pk})}",
            answered_by=gap.answered_by
            if gap.answered_by_id and gap.answered_by.is_published()
            else None,
            **kwargs,
        )
