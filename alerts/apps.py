from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Email alerts: readers subscribe to themes or the gap register and get digests.

    Double opt-in, a signed unsubscribe link in every email, and digests built only from
    each digest source's public queryset (``alerts/sources.py``).
    """

    name = "alerts"
    verbose_name = "Email alerts"

    def ready(self):
        from involvement.personal_data import personal_data_holder_register

        from . import checks, services  # noqa: F401  (checks registers the system checks)

        personal_data_holder_register(
            "alert_subscriptions",
            export=services.subscription_personal_data,
            erase=services.subscription_erase,
            count=services.subscription_count,
        )
