"""What public pages say is inferred, read in the query that fetches the entries.

``with_inferences(queryset, "theme", …)`` annotates each row with the public note of any
unconfirmed inference about those fields (empty where there is none), so a list shows its
notes without a query per row; the ``inferred`` template filter reads the annotations.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from .models import Provenance

DEFAULT_NOTE = "inferred from the sources, not stated in them"
ENTRY = "entry"  # how annotations and templates name an inference about the entry as a whole


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


def with_inferences(queryset, *fields):
    """Annotate rows with the notes of unconfirmed inferences about these fields.

    ``ENTRY`` names the entry as a whole; ``relation__field`` a field of a related entry,
    such as ``latest_source__published_on``.
    """
    annotations = {}
    for name in fields:
        model, ref, field = queryset.model, "pk", name
        if "__" in name:
            relation, field = name.split("__", 1)
            model_field = model._meta.get_field(relation)
            model, ref = model_field.related_model, model_field.attname
        field = "" if field == ENTRY else field
        annotations[annotation(name)] = Coalesce(Subquery(_notes(model, ref, field)), Value(""))
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
