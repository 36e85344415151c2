"""The acknowledgement: a reply reaches a person, it says what arrived, a reference, what next."""

import pytest
from django.core import mail

from involvement.models import InterestRegistration

pytestmark = pytest.mark.django_db


def acknowledgement():
    return next(m for m in mail.outbox if m.to == ["ada@example.ac.uk"])


def test_reply_to_is_the_configured_mailbox_not_no_reply(submit, form_data, settings):
    settings.EMPAC_REPLY_TO_EMAIL = "research-team@empac.example.org"
    submit(form_data())

    message = acknowledgement()
    assert message.reply_to == ["research-team@empac.example.org"]
    assert "no-reply" not in " ".join(message.reply_to)
    assert "research-team@empac.example.org" in message.body


def test_without_a_reply_address_replies_go_to_the_curators(submit, form_data, settings):
    settings.EMPAC_REPLY_TO_EMAIL = ""
    submit(form_data())

    assert acknowledgement().reply_to == settings.EMPAC_CURATOR_EMAILS


def test_it_gives_a_reference_curators_see_too(submit, form_data):
    submit(form_data())

    registration = InterestRegistration.objects.get()
    assert registration.reference == f"GI-{registration.pk:06d}"
    assert registration.reference in acknowledgement().subject
    assert registration.reference in acknowledgement().body
    curators = next(m for m in mail.outbox if m.to != ["ada@example.ac.uk"])
    assert registration.reference in curators.subject


def test_it_says_what_was_received_without_repeating_free_text(submit, form_data, themes):
    submit(form_data(role="Head of spam.example", expertise="spam.example keywords"))

    body = acknowledgement().body
    assert "the themes you chose: Published theme 1, Published theme 3" in body
    assert "your discipline: Computer Science" in body
    assert "- your role" in body
    assert "- your expertise keywords" in body
    assert "- your message (not repeated here)" in body
    assert "spam.example" not in body
    assert "money laundering" not in body


def test_parts_left_out_are_not_listed_as_received(submit, form_data):
    submit(form_data(role="", expertise="", message=""))

    body = acknowledgement().body
    assert "- your role" not in body
    assert "- your message" not in body


def test_it_says_what_happens_next_and_when(submit, form_data, settings):
    settings.EMPAC_REPLY_WITHIN_WORKING_DAYS = 7
    submit(form_data())

    body = acknowledgement().body
    assert "What happens next" in body
    assert "within 7 working days" in body
    assert f"{settings.EMPAC_REGISTRATION_RETENTION_DAYS} days later" in body
