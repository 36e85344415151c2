from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API under /api/, its OpenAPI schema and its documentation page."""

    name = "api"
    verbose_name = "Read-only API"
