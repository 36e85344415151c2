from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from publishing.http import cached_by_content

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    path("feeds/reports/", cached_by_content(feeds.ReportsFeed()), name="reports"),
    path(
        "feeds/themes/<slug:slug>/",
        cached_by_content(feeds.ThemeReportsFeed()),
        name="theme-reports",
    ),
    path(
        "feeds/knowledge-gaps/",
        cached_by_content(feeds.KnowledgeGapsFeed()),
        name="knowledge-gaps",
    ),
    path("feeds/impact/", cached_by_content(feeds.ImpactFeed()), name="impact"),
    path(
        "sitemap.xml",
        cached_by_content(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "feeds:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_by_content(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
