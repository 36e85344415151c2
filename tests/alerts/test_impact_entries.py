"""Impact entries join the email digests of the themes they are about; drafts never do."""

import pytest

from tests import factories
from tests.alerts.conftest import emails_to, later, run_digests

pytestmark = pytest.mark.django_db


def test_a_published_impact_entry_is_news_for_its_themes_and_a_draft_is_not(confirmed, themes):
    confirmed()  # subscribed to the first theme (tests/alerts/conftest.py)
    shown = factories.ImpactEntryFactory(title="Force trial of the new approach")
    shown.themes.set([themes[0]])
    draft = factories.ImpactEntryFactory(title="A draft entry", status="draft")
    draft.themes.set([themes[0]])
    elsewhere = factories.ImpactEntryFactory(title="About another theme")
    elsewhere.themes.set([themes[2]])

    run_digests(later(1))

    [message] = emails_to("reader@example.org")
    assert "What changed in practice" in message.body
    assert "Force trial of the new approach" in message.body
    assert shown.get_absolute_url() in message.body
    assert "A draft entry" not in message.body
    assert "About another theme" not in message.body
