from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "involvement"
    verbose_name = "Get involved: interest registrations"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
