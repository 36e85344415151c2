"""Coverage at a glance: for each public theme, who is active on it and what is still open.

Computed in a fixed number of queries whatever the size of the catalogue (pairs of keys,
gathered here), and cached per content version and day by the views. Everything counted
is public: each kind of item is read through its own ``.published()``.

"Active on a theme", as the page explains: a person with a role on the theme held today
and confirmed as current, an author of one of the theme's public reports of the last
twelve months, or the owner of one of the theme's recommendations now in progress; an
organisation likewise (the role's organisation, an organisation named on such a report,
an owner), or the organisation of such a person.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count
from django.utils import timezone

from agenda.models import GapContributor
from collaboration.models import Organisation, Person, Role, Theme, person_name
from publishing.rows import address_former
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report

RECENT_DAYS = 365
# Names a table cell lists before it says "and N more".
NAMES_SHOWN = 5
# Stands for a slug in an address formed once for every row (``address_former``).
SLUG_STAND_IN = "slug-stand-in-7f3a"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    short_label: str


COLUMNS = [
    Column("organisations", "Organisations active", "Organisations"),
    Column("people", "People active", "People"),
    Column("open_gaps", "Open knowledge gaps", "Open gaps"),
    Column("being_researched", "Gaps being researched", "Researched"),
    Column("recent_reports", "Reports in the last 12 months", "Reports"),
    Column("in_progress", "Recommendations in progress", "In progress"),
]


class Named(NamedTuple):
    """An organisation or person a cell names: plain values, not a model instance."""

    name: str
    url: str


@dataclass
class ThemeCoverage:
    """A theme's row. Counts, and the first few names of each list (``named``), in plain
    values: the table is kept per content version and read back on every request, and
    unpickling the ~2,000 people and organisations of 100,000 reports as model instances
    made the page 2.9 times slower there than at 10,000 (20.5 ms against 7.0)."""

    theme: Theme
    organisations: int = 0
    people: int = 0
    open_gaps: int = 0
    # None where no gap's status says so: shown as "not recorded", never as 0.
    being_researched: int | None = None
    recent_reports: int = 0
    in_progress: int = 0
    # Open gaps not being researched and with nobody publicly recorded as working on them.
    open_gaps_without_anyone: int = 0
    # The first NAMES_SHOWN organisations and people, by name, of the columns that name them.
    named: dict[str, list[Named]] = field(default_factory=dict)

    def value(self, key: str) -> int | None:
        return getattr(self, key)

    def csv_values(self) -> list:
        return ["not recorded" if v is None else v for v in (self.value(c.key) for c in COLUMNS)]

    @property
    def open_gaps_unattended(self) -> bool:
        """Open gaps with nobody on them: see ``open_gaps_nobody_is_on``."""
        return open_gaps_nobody_is_on(self) > 0

    @property
    def cells(self) -> list[dict]:
        """The row's cells for the table: value, names where the column has them."""
        cells = []
        for column in COLUMNS:
            value = self.value(column.key)
            names = self.named.get(column.key, [])
            cells.append(
                {
                    "column": column,
                    "value": value,
                    "names": names,
                    "more": value - len(names) if names else 0,
                    "stands_out": column.key == "open_gaps" and self.open_gaps_unattended,
                }
            )
        return cells


@dataclass
class CoverageTable:
    rows: list[ThemeCoverage]
    since: datetime.date
    on: datetime.date
    columns: list[Column] = field(default_factory=lambda: COLUMNS)


def open_gaps_nobody_is_on(row: ThemeCoverage) -> int:
    """How many of the theme's open gaps have nobody on them: not being researched, and
    nobody recorded as working on the gap who agreed to be shown (the gap register's
    ``GapContributor.shown()``; an unshown record is not public, so it counts for none)."""
    return row.open_gaps_without_anyone


def gaps_being_researched(open_gaps: list[tuple[int, str]]) -> int | None:
    """Of a theme's open gaps (key, status), how many are being researched.

    None (shown as "not recorded") when the theme has open gaps but none has a recorded
    status: the sources then say nothing of how far work on them has gone.
    """
    statuses = [status for _, status in open_gaps]
    if statuses and all(s == KnowledgeGap.Status.NOT_RECORDED for s in statuses):
        return None
    return sum(1 for s in statuses if s == KnowledgeGap.Status.BEING_RESEARCHED)


def compute(on: datetime.date | None = None) -> CoverageTable:
    on = on or timezone.localdate()
    since = on - datetime.timedelta(days=RECENT_DAYS)
    themes = list(Theme.objects.published())
    theme_ids = {theme.pk for theme in themes}

    public_people = Person.objects.published()
    public_organisations = Organisation.objects.published()
    recent = Report.objects.published().filter(published_on__gt=since, published_on__lte=on)
    # No order: the default ones sort every row, and a recommendation's joins its report.
    recent = recent.order_by().values("pk")
    in_progress = (
        Recommendation.objects.published()
        .filter(status=Recommendation.Status.IN_PROGRESS)
        .order_by()
    )

    people: dict[int, set[int]] = {pk: set() for pk in theme_ids}
    organisations: dict[int, set[int]] = {pk: set() for pk in theme_ids}
    progressing: dict[int, set[int]] = {pk: set() for pk in theme_ids}

    # Pairs of (theme, who) made distinct by the database, not one row per report: after
    # an edit this page's first reader paid 455 ms for it (SQLite, 100,000 reports).
    reports = dict(
        Report.themes.through.objects.filter(report__in=recent, theme_id__in=theme_ids)
        .order_by()
        .values_list("theme_id")
        .annotate(n=Count("report_id"))
    )
    # Who is public is checked below, with their names (as for organisations): a filter
    # on people here made SQLite probe every pair of recent report and public person.
    authors = Report.authors.through.objects.filter(report__in=recent)
    for theme_id, person_id in authors.values_list("report__themes", "person_id").distinct():
        if theme_id in theme_ids:
            people[theme_id].add(person_id)
    named_on = Report.organisations.through.objects.filter(report__in=recent)
    for theme_id, organisation_id in named_on.values_list(
        "report__themes", "organisation_id"
    ).distinct():
        if theme_id in theme_ids:
            organisations[theme_id].add(organisation_id)
    for theme_id, pk, organisation_id, person_id in in_progress.values_list(
        "report__themes", "pk", "owner_organisation_id", "owner_person_id"
    ):
        if theme_id in theme_ids:
            progressing[theme_id].add(pk)
            if organisation_id:
                organisations[theme_id].add(organisation_id)
            if person_id:
                people[theme_id].add(person_id)
    for theme_id, person_id, organisation_id in (
        Role.objects.published()
        .confirmed_current(on)
        .filter(theme_id__in=theme_ids)
        .values_list("theme_id", "person_id", "organisation_id")
    ):
        people[theme_id].add(person_id)
        if organisation_id:
            organisations[theme_id].add(organisation_id)

    # Names, and the published state of every person and organisation counted.
    person_ids = set().union(*people.values())
    found_people = {}
    # Plain values, each address formed from one reverse(): as model instances, each
    # with its get_absolute_url(), the ~2,000 of 100,000 reports cost 0.2 s.
    person_address = address_former("browse:person-detail", slug=SLUG_STAND_IN)
    for pk, honorific, name, slug, organisation_id in (
        public_people.filter(pk__in=person_ids)
        .order_by("name")
        .values_list("pk", "honorific", "name", "slug", "organisation_id")
    ):
        found_people[pk] = Named(person_name(honorific, name), person_address(slug=slug))
        if organisation_id:
            for theme_id, members in people.items():
                if pk in members:
                    organisations[theme_id].add(organisation_id)
    organisation_ids = set().union(*organisations.values())
    organisation_address = address_former("browse:organisation-detail", slug=SLUG_STAND_IN)
    found_organisations = {
        pk: Named(name, organisation_address(slug=slug))
        for pk, name, slug in public_organisations.filter(pk__in=organisation_ids)
        .order_by("name")
        .values_list("pk", "name", "slug")
    }

    # Open gaps by theme: a gap's own theme, or, having none, its analysis's themes.
    gaps: dict[int, list[tuple[int, str]]] = {pk: [] for pk in theme_ids}
    open_gaps = list(
        KnowledgeGap.objects.published()
        .open()
        .order_by()
        .values_list("pk", "status", "theme_id", "analysis_id")
    )
    analysis_themes: dict[int, set[int]] = {}
    untyped = {analysis_id for _, _, theme_id, analysis_id in open_gaps if not theme_id}
    for analysis_id, theme_id in GapAnalysis.themes.through.objects.filter(
        gapanalysis_id__in=[a for a in untyped if a], theme_id__in=theme_ids
    ).values_list("gapanalysis_id", "theme_id"):
        analysis_themes.setdefault(analysis_id, set()).add(theme_id)
    attended = set(
        GapContributor.objects.shown()
        .filter(gap_id__in=[pk for pk, *_ in open_gaps])
        .values_list("gap_id", flat=True)
    )
    unattended: dict[int, int] = dict.fromkeys(theme_ids, 0)
    for pk, status, theme_id, analysis_id in open_gaps:
        about = {theme_id} if theme_id else analysis_themes.get(analysis_id, set())
        alone = pk not in attended and status != KnowledgeGap.Status.BEING_RESEARCHED
        for each in about & theme_ids:
            gaps[each].append((pk, status))
            unattended[each] += alone

    def named(found, keys) -> list[Named]:
        return [found[key] for key in found if key in keys]

    rows = []
    for theme in themes:
        named_organisations = named(found_organisations, organisations[theme.pk])
        named_people = named(found_people, people[theme.pk])
        rows.append(
            ThemeCoverage(
                theme=theme,
                organisations=len(named_organisations),
                people=len(named_people),
                open_gaps=len(gaps[theme.pk]),
                being_researched=gaps_being_researched(gaps[theme.pk]),
                recent_reports=reports.get(theme.pk, 0),
                in_progress=len(progressing[theme.pk]),
                open_gaps_without_anyone=unattended[theme.pk],
                named={
                    "organisations": named_organisations[:NAMES_SHOWN],
                    "people": named_people[:NAMES_SHOWN],
                },
            )
        )
    return CoverageTable(rows=rows, since=since, on=on)


# The heat map: a shade per cell, darker for more, relative to the column's largest value.
SHADES = ["#f3f2f1", "#d2e2f1", "#a6c5e3", "#5694ca", "#1d70b8", "#003078"]
DARK_TEXT, LIGHT_TEXT = "#0b0c0c", "#ffffff"
STAND_OUT = "#d4351c"
LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT, HEADER_HEIGHT = 240, 112, 44, 56


def heat_map(table: CoverageTable) -> dict:
    """Everything the SVG template needs, computed: positions, shades, labels."""
    columns = table.columns
    maxima = {c.key: max([row.value(c.key) or 0 for row in table.rows] or [0]) for c in columns}
    rows = []
    for r, row in enumerate(table.rows):
        y = HEADER_HEIGHT + r * CELL_HEIGHT
        cells = []
        for c, column in enumerate(columns):
            value = row.value(column.key)
            top = maxima[column.key]
            if value is None or not top:
                step = 0
            else:
                step = max(1, round(value / top * (len(SHADES) - 1))) if value else 0
            stands_out = column.key == "open_gaps" and row.open_gaps_unattended
            cells.append(
                {
                    "x": LABEL_WIDTH + c * CELL_WIDTH,
                    "y": y,
                    "text_x": LABEL_WIDTH + c * CELL_WIDTH + CELL_WIDTH // 2,
                    "text_y": y + CELL_HEIGHT // 2 + 6,
                    "fill": STAND_OUT if stands_out else SHADES[step],
                    "text_fill": LIGHT_TEXT if stands_out or step >= 3 else DARK_TEXT,
                    "text": "not recorded"
                    if value is None
                    else (f"{value} !" if stands_out else str(value)),
                    "column": column,
                    "stands_out": stands_out,
                }
            )
        rows.append({"row": row, "y": y, "label_y": y + CELL_HEIGHT // 2 + 6, "cells": cells})
    headers = [
        {"label": column.short_label, "x": LABEL_WIDTH + c * CELL_WIDTH + CELL_WIDTH // 2}
        for c, column in enumerate(columns)
    ]
    return {
        "width": LABEL_WIDTH + len(columns) * CELL_WIDTH,
        "height": HEADER_HEIGHT + len(table.rows) * CELL_HEIGHT + 4,
        "cell_width": CELL_WIDTH,
        "cell_height": CELL_HEIGHT,
        "header_y": HEADER_HEIGHT - 16,
        "headers": headers,
        "rows": rows,
        "label_x": 8,
    }
