"""What the index holds for each kind of public thing, and how a result is shown.

Each kind builds its documents from ``Model.objects.published()`` only, with a few
plain queries per batch of keys (no model instances, no per-row queries), so the same
code indexes one report after a save and 100,000 in a rebuild. A document's text is
in four fields by weight: ``title`` (titles and names) counts most, then ``summary``
(summaries, recommendations, tags, role descriptions), then ``body`` (full text,
tables), then ``attachment`` (a PDF's text). ``facets`` are tokens such as ``t3``
(theme 3) the engines filter and count by.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from collaboration.models import Organisation, Person, Role, Theme
from publishing.links import slug_url
from publishing.markdown import markdown_to_text
from publishing.rows import address_former
from publishing.versioning import content_cached
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
    describe_date,
    machine_date,
)

from .backends import backend

# The most text one field sends to the engine: PostgreSQL refuses a tsvector over 1 MB.
MAX_FIELD_CHARS = 200_000
# Marks the engines put around matched words; removed from indexed text so content can
# never fake them.
MARK_START, MARK_END = "\ue000", "\ue001"

# Facet tokens: a letter naming the facet, then a number (no stemmer touches digits).
KIND, REPORT_KIND, YEAR, THEME, TAG, ORGANISATION = "k", "r", "y", "t", "g", "o"
REPORT_KINDS = list(Report.Kind.values)

# Keys order entries newest first: date, then kind, then object (see ``sort_key``).
_OBJECT_BITS, _KIND_BITS, _DAY_BITS = 36, 4, 22
# Every bit of a key is flipped, so that ascending key order is newest first.
_FLIP = (1 << (_DAY_BITS + _KIND_BITS + _OBJECT_BITS)) - 1
UNDATED = datetime.date.max  # themes, partners, people: always among the candidates
# Stands for the list of keys in SQL compiled once and run with others (compiled_rows).
KEYS = "search:keys"


def sort_key(kind_code: int, object_id: int, date: datetime.date | None) -> int:
    """The entry's key: date, kind and object, bits flipped, so the newest key is smallest.

    Both engines can then take "the newest N matches" straight from an index on the
    key, the cheap way to bound a large match set before ranking it. Things without a
    date sort as newest (there are few, and a theme or person matters in any search);
    an undated report as oldest.

    Smallest rather than largest because SQLite's FTS5 (3.40) loses matches when it
    walks an optimised index backwards for an AND query: with keys that grew with the
    date, ``ORDER BY rowid DESC`` found 49 of the 1,716 reports holding "data" and
    "labour" at 100,000 reports. Forwards it finds them all.
    """
    day = date.toordinal() if date else 0
    return _FLIP ^ ((day << (_KIND_BITS + _OBJECT_BITS)) | (kind_code << _OBJECT_BITS) | object_id)


def object_of_key(key: int) -> tuple[int, int]:
    """The kind's code and the object's key that an entry's key holds."""
    key ^= _FLIP
    return (key >> _OBJECT_BITS) & ((1 << _KIND_BITS) - 1), key & ((1 << _OBJECT_BITS) - 1)


def facet(name: str, value) -> str:
    return f"{name}{value}"


def report_kind_facet(kind: str) -> str:
    return facet(REPORT_KIND, REPORT_KINDS.index(kind) + 1)


def _text(*parts) -> str:
    text = "\n".join(part for part in parts if part)
    # NUL is no character of text, and PostgreSQL refuses to store it.
    text = text.replace(MARK_START, "").replace(MARK_END, "").replace("\x00", "")
    return text[:MAX_FIELD_CHARS]


@dataclass
class Document:
    kind: "Kind"
    object_id: int
    date: datetime.date | None
    title: str
    summary: str = ""
    body: str = ""
    attachment: str = ""
    facets: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.title, self.summary = _text(self.title), _text(self.summary)
        self.body, self.attachment = _text(self.body), _text(self.attachment)
        self.facets = [facet(KIND, self.kind.code), *dict.fromkeys(self.facets)]

    @property
    def key(self) -> int:
        date = self.date if self.date is not None else self.kind.undated
        return sort_key(self.kind.code, self.object_id, date)

    def text(self) -> str:
        return "\n".join((self.title, self.summary, self.body, self.attachment))


def _grouped(rows):
    grouped = defaultdict(list)
    for key, *values in rows:
        grouped[key].append(values[0] if len(values) == 1 else values)
    return grouped


def _published_names(model, name_field="name", *, using=DEFAULT_DB_ALIAS):
    return dict(model.objects.using(using).published().values_list("pk", name_field))


def _published_labels(model, name_field: str) -> dict[int, tuple[str, str]]:
    """Each published object's slug and name by key, once per content version."""
    return content_cached(
        f"search:labels:{model._meta.label}",
        lambda: {
            pk: (slug, name)
            for pk, slug, name in model.objects.published().values_list("pk", "slug", name_field)
        },
    )


def published_themes() -> dict[int, tuple[str, str]]:
    return _published_labels(Theme, "short_name")


def published_organisations() -> dict[int, tuple[str, str]]:
    return _published_labels(Organisation, "name")


# Each compiled_rows() query's compiler and converters, by name and database.
_compilers = {}


def compiled_rows(name: str, rows, ids, using=DEFAULT_DB_ALIAS) -> list:
    """``rows(keys)``, a values_list() queryset of the objects whose keys are ``ids``, run
    with SQL compiled once per content version.

    Building and compiling the querysets cost a search more than running them: with
    the published check of the candidates, the shown page's rows and the facets' tags
    compiled once, the bench's random queries at 100,000 reports on SQLite went from 21
    to 17 ms of CPU a search in process (PostgreSQL: 16 to 11).

    The SQL holds the clock's now as it was when compiled, which gives the same answer
    as the moment it runs: no item goes live or expires within one content version
    (publishing.versioning starts a new one when one does). The keys are one parameter
    (``Backend.key_list``), put in at each run.
    """
    engine = backend(using)

    def compiled():
        keys_sql, _ = engine.key_list([])
        queryset = rows(RawSQL(keys_sql, [KEYS]))
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        # How values come back from the database as Python (dates on SQLite), which
        # depends only on the columns: kept for this worker's life.
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        _compilers[(name, using)] = (compiler, compiler.get_converters(fields))
        return sql, params

    sql, params = content_cached(f"search:rows:{name}:{using}", compiled)
    if (name, using) not in _compilers:
        compiled()
    compiler, converters = _compilers[(name, using)]
    _, (keys,) = engine.key_list(ids)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [keys if param == KEYS else param for param in params])
        found = cursor.fetchall()
    return list(compiler.apply_converters(found, converters)) if converters else found


class Kind:
    """One kind of search result: its model, its documents, how a result is shown."""

    code: int
    name: str  # as in URLs: ?type=report
    label: str
    plural: str
    model: type
    undated: datetime.date | None = UNDATED

    def __init__(self):
        self._published = {}

    def published(self, using=DEFAULT_DB_ALIAS):
        """``Model.objects.published()``, built once per database and copied for each use.

        Building it cost 2.5 ms for knowledge gaps, whose rule nests their analysis's
        and report's, and every search asks twice. A copy still reads the clock when
        it runs (``ClockNow``), so it is as fresh as one built anew.
        """
        if using not in self._published:
            self._published[using] = self.model.objects.using(using).published()
        return self._published[using].all()

    def among(self, ids, using=DEFAULT_DB_ALIAS):
        """The published objects among these keys, unordered: a model's default order
        would have the database walk its whole index to sort a handful of rows."""
        return self.published(using).filter(pk__in=ids).order_by()

    def rows(self, columns: tuple[str, ...], ids, using=DEFAULT_DB_ALIAS) -> list:
        """``among(ids).values_list(*columns)``, compiled once per content version."""
        return compiled_rows(
            f"{self.name}:{columns}",
            lambda keys: self.among(keys, using).values_list(*columns),
            ids,
            using,
        )

    def documents(self, ids, using=DEFAULT_DB_ALIAS) -> list[Document]:
        raise NotImplementedError

    def results(self, ids) -> dict[int, dict]:
        """What the results page shows of each published object among ids, by key."""
        raise NotImplementedError


class ReportKind(Kind):
    code = 1
    name = "report"
    label = "Report"
    plural = "Reports"
    model = Report
    undated = None

    def documents(self, ids, using=DEFAULT_DB_ALIAS):
        rows = self.among(ids, using)
        rows = rows.values_list(
            "pk", "title", "kind", "published_on", "summary", "body", "pdf_text"
        )
        reports = {row[0]: row for row in rows}
        found = list(reports)
        # A file's text is searchable only while the public may have the file.
        public_files = set(
            Report.objects.using(using)
            .with_public_pdf()
            .filter(pk__in=found)
            .values_list("pk", flat=True)
        )
        advice = _grouped(
            Recommendation.objects.using(using)
            .filter(report__in=found)
            .order_by("report", "number")
            .values_list("report", "heading", "explanation")
        )
        table = _grouped(
            AlignmentRow.objects.using(using)
            .filter(report__in=found)
            .order_by("report", "position", "pk")
            .values_list("report", "approach", "activity", "asset")
        )
        themes = _grouped(
            Report.themes.through.objects.using(using)
            .filter(report__in=found)
            .values_list("report", "theme")
        )
        organisations = _grouped(
            Report.organisations.through.objects.using(using)
            .filter(report__in=found)
            .values_list("report", "organisation")
        )
        tags = _grouped(
            TaggedItem.objects.using(using)
            .filter(
                content_type=ContentType.objects.db_manager(using).get_for_model(Report),
                object_id__in=found,
            )
            .values_list("object_id", "tag", "tag__name")
        )
        documents = []
        for pk, (_, title, kind, published_on, summary, body, pdf_text) in reports.items():
            facets = [report_kind_facet(kind)]
            if published_on:
                facets.append(facet(YEAR, published_on.year))
            facets += [facet(THEME, theme) for theme in themes[pk]]
            facets += [facet(TAG, tag) for tag, _ in tags[pk]]
            facets += [facet(ORGANISATION, organisation) for organisation in organisations[pk]]
            documents.append(
                Document(
                    self,
                    pk,
                    published_on,
                    title,
                    summary=_text(
                        summary,
                        *(f"{heading} {explanation}" for heading, explanation in advice[pk]),
                        " · ".join(name for _, name in tags[pk]),
                    ),
                    body=_text(markdown_to_text(body), *(" – ".join(row) for row in table[pk])),
                    attachment=pdf_text if pk in public_files else "",
                    facets=facets,
                )
            )
        return documents

    def results(self, ids):
        rows = self.rows(("pk", "slug", "title", "kind", "published_on", "date_precision"), ids)
        labels = dict(Report.Kind.choices)
        return {
            pk: {
                "title": title,
                "url": slug_url("reports:report-detail", slug),
                "meta": labels.get(kind, kind),
                "date": describe_date(published_on, precision),
                "date_iso": machine_date(published_on, precision),
            }
            for pk, slug, title, kind, published_on, precision in rows
        }


class GapAnalysisKind(Kind):
    code = 2
    name = "gap-analysis"
    label = "Gap analysis"
    plural = "Gap analyses"
    model = GapAnalysis

    def documents(self, ids, using=DEFAULT_DB_ALIAS):
        rows = self.among(ids, using)
        rows = rows.values_list(
            "pk",
            "title",
            "summary",
            "table_caption",
            "first_side",
            "second_side",
            "report__published_on",
        )
        analyses = {row[0]: row for row in rows}
        comparisons = _grouped(
            ComparisonRow.objects.using(using)
            .filter(analysis__in=list(analyses))
            .order_by("analysis", "position", "pk")
            .values_list("analysis", "dimension", "first_side_items", "second_side_items")
        )
        themes = _grouped(
            GapAnalysis.themes.through.objects.using(using)
            .filter(gapanalysis__in=list(analyses))
            .values_list("gapanalysis", "theme")
        )
        return [
            Document(
                self,
                pk,
                dated,
                title,
                summary=_text(summary, caption),
                body=_text(first, second, *(" ".join(row) for row in comparisons[pk])),
                facets=[facet(THEME, theme) for theme in themes[pk]],
            )
            for pk, title, summary, caption, first, second, dated in analyses.values()
        ]

    def results(self, ids):
        rows = self.rows(("pk", "slug", "title"), ids)
        return {
            pk: {
                "title": title,
                "url": slug_url("reports:gapanalysis-detail", slug),
                "meta": "",
            }
            for pk, slug, title in rows
        }


class KnowledgeGapKind(Kind):
    code = 3
    name = "knowledge-gap"
    label = "Knowledge gap"
    plural = "Knowledge gaps"
    model = KnowledgeGap

    def documents(self, ids, using=DEFAULT_DB_ALIAS):
        rows = self.among(ids, using)
        rows = rows.values_list(
            "pk",
            "question",
            "detail",
            "theme",
            "analysis",
            Coalesce("analysis__report__published_on", "report__published_on"),
        )
        gaps = list(rows)
        analysis_themes = _grouped(
            GapAnalysis.themes.through.objects.using(using)
            .filter(gapanalysis__in={row[4] for row in gaps})
            .values_list("gapanalysis", "theme")
        )
        return [
            Document(
                self,
                pk,
                dated,
                question,
                summary=detail,
                # As about_theme() says: its own theme or, without one, its analysis's.
                facets=[facet(THEME, t) for t in ([theme] if theme else analysis_themes[analysis])],
            )
            for pk, question, detail, theme, analysis, dated in gaps
        ]

    def results(self, ids):
        rows = self.rows(
            ("pk", "question", "status", "analysis__slug", "analysis__title", "report__title"), ids
        )
        labels = dict(KnowledgeGap.Status.choices)
        address = address_former("agenda:gap-detail", pk=987654321)  # reversed once a page
        results = {}
        for pk, question, status, analysis_slug, analysis, report in rows:
            # Raised in its analysis or, drawn from a report alone, in the report; each
            # gap has its own page in the register (agenda app).
            # A gap recorded on its own is raised in neither.
            source = analysis if analysis_slug else report
            meta = labels.get(status, status)
            results[pk] = {
                "title": question,
                "url": address(pk=pk),
                "meta": f"{meta} · in {source}" if source else f"{meta} · recorded on its own",
            }
        return results


class ThemeKind(Kind):
    code = 4
    name = "theme"
    label = "Theme"
    plural = "Themes"
    model = Theme

    def documents(self, ids, using=DEFAULT_DB_ALIAS):
        rows = self.among(ids, using)
        rows = rows.values_list(
            "pk", "short_name", "full_name", "alternative_wording", "description"
        )
        return [
            Document(
                self,
                pk,
                None,
                _text(short, full),
                summary=alternative,
                body=description,
                facets=[facet(THEME, pk)],
            )
            for pk, short, full, alternative, description in rows
        ]

    def results(self, ids):
        rows = self.rows(("pk", "slug", "short_name"), ids)
        return {
            pk: {"title": name, "url": slug_url("browse:theme-detail", slug)}
            for pk, slug, name in rows
        }


class OrganisationKind(Kind):
    code = 5
    name = "organisation"
    label = "Partner"
    plural = "Partners"
    model = Organisation

    def documents(self, ids, using=DEFAULT_DB_ALIAS):
        rows = self.among(ids, using)
        labels = dict(Organisation.Kind.choices)
        return [
            Document(
                self,
                pk,
                None,
                _text(name, short),
                summary=description,
                body=labels.get(kind, ""),
                facets=[facet(ORGANISATION, pk)],
            )
            for pk, name, short, kind, description in rows.values_list(
                "pk", "name", "short_name", "kind", "description"
            )
        ]

    def results(self, ids):
        rows = self.rows(("pk", "slug", "name", "kind"), ids)
        labels = dict(Organisation.Kind.choices)
        return {
            pk: {
                "title": name,
                "url": slug_url("browse:organisation-detail", slug),
                "meta": labels.get(kind, ""),
            }
            for pk, slug, name, kind in rows
        }


class PersonKind(Kind):
    code = 6
    name = "person"
    label = "Person"
    plural = "People"
    model = Person

    def documents(self, ids, using=DEFAULT_DB_ALIAS):
        rows = self.among(ids, using)
        people = list(rows.values_list("pk", "honorific", "name", "biography", "organisation"))
        found = [row[0] for row in people]
        # Names of published themes and partners only: a draft's name never becomes
        # searchable through a role (their saves reindex the people concerned).
        themes, organisations = (
            _published_names(Theme, "short_name", using=using),
            _published_names(Organisation, using=using),
        )
        labels = dict(Role.Kind.choices)
        roles = _grouped(
            Role.objects.using(using)
            .filter(person__in=found)
            .values_list("person", "kind", "title", "theme", "organisation", "dates_note")
        )
        documents = []
        for pk, honorific, name, biography, organisation in people:
            described, facets = [], []
            if organisation:
                facets.append(facet(ORGANISATION, organisation))
                described.append(organisations.get(organisation, ""))
            for kind, title, theme, role_organisation, note in roles[pk]:
                described.append(
                    " ".join(
                        filter(
                            None,
                            [
                                title or labels.get(kind, ""),
                                themes.get(theme, ""),
                                organisations.get(role_organisation, ""),
                                note,
                            ],
                        )
                    )
                )
                if theme:
                    facets.append(facet(THEME, theme))
                if role_organisation:
                    facets.append(facet(ORGANISATION, role_organisation))
            documents.append(
                Document(
                    self,
                    pk,
                    None,
                    f"{honorific} {name}".strip(),
                    summary=_text(*described),
                    body=biography,
                    facets=facets,
                )
            )
        return documents

    def results(self, ids):
        rows = self.rows(("pk", "slug", "honorific", "name", "organisation"), ids)
        organisations = published_organisations()
        return {
            pk: {
                "title": f"{honorific} {name}".strip(),
                "url": slug_url("browse:person-detail", slug),
                "meta": organisations[organisation][1] if organisation in organisations else "",
            }
            for pk, slug, honorific, name, organisation in rows
        }


KINDS = [
    ReportKind(),
    GapAnalysisKind(),
    KnowledgeGapKind(),
    ThemeKind(),
    OrganisationKind(),
    PersonKind(),
]
BY_CODE = {kind.code: kind for kind in KINDS}
BY_NAME = {kind.name: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}


def object_id_of_key(key: int) -> int:
    return (key ^ _FLIP) & ((1 << _OBJECT_BITS) - 1)


def is_dated(key: int) -> bool:
    day = (key ^ _FLIP) >> (_KIND_BITS + _OBJECT_BITS)
    return 0 < day < UNDATED.toordinal()
