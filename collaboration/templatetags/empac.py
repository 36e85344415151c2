"""Site-wide template helpers: the header navigation and page-number links."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

register = template.Library()

# (label, URL name, URL names that count as being in that section)
NAVIGATION = [
    ("Themes", "collaboration:theme-list", {"collaboration:theme-detail"}),
    ("Reports", "reports:report-list", {"reports:report-detail"}),
    ("Gap analyses", "reports:gapanalysis-list", {"reports:gapanalysis-detail"}),
    ("Partners", "collaboration:organisation-list", {"collaboration:organisation-detail"}),
    ("People", "collaboration:person-list", {"collaboration:person-detail"}),
    ("About", "collaboration:about", set()),
    ("Get involved", "involvement:register", set()),
]


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The header links, marking the current page (aria-current) and its section."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = match.view_name if match else ""
    return _navigation(here, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _navigation(here, script_prefix, urlconf):
    # The same on every page of a section, so each worker renders it once per section.
    items = [
        {
            "text": text,
            "href": reverse(name, urlconf=urlconf),
            "current": here == name,
            "active": here in section,
        }
        for text, name, section in NAVIGATION
    ]
    return render_to_string("includes/navigation.html", {"items": items})


@register.simple_tag
def page_links(page_obj, on_each_side=1, on_ends=1):
    """Page numbers around the current one, with the paginator's ellipsis between runs."""
    paginator = page_obj.paginator
    return [
        # The ellipsis is a lazy translation: comparing with it translates it each time.
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]


GAP_STATUS_COLOURS = {
    "identified": "blue",
    "scoped": "purple",
    "being_researched": "yellow",
    "answered": "green",
    "superseded": "grey",
}


@register.filter
def gap_tag_colour(status):
    """The GOV.UK tag colour modifier for a knowledge gap's status."""
    return GAP_STATUS_COLOURS.get(status, "grey")


ORGANISATION_KIND_HEADINGS = {
    "police_force": "Police forces",
    "pcc": "Police and Crime Commissioners’ offices",
    "rocu": "Regional organised crime unit",
    "university": "Universities",
    "other": "Other bodies",
}


@register.filter
def organisation_kind_heading(kind):
    """A plural heading for a group of organisations of one kind."""
    return ORGANISATION_KIND_HEADINGS.get(kind, kind)


@register.filter
def role_has_ended(role):
    """True when the role ended on or before today, as Role.objects.past() counts it."""
    return bool(role.end_date and role.end_date <= timezone.localdate())
