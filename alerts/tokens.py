"""Signed links: a confirmation and a "manage your alerts" link that expire, an unsubscribe
link that never does.

Each token names the subscription and its key, so a link from an address that has since
unsubscribed, or been erased, acts on nothing, however validly it is signed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
MANAGE_SALT = "alerts.manage"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


@dataclass(frozen=True)
class Confirmation:
    subscription_id: int
    key: str
    theme_ids: tuple[int, ...]
    gap_register: bool
    frequency: str
    notice_version: str


def confirm_token(*, subscription, theme_ids, gap_register, frequency) -> str:
    """The choices travel in the link: confirming applies exactly what was asked for."""
    return signing.dumps(
        {
            "s": subscription.pk,
            "k": subscription.key,
            "t": sorted(theme_ids),
            "g": bool(gap_register),
            "f": frequency,
            "v": settings.PRIVACY_NOTICE_VERSION,
        },
        salt=CONFIRM_SALT,
        compress=True,
    )


def confirm_token_read(token: str) -> Confirmation:
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.EMPAC_ALERTS_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    try:
        return Confirmation(
            subscription_id=int(data["s"]),
            key=str(data["k"]),
            theme_ids=tuple(int(pk) for pk in data["t"]),
            gap_register=bool(data["g"]),
            frequency=str(data["f"]),
            notice_version=str(data["v"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def unsubscribe_token(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "k": subscription.key}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["s"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def manage_token(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "k": subscription.key}, salt=MANAGE_SALT)


def manage_token_read(token: str) -> tuple[int, str]:
    """The subscription a "manage your alerts" link names; it works for
    ``EMPAC_ALERTS_MANAGE_MAX_AGE`` seconds, so a forwarded old email stops working."""
    try:
        data = signing.loads(token, salt=MANAGE_SALT, max_age=settings.EMPAC_ALERTS_MANAGE_MAX_AGE)
        return int(data["s"]), str(data["k"])
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc
