"""A content folder (``content/empac/`` for EMPAC): its files, what each holds, their checks.

Each file holds one kind of entry with named keys (``themes.toml``, ``reports.toml`` …), and
``sources.toml`` names the documents that every entry's ``provenance`` cites. ``read()``
checks a folder whole before anything is written: each problem is reported with the file,
the entry and the field, and a folder with any problem loads nothing.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from taggit.managers import TaggableManager

from collaboration.models import Organisation, Person, Role, Theme
from publishing.models import Publishable, Status
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
)

EMPAC = Path(__file__).resolve().parent / "empac"
SOURCES = "sources.toml"
CLAIM_KEYS = {"document", "passage", "inferred", "note"}


@dataclass(frozen=True)
class Kind:
    """One kind of entry: the file it lives in and how its entries become objects."""

    name: str  # the file (name.toml) and its array of tables
    model: type[models.Model]
    key: tuple[str, ...]  # fields whose values name an entry for good: its seed key
    lookups: tuple[tuple[str, ...], ...]  # how to find one seeded before records were kept
    requires: tuple[str, ...] = ()  # references whose deletion takes the entry with it
    children: tuple["Kind", ...] = ()  # kinds nested in each entry, e.g. a report's rows
    number: str = ""  # for a nested kind, the field its order numbers
    quoted: tuple[str, ...] = ()  # fields copied verbatim from the document
    renamed: tuple[tuple[str, str], ...] = ()  # (data key, model field)
    notes: tuple[str, ...] = ()  # data-only keys, for the fidelity test, never saved


def _row(name, model, parent, number, quoted):
    key = (parent, number)
    return Kind(name, model, key, (key,), number=number, quoted=quoted)


RECOMMENDATIONS = Kind(
    "recommendations",
    Recommendation,
    ("report", "number"),
    # The heading first: a curator may have renumbered the recommendations.
    (("report", "heading"), ("report", "number")),
    number="number",
    quoted=("heading",),
)
ALIGNMENT_ROWS = _row(
    "alignment_rows", AlignmentRow, "report", "position", ("approach", "activity", "asset")
)
COMPARISON_ROWS = _row(
    "comparison_rows",
    ComparisonRow,
    "analysis",
    "position",
    ("dimension", "first_side_items", "second_side_items"),
)
KINDS = (
    Kind("themes", Theme, ("slug",), (("slug",), ("position",))),
    Kind("organisations", Organisation, ("slug",), (("slug",), ("name",)), notes=("known_as",)),
    Kind("people", Person, ("slug",), (("slug",),)),
    Kind(
        "reports",
        Report,
        ("slug",),
        (("slug",), ("title",)),
        children=(RECOMMENDATIONS, ALIGNMENT_ROWS),
        renamed=(("about_sources", "provenance"),),
    ),
    Kind("roles", Role, ("person", "kind"), (("person", "kind"),), requires=("person",)),
    Kind("gap_analyses", GapAnalysis, ("slug",), (("slug",),), children=(COMPARISON_ROWS,)),
    Kind(
        "knowledge_gaps",
        KnowledgeGap,
        ("analysis", "report", "position"),
        (("analysis", "report", "position"),),
        requires=("analysis", "report"),
    ),
)
KIND_OF_MODEL = {kind.model: kind for kind in KINDS}


class SeedError(Exception):
    """The content folder is malformed; nothing from the run is saved."""


@dataclass
class Entry:
    kind: Kind
    where: str  # for messages: file, entry and its key
    key: str = ""
    fields: dict = field(default_factory=dict)  # model field → value; references as keys
    many: dict = field(default_factory=dict)  # many-to-many field → keys
    tags: list = field(default_factory=list)
    claims: dict = field(default_factory=dict)  # field ("" for the entry) → Provenance fields
    notes: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


@dataclass
class Content:
    """A folder as read and checked: its documents and its entries by kind."""

    collaboration: str
    documents: dict  # key → the document's table in sources.toml
    entries: dict  # kind name → [Entry]


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise SeedError(f"{path.name}: no such file in {path.parent}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{path.name}: not valid TOML: {exc}.") from None


def read(folder: Path) -> Content:
    """Read and check a content folder; raise SeedError listing every problem found."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SeedError(f"{folder}: no such folder.")
    sources = _load_toml(folder / SOURCES)
    documents = sources.get("documents")
    if not isinstance(documents, dict) or not all(
        isinstance(doc, dict) and isinstance(doc.get("title"), str) for doc in documents.values()
    ):
        raise SeedError(f"{SOURCES}: each [documents.<key>] table needs a title.")
    reader = _Reader(documents)
    entries = {kind.name: reader.read_file(folder, kind) for kind in KINDS}
    reader.check_references(entries)
    if reader.errors:
        raise SeedError("\n".join(reader.errors))
    return Content(str(sources.get("collaboration", folder.name)), documents, entries)


class _Reader:
    def __init__(self, documents):
        self.documents = documents
        self.errors: list[str] = []

    def read_file(self, folder: Path, kind: Kind) -> list[Entry]:
        file = f"{kind.name}.toml"
        if not (folder / file).exists():
            return []  # a collaboration with nothing of this kind
        rows = _load_toml(folder / file).get(kind.name, [])
        if not isinstance(rows, list):
            self.errors.append(f"{file}: expected a list of [[{kind.name}]] tables")
            return []
        entries = [
            self.read_entry(kind, row, f"{file}, entry {n}") for n, row in enumerate(rows, 1)
        ]
        seen = Counter(entry.key for entry in entries)
        for entry in entries:
            if seen[entry.key] > 1:
                self.error(entry, "", f"another entry has the same key {entry.key!r}")
        return entries

    def error(self, entry: Entry, name: str, message: str) -> None:
        self.errors.append(
            f"{entry.where}, field “{name}”: {message}" if name else f"{entry.where}: {message}"
        )

    def read_entry(self, kind, row, where, parent=None, number=None) -> Entry:
        entry = Entry(kind, where)
        if not isinstance(row, dict):
            self.error(entry, "", "expected a table of named values")
            return entry
        if parent is not None:
            row = {kind.key[0]: parent.key, kind.number: number, **row}
        entry.key = "/".join(str(row[name]) for name in kind.key if row.get(name) not in (None, ""))
        if parent is None:
            entry.where = f"{where} ({entry.key})"
        parent_document = parent.claims.get("", {}).get("document_key") if parent else None
        passage = row.get(kind.quoted[0]) if kind.quoted else None
        self.read_claims(entry, row.get("provenance", {}), parent_document, passage)
        renamed = dict(kind.renamed)
        children = {child.name: child for child in kind.children}
        for name, value in row.items():
            if name == "provenance":
                continue
            if name in kind.notes:
                if not _strings(value):
                    self.error(entry, name, "expected a list of names")
                entry.notes[name] = value
            elif name in children:
                self.read_children(entry, children[name], value)
            else:
                self.read_field(entry, renamed.get(name, name), value)
        self.fill_defaults(entry, kind)
        if not entry.key:
            self.error(entry, "", f"needs a key ({', '.join(kind.key)})")
        return entry

    def read_children(self, entry, kind, rows):
        if not isinstance(rows, list):
            self.error(entry, kind.name, "expected a list of tables ([[…]])")
            return
        for n, row in enumerate(rows, 1):
            where = f"{entry.where}, {kind.name} {n}"
            entry.children.append(self.read_entry(kind, row, where, parent=entry, number=n))

    def read_field(self, entry, name, value):
        model = entry.kind.model
        if name == "tags" and _has_tags(model):
            if _strings(value):
                entry.tags = value
            else:
                self.error(entry, name, "expected a list of tag names")
            return
        model_field = _field(model, name)
        if model_field is None:
            self.error(entry, name, f"not a field of {model._meta.verbose_name} the data can set")
        elif model_field.is_relation and model_field.related_model not in KIND_OF_MODEL:
            self.error(entry, name, "is not set from the data")
        elif model_field.many_to_many:
            if _strings(value):
                entry.many[name] = value
            else:
                self.error(entry, name, "expected a list of keys")
        elif model_field.is_relation:
            if isinstance(value, str):
                entry.fields[name] = value
            else:
                self.error(entry, name, "expected the key (slug) of an entry")
        else:
            if _strings(value):
                value = "\n".join(value)  # one item per line
            try:
                entry.fields[name] = model_field.clean(value, None)
            except ValidationError as exc:
                self.error(entry, name, " ".join(exc.messages))

    def fill_defaults(self, entry, kind):
        """Give every field the data leaves out its empty value, or report it missing.

        An entry describes the whole object: a value taken out of the data is emptied in
        databases where no curator has changed it since it was seeded.
        """
        if issubclass(kind.model, Publishable):
            entry.fields.setdefault("status", Status.PUBLISHED)
        for model_field in kind.model._meta.concrete_fields:
            name = model_field.name
            if name in entry.fields or _field(kind.model, name) is None:
                continue
            if model_field.null and model_field.is_relation:
                entry.fields[name] = None
            elif model_field.blank or model_field.has_default():
                entry.fields[name] = model_field.get_default()
            else:
                self.error(entry, name, "missing")

    def read_claims(self, entry, table, parent_document, passage):
        if not isinstance(table, dict):
            self.error(entry, "provenance", "expected a table")
            return
        own = {name: table[name] for name in CLAIM_KEYS if name in table}
        if passage is not None and "inferred" not in own:
            own.setdefault("passage", passage)  # a verbatim row quotes itself
        self.read_claim(entry, "", own, parent_document)
        document = entry.claims.get("", {}).get("document_key")
        for name, claim in table.items():
            if name in CLAIM_KEYS:
                continue
            if not isinstance(claim, dict):
                self.error(entry, f"provenance.{name}", "expected a table")
            elif _field(entry.kind.model, name) is None:
                self.error(entry, f"provenance.{name}", "names no field of this entry")
            else:
                self.read_claim(entry, name, claim, document)

    def read_claim(self, entry, name, claim, document):
        label = f"provenance.{name}" if name else "provenance"
        unknown = set(claim) - CLAIM_KEYS
        document = claim.get("document", document)
        if unknown:
            self.error(entry, label, f"unknown key {', '.join(sorted(unknown))}")
        elif document not in self.documents:
            known = ", ".join(sorted(self.documents))
            found = f"{document!r} is not" if document else "every entry names its source:"
            self.error(entry, f"{label}.document", f"{found} a document of {SOURCES} ({known})")
        elif ("passage" in claim) == ("inferred" in claim):
            self.error(entry, label, "quote a passage (a fact) or say what it is inferred from")
        elif not all(isinstance(claim.get(key, ""), str) for key in CLAIM_KEYS):
            self.error(entry, label, "document, passage, inferred and note are text")
        else:
            entry.claims[name] = {
                "document_key": document,
                "document": self.documents[document]["title"],
                "passage": claim.get("passage", ""),
                "is_inferred": "inferred" in claim,
                "basis": claim.get("inferred", ""),
                "note": claim.get("note", ""),
            }

    def check_references(self, entries):
        keys = {kind.model: {e.key for e in entries[kind.name]} for kind in KINDS}
        for entry in walk(entries):
            refs = [
                (name, [key])
                for name, key in entry.fields.items()
                if key is not None and related_model(entry.kind.model, name)
            ]
            for name, values in refs + list(entry.many.items()):
                target = related_model(entry.kind.model, name)
                for value in values:
                    if value not in keys[target]:
                        file = f"{KIND_OF_MODEL[target].name}.toml"
                        self.error(entry, name, f"no entry {value!r} in {file}")


def walk(entries: dict):
    """Every entry of every kind, nested ones after the entry holding them."""
    stack = [entry for kind in KINDS for entry in entries[kind.name]][::-1]
    while stack:
        entry = stack.pop()
        yield entry
        stack.extend(entry.children[::-1])


def _field(model, name):
    """The model field the data may set under this name, or None."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    settable = model_field.concrete or model_field.many_to_many
    if not settable or model_field.auto_created or not model_field.editable:
        return None
    return model_field


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _has_tags(model) -> bool:
    return any(isinstance(f, TaggableManager) for f in model._meta.get_fields())


def related_model(model, name):
    model_field = _field(model, name)
    return model_field.related_model if model_field and model_field.is_relation else None
