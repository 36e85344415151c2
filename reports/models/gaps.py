"""Gap analyses, their comparison rows, and the knowledge gaps they and reports raise."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Theme
from publishing.links import slug_url
from publishing.models import (
    ClockNow,
    Marked,
    Marking,
    PublicRuleQuerySet,
    Publishable,
    PublishableQuerySet,
    Sourced,
    live_at,
    marking_constraints,
    published_one,
)
from publishing.models import (
    Status as WorkflowStatus,
)

from .reports import Report


class GapAnalysisQuerySet(PublishableQuerySet):
    def published(self):
        # An analysis drawn from a report is public only while that report is.
        return (
            super()
            .published()
            .filter(Q(report__isnull=True) | published_one(Report.objects.published(), "report"))
        )


class GapAnalysis(Sourced, Marked, Publishable):
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gap_analyses",
        help_text="The report this analysis comes from.",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="gap_analyses")
    summary = models.TextField(blank=True)
    table_caption = models.CharField(
        max_length=255, blank=True, help_text="Caption of the comparison table."
    )
    first_side = models.CharField(
        max_length=80, help_text="Heading of the first compared column, e.g. “Police”."
    )
    second_side = models.CharField(
        max_length=80, help_text="Heading of the second compared column, e.g. “OCG”."
    )

    objects = GapAnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "gap analyses"
        constraints = marking_constraints("gapanalysis")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("reports:gapanalysis-detail", self.slug)

    def get_preview_url(self) -> str:
        return reverse("reports:gapanalysis-preview", kwargs={"slug": self.slug})


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("·•-–").strip() for line in text.splitlines() if line.strip()]


class ComparisonRow(Sourced):
    analysis = models.ForeignKey(
        GapAnalysis, on_delete=models.CASCADE, related_name="comparison_rows"
    )
    position = models.PositiveSmallIntegerField(default=0)
    dimension = models.CharField(max_length=120)
    first_side_items = models.TextField(help_text="One characteristic per line.")
    second_side_items = models.TextField(help_text="One characteristic per line.")

    class Meta:
        ordering = ["analysis", "position", "id"]

    def __str__(self) -> str:
        return self.dimension

    @property
    def first_side_list(self) -> list[str]:
        return _lines(self.first_side_items)

    @property
    def second_side_list(self) -> list[str]:
        return _lines(self.second_side_items)


class KnowledgeGapQuerySet(PublicRuleQuerySet):
    def published(self):
        """Public while what it comes from is (its analysis, or for a gap in none, its report;
        a gap recorded on its own, by its own workflow state), and only while OFFICIAL and
        cleared for public release itself."""
        alone = Q(analysis__isnull=True, report__isnull=True)
        return self.filter(
            published_one(GapAnalysis.objects.published(), "analysis")
            | Q(analysis__isnull=True) & published_one(Report.objects.published(), "report")
            | alone & live_at(ClockNow(), field=KnowledgeGap.workflow_field, scheduled=False),
            marking=Marking.OFFICIAL,
            cleared_at__isnull=False,
        )

    def alone(self):
        """Gaps recorded on their own: in no gap analysis and raised by no report."""
        return self.filter(analysis__isnull=True, report__isnull=True)

    def open(self):
        """Gaps not recorded as answered or superseded.

        A gap whose status is not recorded counts as open: its question stands until
        someone records an answer, and pages show its status as not recorded.
        """
        return self.exclude(
            status__in=[KnowledgeGap.Status.ANSWERED, KnowledgeGap.Status.SUPERSEDED]
        )

    def in_themes(self, themes):
        """Gaps about any of these themes (see ``about_theme``)."""
        return self.filter(
            Q(theme__in=themes) | Q(theme__isnull=True, analysis__themes__in=themes)
        ).distinct()


def about_theme(theme) -> Q:
    """A gap is about a theme through its own theme or, having none, its analysis's themes.

    ``theme`` may be a Theme, its key, or an OuterRef, for counting per theme.
    """
    return Q(theme=theme) | Q(theme__isnull=True, analysis__themes=theme)


class KnowledgeGap(Sourced, Marked):
    """An open question: something policing does not yet know.

    Raised in a gap analysis or a report, it is public with that; recorded on its own,
    it moves through the editorial workflow itself (``workflow_status``: draft, in review,
    published, withdrawn), since its ``status`` says how far research on it has gone.
    """

    workflow_field = "workflow_status"

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        SCOPED = "scoped", "Scoped"
        BEING_RESEARCHED = "being_researched", "Being researched"
        ANSWERED = "answered", "Answered"
        SUPERSEDED = "superseded", "Superseded"
        # For a gap whose source says nothing of how far work on it has gone.
        NOT_RECORDED = "not_recorded", "Status not recorded"

    analysis = models.ForeignKey(
        GapAnalysis,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_gaps",
        help_text="The gap analysis that raises this question, if any.",
    )
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_gaps",
        help_text="For a gap raised outside any gap analysis: the report or post that raises it.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=255)
    detail = models.TextField(blank=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="knowledge_gaps"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.IDENTIFIED, db_index=True
    )
    # Empty for gaps recorded before these were kept: when they began is not recorded.
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    status_changed_at = models.DateTimeField(
        null=True, editable=False, help_text="When the status last changed, if it has."
    )
    raised_on = models.DateField(
        "raised on",
        null=True,
        blank=True,
        help_text="When the question was raised, if known; empty: the date of its source.",
    )
    answer = models.TextField(
        blank=True, help_text="For an answered gap: what is now known, in a few sentences."
    )
    answered_by = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_gaps",
        help_text="For an answered gap: the report that answers it, if it is one of ours.",
    )
    answer_url = models.URLField(
        "answering paper address",
        max_length=500,
        blank=True,
        help_text="For an answered gap: the paper or page elsewhere that answers it.",
    )
    workflow_status = models.CharField(
        "workflow state",
        max_length=10,
        choices=WorkflowStatus.choices,
        default=WorkflowStatus.DRAFT,
        db_index=True,
        help_text=(
            "For a gap recorded on its own (no gap analysis, no report): published, it is "
            "public. A gap raised in an analysis or a report is public with it instead."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = KnowledgeGapQuerySet.as_manager()

    class Meta:
        ordering = ["analysis", "report_id", "position", "id"]
        constraints = marking_constraints("knowledgegap", state="workflow_status")

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        # Followers of the knowledge gaps feed hear of each change of status.
        loaded = getattr(self, "_loaded_status", None)
        if loaded is not None and loaded != self.status:
            self.status_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "status_changed_at"}
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @property
    def source(self):
        """Where the question was raised: its gap analysis or, in none, its report (None for
        a gap recorded on its own)."""
        return self.analysis if self.analysis_id else self.report

    @property
    def is_alone(self) -> bool:
        return self.analysis_id is None and self.report_id is None

    @property
    def source_report(self):
        return self.analysis.report if self.analysis_id else self.report

    @property
    def raised_date(self):
        """When it was raised: as recorded, else its source report's date (None: unknown)."""
        if self.raised_on:
            return self.raised_on
        report = self.source_report
        return report.published_on if report is not None else None

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.ANSWERED, self.Status.SUPERSEDED)

    def get_absolute_url(self) -> str:
        """The gap where its page lists it: its analysis's page, or else its report's; a gap
        recorded on its own, its page in the register."""
        if self.is_alone:
            return reverse("agenda:gap-detail", kwargs={"pk": self.pk})
        return f"{self.source.get_absolute_url()}#gap-{self.pk}"

    def get_preview_url(self) -> None:
        return None

    @classmethod
    def from_db(cls, db, field_names, values):
        gap = super().from_db(db, field_names, values)
        gap._loaded_status = gap.__dict__.get("status")
        return gap

    def clean(self):
        closed = (self.Status.ANSWERED, self.Status.SUPERSEDED)
        if self.status not in closed and (
            self.answer.strip() or self.answered_by_id or self.answer_url
        ):
            raise ValidationError(
                {"status": "A gap with an answer recorded is answered: set its status so."}
            )
