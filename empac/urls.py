from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "EMPAC knowledge base: curators"
admin.site.site_title = "EMPAC curators"
admin.site.index_title = "Content and registrations"

urlpatterns = [
    path("admin/", include("staff.urls")),
    path("admin/", admin.site.urls),
    path("", include("publishing.urls")),
    path("", include("feeds.urls")),
    path("api/", include("api.urls")),
    path("oai/", include("oai.urls")),
    path("", include("involvement.urls")),
    path("", include("reports.urls")),
    path("", include("browse.urls")),
    path("", include("search.urls")),
]

# A database that is down or stalled answers 503 with Retry-After, not 500.
handler500 = "publishing.views.server_error"
