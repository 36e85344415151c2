"""The report body is Markdown: rendered and sanitised on the page, plain text elsewhere."""

import pytest
from django.test import Client
from django.urls import reverse

from publishing.markdown import FORMATTING_HINT, markdown_to_text, render_markdown
from publishing.models import Status
from reports.models import Report
from search.indexing import index_instances
from search.models import Entry
from tests import factories

pytestmark = pytest.mark.django_db

FORMATTED = """Findings in **bold** and *italic*.

- first point
- second point

## A section

See [the force's page](https://example.org/page)."""


def test_markdown_renders_the_formatting_curators_use():
    html = render_markdown(FORMATTED)
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<li>first point</li>" in html
    # Below the page's own h1 and h2.
    assert "<h4>A section</h4>" in html
    assert '<a href="https://example.org/page" rel="noopener noreferrer">' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_markdown_never_lets_script_through(attack):
    html = render_markdown(attack)
    assert "<script" not in html and "<img" not in html
    assert '<a href="javascript' not in html and '<a href="data' not in html


def test_plain_text_written_before_formatting_reads_as_it_did():
    text = "First paragraph, 5 < 6 & more.\nA line of its own.\n\nSecond paragraph."
    html = render_markdown(text)
    assert html.count("<p>") == 2
    assert "<br>" in html
    assert "5 &lt; 6 &amp; more." in html


def test_plain_text_of_markdown_keeps_the_words_not_the_markup():
    text = markdown_to_text(FORMATTED)
    assert "**" not in text and "](" not in text and "##" not in text
    assert "Findings in bold and italic." in text
    assert "the force's page" in text
    assert "first point\nsecond point" in text


def test_the_public_report_page_shows_the_formatted_body(client):
    report = factories.ReportFactory(body=FORMATTED)
    draft = factories.ReportFactory(body="**Draft words**", status=Status.DRAFT)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html
    assert "**bold**" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_search_index_holds_the_words_without_markup():
    report = factories.ReportFactory(body="**Cryptocurrency** [laundering](https://e.org)")
    index_instances(Report, [report.pk])
    entry = Entry.objects.get(object_id=report.pk)
    assert "Cryptocurrency laundering" in entry.body
    assert "**" not in entry.body and "https://e.org" not in entry.body


def test_the_api_gives_plain_text_and_the_sanitised_html(client):
    report = factories.ReportFactory(body="Some **bold** words")
    data = client.get(reverse("api:report-detail", args=[report.slug])).json()
    assert data["body"] == "Some bold words"
    assert data["body_html"].startswith("<p>Some <strong>bold</strong> words</p>")


def test_the_admin_shows_a_hint_and_a_preview(curator_client):
    report = factories.ReportFactory(body="Some **bold** words")
    page = curator_client.get(reverse("admin:reports_report_change", args=[report.pk]))
    html = page.content.decode()
    assert "Formatting (Markdown)" in html
    assert '<div class="empac-markdown-preview"><p>Some <strong>bold</strong> words</p>' in html
    assert "js/markdown-preview.js" in html
    assert FORMATTING_HINT.split(":")[0] in html


def test_the_admin_preview_renders_unsaved_text(curator_client):
    url = reverse("admin:reports_report_preview_text")
    response = curator_client.post(url, {"text": "- a\n- b <script>x</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<li>a</li>" in html and "<script>" not in html
    assert curator_client.get(url).status_code == 405
    assert Client().post(url, {"text": "x"}).status_code == 302  # to the sign-in page
