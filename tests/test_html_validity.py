"""Every public page type is valid HTML, by the Nu HTML Checker (npm package vnu-jar).

The pages are rendered from the seeded content by the test client, written to
a folder and checked in one Java run (starting the checker takes seconds).
Needs Java 17+ and `npm ci` (which `make test` runs); without them the test
skips, except in CI (REQUIRE_BROWSER=1), where it must run.
"""

import json
import os
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from alerts.models import Subscription
from alerts.tokens import confirm_token, unsubscribe_token
from collaboration.models import Theme
from reports.models import Report
from tests import factories
from tests.public_pages import LINKED, MISSING_PAGE, PAGE_TYPES, public_pages


def alert_subscription_create() -> Subscription:
    return Subscription.objects.create(email="reader@example.org")


VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PUBLIC_NAMESPACES = (
    "browse",
    "reports",
    "involvement",
    "alerts",
    "search",
    "agenda",
    "impact",
    "feeds",
    "api",
    "oai",
)
# Public addresses that answer with something other than an HTML page; their own tests
# check what they send (tests/feeds, tests/api, tests/oai, tests/reports).
NOT_HTML = {
    "reports:report-pdf",
    "reports:report-citation",
    "reports:recommendation-evidence",
    "impact:coverage-csv",
    "feeds:impact",
    "feeds:reports",
    "feeds:theme-reports",
    "feeds:knowledge-gaps",
    "feeds:sitemap",
    "feeds:sitemap-section",
    "feeds:robots",
    "api:schema",
    "api:not-found",
    *(
        f"api:{name}-{view}"
        for name in (
            "theme",
            "organisation",
            "person",
            "report",
            "gapanalysis",
            "knowledgegap",
            "recommendation",
            "impactentry",
        )
        for view in ("list", "detail")
    ),
    "oai:endpoint",
    "agenda:gap-list-csv",
    "agenda:gap-list-json",
}


def nu_checker_command() -> list[str]:
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("Java 17 or later (`sudo apt-get install default-jre-headless`)")
    if not VNU_JAR.exists():
        missing.append("the vnu-jar npm package (`npm ci`, which `make test` runs)")
    if missing:
        reason = "the Nu HTML Checker needs " + " and ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return [java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]


# Staff-only previews of the public pages: the same templates with a banner, checked in
# test_every_public_page_type_is_valid_html as staff.
STAFF_PREVIEWS = {
    "reports:report-preview",
    "reports:gapanalysis-preview",
    "browse:organisation-preview",
    "browse:person-preview",
    "browse:theme-preview",
    "impact:entry-preview",
}


def public_url_names() -> set[str]:
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace in PUBLIC_NAMESPACES:
            names |= {
                f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)
            }
    return names


def describe(messages: list[dict]) -> str:
    lines = []
    for message in messages:
        page = message.get("url", "").rsplit("/", 1)[-1]
        where = f"line {message['lastLine']}" if "lastLine" in message else "document"
        extract = " ".join(message.get("extract", "").split())
        lines.append(f"- {page}, {where}: {message['message']}  [{extract}]")
    return "\n".join(lines)


@pytest.fixture
def seeded(db):
    call_command("seed_empac", verbosity=0)


def test_every_public_page_type_is_checked(seeded):
    pages = public_pages()
    assert list(pages) == PAGE_TYPES
    checked = {
        resolve(urlsplit(path).path).view_name for path in pages.values() if path != MISSING_PAGE
    }
    assert public_url_names() - NOT_HTML - STAFF_PREVIEWS <= checked


def test_every_public_page_type_is_valid_html(seeded, client, tmp_path):
    command = nu_checker_command()
    files = []
    for name, path in public_pages().items():
        response = client.get(path)
        assert response.status_code == (404 if path == MISSING_PAGE else 200), path
        page_file = tmp_path / f"{name}.html"
        page_file.write_bytes(response.content)
        files.append(str(page_file))

    # The form again, showing an error against every required field.
    response = client.post(reverse("involvement:register"), {})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    (tmp_path / "register-with-errors.html").write_bytes(response.content)
    files.append(str(tmp_path / "register-with-errors.html"))

    # The alerts form with errors, and what its links lead to: confirmed, unsubscribed,
    # a link that is not valid.
    alerts = {
        "alerts-with-errors": client.post(reverse("alerts:subscribe"), {}),
        "alerts-link-invalid": client.get("/alerts/confirm/forged/"),
        "alerts-unsubscribed": client.post(
            reverse("alerts:unsubscribe", args=[unsubscribe_token(LINKED)])
        ),
    }
    subscription = alert_subscription_create()
    alerts["alerts-confirmed"] = client.post(
        reverse(
            "alerts:confirm",
            args=[
                confirm_token(
                    subscription=subscription,
                    theme_ids=[Theme.objects.published().first().pk],
                    gap_register=True,
                    frequency="daily",
                )
            ],
        )
    )
    for name, response in alerts.items():
        assert response.status_code in {200, 400}, name
        (tmp_path / f"{name}.html").write_bytes(response.content)
        files.append(str(tmp_path / f"{name}.html"))

    # The error pages a visitor can meet: an expired form, a bad request, a refused page.
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True))
    error_pages = {
        "expired-form": (
            Client(enforce_csrf_checks=True).post(reverse("involvement:register")),
            403,
        ),
        "bad-request": (client.get("/", HTTP_HOST="unknown.example"), 400),
        "forbidden": (staff.get(reverse("admin:auth_user_changelist")), 403),
        "withdrawn": (client.get(withdrawn_report().get_absolute_url()), 410),
        "preview": (curator_client().get(Report.objects.first().get_preview_url()), 200),
    }
    for name, (response, status) in error_pages.items():
        assert response.status_code == status, name
        (tmp_path / f"{name}.html").write_bytes(response.content)
        files.append(str(tmp_path / f"{name}.html"))
    # What a reader meets while the database is away: rendered with no context.
    (tmp_path / "unavailable.html").write_text(render_to_string("503.html"))
    files.append(str(tmp_path / "unavailable.html"))

    result = subprocess.run(
        [*command, *files], capture_output=True, text=True, timeout=300, check=False
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the Nu HTML Checker gave no report:\n{result.stdout}\n{result.stderr}")
    problems = [m for m in messages if m["type"] != "info" or m.get("subType") == "warning"]
    assert not problems, f"{len(problems)} HTML problem(s):\n" + describe(problems)


def withdrawn_report():
    return factories.ReportFactory(status="withdrawn", title="Withdrawn for the check")


def curator_client():
    from django.contrib.auth.models import Group

    from publishing.curators import CURATORS_GROUP

    curator = factories.UserFactory(username="html-curator", is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    browser = Client()
    browser.force_login(curator)
    return browser
