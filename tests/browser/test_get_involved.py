"""A researcher registers interest using only the keyboard, fixes their mistakes, and is thanked."""

import re

from collaboration.models import Theme
from involvement.forms import GAP_CHOICES_LIMIT, gap_label
from involvement.models import Discipline, InterestRegistration, Offer
from reports.models import KnowledgeGap
from tests.browser.axe import assert_no_axe_violations

PHONE = {"width": 320, "height": 640}

# What focus reaches, in order, from the name field to the button: every control, by its
# label, with the radio group entered once and the honeypot skipped.
ACTIVE_LABEL = """() => {
    const el = document.activeElement;
    if (el.tagName === "BUTTON" || el.tagName === "A") return el.innerText.trim();
    return el.labels && el.labels.length ? el.labels[0].innerText.trim() : `<${el.name}>`;
}"""


def tab_order(page, start_label: str) -> list[str]:
    page.get_by_label(start_label, exact=True).focus()
    seen = [page.evaluate(ACTIVE_LABEL)]
    while seen[-1] != "Send registration" and len(seen) < 80:
        page.keyboard.press("Tab")
        seen.append(page.evaluate(ACTIVE_LABEL))
    return seen


def type_into(page, label: str, text: str):
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_person_registers_by_keyboard_and_sees_the_confirmation(page, settings):
    settings.EMPAC_REGISTRATION_MIN_SECONDS = 1
    themes = list(Theme.objects.published())
    gaps = KnowledgeGap.objects.published().open().select_related("theme").order_by("-id")
    page.goto("/get-involved/")
    assert page.get_by_role("heading", level=1).inner_text() == "Get involved"

    expected = [
        "Full name",
        "Email address",
        "Institution or organisation",
        "Role (optional)",
        "ORCID iD (optional)",
        *Discipline.labels,  # several may be chosen: a checkbox each
        "If other, which discipline?",
        *[theme.short_name for theme in themes],
        *[gap_label(gap) for gap in gaps[:GAP_CHOICES_LIMIT]],
        "See every knowledge gap in the register",
        "Expertise keywords (optional)",
        *Offer.labels,
        "Message (optional)",
        "privacy notice",
        "I agree to EMPAC storing these details and contacting me about this registration",
        "Send registration",
    ]
    assert tab_order(page, "Full name") == expected

    # First attempt: a mistyped email, no theme, and consent forgotten.
    type_into(page, "Full name", "Dr Grace Hopper")
    page.keyboard.press("Tab")
    page.keyboard.type("grace.hopper.example.ac.uk")
    page.keyboard.press("Tab")
    page.keyboard.type("Nottingham Trent University")
    page.keyboard.press("Tab")
    page.keyboard.type("Reader in criminology")
    page.keyboard.press("Tab")  # ORCID iD, left empty
    page.keyboard.press("Tab")
    criminology = Discipline.values.index(Discipline.CRIMINOLOGY)
    for _ in range(criminology):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    type_into(page, "Message (optional)", "I research how organised crime groups recruit.")
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Send registration").focus()
    page.keyboard.press("Enter")

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    errors = summary.get_by_role("listitem").all_inner_texts()
    assert errors == [
        "Enter an email address in the correct format, like name@example.ac.uk",
        "Select at least one theme you could contribute to",
        "Confirm that we may store your details and contact you",
    ]
    # The summary has focus, so a screen reader reads it first.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    # Each message is also by its field, and read out with it.
    email = page.get_by_label("Email address", exact=True)
    assert email.get_attribute("aria-describedby") == "id_email-hint id_email-error"
    inline = " ".join(page.locator("#id_email-error").text_content().split())
    assert inline.startswith("Error: Enter an email address in the correct format")
    # What was typed is still there.
    assert email.input_value() == "grace.hopper.example.ac.uk"
    assert page.get_by_label("Criminology", exact=True).is_checked()
    assert_no_axe_violations(page)

    # Fix everything, still by keyboard.
    type_into(page, "Email address", "grace.hopper@ntu.example.ac.uk")
    for theme in (themes[1], themes[4]):
        page.get_by_label(theme.short_name, exact=True).focus()
        page.keyboard.press("Space")
    page.get_by_label("I agree to EMPAC storing", exact=False).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Send registration").focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/get-involved/thank-you/")
    assert page.get_by_role("heading", level=1).inner_text() == "Registration received"
    assert_no_axe_violations(page)
    registration = InterestRegistration.objects.get()
    assert registration.email == "grace.hopper@ntu.example.ac.uk"
    assert registration.discipline == Discipline.CRIMINOLOGY
    assert set(registration.themes.all()) == {themes[1], themes[4]}
    assert registration.message == "I research how organised crime groups recruit."


def test_form_fits_a_phone_screen_without_sideways_scrolling(page):
    page.set_viewport_size(PHONE)
    page.goto("/get-involved/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert page.get_by_role("button", name="Send registration").is_visible()
    assert_no_axe_violations(page)


def test_too_many_attempts_page_is_friendly_and_accessible(page, settings):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 0  # every POST is over the limit
    page.goto("/get-involved/")

    with page.expect_response("**/get-involved/") as answer:
        page.get_by_role("button", name="Send registration").click()

    assert answer.value.status == 429
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Sorry, too many attempts from your connection"
    # The wait is what is left of the current hour-long window.
    assert re.search(r"Please try again in \d+ minutes?\.", page.get_by_role("main").inner_text())
    assert_no_axe_violations(page)
