"""Small helpers for writing GOV.UK Frontend form markup by hand."""

from django import template
from django.forms.widgets import ChoiceWidget

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
    if isinstance(field.field.widget, ChoiceWidget):
        first = next(iter(field.subwidgets), None)
        if first is not None:
            return first.id_for_label
    return field.auto_id
