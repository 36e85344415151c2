"""Site-wide template tags: fixed links, the header navigation, page-number links, Markdown."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from ..markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """A curator's Markdown as sanitised HTML (publishing/markdown.py)."""
    return render_markdown(text)


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def site_navigation(context):
    """The header links (SITE_NAVIGATION), marking the current page and its section."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = match.view_name if match else ""
    items = [
        {
            "text": text,
            "href": reverse(name),
            "current": here == name,
            "active": here in section,
        }
        for text, name, section in settings.SITE_NAVIGATION
    ]
    return {"items": items}


@register.simple_tag(takes_context=True)
def page_links(context, page_obj, on_each_side=1, on_ends=1):
    """The links of a list's pagination: previous, the numbers around this page, next.

    ``numbers`` holds a dict (number, href, current) per page link and None for each
    ellipsis between runs. Each href keeps the rest of the query string, encoded once
    for all the links ({% querystring page=n %} copies and encodes it for each).
    """
    query = context["request"].GET
    rest = urlencode([(k, v) for k, values in query.lists() if k != "page" for v in values])

    def href(number):
        return f"?{rest}&page={number}" if rest else f"?page={number}"

    here = page_obj.number
    pages = page_obj.paginator.get_elided_page_range(
        here, on_each_side=on_each_side, on_ends=on_ends
    )
    return {
        "previous": href(here - 1) if page_obj.has_previous() else "",
        "next": href(here + 1) if page_obj.has_next() else "",
        # The ellipsis is a lazy translation: comparing with it translates it each time.
        "numbers": [
            # The number as text: an int in a template goes through number formatting.
            {"number": str(n), "href": href(n), "current": n == here}
            if isinstance(n, int)
            else None
            for n in pages
        ],
    }
