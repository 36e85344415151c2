import json
import mimetypes
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import TaggedItem

from collaboration.models import Organisation, Person, Role, Theme
from publishing.http import cached_by_content
from publishing.pagination import LargeListMixin
from publishing.provenance import with_inferences
from publishing.versioning import content_cached, digest
from publishing.views import PublicItemMixin

from . import citation, structured_data
from .filters import ReportFilterForm
from .items import published_items_by_key, report_items, report_list_key
from .models import (
    RELATED_REPORTS_LIMIT,
    AlignmentRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    RecommendationUpdate,
    Report,
)

LISTED_REPORTS_LIMIT = 20
# Newest reports read at a time while looking for a report's related ones.
RELATED_CANDIDATES = 50


def gaps_for_display():
    """Public knowledge gaps as _knowledge_gap.html shows them."""
    return with_inferences(KnowledgeGap.objects.published().select_related("theme"), "theme")


def published_themes():
    return Prefetch("themes", queryset=Theme.objects.published())


def gap_counts_by_analysis() -> dict[int, tuple[int, int]]:
    """Each analysis's public knowledge gaps: (all, open), by the analysis's key.

    Kept per content version by the index: counted in its query, with a join and
    GROUP BY over the report's columns and the open gaps as a list of every gap, the
    index grew 1.63× from 10,000 to 100,000 reports on SQLite (4.3 → 7.0 ms), and it
    counted gaps not public too.
    """
    gaps = KnowledgeGap.objects.published().filter(analysis__isnull=False).order_by()
    total = dict(gaps.values_list("analysis").annotate(n=Count("pk")))
    still_open = dict(gaps.open().values_list("analysis").annotate(n=Count("pk")))
    return {pk: (n, still_open.get(pk, 0)) for pk, n in total.items()}


def _public_roles():
    return Role.objects.published().for_display()


# The parts of a report page that most reports have none of: (context name, the model
# and field that point at the report, what the page shows of it). The report's query says which
# it has rows in, and only those are read: these rules nest other reports' and gap
# analyses' .published(), and building them was 12 ms of the page's 29 in Python
# (in-process, 10,000 reports), whether or not a report had any.
REPORT_PAGE_PARTS = [
    ("alignment_rows", AlignmentRow, "report", AlignmentRow.objects.all),
    ("recommendations", Recommendation, "report", Recommendation.objects.for_display),
    ("knowledge_gaps", KnowledgeGap, "report", gaps_for_display),
    ("gap_analyses", GapAnalysis, "report", GapAnalysis.objects.published),
    ("recorded_roles", Role, "latest_source", _public_roles),
]


class ReportListView(LargeListMixin, ListView):
    """Published reports, newest first, narrowed by the filters in the query string."""

    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 20
    items_by_key = partial(published_items_by_key, with_themes=True)

    def get_queryset(self):
        # Built only when the form needs it (a chosen value, or its choices computed).
        self.filter_form = ReportFilterForm(
            self.request.GET, reports=SimpleLazyObject(Report.objects.published)
        )
        self.filter_form.is_valid()
        return super().get_queryset()

    def get_list(self):
        return self.filter_form.filter(Report.objects.published()).newest_first()

    def list_key(self) -> str:
        return report_list_key(self.filter_form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class ReportDetailView(PublicItemMixin, DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"
    item_model = Report

    def get_queryset(self):
        reports = with_inferences(self.visible(Report.objects), "published_on", "themes")
        return reports.annotate(
            **{
                f"has_{name}": Exists(model.objects.filter(**{field: OuterRef("pk")}))
                for name, model, field, _ in REPORT_PAGE_PARTS
            }
        ).prefetch_related(
            published_themes(),
            "tags",
            Prefetch("authors", queryset=Person.objects.published().select_related("organisation")),
            Prefetch("organisations", queryset=Organisation.objects.published()),
        )

    def get_context_data(self, **kwargs):
        report = self.object
        others = Report.objects.published().exclude(pk=report.pk).newest_first()
        listed, listed_in = self.listed(report)
        parts = {
            name: list(shown().filter(**{field: report})) if getattr(report, f"has_{name}") else []
            for name, _, field, shown in REPORT_PAGE_PARTS
        }
        return super().get_context_data(
            **parts,
            related_reports=report_items(self.related_reports(report, others)),
            listed_reports=listed
            and report_items(others.filter(pk__in=listed)[:LISTED_REPORTS_LIMIT]),
            listed_in=listed_in
            and report_items(others.filter(pk__in=listed_in)[:LISTED_REPORTS_LIMIT]),
            **self.citation_context(report),
            **kwargs,
        )

    @staticmethod
    def listed(report) -> tuple[list, list]:
        """Keys of the reports this one lists, and of those that list it, from one query.

        Looked up first, then fetched by key: filtering the newest-first list by the link
        made SQLite walk every published report (35 ms each at 100,000 reports).
        """
        links = Report.listed_reports.through.objects.filter(
            Q(from_report=report) | Q(to_report=report)
        )
        listed, listed_in = [], []
        for source, target in links.values_list("from_report_id", "to_report_id"):
            (listed if source == report.pk else listed_in).append(
                target if source == report.pk else source
            )
        return listed, listed_in

    def citation_context(self, report) -> dict:
        """Cite this report: styled citations, downloads, meta tags and JSON-LD, one record."""
        absolute = self.request.build_absolute_uri
        url = absolute(report.get_absolute_url())
        record = citation.csl_record(report, url=url)
        pdf_url = absolute(report.get_pdf_url()) if report.has_public_pdf else None
        # citeproc takes tens of milliseconds a page: styled once per content version.
        citations = content_cached(
            f"citations:{digest(json.dumps(record, sort_keys=True))}",
            partial(citation.styled_citations, record),
        )
        return {
            "citations": citations,
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
        # The newest reports are read a few at a time and checked against the links
        # by key, until enough share something: filtering the whole list by the links
        # made PostgreSQL hash every report of the themes and tags (155 ms at 100,000
        # reports) and SQLite list them (195 ms). Where the newest few hundred share
        # too little, the whole list is filtered after all.
        found = []
        for start in range(0, RELATED_CANDIDATES * 4, RELATED_CANDIDATES):
            candidates = list(
                others.values_list("pk", flat=True)[start : start + RELATED_CANDIDATES]
            )
            sharing = sharing_theme.filter(report_id__in=candidates).values_list("report_id")
            sharing = sharing.union(
                sharing_tag.filter(object_id__in=candidates).values_list("object_id")
            )
            shared = {pk for (pk,) in sharing}
            found += [pk for pk in candidates if pk in shared]
            if len(found) >= RELATED_REPORTS_LIMIT or len(candidates) < RELATED_CANDIDATES:
                return others.filter(pk__in=found[:RELATED_REPORTS_LIMIT])
        return others.filter(
            Q(pk__in=sharing_theme.values("report_id")) | Q(pk__in=sharing_tag.values("object_id"))
        )[:RELATED_REPORTS_LIMIT]


class GapAnalysisListView(ListView):
    template_name = "reports/gapanalysis_list.html"
    context_object_name = "analyses"

    def get_queryset(self):
        return (
            GapAnalysis.objects.published()
            .select_related("report")
            .prefetch_related(published_themes())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = content_cached("gap-analysis-gap-counts", gap_counts_by_analysis)
        for analysis in context["analyses"]:
            analysis.gap_count, analysis.open_gap_count = counts.get(analysis.pk, (0, 0))
        return context


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
    return user_may_see_unpublished(user, "reports.view_report")


def user_may_see_unpublished(user, permission: str) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm(permission)


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
    return protected_file_response(
        report.pdf,
        filename=f"{report.slug}.pdf",
        content_type="application/pdf",
        staff=staff,
        missing="The file of this report is missing.",
    )


def protected_file_response(field_file, *, filename, content_type, staff, missing):
    """Send an uploaded file the caller has checked the reader may have, as an attachment."""
    prefix = settings.EMPAC_MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{field_file.name}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        try:
            handle = field_file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404(missing) from exc
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
    # A file that stops being public must not live on in shared caches.
    if staff:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt  # reads only: require_safe answers 405 to anything else
@require_safe
def recommendation_evidence(request, pk):
    """A progress update's evidence file, only while the update is public (or to staff).

    As with report PDFs, the file has no public address of its own; it is always sent
    as a download (never shown inline), so an uploaded page cannot run in the site.
    """
    staff = user_may_see_unpublished(request.user, "reports.view_recommendationupdate")
    updates = RecommendationUpdate.objects
    updates = updates.all() if staff else updates.published()
    update = get_object_or_404(updates.exclude(evidence_file=""), pk=pk)
    name = update.evidence_file_name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return protected_file_response(
        update.evidence_file,
        filename=name,
        content_type=content_type,
        staff=staff,
        missing="The evidence file of this update is missing.",
    )


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
