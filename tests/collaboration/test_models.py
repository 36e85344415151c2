import datetime

import pytest
from django.core.exceptions import ValidationError

from collaboration.models import Role, Theme
from publishing.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_published_themes_exclude_drafts():
    public = factories.ThemeFactory()
    factories.ThemeFactory(status=Status.DRAFT)
    assert list(Theme.objects.published()) == [public]


def test_current_roles_exclude_ended_and_not_yet_started():
    today = datetime.date(2026, 6, 1)
    past = factories.RoleFactory(
        kind=Role.Kind.OPERATIONAL_LEAD,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    now = factories.RoleFactory(
        kind=Role.Kind.OPERATIONAL_LEAD, start_date=datetime.date(2021, 1, 1)
    )
    factories.RoleFactory(kind=Role.Kind.OPERATIONAL_LEAD, start_date=datetime.date(2027, 1, 1))
    current = Role.objects.leads().current(on=today)
    assert list(current) == [now]
    assert not past.is_current(on=today)
    assert now.is_current(on=today)


def test_role_cannot_end_before_it_starts():
    role = factories.RoleFactory.build(
        person=factories.PersonFactory(),
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "end_date" in excinfo.value.message_dict


def test_person_display_name_includes_honorific():
    person = factories.PersonFactory(honorific="Professor", name="Dave Walsh")
    assert str(person) == "Professor Dave Walsh"
