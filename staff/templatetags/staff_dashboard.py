from django import template

from ..dashboard import dashboard

register = template.Library()


@register.inclusion_tag("staff/dashboard.html", takes_context=True)
def staff_dashboard(context):
    return dashboard(context["request"].user)
