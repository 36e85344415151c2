"""Whole-page cache for anonymous readers that never serves stale content.

One row in the database names the content as it is (``collaboration.ContentVersion``).
Every saved, deleted or re-linked content object gives it a new random value in the
same transaction as the change, and commands that write in bulk call
``bump_content_version()``. Cached pages are keyed by that value, so the moment a change
commits, every worker on every server looks for new keys: old copies are never read
again and age out. The value is random rather than a count so that it names one state
of the content: after a backup is restored, a count would climb back through numbers
this worker already used for other content, while a random value never comes round
again. Each worker keeps its pages in its own LocMemCache ("pages"); reading the value
costs one primary-key query per request.
"""

import hashlib
import secrets
import threading
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import cc_delim_re

VERSION_ROW = 1
CACHE_HEADER = "X-Page-Cache"
_MISSING = object()
# What the request being served already knows (the version as a key prefix, the cache),
# so fragments reuse it. Per thread: the middleware and the view run on the same one.
_request = threading.local()


def _version_model():
    from collaboration.models import ContentVersion

    return ContentVersion


def _new_version() -> int:
    # 63 bits fit a signed bigint; never 0, which stands for "no row".
    return secrets.randbelow(2**63 - 1) + 1


def bump_content_version(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire every cached page; call after writes that send no signals (bulk_create, update).

    One UPDATE on the writer's connection, so it commits or rolls back with the change.
    """
    versions = _version_model().objects.using(using)
    if versions.filter(pk=VERSION_ROW).update(version=_new_version()):
        return
    # The migration makes the row; a flushed database (as in tests) needs it again.
    versions.update_or_create(pk=VERSION_ROW, defaults={"version": _new_version()})


def current_content_version(*, using: str = DEFAULT_DB_ALIAS) -> int:
    connection = connections[using]
    table = connection.ops.quote_name(_version_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = %s", [VERSION_ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def _content_now(version: int) -> str:
    # Pages say which roles are current, so a new day is new content too.
    return f"{version}:{timezone.localdate()}"


def content_key(name: str) -> str:
    """Name something derived from content as it is now: stored under it, it is never stale."""
    now = getattr(_request, "content_now", None) or _content_now(current_content_version())
    return f"{now}:{name}"


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def content_cached(name: str, compute):
    """Return compute(), worked out once per content version in this worker.

    For values derived only from published content that many pages would otherwise
    recompute on every request: filter choices, result counts. They are as fresh as
    the pages themselves, because they are keyed by the same version. Any name will do:
    it is hashed, so the key stays short and free of spaces for any cache backend.
    """
    cache = getattr(_request, "cache", None) or caches["pages"]
    key = f"content:{_digest(content_key(name))}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value


def _bookkeeping_models() -> tuple:
    # Rows in content apps that no page shows: the content version, the seed's records.
    from collaboration.models import ContentVersion, SeedRecord

    return (ContentVersion, SeedRecord)


def _shows_on_public_pages(model) -> bool:
    # Historical models (module "__fake__") are migrations at work; post_migrate covers them.
    return (
        model._meta.app_label in settings.PAGE_CACHE_CONTENT_APPS
        and model.__module__ != "__fake__"
        and model not in _bookkeeping_models()
    )


def _content_saved_or_deleted(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if _shows_on_public_pages(sender):
        bump_content_version(using=using)


def _content_relinked(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    # The sender is the through model, which lives in the app that declares the field.
    if action.startswith("post_") and _shows_on_public_pages(sender):
        bump_content_version(using=using)


def _migrated(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # Data migrations change content too; a database flush (tests) also ends here.
    table = _version_model()._meta.db_table
    if table in connections[using].introspection.table_names():
        bump_content_version(using=using)


def connect_signals(app_config) -> None:
    """Called from CollaborationConfig.ready(), so shells and commands bump too."""
    post_save.connect(_content_saved_or_deleted, dispatch_uid="pagecache-post-save")
    post_delete.connect(_content_saved_or_deleted, dispatch_uid="pagecache-post-delete")
    m2m_changed.connect(_content_relinked, dispatch_uid="pagecache-m2m-changed")
    # post_migrate is sent once per app; one app is enough to hear about each migrate.
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="pagecache-post-migrate")


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

        now = _content_now(current_content_version())
        key = self._key(request, now)
        frozen = self.cache.get(key)
        if frozen is not None:
            response = self._thaw(frozen)
            response[CACHE_HEADER] = "hit"
            return response

        _request.content_now, _request.cache = now, self.cache
        try:
            response = self.get_response(request)
        finally:
            _request.content_now = _request.cache = None
        if self._may_store(request, response):
            self.cache.set(key, self._freeze(response))
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
        return f"page:{content_now}:{_digest(address)}"

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
    def _freeze(response) -> tuple[bytes, dict[str, str]]:
        return response.content, dict(response.items())

    @staticmethod
    def _thaw(frozen) -> HttpResponse:
        content, headers = frozen
        return HttpResponse(content, headers=headers)
