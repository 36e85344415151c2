"""Production settings refuse to start without their secrets, and .env.example lists every variable.

Each production case runs in a fresh interpreter, as a server would start, with an
environment holding only what the case gives it.
"""

import ast
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR
GOOD = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "empac.example.org",
    "EMPAC_CURATOR_EMAILS": "curators@empac.example.org",
    "EMPAC_SITE_URL": "https://empac.example.org",
}
# Deliberate: HSTS preloading is the operator's choice (DJANGO_SECURE_HSTS_PRELOAD).
EXPECTED_DEPLOY_WARNINGS = {"security.W021"}
# Where the site reads its configuration: the project package, the apps and manage.py.
CODE = [
    "empac",
    "publishing",
    "collaboration",
    "reports",
    "involvement",
    "browse",
    "content",
    "manage.py",
]
# Calls whose first argument names an environment variable.
READERS = {
    "os.environ.get",
    "os.environ.setdefault",
    "os.getenv",
    "env_bool",
    "env_int",
    "env_list",
    "env_seconds",
    "required",
}


def run_production(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    env |= {"DJANGO_SETTINGS_MODULE": "empac.settings.production", **environment}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_settings(**environment: str) -> subprocess.CompletedProcess:
    return run_production("-c", "from django.conf import settings; settings.DEBUG", **environment)


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DJANGO_ALLOWED_HOSTS": "empac.example.org"},
            "DJANGO_SECRET_KEY must be set in production; see .env.example.",
        ),
        (
            {"DJANGO_SECRET_KEY": "  ", "DJANGO_ALLOWED_HOSTS": "empac.example.org"},
            "DJANGO_SECRET_KEY must be set in production; see .env.example.",
        ),
        (
            {"DJANGO_SECRET_KEY": "change-me" * 6, "DJANGO_ALLOWED_HOSTS": "empac.example.org"},
            "DJANGO_SECRET_KEY is too short or a placeholder; generate a new one.",
        ),
        (
            {"DJANGO_SECRET_KEY": "dev-only-insecure-key-never-used-in-production"},
            "DJANGO_SECRET_KEY is too short or a placeholder; generate a new one.",
        ),
        (
            {"DJANGO_SECRET_KEY": "s3cret", "DJANGO_ALLOWED_HOSTS": "empac.example.org"},
            "DJANGO_SECRET_KEY is too short or a placeholder; generate a new one.",
        ),
        (
            {"DJANGO_SECRET_KEY": GOOD["DJANGO_SECRET_KEY"]},
            "DJANGO_ALLOWED_HOSTS must list the site's host names in production.",
        ),
        (
            {"DJANGO_SECRET_KEY": GOOD["DJANGO_SECRET_KEY"], "DJANGO_ALLOWED_HOSTS": " , "},
            "DJANGO_ALLOWED_HOSTS must list the site's host names in production.",
        ),
    ],
    ids=[
        "no-key",
        "blank-key",
        "placeholder-key",
        "dev-key",
        "short-key",
        "no-hosts",
        "empty-hosts",
    ],
)
def test_production_refuses_to_start_without_a_real_secret_and_hosts(environment, message):
    result = load_settings(**environment)

    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr
    if "DJANGO_SECRET_KEY" in environment and environment["DJANGO_SECRET_KEY"].strip():
        assert environment["DJANGO_SECRET_KEY"] not in result.stderr  # never echo a secret


def test_production_with_proper_values_passes_the_deploy_check_with_only_known_warnings():
    result = run_production("manage.py", "check", "--deploy", **GOOD)

    assert result.returncode == 0, result.stderr
    assert set(re.findall(r"\((\w+\.[WE]\d+)\)", result.stderr)) == EXPECTED_DEPLOY_WARNINGS
    assert GOOD["DJANGO_SECRET_KEY"] not in result.stdout + result.stderr


def test_production_runs_secure_and_serves_only_collected_static_files():
    probe = (
        "from django.conf import settings as s; print(repr(["
        "s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.STORAGES['staticfiles']['BACKEND'],"
        " getattr(s, 'WHITENOISE_USE_FINDERS', False), getattr(s, 'WHITENOISE_AUTOREFRESH', False),"
        " s.EMAIL_BACKEND]))"
    )
    result = run_production("-c", probe, **GOOD)

    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout) == [
        False,
        True,
        True,
        True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        False,
        False,
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def environment_name(node: ast.AST) -> str | None:
    """The variable a node reads: os.environ[...], os.environ.get/setdefault(...),
    os.getenv(...), or one of the settings helpers (env_bool, env_int, env_list, required)."""
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
        first = node.slice
    elif isinstance(node, ast.Call) and node.args:
        reader = ast.unparse(node.func)
        if reader not in READERS:
            return None
        first = node.args[0]
    else:
        return None
    return first.value if isinstance(first, ast.Constant) else None


def variables_read_by_the_code() -> set[str]:
    names = set()
    for entry in CODE:
        path = BASE_DIR / entry
        for file in [path] if path.is_file() else path.rglob("*.py"):
            tree = ast.parse(file.read_text(), filename=str(file))
            names |= {environment_name(node) for node in ast.walk(tree)} - {None}
    return names


def variables_in_env_example() -> set[str]:
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def test_env_example_documents_every_variable_the_code_reads():
    read = variables_read_by_the_code()

    # The scan itself works: it finds variables read each way the code reads them.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "EMPAC_REGISTRATION_RATE_LIMIT"} <= read
    assert "DJANGO_SETTINGS_MODULE" in read  # os.environ.setdefault in manage.py
    assert read - variables_in_env_example() == set(), "add these to .env.example"
    assert variables_in_env_example() - read == set(), "no longer read: drop from .env.example"


def test_env_example_holds_no_secret():
    example = dict(
        re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", (BASE_DIR / ".env.example").read_text(), re.M)
    )

    assert example["DJANGO_SECRET_KEY"] == ""
    assert example["DJANGO_EMAIL_HOST_PASSWORD"] == ""


def test_database_url_options_reach_the_driver_beside_the_timeouts():
    from empac.settings.base import database_from_url

    database = database_from_url(
        "postgres://empac:s%40cret@db.example.org:6432/empac?sslmode=require&connect_timeout=5"
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"], database["HOST"]) == (
        "empac",
        "s@cret",
        "db.example.org",
    )
    assert database["OPTIONS"]["sslmode"] == "require"
    assert database["OPTIONS"]["connect_timeout"] == 5
    assert "statement_timeout=" in database["OPTIONS"]["options"]
    assert "-c jit=off" in database["OPTIONS"]["options"]
    assert database["CONN_HEALTH_CHECKS"] is True


def test_database_url_may_name_an_sqlite_file(tmp_path):
    from empac.settings.base import database_from_url

    database = database_from_url(f"sqlite:///{tmp_path}/site.sqlite3")

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == f"{tmp_path}/site.sqlite3"
    assert database["OPTIONS"]["timeout"] == settings.SQLITE_BUSY_TIMEOUT


@pytest.mark.parametrize("url", ["mysql://root@localhost/empac", "postgress://typo/empac"])
def test_an_unsupported_database_url_stops_start_up_saying_what_is_accepted(url):
    result = run_production("manage.py", "check", **GOOD, DATABASE_URL=url)

    assert result.returncode != 0
    assert "DATABASE_URL has the scheme" in result.stderr
    assert "postgres://user:password@host:5432/name" in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_manage_py_reads_a_dotenv_file_beside_it_and_the_environment_wins(tmp_path):
    # manage.py reads the .env in its own folder: a copy of it beside a .env of our own.
    (tmp_path / "manage.py").write_text((BASE_DIR / "manage.py").read_text())
    (tmp_path / ".env").write_text(
        "\n".join(f"{name}={value}" for name, value in GOOD.items())
        + "\nEMPAC_SITE_NAME='Site from the file'\nEMPAC_SITE_URL=https://file.example\n"
    )
    probe = "from django.conf import settings; print(settings.SITE_NAME, settings.EMPAC_SITE_URL)"

    result = run_production(
        str(tmp_path / "manage.py"),
        "shell",
        "-c",
        probe,
        PYTHONPATH=str(BASE_DIR),
        EMPAC_SITE_URL="https://environment.example",
    )

    assert result.stdout.strip().splitlines()[-1] == (
        "Site from the file https://environment.example"
    ), result.stderr
