from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from publishing.admin import (
    InferenceFilter,
    MarkedAdmin,
    MarkingMixin,
    ProvenanceInline,
    WorkflowInlineMixin,
)
from publishing.history import HistoryAdmin
from publishing.markdown import FORMATTING_HINT, render_markdown
from publishing.models import Marking, Status
from publishing.review import ChildReview, DraftRowsInline, ReviewMixin

from .forms import RecommendationFormSet
from .models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    RecommendationStatusChange,
    RecommendationUpdate,
    Report,
)


class PublishedYearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates("published_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


# Sized so a row of each table fits the change form on a 1280 px screen beside the
# admin's navigation (tests/browser/test_report_admin_layout.py measures it); the
# text areas still grow by dragging their corner.
NARROW_TEXT = {
    models.CharField: {"widget": forms.TextInput(attrs={"size": 28})},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 44})},
    models.PositiveSmallIntegerField: {"widget": forms.NumberInput(attrs={"class": "vSmallField"})},
}


class RecommendationInline(admin.StackedInline):
    """Stacked, two fields a line: with its owners and target date a recommendation's row
    ran to 2,078 px as a table, wider than a 1280 px screen."""

    model = Recommendation
    formset = RecommendationFormSet
    extra = 0
    fields = [
        ("number", "heading"),
        "explanation",
        ("status", "target_date"),
        ("owner_organisation", "owner_person"),
    ]
    autocomplete_fields = ["owner_organisation", "owner_person"]
    # Progress updates and the status history are on the recommendation's own page.
    show_change_link = True
    formfield_overrides = NARROW_TEXT


class AlignmentRowInline(admin.TabularInline):
    model = AlignmentRow
    extra = 0
    fields = ["position", "approach", "activity", "asset"]
    formfield_overrides = {
        **NARROW_TEXT,
        models.CharField: {"widget": forms.TextInput(attrs={"size": 18})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 26})},
    }
    verbose_name_plural = "alignment of effort and evidence table"


@admin.register(Report)
class ReportAdmin(MarkedAdmin):
    list_display = [
        "title",
        "kind",
        "date_shown",
        "primary_theme",
        "status",
        "marking",
        "pdf_file_size",
        "updated_at",
    ]
    list_filter = [
        "status",
        "marking",
        "kind",
        PublishedYearFilter,
        ("themes", admin.RelatedOnlyFieldListFilter),
        ("organisations", admin.RelatedOnlyFieldListFilter),
        InferenceFilter,
    ]
    search_fields = ["title", "summary", "provenance", "tags__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["primary_theme", "themes", "authors", "organisations", "listed_reports"]
    list_select_related = ["primary_theme"]
    readonly_fields = [
        "pdf_file_size",
        "pdf_text_note",
        "pdf_release",
        "body_preview",
        "created_at",
        "updated_at",
    ]
    inlines = [RecommendationInline, AlignmentRowInline, ProvenanceInline]
    actions = [*MarkedAdmin.actions, "clear_file_for_release"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status"]}),
        ("Handling", {"fields": [("marking", "marking_descriptor"), "release"]}),
        ("Date", {"fields": [("published_on", "date_precision")]}),
        ("Themes and tags", {"fields": ["primary_theme", "themes", "tags"]}),
        ("Content", {"fields": ["summary", "body", "body_preview"]}),
        (
            "Document",
            {
                "fields": [
                    "pdf",
                    ("pdf_marking", "pdf_marking_descriptor"),
                    "pdf_release",
                    "pdf_file_size",
                    "pdf_text_note",
                    "source_url",
                ]
            },
        ),
        ("People and organisations", {"fields": ["authors", "organisations"]}),
        ("Related", {"fields": ["listed_reports", "provenance"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["js/markdown-preview.js"]

    def get_urls(self):
        preview = path(
            "preview-text/",
            self.admin_site.admin_view(self.preview_text_view),
            name="reports_report_preview_text",
        )
        return [preview, *super().get_urls()]

    def preview_text_view(self, request):
        """POST text: the sanitised HTML readers would see (the form's Preview button)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("text", "")))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.help_text = FORMATTING_HINT
            field.widget.attrs["data-markdown-preview"] = reverse(
                "admin:reports_report_preview_text"
            )
        return field

    @admin.display(description="Preview of the text as saved")
    def body_preview(self, obj):
        if obj is None or not obj.body.strip():
            return "Nothing yet: save the report to see its text as readers will."
        return format_html(
            '<div class="empac-markdown-preview">{}</div>', render_markdown(obj.body)
        )

    @admin.display(description="Date", ordering="published_on")
    def date_shown(self, obj) -> str:
        return obj.display_date

    @admin.display(description="PDF size", ordering="pdf_size")
    def pdf_file_size(self, obj) -> str:
        return filesizeformat(obj.pdf_size) if obj.pdf_size is not None else "–"

    @admin.display(description="file cleared for public release")
    def pdf_release(self, obj) -> str:
        if obj.pdf_cleared_at is None:
            return "Not cleared: only signed-in staff can download the file"
        who = obj.pdf_cleared_by.get_username() if obj.pdf_cleared_by else "seed/migration"
        return f"By {who}, {obj.pdf_cleared_at:%d %b %Y %H:%M} (UTC)"

    @admin.action(
        description="Clear the files of selected reports for public release",
        permissions=["publish"],
    )
    def clear_file_for_release(self, request, queryset):
        cleared = 0
        for report in queryset.exclude(pdf=""):
            if report.pdf_marking != Marking.OFFICIAL:
                continue
            report.pdf_cleared_at, report.pdf_cleared_by = timezone.now(), request.user
            report.save(update_fields=["pdf_cleared_at", "pdf_cleared_by", "updated_at"])
            cleared += 1
        self.message_user(
            request,
            f"{cleared} file(s) cleared for public release by you, now. Files marked "
            "OFFICIAL-SENSITIVE are never cleared.",
            messages.SUCCESS if cleared else messages.WARNING,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "pdf" in form.changed_data and obj.pdf and not obj.pdf_text:
            # Kept all the same: the file is the document; only search cannot see inside.
            self.message_user(request, f"The PDF was saved. {obj.pdf_text_note}", messages.WARNING)

    def save_formset(self, request, form, formset, change):
        if formset.model is Recommendation:
            for inline_form in formset.forms:
                inline_form.instance._changed_by = request.user  # for the status history
        super().save_formset(request, form, formset, change)

    def after_save_related(self, report) -> None:
        # The primary theme is one of the report's themes, so theme pages list the report.
        if report.primary_theme_id:
            report.themes.add(report.primary_theme_id)


class ComparisonRowInline(admin.StackedInline):
    model = ComparisonRow
    extra = 0
    fields = ["position", "dimension", ("first_side_items", "second_side_items")]


class KnowledgeGapInline(MarkingMixin, admin.StackedInline):
    model = KnowledgeGap
    extra = 0
    fields = [
        ("position", "status"),
        ("marking", "marking_descriptor"),
        "question",
        "detail",
        "theme",
    ]
    autocomplete_fields = ["theme"]


@admin.register(GapAnalysis)
class GapAnalysisAdmin(MarkedAdmin):
    list_display = [
        "title",
        "report",
        "comparison",
        "gap_count",
        "status",
        "on_the_site",
        "updated_at",
    ]
    list_filter = [
        "status",
        ("themes", admin.RelatedOnlyFieldListFilter),
        ("report", admin.RelatedOnlyFieldListFilter),
        InferenceFilter,
    ]
    search_fields = ["title", "summary", "report__title", "knowledge_gaps__question"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["report", "themes"]
    list_select_related = ["report"]
    inlines = [ComparisonRowInline, KnowledgeGapInline, ProvenanceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "report", "themes"]}),
        ("Handling", {"fields": [("marking", "marking_descriptor"), "release"]}),
        ("Summary", {"fields": ["summary"]}),
        ("Comparison table", {"fields": ["table_caption", ("first_side", "second_side")]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # A subquery, not Count("knowledge_gaps"): searching and filtering add joins that
        # would multiply a joined count.
        gaps = (
            KnowledgeGap.objects.filter(analysis=OuterRef("pk"))
            .order_by()
            .values("analysis")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(gap_count=Coalesce(Subquery(gaps), 0))

    def clear(self, obj, user) -> None:
        # Its OFFICIAL knowledge gaps are released with it: they show on its page.
        super().clear(obj, user)
        for gap in obj.knowledge_gaps.filter(marking=Marking.OFFICIAL, cleared_at=None):
            gap.clear_for_release(user)
            gap.save(update_fields=["cleared_at", "cleared_by", "cleared_note", "updated_at"])

    @admin.display(boolean=True, description="On the site")
    def on_the_site(self, obj) -> bool:
        return obj.is_published() and (obj.report is None or obj.report.is_published())

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        super().publish(request, queryset)
        hidden = queryset.exclude(pk__in=GapAnalysis.objects.published().values("pk")).count()
        if hidden:
            self.message_user(
                request,
                f"{hidden} of the selected gap analyses still do not show on the site: "
                "their report is a draft. Publish the report too.",
                messages.WARNING,
            )

    @admin.display(description="Compares")
    def comparison(self, obj) -> str:
        return f"{obj.first_side} / {obj.second_side}"

    @admin.display(description="Knowledge gaps", ordering="gap_count")
    def gap_count(self, obj) -> int:
        return obj.gap_count


class RecordedAloneFilter(admin.SimpleListFilter):
    title = "raised in"
    parameter_name = "raised_in"

    def lookups(self, request, model_admin):
        return [("alone", "Recorded on its own"), ("source", "A gap analysis or report")]

    def queryset(self, request, queryset):
        alone = KnowledgeGap.objects.alone().values("pk")
        if self.value() == "alone":
            return queryset.filter(pk__in=alone)
        if self.value() == "source":
            return queryset.exclude(pk__in=alone)
        return queryset


@admin.register(KnowledgeGap)
class KnowledgeGapAdmin(ChildReview, MarkedAdmin):
    """The gap list on its own, so curators can work down the open questions.

    A gap recorded on its own (no analysis, no report) goes through the workflow itself:
    curators send it for review, editors clear it for release and publish it. A gap of a
    published analysis or report is public with it, so a curator's edit of it waits.
    """

    review_parents = ("analysis", "report")

    list_display = [
        "question",
        "analysis",
        "report",
        "theme",
        "status",
        "workflow_status",
        "on_the_site",
        "marking",
        "updated_at",
    ]
    list_editable = ["status"]
    list_filter = [
        "status",
        RecordedAloneFilter,
        "workflow_status",
        ("theme", admin.RelatedOnlyFieldListFilter),
        ("analysis", admin.RelatedOnlyFieldListFilter),
        ("report", admin.RelatedOnlyFieldListFilter),
        InferenceFilter,
    ]
    search_fields = ["question", "detail", "analysis__title", "report__title"]
    autocomplete_fields = ["analysis", "report", "theme", "answered_by"]
    list_select_related = ["analysis", "report", "theme"]
    readonly_fields = ["created_at", "status_changed_at", "updated_at"]
    # No schedule, no preview; its status_changed_at is the research status's.
    schedule_fields = []
    workflow_readonly_fields = ["workflow_history", "release"]
    fieldsets = [
        (None, {"fields": [("analysis", "report"), "position", "question", "detail", "theme"]}),
        ("Status", {"fields": ["status", "raised_on", ("created_at", "status_changed_at")]}),
        (
            "Answer",
            {
                "fields": ["answer", "answered_by", "answer_url"],
                "description": "For an answered gap: what answers it. Public pages say so.",
            },
        ),
        ("Handling", {"fields": [("marking", "marking_descriptor"), "release"]}),
        (
            "Workflow (a gap recorded on its own)",
            {
                "fields": ["workflow_status", "workflow_history"],
                "description": (
                    "Leave the gap analysis and report empty to record a gap on its own: it is "
                    "public once an editor clears it for release and publishes it. A gap in an "
                    "analysis or a report is public with it, whatever its state here."
                ),
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]
    inlines = [ProvenanceInline]

    def get_queryset(self, request):
        public = KnowledgeGap.objects.published().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(is_public=Exists(public))

    @admin.display(boolean=True, description="On the site", ordering="is_public")
    def on_the_site(self, obj) -> bool:
        return obj.is_public

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        super().publish(request, queryset)
        sourced = queryset.exclude(pk__in=KnowledgeGap.objects.alone().values("pk")).count()
        if sourced:
            self.message_user(
                request,
                f"{sourced} of the selected knowledge gaps are raised in a gap analysis or a "
                "report: they are public with it, whatever their own state.",
                messages.WARNING,
            )


class RecommendationUpdateInline(DraftRowsInline, WorkflowInlineMixin, admin.StackedInline):
    model = RecommendationUpdate
    extra = 0
    fields = [
        ("happened_on", "status"),
        "summary",
        "evidence_url",
        "evidence_file",
        "evidence_download",
    ]
    readonly_fields = ["evidence_download"]
    verbose_name_plural = "progress updates (drafts show nowhere until published)"

    @admin.display(description="evidence file as readers get it")
    def evidence_download(self, obj) -> str:
        # The file's own storage address is never served (MEDIA_URL answers 404).
        if not obj.pk or not obj.evidence_file:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', obj.get_evidence_file_url(), obj.evidence_file_name
        )


class RecommendationStatusChangeInline(admin.TabularInline):
    """The status history: read only, since it is the record of what was said when."""

    model = RecommendationStatusChange
    extra = 0
    fields = ["changed_at", "old_status", "new_status", "changed_by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class UpdatesWaitingFilter(admin.SimpleListFilter):
    """Recommendations with progress updates in a state, as the admin home links to them."""

    title = "progress updates"
    parameter_name = "updates__status"  # staff.dashboard builds this lookup

    def lookups(self, request, model_admin):
        return [(Status.IN_REVIEW, "Some in review"), (Status.DRAFT, "Some drafts")]

    def queryset(self, request, queryset):
        if self.value() in (Status.IN_REVIEW, Status.DRAFT):
            waiting = RecommendationUpdate.objects.filter(status=self.value())
            return queryset.filter(pk__in=waiting.values("recommendation"))
        return queryset


@admin.register(Recommendation)
class RecommendationAdmin(ChildReview, ReviewMixin, HistoryAdmin):
    """A recommendation is public with its report: while the report is published, a
    curator's edit here waits for an editor, and new progress updates are drafts."""

    review_parents = ("report",)
    own_workflow = False
    list_display = [
        "number",
        "heading",
        "report",
        "status",
        "owner_organisation",
        "target_date",
        "overdue",
    ]
    list_display_links = ["number", "heading"]
    list_filter = [
        "status",
        UpdatesWaitingFilter,
        ("report", admin.RelatedOnlyFieldListFilter),
        ("owner_organisation", admin.RelatedOnlyFieldListFilter),
        InferenceFilter,
    ]
    search_fields = ["heading", "explanation", "report__title"]
    inlines = [RecommendationUpdateInline, RecommendationStatusChangeInline, ProvenanceInline]
    autocomplete_fields = ["report", "owner_organisation", "owner_person"]
    list_select_related = ["report", "owner_organisation"]
    ordering = ["report__title", "number"]
    readonly_fields = ["status_changed_at"]
    fieldsets = [
        (None, {"fields": ["report", "number", "heading", "explanation"]}),
        (
            "Progress",
            {
                "fields": [
                    ("status", "status_changed_at"),
                    ("owner_organisation", "owner_person"),
                    "target_date",
                ],
                "description": (
                    "Leave the status “not recorded” unless a source or a partner says how "
                    "far this has gone; each change is kept in the status history."
                ),
            },
        ),
    ]

    @admin.display(boolean=True, description="Overdue")
    def overdue(self, obj) -> bool:
        return obj.is_overdue()

    def save_model(self, request, obj, form, change):
        obj._changed_by = request.user  # for the status history
        super().save_model(request, obj, form, change)

    def before_applied_save(self, obj, by) -> None:
        obj._changed_by = by  # the status history names the editor who applied it
