"""axe-core (bundled by axe-playwright-python) run against the page in the browser."""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices
# (landmarks, one main, heading order …), which the site also keeps.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            # The summary's first line is "Fix any/all of the following:".
            fix = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:])
            lines.append(f"    at {target}: {fix}")
    return "\n".join(lines)


def axe_report(page, *, context: str | None = None) -> str:
    """The axe violations on the page as it is now, described; empty when there are none."""
    violations = _axe.run(page, context=context, options=AXE_OPTIONS).response["violations"]
    if not violations:
        return ""
    return (
        f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + describe_violations(violations)
    )


def assert_no_axe_violations(page, *, context: str | None = None) -> None:
    """Fail listing each axe violation on the page (id, impact, help, nodes)."""
    report = axe_report(page, context=context)
    assert not report, report
