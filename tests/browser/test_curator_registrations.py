"""A curator signs in, finds a registration, sees what to suggest, and records the follow-up."""

from django.contrib.auth.models import Group

from involvement.models import InterestRegistration
from publishing.curators import CURATORS_GROUP
from reports.models import KnowledgeGap
from tests import factories

PASSWORD = "correct horse battery staple"


def test_curator_finds_a_registration_and_changes_its_status(page, live_site):
    curator = factories.UserFactory(username="cora", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    gap = KnowledgeGap.objects.published().open().exclude(theme=None).first()
    factories.InterestRegistrationFactory(name="Someone Else", themes=[gap.theme])
    registration = factories.InterestRegistrationFactory(
        name="Dr Ravi Patel",
        email="ravi.patel@lboro.example.ac.uk",
        institution="Loughborough University",
        expertise="fraud, data science",
        themes=[gap.theme],
    )

    page.goto("/admin/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Interest registrations", exact=True).click()

    page.locator("#searchbar").fill("lboro")
    page.keyboard.press("Enter")
    page.wait_for_url("**?q=lboro")
    results = page.locator("#result_list tbody tr")
    assert results.count() == 1
    results.get_by_role("link", name="Dr Ravi Patel").click()

    # The open knowledge gaps in Ravi's theme are offered as suggestions.
    suggestions = page.locator("ul.empac-suggestions")
    assert gap.question in suggestions.inner_text()

    page.get_by_label("Status").select_option(label="Contacted")
    page.get_by_label("Handled by").select_option(label="cora")
    page.get_by_label("Curator notes").fill(f"Emailed about: {gap.question}")
    page.get_by_role("button", name="Save", exact=True).click()

    success = page.locator(".messagelist .success")
    assert "was changed successfully" in success.inner_text()
    row = page.locator("#result_list tbody tr", has_text="Dr Ravi Patel")
    assert "Contacted" in row.inner_text()
    registration.refresh_from_db()
    assert registration.status == InterestRegistration.Status.CONTACTED
    assert registration.handled_by == curator
    assert registration.curator_notes == f"Emailed about: {gap.question}"
