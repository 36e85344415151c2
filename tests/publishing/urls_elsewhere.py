from django.urls import include, path

urlpatterns = [path("elsewhere/", include("empac.urls"))]
