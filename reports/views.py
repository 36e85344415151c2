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
from publishing.http import cached_by_content
from publishing.pagination import LargeListPaginator
from publishing.provenance import with_inferences
from publishing.views import PublicItemMixin

from . import citation, structured_data
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


class ReportDetailView(PublicItemMixin, DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"
    item_model = Report

    def get_queryset(self):
        reports = with_inferences(self.visible(Report.objects), "published_on", "themes")
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
            **self.citation_context(report),
            **kwargs,
        )

    def citation_context(self, report) -> dict:
        """Cite this report: styled citations, downloads, meta tags and JSON-LD, one record."""
        absolute = self.request.build_absolute_uri
        url = absolute(report.get_absolute_url())
        record = citation.csl_record(report, url=url)
        pdf_url = absolute(report.get_pdf_url()) if report.has_public_pdf else None
        return {
            "citations": citation.styled_citations(record),
            "citation_downloads": [
                (label, report.get_citation_url(name), extension)
                for name, (extension, _, label) in citation.FORMATS.items()
            ],
            "highwire_tags": citation.highwire_tags(record, pdf_url=pdf_url),
            "json_ld": structured_data.report(report, url=url, pdf_url=pdf_url),
        }

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


class GapAnalysisDetailView(PublicItemMixin, DetailView):
    template_name = "reports/gapanalysis_detail.html"
    context_object_name = "analysis"
    item_model = GapAnalysis

    def get_queryset(self):
        return (
            with_inferences(self.visible(GapAnalysis.objects), "themes")
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
    """A report's PDF, only while the report and its file are public (or to staff).

    The public gets a 404 for the file of a report that is not public, or whose file is
    not OFFICIAL and cleared for public release; signed-in staff who may view reports
    get every file, never stored by any cache.

    Uploaded files never sit under a public address: the proxy serves MEDIA_ROOT to no
    one directly. With EMPAC_MEDIA_ACCEL_REDIRECT set (nginx), this view checks and
    then hands the sending to nginx with X-Accel-Redirect; without it, it streams the
    file itself.
    """
    staff = may_see_unpublished(request.user)
    reports = Report.objects.all() if staff else Report.objects.with_public_pdf()
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


@require_safe
@cached_by_content
def report_citation(request, slug, extension):
    """The report's citation as a file to import into a reference manager."""
    by_extension = {ext: (name, ctype) for name, (ext, ctype, _) in citation.FORMATS.items()}
    if extension not in by_extension:
        raise Http404("Citations download as .bib, .ris or .json.")
    name, content_type = by_extension[extension]
    report = get_object_or_404(
        Report.objects.published().prefetch_related(
            Prefetch("authors", queryset=Person.objects.published())
        ),
        slug=slug,
    )
    record = citation.csl_record(report, url=request.build_absolute_uri(report.get_absolute_url()))
    response = HttpResponse(citation.WRITERS[name](record), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.slug}.{extension}"'
    return response
