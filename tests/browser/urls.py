"""The site's URLs plus uploaded files, served here as the reverse proxy serves them live."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from empac.urls import urlpatterns as site_urlpatterns


def media(request, path):
    # MEDIA_ROOT is read per request: each test stores its uploads in its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    *site_urlpatterns,
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media),
]
