import csv

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from collaboration.models import Organisation, Theme
from publishing.http import cached_by_content
from publishing.pagination import LargeListMixin
from publishing.versioning import content_cached
from publishing.views import PublicItemMixin
from reports.models import KnowledgeGap, Recommendation, Report, recommendation_overdue

from . import coverage, items
from .forms import ImpactEntryFilterForm, RecommendationFilterForm
from .models import ImpactEntry

PAGE_SIZE = 20


def published_themes():
    return Prefetch("themes", queryset=Theme.objects.published())


def public_impact_entries():
    """Public entries of the impact log, with the themes pages show beside them."""
    return ImpactEntry.objects.published().prefetch_related(published_themes())


class RecommendationListView(LargeListMixin, ListView):
    """Progress on every public report's recommendations, filtered by theme and status."""

    template_name = "impact/recommendation_list.html"
    context_object_name = "recommendations"
    paginate_by = PAGE_SIZE
    items_by_key = staticmethod(items.recommendation_items_by_key)

    def get_queryset(self):
        self.filter_form = RecommendationFilterForm(self.request.GET)
        return super().get_queryset()

    def get_list(self):
        recommendations = self.filter_form.filter(Recommendation.objects.published())
        return recommendations.order_by("-report__published_on", "-report_id", "number")

    def list_key(self) -> str:
        return f"recommendations:{self.filter_form.list_key}"

    def status_counts(self) -> dict:
        """How many of the theme's public recommendations have each status, and are overdue."""
        form = self.filter_form
        today = timezone.localdate()

        def compute():
            recommendations = form.filter(Recommendation.objects.published(), with_status=False)
            counts = recommendations.aggregate(
                total=Count("pk"),
                # The rule itself, not a list of every overdue recommendation to look
                # each up in.
                overdue=Count("pk", filter=recommendation_overdue(today)),
                **{
                    status: Count("pk", filter=Q(status=status))
                    for status in Recommendation.Status.values
                },
            )
            return counts

        return content_cached(f"recommendation-counts:{form.list_key}", compute)

    def get_context_data(self, **kwargs):
        counts = self.status_counts()
        chosen = self.filter_form.valid.get("status", "")
        by_status = [
            {
                "value": value,
                "label": label,
                "count": counts[value],
                "chosen": value == chosen,
            }
            for value, label in Recommendation.Status.choices
        ]
        return super().get_context_data(
            filter_form=self.filter_form,
            # None where no theme is chosen (filter_form.valid.theme would be a failed lookup).
            chosen_theme=self.filter_form.valid.get("theme"),
            counts=counts,
            by_status=by_status,
            **kwargs,
        )


class RecommendationDetailView(DetailView):
    """One recommendation: where it stands, every public update, its status history."""

    template_name = "impact/recommendation_detail.html"
    context_object_name = "recommendation"

    def get_object(self, queryset=None):
        recommendations = (
            Recommendation.objects.published()
            .for_display()
            .select_related("report")
            .prefetch_related("status_changes")
        )
        return get_object_or_404(
            recommendations, report__slug=self.kwargs["slug"], number=self.kwargs["number"]
        )

    def get_context_data(self, **kwargs):
        entries = public_impact_entries().filter(recommendations=self.object).newest_first()
        return super().get_context_data(impact_entries=entries, **kwargs)


class ImpactEntryListView(LargeListMixin, ListView):
    """The impact log: what changed in practice, newest first, by theme and kind."""

    template_name = "impact/entry_list.html"
    context_object_name = "entries"
    paginate_by = PAGE_SIZE
    items_by_key = staticmethod(items.entry_items_by_key)

    def get_queryset(self):
        self.filter_form = ImpactEntryFilterForm(self.request.GET)
        return super().get_queryset()

    def get_list(self):
        return self.filter_form.filter(ImpactEntry.objects.published()).newest_first()

    def list_key(self) -> str:
        return f"impact-entries:{self.filter_form.list_key}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class ImpactEntryDetailView(PublicItemMixin, DetailView):
    template_name = "impact/entry_detail.html"
    context_object_name = "entry"
    item_model = ImpactEntry

    def get_queryset(self):
        public_recommendations = Recommendation.objects.published().select_related("report")
        return self.visible(ImpactEntry.objects).prefetch_related(
            published_themes(),
            Prefetch("recommendations", queryset=public_recommendations),
            Prefetch(
                "knowledge_gaps",
                queryset=KnowledgeGap.objects.published().select_related("analysis", "report"),
            ),
            Prefetch("reports", queryset=Report.objects.published().newest_first()),
            Prefetch("organisations", queryset=Organisation.objects.published()),
        )


class CoverageView(TemplateView):
    """Coverage at a glance: for each theme, who is on it and what is open."""

    template_name = "impact/coverage.html"

    def get_context_data(self, **kwargs):
        table = content_cached("coverage", coverage.compute)
        return super().get_context_data(table=table, heat_map=coverage.heat_map(table), **kwargs)


@require_safe
@cached_by_content
def coverage_csv(request):
    """The coverage table as CSV, the same figures the page shows."""
    table = content_cached("coverage", coverage.compute)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coverage.csv"'
    writer = csv.writer(response)
    labels = [column.label for column in coverage.COLUMNS]
    writer.writerow(["Theme", *labels, "Open gaps with nobody recorded on them"])

    for row in table.rows:
        writer.writerow(
            [row.theme.short_name, *row.csv_values(), "yes" if row.open_gaps_unattended else "no"]
        )
    return response
