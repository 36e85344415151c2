"""Staff sessions: signed out after a spell without activity, and two factors before the admin."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import twofactor

LAST_SEEN_KEY = "staff_last_seen"
# Set once a request found no authenticator for this user while two factors are optional,
# so later admin pages of the same sign-in skip the look-up (signing out clears it).
NO_DEVICE_KEY = "staff_no_two_factor"
# The session is written at most this often by activity alone (a write per request would
# cost every admin page a query); the idle limit is therefore exact to within this.
TOUCH_EVERY_SECONDS = 60


def idle_limit_seconds() -> int:
    return int(settings.EMPAC_ADMIN_IDLE_MINUTES * 60)


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware.

    1. A signed-in staff member idle for longer than ``EMPAC_ADMIN_IDLE_MINUTES`` is
       signed out and sent to the sign-in page saying why.
    2. In the admin, a staff member with an authenticator must give a code after the
       password; one without is sent to set one up when ``EMPAC_REQUIRE_TWO_FACTOR``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            response = self._idle(request) or self._two_factor(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _idle(self, request):
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        limit = idle_limit_seconds()
        if last_seen is not None and now - last_seen > limit:
            logout(request)
            minutes = settings.EMPAC_ADMIN_IDLE_MINUTES
            messages.info(
                request,
                f"You were signed out after {minutes:g} minutes without activity. "
                "Sign in again to carry on.",
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('admin:login')}?{query}")
        if last_seen is None or now - last_seen >= TOUCH_EVERY_SECONDS:
            request.session[LAST_SEEN_KEY] = now
            # The stored session ends with the idle time too, so nothing outlives it.
            request.session.set_expiry(limit + TOUCH_EVERY_SECONDS)
        return None

    def _two_factor(self, request):
        admin_prefix = reverse("admin:index")
        path = request.path_info
        if not path.startswith(admin_prefix) or request.user.is_verified():
            return None
        exempt = {
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("staff:two-factor-verify"),
            reverse("staff:two-factor-enrol"),
            reverse("admin:jsi18n"),
        }
        if path in exempt:
            return None
        required = settings.EMPAC_REQUIRE_TWO_FACTOR
        if not required and request.session.get(NO_DEVICE_KEY):
            return None
        query = urlencode({"next": request.get_full_path()})
        if twofactor.has_two_factor(request.user):
            return redirect(f"{reverse('staff:two-factor-verify')}?{query}")
        if required:
            return redirect(f"{reverse('staff:two-factor-enrol')}?{query}")
        request.session[NO_DEVICE_KEY] = True
        return None
