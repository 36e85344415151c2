"""deploy/'s systemd units and gunicorn settings name things that exist and parse."""

import runpy
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def exec_lines(unit: Path) -> list[list[str]]:
    return [
        shlex.split(line.split("=", 1)[1])
        for line in unit.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]


def test_there_are_units_for_web_worker_and_the_scheduled_jobs():
    names = {unit.stem for unit in UNITS}
    timers = {timer.stem for timer in (DEPLOY / "systemd").glob("*.timer")}

    assert {"empac-web", "empac-worker", "empac-notifications", "empac-daily"} <= names
    assert timers == {"empac-notifications", "empac-daily"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_every_management_command_a_unit_runs_exists_and_accepts_its_arguments(unit):
    for command in exec_lines(unit):
        if "manage.py" not in command:
            assert command[1:3] == ["-c", "deploy/gunicorn.conf.py"], command
            continue
        name, *arguments = command[command.index("manage.py") + 1 :]
        assert name in get_commands(), f"{unit.name}: no command {name!r}"
        parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
        parser.parse_args(arguments)  # exits (SystemExit) on an unknown option


def test_gunicorn_settings_default_to_threads_behind_nginx_and_follow_the_environment(
    monkeypatch,
):
    defaults = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/empac/web.sock")
    changed = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert defaults["worker_class"] == "gthread"
    assert defaults["bind"] == "127.0.0.1:8000"
    assert defaults["timeout"] == 30
    assert (changed["workers"], changed["bind"]) == (7, "unix:/run/empac/web.sock")
