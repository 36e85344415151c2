"""Public pages say briefly, in plain words, which facts are inferred rather than stated."""

from django import template

from publishing.provenance import inference_note

register = template.Library()


@register.filter
def inferred(entry, field=""):
    """The public note of the unconfirmed inference about ``field`` of ``entry``, or "".

    ``field`` is a field name, ``entry`` for the entry as a whole, or ``relation__field``.
    Views annotate the notes with ``publishing.provenance.with_inferences``.
    """
    return inference_note(entry, field)
