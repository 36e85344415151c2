"""Public pages say briefly, in plain words, which facts are inferred rather than stated."""

from django import template

register = template.Library()


@register.filter
def inferred(entry, field=""):
    """The public note of the unconfirmed inference about ``field`` of ``entry``, or ""."""
    inference = getattr(entry, "inference", None)
    note = inference(field) if inference else None
    return note.public_note if note else ""
