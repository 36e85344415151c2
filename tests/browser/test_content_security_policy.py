"""No page breaks its own Content-Security-Policy: every public page type and the admin
load with no violation reported, by the browser's console or its violation events."""

from django.contrib.auth.models import Group

from publishing.curators import CURATORS_GROUP
from tests import factories
from tests.public_pages import PAGE_TYPES, public_pages

PASSWORD = "correct horse battery staple"
# Playwright's init scripts run outside the page's CSP, so this listener always runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def violations_on(page, path, problems):
    response = page.goto(path)
    assert response.headers.get("content-security-policy"), f"{path} has no CSP"
    page.wait_for_load_state("load")
    problems += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]


def test_no_page_type_nor_the_admin_violates_the_csp(context):
    console = []
    page = context.new_page()
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            console.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    problems = []
    pages = public_pages()
    for page_type in PAGE_TYPES:
        violations_on(page, pages[page_type], problems)

    curator = factories.UserFactory(username="cora", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    violations_on(page, "/admin/login/", problems)
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/",
        "/admin/reports/report/",
        "/admin/reports/report/add/",
        "/admin/reports/gapanalysis/add/",
        "/admin/collaboration/person/",
        "/admin/involvement/interestregistration/",
    ):
        violations_on(page, path, problems)

    assert not problems + console, "\n".join(problems + console)


def test_the_check_is_not_vacuous(page):
    """An inline script is refused and reported, so the test above would see one."""
    page.add_init_script(LISTEN)
    page.goto(public_pages()["about"])
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
