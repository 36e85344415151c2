"""Browser tests: the system Chromium driven by Playwright against the live server.

One Chromium for all the browser tests, a fresh context and page per test, and a live server
whose database holds the seeded EMPAC content. Without Chromium the tests skip
with a hint, unless REQUIRE_BROWSER=1 (CI), where a missing browser fails.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from publishing.curators import grant_curator_permissions

# Playwright's sync API keeps an event loop in the main thread while the
# browser tests run; Django refuses ORM calls there unless told it is not ours.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Chromium is not installed, so the browser tests cannot run. "
    "Install it with `sudo apt-get install chromium` (Debian/Ubuntu) "
    "or set CHROMIUM_PATH to a Chromium or Chrome binary."
)
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str | None:
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


# Package scope: Playwright's loop stops once the browser tests are done, so the
# transactional tests after them see Django's usual per-thread connections.
@pytest.fixture(scope="package")
def browser():
    executable = chromium_path()
    if executable is None:
        _unavailable(INSTALL_HINT)
    from playwright.sync_api import Error, sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except Error as exc:
        playwright.stop()
        _unavailable(f"Chromium at {executable} did not start: {exc}")
    yield launched
    launched.close()
    playwright.stop()


def restore_curators_group():
    """Put back the Curators group as migrate leaves it: live-server tests empty the
    database after each test, and Django's serialized rollback cannot restore it here
    because Playwright's event loop gives this thread a different connection object."""
    grant_curator_permissions()


@pytest.fixture
def live_site(live_server):
    """The live server over a database holding the seeded EMPAC content."""
    restore_curators_group()
    call_command("seed_empac", verbosity=0)
    # The database was emptied and refilled, so its content version can repeat a
    # number an earlier test's cached pages were stored under.
    for alias in settings.CACHES:
        caches[alias].clear()
    return live_server


@pytest.fixture
def context(browser, live_site):
    ctx = browser.new_context(
        base_url=live_site.url, viewport=DESKTOP, reduced_motion="reduce", locale="en-GB"
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()
