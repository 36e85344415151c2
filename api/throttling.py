"""Requests to the API and OAI-PMH counted per client address, shared by every worker.

The counters live where all workers see them: Redis when REDIS_URL is set (a "ratelimit"
cache), otherwise the database (the Get involved form's fixed-window counters,
``involvement.RateLimitBucket``, counted in one statement). Never in a worker's memory,
where each worker would give a client its own allowance.

It runs as middleware after URL resolution, so it counts every request to those
addresses, those answered from the response cache and 304s included; over the limit,
a 429 with Retry-After and the API's error shape.
"""

import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import JsonResponse
from django.utils import timezone

from involvement.models import RateLimitBucket
from involvement.ratelimit import RateLimitResult, address_key, client_address

THROTTLED_NAMESPACES = {"api", "oai"}
SCOPE = "api"


def _window_start(now, window_seconds: int) -> int:
    epoch = int(now.timestamp())
    return epoch - epoch % window_seconds


def count_in_cache(cache, *, key: str, limit: int, window_seconds: int) -> RateLimitResult:
    """One request counted in a shared cache whose incr() is atomic (Redis)."""
    now = timezone.now()
    start = _window_start(now, window_seconds)
    name = f"ratelimit:{key}:{start}"
    cache.add(name, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr(): the window has just ended
        cache.add(name, 1, timeout=window_seconds + 1)
        count = 1
    ends = datetime.datetime.fromtimestamp(start + window_seconds, tz=datetime.UTC)
    retry_after = max(int((ends - now).total_seconds()), 1)
    return RateLimitResult(count=count, limit=limit, retry_after=retry_after)


def count_in_database(*, key: str, limit: int, window_seconds: int) -> RateLimitResult:
    """One request counted in one statement, exact however many workers count at once.

    The registration form's rate_limit_hit takes four queries in a transaction; at the
    API's request rates that write lock was most of a cached answer's cost (make bench:
    370 requests/s against 1,400 for the unthrottled feed on SQLite). An upsert with
    RETURNING, which SQLite (3.35+) and PostgreSQL spell alike, does it in one. Older
    windows of the address are deleted when a new one opens.
    """
    now = timezone.now()
    start = _window_start(now, window_seconds)
    window_start = datetime.datetime.fromtimestamp(start, tz=datetime.UTC)
    connection = connections[router.db_for_write(RateLimitBucket)]
    opts = RateLimitBucket._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    key_column, window_column, count_column = (
        quote(opts.get_field(name).column) for name in ("key", "window_start", "count")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {window_column}, {count_column}) "
            f"VALUES (%s, %s, 1) ON CONFLICT ({key_column}, {window_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"RETURNING {count_column}",
            [key, connection.ops.adapt_datetimefield_value(window_start)],
        )
        count = cursor.fetchone()[0]
    if count == 1:
        RateLimitBucket.objects.filter(key=key, window_start__lt=window_start).delete()
    ends = window_start + datetime.timedelta(seconds=window_seconds)
    retry_after = max(int((ends - now).total_seconds()), 1)
    return RateLimitResult(count=count, limit=limit, retry_after=retry_after)


def count_request(request) -> RateLimitResult:
    key = address_key(client_address(request), scope=SCOPE)
    limit = settings.EMPAC_API_RATE_LIMIT
    window = settings.EMPAC_API_RATE_WINDOW_SECONDS
    if "ratelimit" in settings.CACHES:
        return count_in_cache(caches["ratelimit"], key=key, limit=limit, window_seconds=window)
    return count_in_database(key=key, limit=limit, window_seconds=window)


def too_many_requests(result: RateLimitResult) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": (
                f"Too many requests from your address: {result.limit} are allowed every "
                f"{settings.EMPAC_API_RATE_WINDOW_SECONDS} seconds. "
                f"Try again in {result.retry_after} seconds."
            )
        },
        status=429,
    )
    response["Retry-After"] = str(result.retry_after)
    return response


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not THROTTLED_NAMESPACES & set(match.namespaces):
            return None
        if request.method == "OPTIONS":
            return None
        result = count_request(request)
        if not result.allowed:
            return too_many_requests(result)
        return None
