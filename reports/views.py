from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import TaggedItem

from collaboration.models import Organisation, Person, Role, Theme
from publishing.pagination import LargeListPaginator
from publishing.provenance import with_inferences

from .filters import ReportFilterForm
from .items import published_items_by_key, report_items
from .models import RELATED_REPORTS_LIMIT, GapAnalysis, KnowledgeGap, Report

LISTED_REPORTS_LIMIT = 20


def gaps_for_display():
    """Public knowledge gaps as _knowledge_gap.html shows them."""
    return with_inferences(KnowledgeGap.objects.published().select_related("theme"), "theme")


def published_themes():
    return Prefetch("themes", queryset=Theme.objects.published())


class ReportListView(ListView):
    """Published reports, newest first, narrowed by the filters in the query string."""

    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 20
    paginator_class = LargeListPaginator

    def get_queryset(self):
        published = Report.objects.published()
        self.filter_form = ReportFilterForm(self.request.GET, reports=published)
        return self.filter_form.filter(published).newest_first()

    def get_paginator(self, *args, **kwargs):
        data = self.filter_form.cleaned_data
        # e.g. "kind=interim&theme=3": names the filtered list, and is a valid cache key.
        filters = "&".join(f"{name}={getattr(v, 'pk', v)}" for name, v in sorted(data.items()) if v)
        return super().get_paginator(
            *args,
            list_key=f"reports:{filters}",
            rows_by_key=partial(published_items_by_key, with_themes=True),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class ReportDetailView(DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        reports = with_inferences(Report.objects.published(), "published_on", "themes")
        return reports.prefetch_related(
            published_themes(),
            "tags",
            "recommendations",
            "alignment_rows",
            Prefetch("authors", queryset=Person.objects.published().select_related("organisation")),
            Prefetch("recorded_roles", queryset=Role.objects.published().for_display()),
            Prefetch("organisations", queryset=Organisation.objects.published()),
            Prefetch("gap_analyses", queryset=GapAnalysis.objects.published()),
            Prefetch("knowledge_gaps", queryset=gaps_for_display()),
        )

    def get_context_data(self, **kwargs):
        report = self.object
        others = Report.objects.published().exclude(pk=report.pk).newest_first()
        return super().get_context_data(
            related_reports=report_items(self.related_reports(report, others)),
            listed_reports=report_items(others.filter(listed_in=report)[:LISTED_REPORTS_LIMIT]),
            listed_in=report_items(others.filter(listed_reports=report)[:LISTED_REPORTS_LIMIT]),
            **kwargs,
        )

    @staticmethod
    def related_reports(report, others):
        """A few of the newest published reports sharing a theme or a tag with this one."""
        theme_ids = [theme.pk for theme in report.themes.all()]
        tag_ids = [tag.pk for tag in report.tags.all()]
        if not theme_ids and not tag_ids:
            return others.none()
        sharing_theme = Report.themes.through.objects.filter(theme_id__in=theme_ids)
        sharing_tag = TaggedItem.objects.filter(
            tag_id__in=tag_ids, content_type=ContentType.objects.get_for_model(Report)
        )
        return others.filter(
            Q(pk__in=sharing_theme.values("report_id")) | Q(pk__in=sharing_tag.values("object_id"))
        )[:RELATED_REPORTS_LIMIT]


class GapAnalysisListView(ListView):
    template_name = "reports/gapanalysis_list.html"
    context_object_name = "analyses"

    def get_queryset(self):
        open_gaps = KnowledgeGap.objects.open()
        return (
            GapAnalysis.objects.published()
            .select_related("report")
            .prefetch_related(published_themes())
            .annotate(
                gap_count=Count("knowledge_gaps", distinct=True),
                open_gap_count=Count(
                    "knowledge_gaps", filter=Q(knowledge_gaps__in=open_gaps), distinct=True
                ),
            )
        )


class GapAnalysisDetailView(DetailView):
    template_name = "reports/gapanalysis_detail.html"
    context_object_name = "analysis"

    def get_queryset(self):
        return (
            with_inferences(GapAnalysis.objects.published(), "themes")
            .select_related("report")
            .prefetch_related(
                published_themes(),
                "comparison_rows",
                Prefetch("knowledge_gaps", queryset=gaps_for_display()),
            )
        )


def may_see_unpublished(user) -> bool:
    """Signed-in staff who may view reports see their files before they are public."""
    return user.is_authenticated and user.is_staff and user.has_perm("reports.view_report")


@csrf_exempt  # reads only: require_safe answers 405 to anything else
@require_safe
def report_pdf(request, slug):
    """A report's PDF, only while the report is public (or to staff who may view it).

    Uploaded files never sit under a public address: the proxy serves MEDIA_ROOT to no
    one directly. With EMPAC_MEDIA_ACCEL_REDIRECT set (nginx), this view checks and
    then hands the sending to nginx with X-Accel-Redirect; without it, it streams the
    file itself.
    """
    staff = may_see_unpublished(request.user)
    reports = Report.objects.all() if staff else Report.objects.published()
    report = get_object_or_404(reports.exclude(pdf=""), slug=slug)
    filename = f"{report.slug}.pdf"
    prefix = settings.EMPAC_MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type="application/pdf")
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{report.pdf.name}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        try:
            handle = report.pdf.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404("The file of this report is missing.") from exc
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type="application/pdf"
        )
    # A file that stops being public must not live on in shared caches.
    if staff:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    response["X-Content-Type-Options"] = "nosniff"
    return response
