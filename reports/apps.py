from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and gap analyses"

    def ready(self):
        from . import counts

        counts.connect_signals()
