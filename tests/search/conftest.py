import pytest
from django.urls import reverse


@pytest.fixture
def search(client):
    """Search as a reader does: GET /search/ with these parameters; returns the response."""

    def get(q="", **params):
        response = client.get(reverse("search:results"), {"q": q, **params})
        assert response.status_code == 200
        return response

    return get


def titles(response) -> list[str]:
    return [item["title"] for item in response.context["results"].items]


def facet_options(response, name) -> dict[str, int]:
    for group in response.context["facet_groups"]:
        if group["name"] == name:
            return {option["label"]: option["count"] for option in group["options"]}
    return {}
