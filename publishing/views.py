from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """For load balancers and uptime checks: is this worker able to reach the database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# Temporary, cached for a day: the target's hashed name changes when the icon does.
@cache_control(public=True, max_age=60 * 60 * 24)
@require_safe
def favicon(request):
    """For browsers and tools that ask for /favicon.ico whatever the page links to."""
    return HttpResponseRedirect(static("favicon.svg"))
