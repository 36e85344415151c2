import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from collaboration.models import Organisation, Person, Theme
from publishing.models import (
    Descriptor,
    Marked,
    Marking,
    Publishable,
    PublishableQuerySet,
    Sourced,
    Status,
    marking_constraints,
)

from .citation import FORMATS as CITATION_FORMATS
from .pdf import read_report_pdf
from .validators import validate_evidence_size, validate_pdf

# How many reports a page lists beside its own subject: a report's related reports, a
# partner's or a person's newest reports (with a link to the rest where there are more).
RELATED_REPORTS_LIMIT = 5
# The columns a list of reports shows; never a report's body.
LIST_FIELDS = ("id", "slug", "title", "kind", "published_on", "date_precision", "summary")
# How many words of its summary a list shows for each report.
SUMMARY_WORDS = 40


def published_one(queryset, field: str) -> Exists:
    """Whether the row that ``field`` points at is in ``queryset`` (a ``.published()`` one).

    Looked up by key for each row, rather than as ``field__in=queryset``: SQLite made
    that a list of every published report first (60 ms at 100,000 reports, each time
    a gap analysis or a knowledge gap was read).
    """
    return Exists(queryset.filter(pk=OuterRef(field)))


class ReportQuerySet(PublishableQuerySet):
    def with_public_pdf(self):
        """Reports whose file the public may have: OFFICIAL and cleared, on a public report."""
        return self.published().filter(
            pdf_marking=Marking.OFFICIAL, pdf_marking_descriptor="", pdf_cleared_at__isnull=False
        )

    def for_theme(self, theme):
        return self.filter(themes=theme)

    def newest_first(self):
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-id")


class Report(Sourced, Marked, Publishable):
    class Kind(models.TextChoices):
        INTERIM = "interim", "Interim report"
        PROGRESS = "progress", "Progress report"
        NEWS = "news", "News"
        PRESS = "press", "Press coverage"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"
        # Said of a report whose sources give no date at all, so that publishing it
        # undated is a decision, not an oversight.
        UNDATED = "undated", "Undated (no source gives a date)"

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    published_on = models.DateField(
        null=True, blank=True, help_text="Publication date, as precise as the sources allow."
    )
    date_precision = models.CharField(
        max_length=7,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date is known: a report dated “December 2020” is month.",
    )
    primary_theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_reports",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="reports")
    summary = models.TextField(blank=True, help_text="A short summary in the project’s words.")
    body = models.TextField(blank=True)
    pdf = models.FileField(
        "PDF file", upload_to="reports/%Y/", blank=True, validators=[validate_pdf]
    )
    # The attached file has its own marking and clearance: a public report's file is
    # public only when the file itself is OFFICIAL and cleared (``has_public_pdf``).
    pdf_marking = models.CharField(
        "file marking",
        max_length=20,
        choices=Marking.choices,
        default=Marking.OFFICIAL,
        db_default=Marking.OFFICIAL,
    )
    pdf_marking_descriptor = models.CharField(
        "file descriptor",
        max_length=20,
        choices=Descriptor.choices,
        blank=True,
        default="",
        db_default="",
    )
    pdf_cleared_at = models.DateTimeField(
        "file cleared for public release", null=True, blank=True, editable=False
    )
    pdf_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    pdf_size = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Bytes, recorded when the PDF is saved."
    )
    # The PDF's text, for search (reports/pdf.py), with a note for curators on what could
    # be read, and the file it was read from, so a new file is read again.
    pdf_text = models.TextField(blank=True, editable=False)
    pdf_text_note = models.CharField("PDF text", max_length=255, blank=True, editable=False)
    pdf_text_source = models.CharField(max_length=255, blank=True, editable=False)
    source_url = models.URLField("original source address", max_length=500, blank=True)
    authors = models.ManyToManyField(Person, blank=True, related_name="reports")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="reports")
    listed_reports = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="listed_in",
        help_text="Reports this item lists or links to (a news post’s report list).",
    )
    provenance = models.TextField(
        blank=True,
        help_text="What the sources say about this item where they differ or are incomplete.",
    )
    tags = TaggableManager(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_on").desc(nulls_last=True), "-id"]
        indexes = [
            models.Index(fields=["status", "-published_on", "-id"], name="report_public_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED)
                | Q(published_on__isnull=False)
                | Q(date_precision="undated"),
                name="report_published_has_date",
                violation_error_message=(
                    "A published report needs a date: give its date, or, if no source gives "
                    "one, choose “Undated” as its precision."
                ),
            ),
            *marking_constraints("report"),
            *marking_constraints("report", field="pdf_marking", publishable=False),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        report = super().from_db(db, field_names, values)
        # Whether it is public as stored: reports.counts recounts when a save changes it.
        report._counted_publicity = report.publicity()
        if "pdf_marking" in report.__dict__:
            report._loaded_pdf_marking = (report.pdf_marking, report.pdf_marking_descriptor)
        return report

    def get_preview_url(self) -> str:
        return reverse("reports:report-preview", kwargs={"slug": self.slug})

    def publicity(self) -> tuple:
        """What decides, besides the clock, whether ``.published()`` shows the report."""
        return tuple(self.__dict__.get(name) for name in ("status", "go_live_at", "expires_at"))

    def get_citation_url(self, format_name: str) -> str:
        """Where the citation downloads in one of ``reports.citation.FORMATS``."""
        extension = CITATION_FORMATS[format_name][0]
        return reverse(
            "reports:report-citation", kwargs={"slug": self.slug, "extension": extension}
        )

    def get_pdf_url(self) -> str:
        """Where the PDF is served: through a view that checks the report is public."""
        return reverse("reports:report-pdf", kwargs={"slug": self.slug})

    @property
    def has_public_pdf(self) -> bool:
        """Whether the public may have the file (the report itself being public)."""
        return bool(self.pdf) and (
            self.pdf_marking == Marking.OFFICIAL
            and not self.pdf_marking_descriptor
            and self.pdf_cleared_at is not None
        )

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_pdf_marking", None)
        if loaded is not None and loaded != (self.pdf_marking, self.pdf_marking_descriptor):
            self.pdf_cleared_at = self.pdf_cleared_by = None
        if self.pdf:
            try:
                self.pdf_size = self.pdf.size
            except (OSError, ValueError):
                self.pdf_size = None
        else:
            self.pdf_size = None
        super().save(*args, **kwargs)
        self._loaded_pdf_marking = (self.pdf_marking, self.pdf_marking_descriptor)
        if (self.pdf.name or "") != self.pdf_text_source:
            # A new file (or none): its text is read now, once it is stored.
            read_report_pdf(self)

    @property
    def date_iso(self) -> str:
        """The date for a <time datetime>, as precise as it is known."""
        return machine_date(self.published_on, self.date_precision)

    @property
    def display_date(self) -> str:
        return describe_date(self.published_on, self.date_precision)


# Looked up once: calendar.month_name formats a date for every name it is asked for.
MONTH_NAMES = tuple(calendar.month_name)


def machine_date(published_on, precision: str) -> str:
    """The date for a <time datetime>, as precise as it is known: 2015-12-02, 2020-12, 2021."""
    if not published_on or precision == Report.DatePrecision.UNDATED:
        return ""
    if precision == Report.DatePrecision.YEAR:
        return f"{published_on.year:04}"
    if precision == Report.DatePrecision.MONTH:
        return f"{published_on.year:04}-{published_on.month:02}"
    return published_on.isoformat()


def excerpt(text: str) -> str:
    """The first words of a summary, as the truncatewords filter gives them, " …" where cut.

    Split by hand: Truncator, which the filter uses, took 5 us a summary against 1.3.
    """
    found = text.split()
    if len(found) <= SUMMARY_WORDS:
        return " ".join(found)
    cut = " ".join(found[:SUMMARY_WORDS])
    return cut if cut.endswith(" …") else f"{cut} …"


def describe_date(published_on, precision: str) -> str:
    """The date as precisely as it is known: “2 December 2015”, “December 2020”, “2021”."""
    if not published_on or precision == Report.DatePrecision.UNDATED:
        return "Date not stated"
    d = published_on
    if precision == Report.DatePrecision.YEAR:
        return str(d.year)
    if precision == Report.DatePrecision.MONTH:
        return f"{MONTH_NAMES[d.month]} {d.year}"
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"


def recommendation_overdue(on) -> Q:
    """Recommendations past their target date and not yet implemented or set aside."""
    return Q(target_date__lt=on) & ~Q(status__in=Recommendation.SETTLED)


class RecommendationQuerySet(models.QuerySet):
    def published(self):
        """A recommendation has no public state of its own: it is public while its report is."""
        return self.filter(report__in=Report.objects.published())

    def overdue(self, on=None):
        return self.filter(recommendation_overdue(on or timezone.localdate()))

    def for_display(self):
        """What _recommendation_progress.html shows, in two queries whatever the count.

        Owners come with their state (a draft owner is not named); public updates come
        newest first, as ``public_updates``.
        """
        return self.select_related("owner_organisation", "owner_person").prefetch_related(
            models.Prefetch(
                "updates",
                queryset=RecommendationUpdate.objects.published().order_by("-happened_on", "-id"),
                to_attr="public_updates",
            )
        )


class Recommendation(Sourced):
    """A numbered recommendation of a report, tracked to what came of it.

    Its status is "not recorded" until a curator records one: the sources say nothing
    of how far any recommendation has gone, and the site never guesses.
    """

    class Status(models.TextChoices):
        NOT_RECORDED = "not_recorded", "Not recorded"
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"

    # Settled: nothing more is expected, so a past target date is no longer overdue.
    SETTLED = (Status.IMPLEMENTED, Status.NOT_TAKEN_FORWARD)

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=255)
    explanation = models.TextField(blank=True)
    # db_default too: bulk inserts (generate_demo_data, publishing.bulk) give no value.
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_RECORDED,
        db_default=Status.NOT_RECORDED,
        db_index=True,
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_recommendations",
        help_text="The organisation that has taken this recommendation on, if one has.",
    )
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_recommendations",
        help_text="The person who leads it, if one is named.",
    )
    target_date = models.DateField(
        null=True, blank=True, help_text="When it is due; past it and not settled, it is overdue."
    )
    status_changed_at = models.DateTimeField(
        null=True, editable=False, help_text="When the status last changed, if it has."
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="recommendation_number_unique_per_report",
                violation_error_message=(
                    "This report already has a recommendation with that number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"

    def get_absolute_url(self) -> str:
        return f"{self.report.get_absolute_url()}#recommendation-{self.number}"

    def is_overdue(self, on=None) -> bool:
        """For this recommendation, what ``recommendation_overdue()`` says in a query."""
        on = on or timezone.localdate()
        return bool(self.target_date and self.target_date < on and self.status not in self.SETTLED)

    @property
    def is_status_recorded(self) -> bool:
        return self.status != self.Status.NOT_RECORDED

    @property
    def public_owners(self) -> list:
        """The owner organisation and person, where recorded and public."""
        owners = [self.owner_organisation, self.owner_person]
        return [owner for owner in owners if owner is not None and owner.is_published()]

    @property
    def last_update(self):
        """The newest public update, from ``for_display()``'s prefetch."""
        updates = getattr(self, "public_updates", None)
        return updates[0] if updates else None

    @classmethod
    def from_db(cls, db, field_names, values):
        recommendation = super().from_db(db, field_names, values)
        recommendation._loaded_status = recommendation.__dict__.get("status")
        return recommendation

    def save(self, *args, **kwargs):
        # Each change of status is kept, dated, with who made it where the admin says.
        loaded = getattr(self, "_loaded_status", None)
        is_new = self._state.adding
        changed = (loaded is not None and loaded != self.status) or (
            is_new and self.status != self.Status.NOT_RECORDED
        )
        if changed:
            self.status_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "status_changed_at"}
        super().save(*args, **kwargs)
        if changed:
            RecommendationStatusChange.objects.create(
                recommendation=self,
                old_status=loaded or "",
                new_status=self.status,
                changed_at=self.status_changed_at,
                changed_by=getattr(self, "_changed_by", None),
            )
        self._loaded_status = self.status


class RecommendationStatusChange(models.Model):
    """One change of a recommendation's status: the history is never rewritten."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(
        max_length=20, choices=Recommendation.Status.choices, blank=True, editable=False
    )
    new_status = models.CharField(
        max_length=20, choices=Recommendation.Status.choices, editable=False
    )
    changed_at = models.DateTimeField(editable=False, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["recommendation", "-changed_at", "-id"]
        get_latest_by = "changed_at"

    def __str__(self) -> str:
        before = self.get_old_status_display() or "new"
        return f"{before} → {self.get_new_status_display()}"


class RecommendationUpdateQuerySet(PublishableQuerySet):
    def published(self):
        """Public updates of public recommendations (those of public reports)."""
        return super().published().filter(recommendation__in=Recommendation.objects.published())


EVIDENCE_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt", "png", "jpg", "jpeg"]


class RecommendationUpdate(Publishable):
    """A dated account of progress on a recommendation, with its evidence.

    The evidence is words, a link, a file, or any of them. A file is never given a
    public address: ``reports.views.recommendation_evidence`` serves it while the update
    is public.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    happened_on = models.DateField("date", help_text="When this happened, or was reported.")
    summary = models.TextField(help_text="What happened, in plain words.")
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    evidence_file = models.FileField(
        upload_to="recommendation-evidence/%Y/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size],
        help_text=f"A document that shows it ({', '.join(EVIDENCE_EXTENSIONS)}).",
    )

    objects = RecommendationUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "-happened_on", "-id"]
        indexes = [
            models.Index(
                fields=["recommendation", "status", "-happened_on"], name="recupdate_latest"
            )
        ]
        verbose_name = "progress update"

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.summary[:60]}"

    def get_evidence_file_url(self) -> str:
        return reverse("reports:recommendation-evidence", kwargs={"pk": self.pk})

    @property
    def evidence_file_name(self) -> str:
        return self.evidence_file.name.rsplit("/", 1)[-1] if self.evidence_file else ""


class AlignmentRow(Sourced):
    """A row of a report's “alignment of effort and evidence opportunities” table."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="alignment_rows")
    position = models.PositiveSmallIntegerField(default=0)
    approach = models.CharField(max_length=255)
    activity = models.TextField()
    asset = models.TextField(help_text="Who or what can supply the evidence or effort.")

    class Meta:
        ordering = ["report", "position", "id"]
        verbose_name = "alignment of effort and evidence row"

    def __str__(self) -> str:
        return self.approach


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
        return reverse("reports:gapanalysis-detail", kwargs={"slug": self.slug})

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


class KnowledgeGapQuerySet(models.QuerySet):
    def published(self):
        """Public while what it comes from is (its analysis, or for a gap in none, its report),
        and only while OFFICIAL and cleared for public release itself."""
        return self.filter(
            published_one(GapAnalysis.objects.published(), "analysis")
            | Q(analysis__isnull=True) & published_one(Report.objects.published(), "report"),
            marking=Marking.OFFICIAL,
            cleared_at__isnull=False,
        )

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
    """An open question: something policing does not yet know."""

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
    updated_at = models.DateTimeField(auto_now=True)

    objects = KnowledgeGapQuerySet.as_manager()

    class Meta:
        ordering = ["analysis", "report_id", "position", "id"]
        constraints = marking_constraints("knowledgegap", publishable=False)

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
        """Where the question was raised: its gap analysis or, in none, its report."""
        return self.analysis if self.analysis_id else self.report

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
        """The gap where its page lists it: its analysis's page, or else its report's."""
        source = self.analysis if self.analysis_id else self.report
        return f"{source.get_absolute_url()}#gap-{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        gap = super().from_db(db, field_names, values)
        gap._loaded_status = gap.__dict__.get("status")
        return gap

    def clean(self):
        if self.analysis_id is None and self.report_id is None:
            raise ValidationError(
                {"analysis": "Choose the gap analysis, or else the report, that raises this gap."}
            )
        closed = (self.Status.ANSWERED, self.Status.SUPERSEDED)
        if self.status not in closed and (
            self.answer.strip() or self.answered_by_id or self.answer_url
        ):
            raise ValidationError(
                {"status": "A gap with an answer recorded is answered: set its status so."}
            )


class ThemeReportCount(models.Model):
    """How many published reports a theme has.

    Kept by ``reports.counts`` as reports are published, unpublished, deleted and
    re-linked, so the home page and the themes index read six counts by key instead of
    counting every report's themes: 250 ms a page at 100,000 reports.
    """

    theme = models.OneToOneField(
        Theme, primary_key=True, on_delete=models.CASCADE, related_name="report_tally"
    )
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.theme}: {self.count} published reports"
