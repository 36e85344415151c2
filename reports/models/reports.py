"""Reports, the rows of their alignment tables, and the kept counts of them per theme."""

import calendar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from taggit.managers import TaggableManager

from collaboration.models import Organisation, Person, Theme
from publishing.links import slug_url
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

from ..citation import FORMATS as CITATION_FORMATS
from ..pdf import read_report_pdf
from ..validators import validate_pdf

# How many reports a page lists beside its own subject: a report's related reports, a
# partner's or a person's newest reports (with a link to the rest where there are more).
RELATED_REPORTS_LIMIT = 5
# The columns a list of reports shows; never a report's body.
LIST_FIELDS = ("id", "slug", "title", "kind", "published_on", "date_precision", "summary")
# How many words of its summary a list shows for each report.
SUMMARY_WORDS = 40


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
            # The schedule columns too, so that a list's keys (publishing.pagination) are
            # read from the index alone: fetching every report's row for them made a
            # theme's 26,000 keys take 452 ms CPU on SQLite at 100,000 reports, 85 ms so.
            models.Index(
                fields=["status", "-published_on", "-id", "go_live_at", "expires_at"],
                name="report_public_order",
            ),
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
        return slug_url("reports:report-detail", self.slug)

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
