"""Small helpers for writing GOV.UK Frontend form markup by hand."""

from django import template

register = template.Library()


@register.filter
def described_by(field) -> str:
    """The ids of a field's hint and error message, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def first_input_id(field) -> str:
    """Where an error summary link should land: the field, or its first option."""
    subwidgets = list(field.subwidgets)
    if len(subwidgets) > 1 or field.field.widget.input_type in {"checkbox", "radio"}:
        return subwidgets[0].id_for_label if subwidgets else field.auto_id
    return field.auto_id
