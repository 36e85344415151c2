from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def curator_emails_configured(app_configs, **kwargs):
    """Without curator addresses, registrations wait unannounced in the admin."""
    if settings.EMPAC_CURATOR_EMAILS:
        return []
    return [
        Warning(
            "EMPAC_CURATOR_EMAILS is empty, so nobody is emailed about new registrations.",
            hint="Set it to a comma-separated list of curator addresses.",
            id="involvement.W001",
        )
    ]
