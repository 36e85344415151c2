"""What public pages say is inferred, read in the query that fetches the entries.

``with_inferences(queryset, "theme", …)`` annotates each row with the public note of any
unconfirmed inference about those fields (empty where there is none), so a list shows its
notes without a query per row; the ``inferred`` template filter reads the annotations.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Expression, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from .models import Provenance
from .versioning import content_cached

DEFAULT_NOTE = "inferred from the sources, not stated in them"
ENTRY = "entry"  # how annotations and templates name an inference about the entry as a whole
# Unconfirmed inferences written into queries as values up to this many (with_inferences).
LITERAL_NOTES_LIMIT = 500


def annotation(name: str) -> str:
    return f"inferred_{name or ENTRY}"


def _notes(model, ref, field):
    # By the content type's key (ContentType's cache knows it after the first request):
    # naming it by app label and model joined the content types in every subquery, and
    # building those joins was a third of a report page's time in Python.
    notes = Provenance.objects.unconfirmed_inferences().filter(
        content_type_id=ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
        object_id=OuterRef(ref),
        field=field,
    )
    shown = Case(When(note="", then=Value(DEFAULT_NOTE)), default="note")
    return notes.annotate(shown=shown).values("shown")[:1]


def _unconfirmed_notes() -> dict | None:
    """Every unconfirmed inference's shown note, by (content type key, field) and then by
    entry key, kept per content version; None where there are too many to keep."""

    def compute():
        rows = Provenance.objects.unconfirmed_inferences().order_by(
            "content_type_id", "object_id", "field", "id"
        )
        rows = list(rows.values_list("content_type_id", "field", "object_id", "note"))
        if len(rows) > LITERAL_NOTES_LIMIT:
            return None
        found = {}
        for content_type, field, entry, note in rows:
            # The first by key, as the subquery's [:1] takes it.
            found.setdefault((content_type, field), {}).setdefault(entry, note or DEFAULT_NOTE)
        return found

    return content_cached(f"unconfirmed-inference-notes:{LITERAL_NOTES_LIMIT}", compute)


class NoteByKey(Expression):
    """``CASE <ref> WHEN <key> THEN <note> … ELSE '' END``: each entry's note, by its key.

    What ``Case(When(ref=key, then=Value(note)), …)`` says, written as SQL directly: a
    ``When`` per note was resolved as a filter each time a query was built, 0.25 ms a
    note, and a role's six noted fields made the report page's roles query 5.4 ms to
    build and run instead of 1.8 (in-process, 10,000 reports).
    """

    output_field = CharField()

    def __init__(self, ref: str, notes: dict):
        super().__init__()
        self.ref, self.notes = F(ref), notes

    def get_source_expressions(self):
        return [self.ref]

    def set_source_expressions(self, exprs):
        (self.ref,) = exprs

    def as_sql(self, compiler, connection):
        ref, params = compiler.compile(self.ref)
        whens = []
        for key, note in self.notes.items():
            whens.append("WHEN %s THEN %s")
            params = (*params, key, note)
        return f"CASE {ref} {' '.join(whens)} ELSE '' END", params


def _notes_of(model, ref, field, known):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
    if known is None:
        return Coalesce(Subquery(_notes(model, ref, field)), Value(""))
    notes = known.get((content_type, field), {})
    if not notes:
        return Value("")
    return NoteByKey(ref, notes)


def with_inferences(queryset, *fields):
    """Annotate rows with the notes of unconfirmed inferences about these fields.

    ``ENTRY`` names the entry as a whole; ``relation__field`` a field of a related entry,
    such as ``latest_source__published_on``.

    While there are at most ``LITERAL_NOTES_LIMIT`` of them (the EMPAC content has 40),
    the notes are read once per content version (every Provenance write gives it a new
    value) and written into the query as values, where there are any: one subquery a
    field made the query slow to build and compile, about a third of the CPU time of a
    report page or /people/ at 100,000 reports (measured in-process).
    """
    known = _unconfirmed_notes()
    annotations = {}
    for name in fields:
        model, ref, field = queryset.model, "pk", name
        if "__" in name:
            relation, field = name.split("__", 1)
            model_field = model._meta.get_field(relation)
            model, ref = model_field.related_model, model_field.attname
        field = "" if field == ENTRY else field
        annotations[annotation(name)] = _notes_of(model, ref, field, known)
    return queryset.annotate(**annotations)


def inference_note(entry, name: str = "") -> str:
    """The note ``with_inferences`` annotated, or else looked up (a query) for one entry."""
    if entry is None:
        return ""
    found = getattr(entry, annotation(name), None)
    if found is not None:
        return found
    if "__" in name:
        relation, name = name.split("__", 1)
        entry = getattr(entry, relation)
        if entry is None:
            return ""
    rows = with_inferences(type(entry)._default_manager.filter(pk=entry.pk), name or ENTRY)
    return rows.values_list(annotation(name), flat=True).first() or ""
