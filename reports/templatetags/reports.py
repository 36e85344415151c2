from django import template

from reports.models import KnowledgeGap, Recommendation

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


RECOMMENDATION_STATUS_TAGS = {
    Recommendation.Status.IMPLEMENTED: "govuk-tag govuk-tag--green",
    Recommendation.Status.IN_PROGRESS: "govuk-tag",
    Recommendation.Status.NOT_STARTED: "govuk-tag govuk-tag--yellow",
    Recommendation.Status.NOT_TAKEN_FORWARD: "govuk-tag govuk-tag--orange",
}


@register.filter
def recommendation_tag_class(status):
    """The GOV.UK tag classes for a recommendation's status (grey: not recorded)."""
    return RECOMMENDATION_STATUS_TAGS.get(status, "govuk-tag govuk-tag--grey")
