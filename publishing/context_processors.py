from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "CONTACT_EMAIL": settings.EMPAC_CONTACT_EMAIL}
