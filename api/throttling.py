"""Requests to the API and OAI-PMH counted per client address, shared by every worker.

The counters live where all workers see them: Redis when REDIS_URL is set (a "ratelimit"
cache), otherwise the database (the same fixed-window counters as the Get involved
form, ``involvement.ratelimit``). Never in a worker's memory, where each worker would
give a client its own allowance.

It runs as middleware after URL resolution, so it counts every request to those
addresses, those answered from the response cache and 304s included; over the limit,
a 429 with Retry-After and the API's error shape.
"""

import datetime

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.utils import timezone

from involvement.ratelimit import RateLimitResult, address_key, client_address, rate_limit_hit

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


def count_request(request) -> RateLimitResult:
    key = address_key(client_address(request), scope=SCOPE)
    limit = settings.EMPAC_API_RATE_LIMIT
    window = settings.EMPAC_API_RATE_WINDOW_SECONDS
    if "ratelimit" in settings.CACHES:
        return count_in_cache(caches["ratelimit"], key=key, limit=limit, window_seconds=window)
    return rate_limit_hit(key=key, limit=limit, window_seconds=window)


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
