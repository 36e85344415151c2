from django.apps import AppConfig


class StaffConfig(AppConfig):
    """What staff meet in the admin around the content: a sign-in that resists attack
    (lockout, two-factor, idle expiry) and the dashboard of what waits for them."""

    name = "staff"
    verbose_name = "Staff sign-in"

    def ready(self):
        from . import signals

        signals.connect_signals()
