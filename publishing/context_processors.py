from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": settings.EMPAC_CONTACT_EMAIL,
        # base.html asks; a view that previews says so (publishing.views.PublicItemMixin).
        # Missing, the name was a failed lookup, an exception raised and caught, twice a page.
        "preview": False,
    }
