"""The content version: one value that names the published content as it is now.

One row in the database (``publishing.ContentVersion``) holds it. Every saved, deleted
or re-linked content object gives it a new random value in the same transaction as the
change, and commands that write in bulk call ``bump_content_version()``. Anything
derived from content and cached under a key that includes the value (whole pages in
``publishing.middleware``, filter choices and list keys through ``content_cached``) is
never stale: the moment a change commits, every worker on every server looks for new
keys, and old entries are never read again and age out.

Scheduled publishing changes what is public with no write at all: an item goes live or
expires by the clock. So the row also holds when the next such change falls
(``next_change``, computed whenever a publishable item is saved or deleted); the first
request after it gives the version a new value and computes the one after, so no page
is served from the cache past a scheduled change it depends on.

The value is random rather than a count so that it names one state of the content:
after a backup is restored, a count would climb back through numbers this worker
already used for other content, while a random value never comes round again.
Reading it costs one primary-key query per request.
"""

import datetime
import hashlib
import secrets
import threading
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

from . import clock
from .models import ContentVersion, Publishable, Status
from .signals import schedule_passed

VERSION_ROW = 1
_MISSING = object()
# What the request being served already knows (the version as a key prefix, the cache),
# so fragments reuse it. Per thread: the middleware and the view run on the same one.
_request = threading.local()


def _new_version() -> int:
    # 63 bits fit a signed bigint; never 0, which stands for "no row".
    return secrets.randbelow(2**63 - 1) + 1


def publishable_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable)
        and model._meta.app_label in settings.PAGE_CACHE_CONTENT_APPS
    ]


def next_scheduled_change(*, using: str = DEFAULT_DB_ALIAS) -> float | None:
    """When the next go-live or expiry of a published item falls (Unix seconds), or None.

    One query per publishable model, on the indexed go-live and expiry columns.
    """
    now = clock.now()
    found = []
    for model in publishable_models():
        soonest = (
            model._default_manager.using(using)
            .filter(Q(go_live_at__gt=now) | Q(expires_at__gt=now), status=Status.PUBLISHED)
            .aggregate(
                go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
                expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
            )
        )
        found += [moment for moment in soonest.values() if moment is not None]
    return min(found).timestamp() if found else None


def bump_content_version(*, using: str = DEFAULT_DB_ALIAS, schedule_changed: bool = True) -> None:
    """Invalidate everything cached from content; call after writes that send no signals.

    For bulk_create() and update(). One UPDATE on the writer's connection, so it
    commits or rolls back with the change; with ``schedule_changed`` (a publishable item
    may have changed) the next scheduled change is computed again too.
    """
    values = {"version": _new_version()}
    if schedule_changed:
        values["next_change"] = next_scheduled_change(using=using)
    versions = ContentVersion.objects.using(using)
    if versions.filter(pk=VERSION_ROW).update(**values):
        return
    # The migration makes the row; a flushed database (as in tests) needs it again.
    versions.update_or_create(pk=VERSION_ROW, defaults=values)


def _read_version(using: str) -> tuple[int, float | None]:
    connection = connections[using]
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, next_change FROM {table} WHERE id = %s", [VERSION_ROW])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, None)


def current_content_version(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """The content version now; past a scheduled change, a new one (see the module doc)."""
    version, next_change = _read_version(using)
    if next_change is not None and next_change <= clock.now().timestamp():
        # Only the first worker to see the change writes; the others read what it wrote.
        new = _new_version()
        if (
            ContentVersion.objects.using(using)
            .filter(pk=VERSION_ROW, version=version)
            .update(version=new, next_change=next_scheduled_change(using=using))
        ):
            schedule_passed.send(
                sender=ContentVersion,
                since=datetime.datetime.fromtimestamp(next_change, tz=datetime.UTC),
                until=clock.now(),
                using=using,
            )
            # A receiver may start another version once its own work is written (search
            # does, after indexing what went live): serve the one after them.
            return _read_version(using)[0]
        version, _ = _read_version(using)
    return version


def content_now(version: int | None = None) -> str:
    """The content version and today's date: pages say which roles are current."""
    if version is None:
        version = current_content_version()
    return f"{version}:{timezone.localdate(clock.now())}"


@contextmanager
def serving(now: str, cache):
    """While a request is served, let fragments reuse its content version and cache."""
    _request.content_now, _request.cache = now, cache
    try:
        yield
    finally:
        _request.content_now = _request.cache = None


@contextmanager
def serving_once(cache):
    """As serving(), unless the request is already being served (by the page cache)."""
    if getattr(_request, "content_now", None):
        yield
        return
    with serving(content_now(), cache):
        yield


def content_key(name: str) -> str:
    """Name something derived from content as it is now: stored under it, it is never stale."""
    now = getattr(_request, "content_now", None) or content_now()
    return f"{now}:{name}"


def digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def content_cached(name: str, compute):
    """Return compute(), computed once per content version in this worker.

    For values derived only from published content that many pages would otherwise
    recompute on every request: filter choices, result counts. They are as fresh as
    the pages themselves, because they are keyed by the same version. Any name will do:
    it is hashed, so the key stays short and free of spaces for any cache backend.
    """
    cache = getattr(_request, "cache", None) or caches["pages"]
    key = f"content:{digest(content_key(name))}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value


class Memo:
    """Answers kept for the current content version in this worker, at most ``limit``.

    For facts that only a content write can change (a key public, a word known, a
    tag's name): kept until the version changes, as cached pages are, then begun again.
    Each worker holds its own; nothing is shared or stored.
    """

    def __init__(self, name: str, limit: int, empty=dict):
        self.name, self.limit, self.empty = name, limit, empty
        # One reference, swapped whole: a thread never sees one version with the
        # answers of another.
        self.state = (None, empty())

    def current(self):
        version = content_key(self.name)
        kept, values = self.state
        if kept != version or len(values) > self.limit:
            values = self.empty()
            self.state = (version, values)
        return values


def _shows_on_public_pages(model) -> bool:
    # Historical models (module "__fake__") are migrations at work; post_migrate covers them.
    # The version row itself is not content: bumping it must not bump it again.
    return (
        model._meta.app_label in settings.PAGE_CACHE_CONTENT_APPS
        and model is not ContentVersion
        and model.__module__ != "__fake__"
    )


def _content_saved_or_deleted(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if _shows_on_public_pages(sender):
        bump_content_version(using=using, schedule_changed=issubclass(sender, Publishable))


def _content_relinked(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    # The sender is the through model, which lives in the app that declares the field.
    if action.startswith("post_") and _shows_on_public_pages(sender):
        bump_content_version(using=using, schedule_changed=False)


def _migrated(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # Data migrations change content too; a database flush (tests) also ends here.
    table = ContentVersion._meta.db_table
    if table in connections[using].introspection.table_names():
        # The schedule is left as it was: mid-way through migrating, not every
        # publishable table need have its schedule columns yet.
        bump_content_version(using=using, schedule_changed=False)


def connect_signals(app_config) -> None:
    """Called from PublishingConfig.ready(), so shells and commands bump the version too."""
    post_save.connect(_content_saved_or_deleted, dispatch_uid="content-version-post-save")
    post_delete.connect(_content_saved_or_deleted, dispatch_uid="content-version-post-delete")
    m2m_changed.connect(_content_relinked, dispatch_uid="content-version-m2m-changed")
    # post_migrate is sent once per app; one app is enough to hear about each migrate.
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="content-version-migrate")
