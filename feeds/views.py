from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Crawlers stay out of the admin, of search results and of any address with parameters
# (filtered and paginated lists, OAI-PMH requests): the sitemap lists every page once.
# RFC 9309's "*" wildcard; crawlers that do not know it still honour the plain prefixes.
DISALLOWED = ["/admin/", "/search/", "/*?"]


@cache_control(public=True, max_age=60 * 60 * 24)
@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('feeds:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
