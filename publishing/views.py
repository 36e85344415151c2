import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import database

# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30
# /healthz answers within two seconds, so a load balancer sees a stalled database in time.
HEALTHZ_DEADLINE_SECONDS = 1.5


@never_cache
@csrf_exempt  # reads only: require_safe answers 405 to anything else
@require_safe
def healthz(request):
    """For load balancers and uptime checks: is this worker able to reach the database?"""
    try:
        with database.deadline(HEALTHZ_DEADLINE_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return database_unavailable_response("database unavailable\n", "text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def database_unavailable_response(content, content_type="text/html; charset=utf-8"):
    response = HttpResponse(content, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500: a database that is down or stalled is a 503 to come back to, not a 500.

    Like Django's default, it renders with no context: nothing here may query.
    """
    if _is_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(loader.get_template("503.html").render())
    return HttpResponseServerError(loader.get_template(template_name).render())


def _is_unavailable(error) -> bool:
    # OperationalError: refused, timed out, connection lost, database locked. Errors in
    # the SQL itself (ProgrammingError, IntegrityError) are bugs, and stay 500s. The
    # driver's own classes too: closing a server-side cursor is outside Django's wrapping.
    driver = getattr(connection, "Database", None)
    unavailable = (OperationalError, InterfaceError)
    if driver is not None:
        unavailable += (driver.OperationalError, driver.InterfaceError)
    return isinstance(error, unavailable)


# Temporary, cached for a day: the target's hashed name changes when the icon does.
@cache_control(public=True, max_age=60 * 60 * 24)
@csrf_exempt  # reads only: require_safe answers 405 to anything else
@require_safe
def favicon(request):
    """For browsers and tools that ask for /favicon.ico whatever the page links to."""
    return HttpResponseRedirect(static("favicon.svg"))
