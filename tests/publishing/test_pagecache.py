"""The page cache's rules, in one process, against small pages defined here.

The public pages are tested for staleness across real server processes in
test_pagecache_processes.py; these tests pin down what is stored and for whom.
"""

import warnings

import pytest
from django.contrib import admin
from django.core.cache.backends.base import CacheKeyWarning
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404
from django.test import Client
from django.urls import include, path
from django.views.decorators.cache import cache_control

from publishing.models import ContentVersion, Status
from publishing.versioning import bump_content_version, content_cached, current_content_version
from reports.models import Report
from tests import factories


def report_list(request):
    items = "".join(
        f"<li>{r.title} | themes: {', '.join(t.short_name for t in r.themes.all())}"
        f" | tags: {', '.join(sorted(r.tags.names()))}</li>"
        for r in Report.objects.published().order_by("title")
    )
    reader = request.user.username if request.user.is_authenticated else "anonymous reader"
    return HttpResponse(f"<ul>{items}</ul><p>{reader}, page {request.GET.get('page', '1')}</p>")


def report_detail(request, slug):
    report = get_object_or_404(Report.objects.published(), slug=slug)
    return HttpResponse(f"<h1>{report.title}</h1>")


def sets_a_cookie(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "yes")
    return response


@cache_control(private=True)
def private_page(request):
    return HttpResponse("<p>private</p>")


def json_data(request):
    return JsonResponse({"reports": Report.objects.count()})


class PublishingReportAdmin(admin.ModelAdmin):
    actions = ["publish"]

    @admin.action(description="Publish selected reports")
    def publish(self, request, queryset):
        # Like many admin actions, one UPDATE: no model signals are sent.
        queryset.update(status=Status.PUBLISHED)


def not_found(request, exception):
    return HttpResponseNotFound("<h1>Not found</h1>")


admin_site = admin.AdminSite(name="admin")
admin_site.register(Report, PublishingReportAdmin)

urlpatterns = [
    path("admin/", include("staff.urls")),  # the admin's two-factor step
    path("admin/", admin_site.urls),
    path("reports/", report_list),
    path("reports/<slug:slug>/", report_detail),
    path("cookie/", sets_a_cookie),
    path("private/", private_page),
    path("data.json", json_data),
]
handler404 = not_found  # the site's own 404 page links to URLs this module leaves out

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def cache_state(response):
    return response.get("X-Page-Cache")


@pytest.fixture
def report(theme):
    return factories.ReportFactory(title="Mapping county lines", themes=[theme])


def test_anonymous_readers_get_the_stored_copy_from_the_second_request(client, report):
    first = client.get("/reports/")
    second = client.get("/reports/")

    assert cache_state(first) == "miss"
    assert cache_state(second) == "hit"
    assert second.content == first.content
    assert b"Mapping county lines" in second.content
    assert second["Content-Type"] == first["Content-Type"]


def test_head_requests_share_the_stored_copy(client, report):
    client.get("/reports/")

    assert cache_state(client.head("/reports/")) == "hit"


def test_an_edit_saved_anywhere_shows_on_the_very_next_request(client, report):
    client.get("/reports/")
    client.get("/reports/")

    report.title = "Mapping county lines, revised"
    report.save()

    response = client.get("/reports/")
    assert cache_state(response) == "miss"
    assert b"Mapping county lines, revised" in response.content


def test_new_themes_and_tags_on_a_report_show_at_once(client, report):
    client.get("/reports/")

    report.themes.add(factories.ThemeFactory(short_name="Digital technologies"))
    assert b"Digital technologies" in client.get("/reports/").content

    report.tags.add("cryptocurrency")
    assert b"cryptocurrency" in client.get("/reports/").content


def test_a_deleted_report_disappears_at_once(client, report):
    client.get("/reports/")

    report.delete()

    assert b"Mapping county lines" not in client.get("/reports/").content


def test_publishing_with_an_admin_action_that_sends_no_signal_shows_at_once(
    client, curator, draft_report
):
    assert draft_report.title.encode() not in client.get("/reports/").content
    assert cache_state(client.get("/reports/")) == "hit"

    curator_client = Client()
    curator_client.force_login(curator)
    response = curator_client.post(
        "/admin/reports/report/",
        {"action": "publish", "_selected_action": [draft_report.pk], "index": 0},
    )
    assert response.status_code == 302

    response = client.get("/reports/")
    assert cache_state(response) == "miss"
    assert draft_report.title.encode() in response.content


def test_interest_registrations_leave_stored_pages_alone(client, report):
    client.get("/reports/")

    factories.InterestRegistrationFactory()

    assert cache_state(client.get("/reports/")) == "hit"


def test_a_signed_in_curator_always_gets_a_fresh_page_that_is_not_stored(client, curator, report):
    client.get("/reports/")
    curator_client = Client()
    curator_client.force_login(curator)

    response = curator_client.get("/reports/")

    assert cache_state(response) is None
    assert b"cora, page 1" in response.content
    anonymous = client.get("/reports/")
    assert cache_state(anonymous) == "hit"
    assert b"anonymous reader, page 1" in anonymous.content


def test_a_draft_is_a_404_that_is_not_stored_and_shows_once_published(client, draft_report):
    url = f"/reports/{draft_report.slug}/"
    assert client.get(url).status_code == 404
    second = client.get(url)
    assert second.status_code == 404
    assert cache_state(second) == "miss"

    draft_report.status = Status.PUBLISHED
    draft_report.save()

    response = client.get(url)
    assert response.status_code == 200
    assert draft_report.title.encode() in response.content


def test_parameter_order_names_the_same_page_but_values_do_not(client, report):
    client.get("/reports/?page=2&theme=x")

    assert cache_state(client.get("/reports/?theme=x&page=2")) == "hit"
    other = client.get("/reports/?page=3&theme=x")
    assert cache_state(other) == "miss"
    assert b"page 3" in other.content


@pytest.mark.parametrize("url", ["/cookie/", "/private/", "/data.json"])
def test_responses_that_set_cookies_are_private_or_not_html_are_not_stored(client, url):
    client.get(url)
    client.cookies.clear()

    assert cache_state(client.get(url)) == "miss"


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_pending_message_gets_a_fresh_page(client, report, cookie):
    client.get("/reports/")
    client.cookies[cookie] = "something"

    assert cache_state(client.get("/reports/")) is None


def test_a_restored_backup_never_brings_back_pages_of_other_content(client, report):
    # A backup is taken; then an edit is made and read, so its page is stored.
    backup = {"title": report.title, "version": current_content_version()}
    report.title = "Edited after the backup"
    report.save()
    assert b"Edited after the backup" in client.get("/reports/").content

    # The backup is restored, the version row with it, and edited before anyone reads.
    Report.objects.filter(pk=report.pk).update(title=backup["title"])
    ContentVersion.objects.update(version=backup["version"])
    report.refresh_from_db()
    report.title = "Edited after the restore"
    report.save()

    response = client.get("/reports/")
    assert cache_state(response) == "miss"
    assert b"Edited after the restore" in response.content


def test_bumping_recreates_a_missing_counter():
    ContentVersion.objects.all().delete()
    assert current_content_version() == 0

    bump_content_version()

    assert current_content_version() > 0


def test_content_derived_values_take_any_name_as_a_valid_cache_key():
    name = "reports [kind='interim', tag='county lines'] " + "x" * 300

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert content_cached(name, lambda: "computed") == "computed"
        assert content_cached(name, lambda: "again") == "computed"


@pytest.mark.urls("empac.urls")
@pytest.mark.parametrize("url", ["/healthz", "/get-involved/", "/admin/login/"])
def test_per_visitor_and_health_paths_never_touch_the_cache(client, url):
    client.get(url)

    assert cache_state(client.get(url)) is None


def test_content_derived_values_are_worked_out_once_per_content_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert content_cached("demo", compute) == 1
    assert content_cached("demo", compute) == 1
    factories.ThemeFactory()
    assert content_cached("demo", compute) == 2


@pytest.mark.urls("empac.urls")
def test_result_counts_and_filter_choices_follow_content_changes(client, theme):
    factories.ReportFactory(themes=[theme], tags=["alpha"])
    first = client.get("/reports/?page=1").content.decode()
    assert "1 report" in first
    assert ">alpha<" in first

    factories.ReportFactory(themes=[theme], tags=["beta"])
    factories.ReportFactory(themes=[theme], tags=["gamma"], status=Status.DRAFT)

    for url in ("/reports/?page=1", f"/themes/{theme.slug}/"):
        page = client.get(url).content.decode()
        assert "2 reports" in page
        assert "3 reports" not in page
    page = client.get("/reports/").content.decode()
    assert ">beta<" in page
    assert ">gamma<" not in page


@pytest.mark.urls("empac.urls")
def test_the_stored_filter_form_keeps_each_visitors_choices(client, theme):
    factories.ReportFactory(themes=[theme], tags=["alpha"])
    factories.ReportFactory(themes=[theme], tags=["beta"])

    alpha = client.get("/reports/?tag=alpha").content.decode()
    beta = client.get("/reports/?tag=beta&page=1").content.decode()
    unknown = client.get("/reports/?tag=nonsense").content.decode()

    assert '<option value="alpha" selected>' in alpha
    assert '<option value="beta" selected>' in beta
    assert '<option value="alpha" selected>' not in beta
    assert "There is no tag with that name" in unknown
