"""Page metadata for machines: canonical address, Open Graph, JSON-LD.

``{% capture name %}…{% endcapture %}`` renders its contents once into a variable, so
the title and description blocks each page fills feed <title>, the description meta tag
and Open Graph alike.
"""

import json
from urllib.parse import parse_qsl, urlencode

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script escapes: the JSON cannot end the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Rendered with autoescaping, so the captured markup is already safe.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("{% capture name %} takes one name") from None
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


def site_root(request) -> str:
    """The site's address: EMPAC_SITE_URL when set (behind a proxy), else the request's."""
    return settings.EMPAC_SITE_URL or f"{request.scheme}://{request.get_host()}"


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address, absolute, without empty parameters (an unfiltered filter form)."""
    request = context.get("request")
    if request is None:
        return ""
    try:
        root = site_root(request)
    except DisallowedHost:  # the 400 page for a request naming a host not ours
        return ""
    params = [(k, v) for k, v in parse_qsl(request.META.get("QUERY_STRING", "")) if v]
    query = f"?{urlencode(params)}" if params else ""
    return f"{root}{request.path}{query}"


@register.filter
def json_ld(data) -> str:
    """A schema.org description as <script type="application/ld+json"> (data, not code)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )
