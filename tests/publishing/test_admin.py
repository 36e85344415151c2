"""The curator admin as a whole: what a curator can open, the publish actions, the
filters and query counts of every content list."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publishing.models import Status
from reports.models import Report
from tests import factories
from tests.admin_helpers import (
    CURATED,
    FACTORIES,
    PUBLISHABLE_FACTORIES,
    action,
    ids,
    make_rows,
    messages_of,
    shown,
    url,
)

pytestmark = pytest.mark.django_db


# Bookkeeping rows, not content: nothing for a curator to edit.
def test_every_content_model_can_be_edited_in_the_admin():
    inlined = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    # Kept by reports.counts; a curator changes it by changing reports.
    bookkeeping = {apps.get_model("reports", "ThemeReportCount")}
    for label in ("collaboration", "reports"):
        for model in apps.get_app_config(label).get_models():
            if model in bookkeeping:
                continue
            assert model in admin.site._registry or model in inlined, model._meta.label


@pytest.mark.parametrize("model", CURATED, ids=ids)
def test_curator_opens_changelist_add_and_change_pages(curator, curator_client, model):
    rows = make_rows(model, 2) if model in FACTORIES else []

    response = curator_client.get(url(model))
    assert response.status_code == 200
    assert len(shown(response)) == len(model._default_manager.all())

    request = RequestFactory().get("/")
    request.user = curator
    can_add = admin.site._registry[model].has_add_permission(request)
    assert curator_client.get(url(model, "add")).status_code == (200 if can_add else 403)

    if rows:
        assert curator_client.get(url(model, "change", rows[0].pk)).status_code == 200


def test_the_task_queue_is_for_superusers_not_curators(curator_client, admin_client):
    path = "/admin/django_tasks_database/dbtaskresult/"

    assert curator_client.get(path).status_code == 403
    assert admin_client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/admin/auth/user/", "/admin/auth/group/"])
def test_curator_cannot_manage_user_accounts(curator_client, path):
    assert curator_client.get(path).status_code == 403
    assert curator_client.get(f"{path}add/").status_code == 403


def test_curator_admin_index_offers_content_but_not_user_accounts(curator_client):
    response = curator_client.get("/admin/")
    assert response.status_code == 200
    assert reverse("admin:reports_report_changelist") in response.text
    assert "/admin/auth/user/" not in response.text


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(url(Report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("factory", PUBLISHABLE_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_publish_and_unpublish_actions_change_status_and_say_how_many(editor_client, factory):
    model = factory._meta.model
    drafts = factory.create_batch(2, status=Status.DRAFT)
    already = factory(status=Status.PUBLISHED)
    opts = model._meta

    response = action(editor_client, model, "publish", [*drafts, already])
    assert response.status_code == 200
    assert f"2 {opts.verbose_name_plural} published." in messages_of(response)
    assert set(model.objects.filter(status=Status.PUBLISHED)) == {*drafts, already}

    response = action(editor_client, model, "unpublish", [drafts[0]])
    assert f"1 {opts.verbose_name} unpublished." in messages_of(response)
    drafts[0].refresh_from_db()
    assert drafts[0].status == Status.DRAFT
    assert set(model.objects.published()) == {drafts[1], already}


def test_publishing_what_is_already_published_says_nothing_changed(editor_client):
    report = factories.ReportFactory(status=Status.PUBLISHED)
    response = action(editor_client, Report, "publish", [report])
    assert "Nothing changed: the selected reports were already published." in messages_of(response)


def test_publishing_moves_updated_at_forward(editor_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    Report.objects.filter(pk=report.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    action(editor_client, Report, "publish", [report])
    report.refresh_from_db()
    assert report.updated_at.year > 2020


@pytest.mark.parametrize("model", CURATED, ids=ids)
def test_every_filter_choice_and_a_search_answer(curator_client, model):
    if model in FACTORIES:
        make_rows(model, 2)
    response = curator_client.get(url(model))
    links = [
        choice["query_string"]
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
    ]
    for query in links:
        assert curator_client.get(url(model) + query).status_code == 200, query
    if admin.site._registry[model].search_fields:
        assert curator_client.get(url(model), {"q": "gap 2020"}).status_code == 200


@pytest.mark.parametrize("model", [m for m in CURATED if m in FACTORIES], ids=ids)
def test_changelist_query_count_does_not_grow_with_rows(
    curator_client, django_assert_max_num_queries, model
):
    make_rows(model, 2)
    curator_client.get(url(model))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert curator_client.get(url(model)).status_code == 200

    make_rows(model, 15)
    with django_assert_max_num_queries(len(few)):
        response = curator_client.get(url(model))
    assert len(shown(response)) == model._default_manager.count()
