import sys

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
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


def may_preview(user, model) -> bool:
    """Signed-in staff who may view this kind of item see it before it is public."""
    opts = model._meta
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


def gone_response(request, obj):
    """410 Gone for an item that was public: what it was and when it went, nothing of it."""
    response = render(
        request,
        "publishing/gone.html",
        {"kind": obj._meta.verbose_name, "since": obj.gone_since},
        status=410,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


class PublicItemMixin:
    """For the public page of one Publishable item, found by ``slug``.

    Gives the page a staff-only preview (``as_view(preview=True)``): the same page, the
    item shown whatever its state, marked "Preview – not public", never cached and
    never indexed. A withdrawn or expired item's address answers 410 Gone. The view
    reads the item through ``self.visible(Model.objects)``.
    """

    preview = False
    item_model = None

    def visible(self, manager):
        return manager.all() if self.preview else manager.published()

    def dispatch(self, request, *args, **kwargs):
        if self.preview and not may_preview(request.user, self.item_model):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            raise PermissionDenied("Previews are for staff who may view this content.")
        try:
            response = super().dispatch(request, *args, **kwargs)
        except Http404:
            if self.preview:
                raise
            gone = self.item_model.objects.gone().filter(slug=kwargs.get("slug")).first()
            if gone is None:
                raise
            return gone_response(request, gone)
        if self.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)
