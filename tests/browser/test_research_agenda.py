"""A reader finds an open gap from a theme page and offers to help; a curator matches them."""

from django.contrib.auth.models import Group

from agenda.models import Introduction
from involvement.models import InterestRegistration
from publishing.curators import CURATORS_GROUP
from reports.models import KnowledgeGap
from tests import factories
from tests.browser.axe import assert_no_axe_violations

PASSWORD = "correct horse battery staple"


def test_a_reader_offers_help_with_a_gap_and_a_curator_matches_them(page, settings):
    settings.EMPAC_REGISTRATION_MIN_SECONDS = 1
    gap = (
        KnowledgeGap.objects.published()
        .open()
        .exclude(theme=None)
        .exclude(status=KnowledgeGap.Status.BEING_RESEARCHED)
        .first()
    )
    theme = gap.theme
    # Someone else already offered to help on the same theme, with matching words.
    factories.InterestRegistrationFactory(
        name="Earlier Registrant", themes=[theme], expertise=gap.question
    )

    # The reader: from the theme page to the gap, to the form with that gap chosen.
    page.goto(theme.get_absolute_url())
    page.get_by_role("link", name=gap.question).click()
    assert page.get_by_role("heading", level=1).inner_text() == gap.question
    assert_no_axe_violations(page)
    page.get_by_role("link", name="I could help with this").click()

    assert page.get_by_label(gap.question, exact=False).is_checked()
    assert page.get_by_label(theme.short_name, exact=True).is_checked()
    page.get_by_label("Full name").fill("Dr Mary Seacole")
    page.get_by_label("Email address").fill("mary.seacole@dmu.example.ac.uk")
    page.get_by_label("Institution or organisation").fill("De Montfort University")
    page.get_by_label("ORCID iD (optional)").fill("0000-0002-1825-0097")
    page.get_by_label("Psychology", exact=True).check()
    page.get_by_label("Criminology", exact=True).check()
    page.get_by_label("Supervision", exact=False).check()
    page.get_by_label("I agree to EMPAC storing", exact=False).check()
    assert_no_axe_violations(page)
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send registration").click()
    page.wait_for_url("**/get-involved/thank-you/")

    registration = InterestRegistration.objects.get(email="mary.seacole@dmu.example.ac.uk")
    assert list(registration.chosen_gaps.all()) == [gap]
    assert registration.disciplines == ["psychology", "criminology"]

    # The curator: the gap's candidates, Mary first, confirmed with work started.
    curator = factories.UserFactory(username="cora", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    page.goto("/admin/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/reports/knowledgegap/{gap.pk}/change/")

    rows = page.locator("table.empac-fits tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert "Dr Mary Seacole" in first.inner_text()
    assert "Chose this gap on the form" in first.inner_text()
    assert "Earlier Registrant" in rows.nth(1).inner_text()
    first.get_by_label("work has started", exact=False).check()
    first.get_by_role("button", name="Confirm match").click()

    success = page.locator(".messagelist .success")
    assert "Match confirmed" in success.inner_text()
    assert "Nobody has been emailed" in success.inner_text()
    gap.refresh_from_db()
    assert gap.status == KnowledgeGap.Status.BEING_RESEARCHED
    introduction = Introduction.objects.get()
    assert introduction.registration == registration
    assert introduction.confirmed_by == curator
    assert introduction.status == Introduction.Status.WORKING

    # The public page shows the change, dated.
    page.goto(f"/gaps/{gap.pk}/")
    assert "Being researched" in page.locator("main").inner_text()
    assert page.locator("#history + ol li time").count() >= 1
