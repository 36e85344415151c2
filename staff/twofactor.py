"""Two-factor sign-in for staff (django-otp): an authenticator app, and recovery codes.

A staff member who has set up an authenticator app always confirms a code after the
password. One who has not is sent to set it up when ``EMPAC_REQUIRE_TWO_FACTOR`` is on
(production's default), and may set it up anyway when it is off. Recovery codes are
django-otp static tokens: each works once, and a new set replaces the old.
"""

from base64 import b32encode

from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up, made on first sight and kept till confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code of the key for an authenticator app"
    )


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """A new set of recovery codes for the user; every earlier code stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def app_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator by a code from it; earlier authenticators are removed."""
    if not device.verify_token(code.replace(" ", "")):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def match_code(user, code: str):
    """The confirmed device (app or recovery codes) that accepts this code, if any."""
    code = code.strip().replace(" ", "")
    if not code:
        return None
    # for_verify locks the devices (SELECT FOR UPDATE) till the end, so two requests with
    # one code cannot both use it, and throttling counts every wrong try.
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None
