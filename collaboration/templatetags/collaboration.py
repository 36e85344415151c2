from django import template

from collaboration.models import Organisation

register = template.Library()

Kind = Organisation.Kind
ORGANISATION_KIND_HEADINGS = {
    Kind.POLICE_FORCE: "Police forces",
    Kind.PCC: "Police and Crime Commissioners’ offices",
    Kind.ROCU: "Regional organised crime unit",
    Kind.UNIVERSITY: "Universities",
    Kind.OTHER: "Other bodies",
}


@register.filter
def organisation_kind_heading(kind):
    """A plural heading for a group of organisations of one kind."""
    return ORGANISATION_KIND_HEADINGS.get(kind, kind)
