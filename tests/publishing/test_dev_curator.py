import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from publishing.curators import CURATORS_GROUP

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("ensure_dev_curator", stdout=out, **options)
    return out.getvalue()


def test_creates_a_curator_once_and_prints_a_password_that_signs_in(settings, client):
    settings.DEBUG = True
    output = run(url="http://127.0.0.1:8099/admin/")
    password = output.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="curator")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [CURATORS_GROUP]
    assert "http://127.0.0.1:8099/admin/" in output
    assert client.login(username="curator", password=password)

    again = run()
    assert "password:" not in again
    assert get_user_model().objects.filter(username="curator").count() == 1


def test_refuses_to_create_an_account_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        run()
    assert not get_user_model().objects.filter(username="curator").exists()
