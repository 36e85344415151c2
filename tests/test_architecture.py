"""Dependencies run one way: each app imports only from the apps below it.

Our apps are listed in INSTALLED_APPS from the bottom up (publishing first). An app may
import from an app listed before it, never from one after it, nor from the project
package (empac: settings, root URLs, WSGI). A relation upwards is a string, such as
"reports.Report" or a URL name, never an import.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "empac"


def our_apps() -> list[str]:
    """Our apps, bottom first, as INSTALLED_APPS lists them."""
    return [name for name in settings.INSTALLED_APPS if (ROOT / name / "apps.py").exists()]


def modules_imported(path: Path) -> set[str]:
    """Top-level names of every module a file imports, at any depth (lazy imports too)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def app_graph() -> dict[str, dict[str, list[str]]]:
    """For each app, which of our packages it imports, and from which files."""
    ours = {*our_apps(), PROJECT}
    graph = {}
    for app in our_apps():
        edges: dict[str, list[str]] = {}
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for target in modules_imported(path) & ours - {app}:
                edges.setdefault(target, []).append(str(path.relative_to(ROOT)))
        graph[app] = edges
    return graph


def test_every_app_of_ours_is_installed():
    folders = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert folders == set(our_apps())


def test_no_app_imports_from_an_app_above_it_or_from_the_project_package():
    order = our_apps()
    upward = [
        f"{app} imports {target} ({', '.join(files)})"
        for app, edges in app_graph().items()
        for target, files in edges.items()
        if target == PROJECT or order.index(target) > order.index(app)
    ]
    assert not upward, "imports against the direction of the layers:\n" + "\n".join(upward)


def test_the_app_graph_has_no_cycle():
    graph = {app: set(edges) - {PROJECT} for app, edges in app_graph().items()}
    done, visiting = set(), []

    def visit(app):
        if app in visiting:
            cycle = visiting[visiting.index(app) :] + [app]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if app in done:
            return
        visiting.append(app)
        for target in graph[app]:
            visit(target)
        visiting.pop()
        done.add(app)

    for app in graph:
        visit(app)


def test_the_checks_see_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from reports.models import Report\n    import browse.views\n")
    assert modules_imported(sample) == {"reports", "browse"}
