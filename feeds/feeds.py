"""Atom feeds (django.contrib.syndication): all reports, each theme's reports, knowledge gaps.

Every feed reads through ``.published()``; a feed lists a bounded number of the newest
entries, so its cost never grows with the catalogue.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from collaboration.models import Person, Theme, person_name
from impact.models import ImpactEntry
from publishing.links import slug_url
from publishing.models import published_one
from reports.items import published_theme_names
from reports.models import KnowledgeGap, Report, describe_date

FEED_LENGTH = 50


def _midnight(day):
    """A date as the start of that day in the site's time zone (Atom wants a time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def tag_uri(request, specific: str) -> str:
    """A permanent Atom id (RFC 4151 tag URI) that does not change if an address does."""
    return f"tag:{request.get_host().split(':')[0]},2015:{specific}"


class Atom(Atom1Feed):
    """Atom with an ``<author>`` for each of an entry's authors (``author_names``).

    RFC 4287 gives an entry as many authors as it has; Django's generator writes one
    name, so several people ran together as one author ("A, B") in feed readers.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("author_names", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class AtomFeed(Feed):
    feed_type = Atom

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def feed_guid(self, obj):
        return tag_uri(self.request, self.feed_name(obj))

    def author_name(self):
        return settings.SITE_NAME


class ReportsFeed(AtomFeed):
    title = f"Reports – {settings.SITE_NAME}"
    subtitle = "New and updated reports of the East Midlands serious and organised crime research."

    def feed_name(self, obj):
        return "reports"

    def link(self):
        return reverse("reports:report-list")

    def reports(self):
        return Report.objects.published().newest_first()

    def items(self):
        return report_items(self.reports())

    def item_title(self, report):
        return report.title

    def item_description(self, report):
        return report.description

    def item_link(self, report):
        return report.link

    def item_guid(self, report):
        return tag_uri(self.request, f"report:{report.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, report):
        return _midnight(report.published_on)

    def item_updateddate(self, report):
        return report.updated_at

    def item_extra_kwargs(self, report):
        return {"author_names": report.authors}

    def item_categories(self, report):
        return report.categories


@dataclass(frozen=True)
class ReportItem:
    """What a feed entry shows of a report: plain values, not a model instance."""

    pk: int
    title: str
    description: str
    link: str
    published_on: datetime.date | None
    updated_at: datetime.datetime
    authors: tuple[str, ...]
    categories: list[str]


def report_items(reports) -> list[ReportItem]:
    """The newest ``FEED_LENGTH`` of ``reports`` (public ones), with their public authors
    and themes, from three queries of plain values.

    Instances with prefetched themes and authors (some 250 model instances for 50
    entries) were most of the feed's 17.6 ms first render at 100,000 reports
    (in-process, PostgreSQL).
    """
    fields = ("pk", "slug", "title", "summary", "kind", "published_on", "date_precision")
    rows = list(reports.values_list(*fields, "updated_at")[:FEED_LENGTH])
    keys = [row[0] for row in rows]
    theme_links = Report.themes.through.objects.filter(report_id__in=keys)
    linked = defaultdict(set)
    for report, theme in theme_links.values_list("report_id", "theme_id"):
        linked[report].add(theme)
    authors = defaultdict(list)
    author_links = (
        Report.authors.through.objects.filter(report_id__in=keys)
        .filter(published_one(Person.objects.published(), "person"))
        .order_by("person__name", "person_id")
    )
    for report, honorific, name in author_links.values_list(
        "report_id", "person__honorific", "person__name"
    ):
        authors[report].append(person_name(honorific, name))
    themes = published_theme_names()  # in the themes' order, public ones only
    kinds = dict(Report.Kind.choices)
    return [
        ReportItem(
            pk=pk,
            title=title,
            description=summary
            or f"{kinds.get(kind, kind)}, {describe_date(published_on, precision)}.",
            link=slug_url("reports:report-detail", slug),
            # <published> is a moment: a date known only to the month or the year would
            # read as its first day, so only a known day is given (<updated> stays).
            published_on=published_on if precision == Report.DatePrecision.DAY else None,
            updated_at=updated_at,
            authors=tuple(authors[pk]),
            categories=[name for theme, name in themes if theme in linked[pk]],
        )
        for pk, slug, title, summary, kind, published_on, precision, updated_at in rows
    ]


class ThemeReportsFeed(ReportsFeed):
    def get_object(self, request, slug):
        theme = Theme.objects.published().filter(slug=slug).first()
        if theme is None:
            raise Http404("No published theme has that address.")
        return theme

    def feed_name(self, theme):
        return f"theme:{theme.pk}"

    def title(self, theme):
        return f"{theme.short_name}: reports – {settings.SITE_NAME}"

    def subtitle(self, theme):
        return f"New and updated reports on {theme.full_name}."

    def link(self, theme):
        return theme.get_absolute_url()

    def items(self, theme):
        return report_items(self.reports().for_theme(theme))


class KnowledgeGapsFeed(AtomFeed):
    """New knowledge gaps, and each change of a gap's status, newest first.

    A gap whose status changed is a new entry (its id names the status and the time of
    the change), so feed readers show the change as news rather than as a quiet edit.
    """

    title = f"Knowledge gaps – {settings.SITE_NAME}"
    subtitle = "New questions policing cannot yet answer, and changes in their status."

    def feed_name(self, obj):
        return "knowledge-gaps"

    def link(self):
        return reverse("agenda:gap-list")

    def items(self):
        # A change of status comes after the gap was recorded; unknown dates fall back.
        happened = Coalesce("status_changed_at", "created_at", "updated_at")
        return (
            KnowledgeGap.objects.published()
            .select_related("analysis", "report")
            .prefetch_related(None)
            .annotate(happened_at=happened)
            .order_by("-happened_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, gap):
        if gap.status_changed_at:
            return f"Now {gap.get_status_display().lower()}: {gap.question}"
        return f"New knowledge gap: {gap.question}"

    def item_description(self, gap):
        source = gap.source
        origin = f"From {source.title}." if source else "Recorded on its own in the register."
        parts = [f"Status: {gap.get_status_display()}.", origin]
        if gap.detail:
            parts.insert(0, gap.detail)
        return " ".join(parts)

    def item_link(self, gap):
        # The gap's own page in the register (its history, who works on it, "I could
        # help"), not its line on the page of the analysis or report it came from.
        return reverse("agenda:gap-detail", kwargs={"pk": gap.pk})

    def item_guid(self, gap):
        if gap.status_changed_at:
            changed = int(gap.status_changed_at.timestamp())
            return tag_uri(self.request, f"knowledge-gap:{gap.pk}:{gap.status}:{changed}")
        return tag_uri(self.request, f"knowledge-gap:{gap.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, gap):
        return gap.happened_at

    def item_updateddate(self, gap):
        return gap.updated_at


class ImpactFeed(AtomFeed):
    """The impact log: what changed in practice, newest first."""

    title = f"Impact log – {settings.SITE_NAME}"
    subtitle = "What changed in practice: trials run, policies changed, funding won, papers."

    def feed_name(self, obj):
        return "impact"

    def link(self):
        return reverse("impact:entry-list")

    def items(self):
        return (
            ImpactEntry.objects.published()
            .newest_first()
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.published()))[:FEED_LENGTH]
        )

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return f"{entry.get_kind_display()}. {entry.description}"

    def item_link(self, entry):
        return entry.get_absolute_url()

    def item_guid(self, entry):
        return tag_uri(self.request, f"impact:{entry.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return _midnight(entry.happened_on)

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_categories(self, entry):
        return [theme.short_name for theme in entry.themes.all()]
