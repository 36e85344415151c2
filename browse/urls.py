from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "browse"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    path("partners/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "partners/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path(
        "themes/<slug:slug>/preview/",
        views.ThemeDetailView.as_view(preview=True),
        name="theme-preview",
    ),
    path(
        "partners/<slug:slug>/preview/",
        views.OrganisationDetailView.as_view(preview=True),
        name="organisation-preview",
    ),
    path(
        "people/<slug:slug>/preview/",
        views.PersonDetailView.as_view(preview=True),
        name="person-preview",
    ),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("contact/", views.ContactView.as_view(), name="contact"),
]
