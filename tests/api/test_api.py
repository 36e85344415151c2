"""The read-only API: what it lists, what it hides, how it answers bad input and re-asks."""

import pytest
from django.urls import reverse

from collaboration.models import Role
from tests import factories
from tests.catalogue import SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db


def get(client, name, *args, status=200, **params):
    response = client.get(reverse(f"api:{name}", args=args), params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def slugs(data):
    return [item["slug"] for item in data["results"]]


def test_reports_list_and_count_leave_out_drafts(client, theme, published_report, draft_report):
    data = get(client, "report-list")
    assert data["count"] == 1
    assert slugs(data) == [published_report.slug]
    get(client, "report-detail", draft_report.slug, status=404)


def test_a_report_in_full_names_only_public_related_things(client, theme):
    report = factories.ReportFactory(themes=[theme], tags=["county lines"], primary_theme=theme)
    draft_theme = factories.ThemeFactory(status="draft", short_name="Secret theme")
    report.themes.add(draft_theme)
    author = factories.PersonFactory(name="Ada Lovelace")
    hidden_author = factories.PersonFactory(name="Hidden Person", status="draft")
    report.authors.add(author, hidden_author)
    org = factories.OrganisationFactory(name="De Montfort University")
    hidden_org = factories.OrganisationFactory(name="Hidden Org", status="draft")
    report.organisations.add(org, hidden_org)
    factories.RecommendationFactory(report=report, number=1, heading="Share data.")

    data = get(client, "report-detail", report.slug)

    assert data["title"] == report.title
    assert [t["slug"] for t in data["themes"]] == [theme.slug]
    assert [a["display_name"] for a in data["authors"]] == ["Dr Ada Lovelace"]
    assert [o["name"] for o in data["organisations"]] == ["De Montfort University"]
    assert data["tags"] == ["county lines"]
    assert data["recommendations"] == [
        {"number": 1, "heading": "Share data.", "explanation": "Why and how."}
    ]
    assert data["file"] is None
    assert data["url"] == f"http://testserver{report.get_absolute_url()}"
    assert data["citation"]["bibtex"].endswith("/citation.bib")
    text = str(data)
    for hidden in ("Secret theme", "Hidden Person", "Hidden Org", draft_theme.slug):
        assert hidden not in text


def test_a_person_shows_only_public_roles_and_public_organisations(client, theme):
    hidden_org = factories.OrganisationFactory(name="Hidden Org", status="draft")
    person = factories.PersonFactory(organisation=hidden_org)
    draft_theme = factories.ThemeFactory(status="draft", short_name="Secret theme")
    factories.RoleFactory(person=person, kind=Role.Kind.THEME_LEAD, theme=draft_theme)
    factories.RoleFactory(person=person, kind=Role.Kind.RESEARCHER, theme=theme)
    hidden_person = factories.PersonFactory(status="draft")

    data = get(client, "person-detail", person.slug)
    assert data["organisation"] is None
    assert sorted((r["kind"], r["theme"] and r["theme"]["slug"]) for r in data["roles"]) == [
        ("researcher", theme.slug),
        ("theme_lead", None),
    ]
    assert "Hidden Org" not in str(data) and "Secret theme" not in str(data)
    assert hidden_person.slug not in slugs(get(client, "person-list"))
    get(client, "person-detail", hidden_person.slug, status=404)


def test_themes_count_only_published_reports(client, theme, published_report, draft_report):
    draft_theme = factories.ThemeFactory(status="draft")
    data = get(client, "theme-list")
    assert draft_theme.slug not in slugs(data)
    assert {t["slug"]: t["report_count"] for t in data["results"]}[theme.slug] == 1


def test_gap_analyses_and_gaps_come_only_from_public_analyses(client, theme):
    public = factories.GapAnalysisFactory()
    public.themes.add(theme)
    factories.ComparisonRowFactory(analysis=public)
    gap = factories.KnowledgeGapFactory(analysis=public, theme=theme)
    hidden = factories.GapAnalysisFactory(status="draft")
    hidden_gap = factories.KnowledgeGapFactory(analysis=hidden)
    behind_draft_report = factories.GapAnalysisFactory(
        report=factories.ReportFactory(status="draft")
    )

    analyses = get(client, "gapanalysis-list")
    assert slugs(analyses) == [public.slug]
    detail = get(client, "gapanalysis-detail", public.slug)
    assert detail["comparison_rows"] == [
        {
            "dimension": "Focus",
            "first_side_items": ["Reactive", "Historical"],
            "second_side_items": ["Forward-looking", "Horizon-scanning"],
        }
    ]
    assert [g["id"] for g in detail["knowledge_gaps"]] == [gap.pk]
    get(client, "gapanalysis-detail", behind_draft_report.slug, status=404)

    gaps = get(client, "knowledgegap-list")
    assert [g["id"] for g in gaps["results"]] == [gap.pk]
    get(client, "knowledgegap-detail", hidden_gap.pk, status=404)


def test_report_filters_match_the_reports_index(client):
    theme, other_theme = factories.ThemeFactory(), factories.ThemeFactory()
    org = factories.OrganisationFactory()
    match = factories.ReportFactory(themes=[theme], tags=["money laundering"], kind="interim")
    match.organisations.add(org)
    factories.ReportFactory(themes=[other_theme], kind="interim")
    year = match.published_on.year

    for params in (
        {"theme": theme.slug},
        {"tag": "money-laundering"},
        {"organisation": org.slug},
        {"theme": theme.slug, "kind": "interim", "year": year},
    ):
        assert slugs(get(client, "report-list", **params)) == [match.slug], params
    assert get(client, "report-list", kind="news")["count"] == 0


def test_knowledge_gap_filters_follow_the_theme_pages_rule(client):
    theme = factories.ThemeFactory()
    analysis = factories.GapAnalysisFactory()
    analysis.themes.add(theme)
    through_analysis = factories.KnowledgeGapFactory(analysis=analysis)
    own_theme = factories.KnowledgeGapFactory(theme=theme, status="answered")
    elsewhere = factories.KnowledgeGapFactory(analysis=analysis, theme=factories.ThemeFactory())

    ids = {g["id"] for g in get(client, "knowledgegap-list", theme=theme.slug)["results"]}
    assert ids == {through_analysis.pk, own_theme.pk}
    open_ids = {g["id"] for g in get(client, "knowledgegap-list", is_open="true")["results"]}
    assert own_theme.pk not in open_ids and elsewhere.pk in open_ids


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"colour": "red"}, "colour"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"kind": "novel"}, "kind"),
        ({"year": "twenty"}, "year"),
        ({"year": "2020.5"}, "year"),
        ({"year": "0"}, "year"),
        ({"year": "99999999999"}, "year"),
        ({"page_size": "1000000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "lots"}, "page_size"),
        ({"kind": ""}, "kind"),
        ({"kind": ["interim", "news"]}, "kind"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, published_report, params, parameter):
    data = get(client, "report-list", status=400, **params)
    assert data["detail"]
    assert parameter in data["errors"], data


def test_a_draft_themes_slug_is_as_unknown_as_a_typo(client):
    draft = factories.ThemeFactory(status="draft")
    factories.ReportFactory(themes=[draft])
    data = get(client, "report-list", status=400, theme=draft.slug)
    assert "theme" in data["errors"]


def test_a_page_past_the_end_is_a_404_in_the_error_shape(client, published_report):
    assert "detail" in get(client, "report-list", status=404, page=99)
    assert "detail" in get(client, "report-list", status=404, page="first")


def test_detail_takes_no_parameters(client, published_report):
    data = get(client, "report-detail", published_report.slug, status=400, theme="x")
    assert "theme" in data["errors"]


def test_lists_are_paginated(client, theme):
    factories.ReportFactory.create_batch(3, themes=[theme])
    data = get(client, "report-list", page_size=2)
    assert data["count"] == 3 and len(data["results"]) == 2
    assert data["next"].endswith("page=2&page_size=2")
    second = get(client, "report-list", page_size=2, page=2)
    assert len(second["results"]) == 1 and second["next"] is None


def test_validators_give_304s_until_the_content_changes(client, published_report):
    url = reverse("api:report-list")
    first = client.get(url)
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    etag, modified = first["ETag"], first["Last-Modified"]

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Another address is another answer.
    assert client.get(url, {"page_size": 5}, HTTP_IF_NONE_MATCH=etag).status_code == 200

    published_report.status = "draft"
    published_report.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after.json()["count"] == 0
    assert after["ETag"] != etag


def test_errors_carry_no_validators(client):
    response = client.get(reverse("api:report-list"), {"colour": "red"})
    assert response.status_code == 400
    assert "ETag" not in response


def test_any_site_may_read_the_api_from_a_browser(client, published_report):
    response = client.get(reverse("api:report-list"), HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response

    preflight = client.options(
        reverse("api:report-list"),
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]


def test_pages_are_not_opened_to_other_sites(client, published_report):
    response = client.get(reverse("reports:report-list"), HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


def test_the_api_is_read_only(client, published_report):
    url = reverse("api:report-list")
    assert client.post(url, {"title": "x"}).status_code == 405
    assert (
        client.delete(reverse("api:report-detail", args=[published_report.slug])).status_code == 405
    )


def test_the_schema_is_openapi_3_and_the_docs_page_describes_every_address(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    data = schema.json()
    assert data["openapi"].startswith("3.")
    assert "/api/reports/" in data["paths"]
    for operation in (op for path in data["paths"].values() for op in path.values()):
        assert {"200", "400", "404", "429"} <= set(operation["responses"]), operation["operationId"]

    docs = client.get(reverse("api:docs")).content.decode()
    for path in data["paths"]:
        assert f"GET {path}" in docs
    assert 'rel="service-desc"' in docs


def test_api_query_counts_do_not_grow_with_rows(client, django_assert_max_num_queries):
    reports = grow_catalogue(SMALL)
    person = reports[0].authors.first()
    analysis = reports[0].gap_analyses.first()
    pages = [
        reverse("api:report-list"),
        reverse("api:report-detail", args=[reports[0].slug]),
        reverse("api:person-list"),
        reverse("api:person-detail", args=[person.slug]),
        reverse("api:theme-list"),
        reverse("api:organisation-list"),
        reverse("api:gapanalysis-list"),
        reverse("api:gapanalysis-detail", args=[analysis.slug]),
        reverse("api:knowledgegap-list"),
        f"{reverse('api:report-list')}?theme={reports[0].themes.first().slug}",
    ]
    assert_query_counts_flat(
        client, django_assert_max_num_queries, pages, budget=18, grow=lambda: grow_catalogue(40)
    )


def test_boolean_filters_take_only_true_or_false(client):
    data = get(client, "knowledgegap-list", status=400, is_open="maybe")
    assert "is_open" in data["errors"]


def test_any_other_api_address_is_a_json_404(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert client.get("/api/reports/no slug!/").status_code == 404


def test_a_gap_raised_by_a_report_alone_names_the_report_only_while_it_is_public(client):
    report = factories.ReportFactory()
    gap = factories.KnowledgeGapFactory(analysis=None, report=report)
    data = get(client, "knowledgegap-detail", gap.pk)
    assert data["analysis"] is None and data["report"]["slug"] == report.slug
    assert data["url"].endswith(f"{report.get_absolute_url()}#gap-{gap.pk}")

    hidden = factories.ReportFactory(status="draft", title="Hidden report")
    in_analysis = factories.KnowledgeGapFactory(report=hidden)
    data = get(client, "knowledgegap-detail", in_analysis.pk)
    assert data["report"] is None and "Hidden report" not in str(data)
