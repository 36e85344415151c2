"""Per-address rate limiting with the counters in the database.

A per-process cache would give each gunicorn worker its own count, so a
client could multiply its allowance by the number of workers. The database is
the one store every worker shares. Counts are kept per fixed time window, and
the address is stored only as a keyed hash.
"""

import datetime
import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitBucket


def client_address(request: HttpRequest) -> str:
    """The client's IP address, believing X-Forwarded-For only as far as settings trust it."""
    trusted = settings.EMPAC_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # Each trusted proxy appends the address it saw, so the client is the
        # entry the outermost trusted proxy added; anything left of it is claimed
        # by the client and may be forged.
        if hops:
            candidate = hops[-trusted] if len(hops) >= trusted else hops[0]
            if _is_ip(candidate):
                return candidate
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def address_key(address: str, *, scope: str) -> str:
    """A keyed hash of the address; IPv6 is grouped by /64, the block one subscriber gets."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        mapped = getattr(ip, "ipv4_mapped", None)
        if mapped is not None:
            network = str(mapped)
        elif ip.version == 6:
            network = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            network = str(ip)
    return salted_hmac(f"involvement.ratelimit.{scope}", network, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class RateLimitResult:
    count: int
    limit: int
    retry_after: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def rate_limit_hit(*, key: str, limit: int, window_seconds: int, now=None) -> RateLimitResult:
    """Count one request for `key` in the current window and say whether it is allowed."""
    now = now or timezone.now()
    epoch = int(now.timestamp())
    window_start = datetime.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=datetime.UTC)
    buckets = RateLimitBucket.objects.filter(key=key, window_start=window_start)
    with transaction.atomic():
        # The UPDATE locks the row until commit, so the count read back is exact
        # however many requests arrive together.
        if not buckets.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitBucket.objects.create(key=key, window_start=window_start, count=1)
            except IntegrityError:
                # Another request created the row first; count this one on it.
                buckets.update(count=F("count") + 1)
        count = buckets.values_list("count", flat=True).get()
    # Every counter of an earlier window has expired: purge them as they do (indexed).
    RateLimitBucket.objects.filter(window_start__lt=window_start).delete()
    retry_after = int((window_start - now).total_seconds()) + window_seconds
    return RateLimitResult(count=count, limit=limit, retry_after=max(retry_after, 1))


def rate_limit_stale_delete(*, now=None) -> int:
    """Delete counters from windows that have ended; returns how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.EMPAC_REGISTRATION_RATE_WINDOW_SECONDS)
    deleted, _ = RateLimitBucket.objects.filter(window_start__lt=cutoff).delete()
    return deleted


def limit_posts(scope: str):
    """View decorator: every POST counts against the client's allowance; over it, a 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                result = rate_limit_hit(
                    key=address_key(client_address(request), scope=scope),
                    limit=settings.EMPAC_REGISTRATION_RATE_LIMIT,
                    window_seconds=settings.EMPAC_REGISTRATION_RATE_WINDOW_SECONDS,
                )
                if not result.allowed:
                    response = TemplateResponse(
                        request,
                        "429.html",
                        {"retry_after_minutes": -(-result.retry_after // 60)},
                        status=429,
                    )
                    response["Retry-After"] = str(result.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
