from django import template

from reports.models import KnowledgeGap

register = template.Library()

GAP_STATUS_COLOURS = {
    KnowledgeGap.Status.IDENTIFIED: "blue",
    KnowledgeGap.Status.SCOPED: "purple",
    KnowledgeGap.Status.BEING_RESEARCHED: "yellow",
    KnowledgeGap.Status.ANSWERED: "green",
    KnowledgeGap.Status.SUPERSEDED: "grey",
}


@register.filter
def gap_tag_colour(status):
    """The GOV.UK tag colour modifier for a knowledge gap's status."""
    return GAP_STATUS_COLOURS.get(status, "grey")
