"""Validators and a response cache for what is served besides HTML pages.

Feeds, the sitemap, the API and OAI-PMH answer in XML or JSON, which the page cache
(``publishing.middleware``) does not keep. ``cached_by_content`` gives such a view the same
freshness rule as pages: an answer is named by the content version and its own address,
so it is never stale, and it carries

- an ``ETag`` naming exactly that (a client's ``If-None-Match`` gets a 304 without the
  view running),
- a ``Last-Modified`` of when this worker first saw the content as it is
  (``If-Modified-Since`` gets a 304 too; one-second resolution, so clients should prefer
  the ETag),
- ``Cache-Control: public, no-cache``: shared caches may keep the answer but must ask
  again every time, so an item that stops being public is gone on the next request.

A 200 is stored in this worker's page cache under the same kind of key as a page.
Errors are never stored, and never carry validators.
"""

import functools
from urllib.parse import parse_qsl, urlencode

from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date

from .versioning import content_cached, content_key, digest, serving_once


def request_address(request) -> str:
    """The absolute address with parameters in a fixed order: one name for one answer."""
    params = sorted(
        parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True),
        key=lambda pair: pair[0],
    )
    return f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"


def content_first_seen():
    """When this worker first served the content as it is now (never earlier than the change)."""
    return content_cached("first-seen", lambda: timezone.now().replace(microsecond=0))


def cached_by_content(view):
    """Serve GET and HEAD with content validators, from the page cache when stored."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with serving_once(caches["pages"]):
            return respond(request, *args, **kwargs)

    def respond(request, *args, **kwargs):
        name = content_key(request_address(request))
        etag = quote_etag(digest(name))
        last_modified = content_first_seen()
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified.timestamp()
        )
        if response is None:
            cache = caches["pages"]
            key = f"response:{digest(name)}"
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content, headers=headers)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                if response.status_code != 200:
                    return response
                if not response.streaming and not response.cookies:
                    cache.set(key, (response.content, dict(response.items())))
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapped
