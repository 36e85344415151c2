from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def site_url_configured(app_configs, **kwargs):
    """Alert emails link back to the site: confirm, unsubscribe (RFC 8058), each item."""
    if settings.EMPAC_SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            "EMPAC_SITE_URL is not an https:// address, so the links in alert emails "
            "(confirm, unsubscribe, each item) point nowhere a reader can reach.",
            hint="Set it to the site's address, e.g. https://empac.example.org.",
            id="alerts.W001",
        )
    ]


@register(deploy=True)
def contact_email_configured(app_configs, **kwargs):
    """Readers need an address a person reads: the contact page, footer and Reply-To."""
    if settings.EMPAC_CONTACT_EMAIL:
        return []
    return [
        Warning(
            "EMPAC_CONTACT_EMAIL is empty (and so is EMPAC_CURATOR_EMAILS), so the contact "
            "page gives no address and emails to the public have no Reply-To.",
            hint="Set EMPAC_CONTACT_EMAIL to a mailbox a person reads.",
            id="alerts.W002",
        )
    ]
