"""Whole-page cache for anonymous readers that never serves stale content.

Pages are keyed by the content version (``publishing.versioning``), so an edit shows on
the very next request to every worker on every server. Each worker keeps its pages in
its own cache ("pages" in CACHES).
"""

from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.cache import cc_delim_re

from .versioning import bump_content_version, content_now, digest, serving

CACHE_HEADER = "X-Page-Cache"


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD requests for public pages from this worker's page cache.

    Sits just after WhiteNoise, before sessions: a hit skips the rest of the stack.
    Anyone carrying a session or messages cookie (a signed-in curator, a visitor
    with a pending message) always gets a freshly rendered page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["pages"]
        self.skip_prefixes = tuple(settings.PAGE_CACHE_SKIP_PREFIXES)
        self.bypass_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        self._admin_prefix = None

    def __call__(self, request):
        if not self._may_serve_from_cache(request):
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD", "OPTIONS") and self._is_admin(request):
                # Admin actions may write with QuerySet.update(), which sends no signal.
                bump_content_version()
            return response

        try:
            now = content_now()
        except DatabaseError:
            # Without the version no stored page is known to be fresh. Render afresh: a
            # page that needs no content (/about/) is still served, the rest answer 503.
            return self.get_response(request)
        key = self._key(request, now)
        stored = self.cache.get(key)
        if stored is not None:
            response = self._from_cache(stored)
            response[CACHE_HEADER] = "hit"
            return response

        with serving(now, self.cache):
            response = self.get_response(request)
        if self._may_store(request, response):
            self.cache.set(key, self._for_cache(response))
        response[CACHE_HEADER] = "miss"
        return response

    def _is_admin(self, request) -> bool:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return request.path.startswith(self._admin_prefix)

    def _may_serve_from_cache(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(self.skip_prefixes)
            and not any(name in request.COOKIES for name in self.bypass_cookies)
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def _key(self, request, content_now: str) -> str:
        # Parameters in any order name the same page; repeated ones keep their order.
        params = sorted(
            parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True),
            key=lambda pair: pair[0],
        )
        address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
        return f"page:{content_now}:{digest(address)}"

    @staticmethod
    def _may_store(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        # Vary: Cookie is honoured by never serving requests that carry the cookies that
        # matter; any other Vary would need its header in the key, so such pages are skipped.
        varies = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h}
        if varies - {"cookie"}:
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _for_cache(response) -> tuple[bytes, dict[str, str]]:
        return response.content, dict(response.items())

    @staticmethod
    def _from_cache(stored) -> HttpResponse:
        content, headers = stored
        return HttpResponse(content, headers=headers)


class MethodNotAllowedMiddleware:
    """Answer 405 with Allow when a class-based view has no handler for the method.

    CsrfViewMiddleware would otherwise refuse a PUT or DELETE to a read-only page with
    403, which tells a client the wrong thing. Sits just before it. Function views that
    only read say so with require_safe, which answers 405 itself (they are csrf_exempt).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if view_class is None or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        method = request.method.lower()
        if method in view_class.http_method_names and hasattr(view_class, method):
            return None
        allowed = [m.upper() for m in view_class.http_method_names if hasattr(view_class, m)]
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.append("HEAD")  # View.setup() answers HEAD with get()
        return HttpResponseNotAllowed(sorted(allowed))
