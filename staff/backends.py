"""The lockout check on every sign-in (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for sign-ins made through a web request.

    Axes refuses an ``authenticate()`` without a request, which is how Django's test
    client and the shell sign in: those have no address to lock and go on to the
    password check as before. Every sign-in form passes its request, so is checked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
