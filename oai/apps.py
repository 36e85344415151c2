from django.apps import AppConfig


class OaiConfig(AppConfig):
    """OAI-PMH 2.0 at /oai/ for repositories and aggregators that harvest the reports."""

    name = "oai"
    verbose_name = "OAI-PMH"
    default_auto_field = "django.db.models.BigAutoField"
