"""Sign-in that resists attack: lockout with a time to come back, two factors, idle expiry."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import twofactor
from staff.middleware import LAST_SEEN_KEY
from staff.signals import EDITORS_GROUP, grant_unlock_permissions

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a long and unguessable pass phrase"


@pytest.fixture
def staff_user(db):
    return User.objects.create_user("curator1", password=PASSWORD, is_staff=True)


def sign_in(client, username="curator1", password=PASSWORD, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def fail(client, times, username="curator1", **extra):
    for _ in range(times):
        response = sign_in(client, username=username, password="wrong", **extra)
    return response


# Lockout -----------------------------------------------------------------------------


def test_wrong_passwords_below_the_limit_just_fail(client, staff_user, settings):
    response = fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert sign_in(client).status_code == 302


def test_the_limit_locks_the_username_and_says_when_to_come_back(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    response = fail(client, 3)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "Sign-in is locked until" in page
    ends = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    assert (
        ends.strftime("%H:%M") in page
        or (ends - datetime.timedelta(minutes=1)).strftime("%H:%M") in page
    )
    assert int(response["Retry-After"]) > 0
    # The right password is refused too while the lock lasts.
    locked = sign_in(client)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_username_is_locked_from_another_address(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(client, 3, REMOTE_ADDR="198.51.100.1")
    assert sign_in(client, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_one_address_trying_many_usernames_is_locked(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("alice", "bob", "carol"):
        sign_in(client, username=name, password="wrong", REMOTE_ADDR="198.51.100.7")
    assert sign_in(client, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert sign_in(client, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.EMPAC_TRUSTED_PROXY_COUNT = 1
    # An attacker forging an X-Forwarded-For entry is still counted by the proxy's entry.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        sign_in(
            client,
            username=f"x{forged}",
            password="wrong",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.20",
        )
    assert AccessAttempt.objects.filter(ip_address="198.51.100.20").count() == 3
    assert (
        sign_in(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20").status_code
        == 429
    )
    # Another visitor behind the same proxy is not locked out.
    assert (
        sign_in(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.21").status_code
        == 302
    )


def test_the_lock_ends_by_itself_after_the_cool_off(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(client, 3)
    assert sign_in(client).status_code == 429
    # The clock moves past the cool-off: the failures stop counting.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert sign_in(client).status_code == 302


def test_an_editor_clears_a_lock_in_the_admin(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(client, 3)
    editor = User.objects.create_user("editor1", password="x", is_staff=True)
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    grant_unlock_permissions()
    editor.groups.add(group)
    editors = Client_for(editor)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert editors.get(changelist).status_code == 200
    pks = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = editors.post(changelist, {"action": "unlock", "_selected_action": pks}, follow=True)
    assert "may sign in again now" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert sign_in(client).status_code == 302


def test_a_curator_without_the_permission_cannot_clear_locks(client, staff_user):
    assert not Permission.objects.filter(user=staff_user, codename="delete_accessattempt").exists()
    other = Client_for(staff_user)
    assert other.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def Client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


# Two factors ---------------------------------------------------------------------------


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    codes = twofactor.recovery_codes_replace(user=user)
    return device, codes


def test_two_factor_required_sends_a_new_staff_member_to_set_it_up(client, staff_user, settings):
    settings.EMPAC_REQUIRE_TWO_FACTOR = True
    sign_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:two-factor-enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    # A wrong code: told so, nothing turned on.
    wrong = client.post(reverse("staff:two-factor-enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "did not match" in wrong.content.decode()
    # django-otp makes each try after a wrong one wait a little longer; the clock moves on.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    done = client.post(reverse("staff:two-factor-enrol"), {"code": code_for(device)})
    assert done.status_code == 200
    assert "Your recovery codes" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    codes = list(
        StaticDevice.objects.get(user=staff_user).token_set.values_list("token", flat=True)
    )
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT
    assert all(code in done.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200


def test_two_factor_off_lets_a_staff_member_without_an_app_in(client, staff_user, settings):
    settings.EMPAC_REQUIRE_TWO_FACTOR = False
    sign_in(client)
    assert client.get("/admin/").status_code == 200


def test_production_requires_two_factor_by_default():
    import ast
    from pathlib import Path

    source = Path("empac/settings/production.py").read_text()
    assert 'EMPAC_REQUIRE_TWO_FACTOR = env_bool("EMPAC_REQUIRE_TWO_FACTOR", True)' in source
    ast.parse(source)
    from empac.settings import base, test

    assert (
        base.EMPAC_REQUIRE_TWO_FACTOR is False
        or "EMPAC_REQUIRE_TWO_FACTOR" in __import__("os").environ
    )
    assert test.EMPAC_REQUIRE_TWO_FACTOR is base.EMPAC_REQUIRE_TWO_FACTOR


@pytest.mark.parametrize("required", [True, False])
def test_an_enrolled_member_must_give_a_code_and_a_right_one_is_accepted(
    client, staff_user, settings, required
):
    settings.EMPAC_REQUIRE_TWO_FACTOR = required
    device, _ = enrolled(staff_user)
    sign_in(client)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:two-factor-verify"))
    verify = response["Location"]
    assert client.get(verify).status_code == 200
    ok = client.post(verify, {"code": code_for(device)})
    assert ok.status_code == 302
    assert ok["Location"] == "/admin/password_change/"
    assert client.get("/admin/password_change/").status_code == 200


def test_a_wrong_code_is_rejected(client, staff_user):
    device, _ = enrolled(staff_user)
    sign_in(client)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    response = client.post(reverse("staff:two-factor-verify"), {"code": wrong})
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client, staff_user):
    _, codes = enrolled(staff_user)
    sign_in(client)
    response = client.post(reverse("staff:two-factor-verify"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post(reverse("admin:logout"))

    sign_in(client)
    again = client.post(reverse("staff:two-factor-verify"), {"code": codes[0]})
    assert again.status_code == 400
    assert client.get("/admin/").status_code == 302
    # Another of the codes still works.
    StaticDevice.objects.filter(user=staff_user).update(throttling_failure_timestamp=None)
    TOTPDevice.objects.filter(user=staff_user).update(throttling_failure_timestamp=None)
    assert client.post(reverse("staff:two-factor-verify"), {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old(client, staff_user):
    _, old = enrolled(staff_user)
    sign_in(client)
    client.post(reverse("staff:two-factor-verify"), {"code": old[0]})
    response = client.post(reverse("staff:two-factor-recovery-codes"))
    assert response.status_code == 200
    tokens = set(
        StaticDevice.objects.get(user=staff_user).token_set.values_list("token", flat=True)
    )
    assert tokens.isdisjoint(old)
    assert all(token in response.content.decode() for token in tokens)


def test_the_two_factor_step_refuses_an_outside_next(client, staff_user):
    device, _ = enrolled(staff_user)
    sign_in(client)
    response = client.post(
        reverse("staff:two-factor-verify") + "?next=https://evil.example/",
        {"code": code_for(device)},
    )
    assert response["Location"] == "/admin/"


# Idle expiry ---------------------------------------------------------------------------


def test_an_idle_admin_session_is_signed_out(client, staff_user, settings):
    settings.EMPAC_ADMIN_IDLE_MINUTES = 30
    sign_in(client)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 30 * 60 - 5
    session.save()
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in login_page.content.decode()


def test_activity_within_the_idle_time_keeps_the_session(client, staff_user, settings):
    settings.EMPAC_ADMIN_IDLE_MINUTES = 30
    sign_in(client)
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200
    # That request counted as activity: the idle clock starts again.
    assert time.time() - client.session[LAST_SEEN_KEY] < 5
    assert client.get("/admin/").status_code == 200
