"""Whatever is typed into q, and whatever is in the other parameters, gets a page, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from search.engine import Filters, search
from search.query import parse
from tests import factories

pytestmark = pytest.mark.django_db

NASTY = [
    '"',
    '""',
    '"""',
    "*",
    "**",
    "a*b*",
    ":",
    "title:",
    "title:county",
    "^",
    "^county",
    "NEAR(county lines)",
    "NEAR(",
    "county NEAR/2 lines",
    "AND",
    "OR",
    "NOT",
    "AND OR NOT",
    "county AND",
    "OR county",
    "-",
    "- -",
    "-county",
    '"unbalanced',
    "(county",
    "county)",
    "((((((((((county",
    "{title}: county",
    "county lines'); DROP TABLE reports_report; --",
    "%",
    "_",
    "\\",
    "'",
    "''",
    "county\x00lines",
    "\x00",
    "\u202ecounty\u202c",
    "\u200b\u200d\ufeff",
    "\U0001f600 county \U0001f47e",
    "\U0001f600",
    "ℂ𝕠𝕦𝕟𝕥𝕪",
    "Ⅻ ﬁnance",
    "ǅemal",
    "ال ح",
    "县城",
    "e\u0301te\u0301",
    "county " * 2000,
    "x" * 10_000,
    "a" * 300,
    "!!'county' & 'lines'",
    "county <-> lines",
    "county:*",
    "county:A",
    "'county':*B",
    "1 2 3",
    "2020",
]


@pytest.fixture
def content(db):
    theme = factories.ThemeFactory(short_name="County lines", slug="county-lines")
    factories.ReportFactory(title="County lines networks", themes=[theme], tags=["drugs"])
    factories.PersonFactory(name="Rob McCusker")


@pytest.mark.parametrize("text", NASTY)
def test_any_query_gets_a_results_page(client, content, text):
    response = client.get(reverse("search:results"), {"q": text, "page": "2"})
    assert response.status_code == 200


def test_invalid_utf8_in_the_query_string_gets_a_page(client, content):
    response = client.get(reverse("search:results") + "?q=%ff%fe%c3%28county&theme=%ff")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page": "x"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"sort": "random()"},
        {"type": ["report", "theme"]},
        {"theme": ["county-lines"] * 30},
        {"year": "99999"},
        {"year": "-2020"},
        {"kind": "<script>"},
        {"tag": "\x00"},
        {"organisation": "x" * 5000},
    ],
)
def test_bad_parameters_get_a_page(client, content, params):
    response = client.get(reverse("search:results"), {"q": "county", **params})
    assert response.status_code == 200


FUZZ = hypothesis_settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
query_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]) | st.sampled_from('"*:^()-_ORANDNOT '),
    max_size=300,
)


@FUZZ
@given(text=query_text)
def test_the_engine_answers_any_text(content, text):
    """Random strings reach the engine of the database under test (SQLite or PostgreSQL)."""
    results = search(parse(text), Filters(), sort="relevance", page=1)
    assert results.count == len(results.hits) >= 0
    for item in results.items:
        assert "<script" not in item["snippet"]


@FUZZ
@given(text=query_text, page=st.text(max_size=5), sort=st.sampled_from(["", "date", "x"]))
def test_the_page_answers_any_text(client, content, text, page, sort):
    response = client.get(reverse("search:results"), {"q": text, "page": page, "sort": sort})
    assert response.status_code == 200
