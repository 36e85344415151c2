"""What a locked-out sign-in sees: when it may try again, in UK local time."""

import datetime
import ipaddress

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone

from involvement.ratelimit import client_address


def lock_ends_at(*, username: str | None, ip_address: str | None) -> datetime.datetime | None:
    """When the latest failure counted against this username or address stops counting."""
    cool_off = get_cool_off()
    if cool_off is None:
        return None
    matches = Q(ip_address=ip_address) if ip_address else Q(pk__in=[])
    if username:
        matches |= Q(username=username)
    latest = AccessAttempt.objects.filter(matches).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the admin's own look, a 429 and the time to come back."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    ends = lock_ends_at(username=username, ip_address=getattr(request, "axes_ip_address", None))
    minutes = None
    if ends:
        minutes = max(1, -(-int((ends - timezone.now()).total_seconds()) // 60))
    # Rendered now: axes' middleware answers after the view's response has been handled.
    response = render(
        request,
        "staff/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": "Sign-in locked",
            "failure_limit": get_failure_limit(request, credentials),
            "ends": ends and timezone.localtime(ends),
            "minutes": minutes,
        },
        status=429,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the site's one client-address rule (EMPAC_TRUSTED_PROXY_COUNT).

    None where there is no address (a sign-in made outside a web request), which axes
    stores as unknown rather than failing on PostgreSQL's inet column.
    """
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
