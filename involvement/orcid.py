"""ORCID iDs: sixteen characters in four groups, the last a checksum (ISO 7064 MOD 11-2)."""

import re

from django.core.exceptions import ValidationError

ORCID_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def orcid_checksum(digits: str) -> str:
    """The check character ORCID computes for the first fifteen digits."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_normalise(value: str) -> str:
    """An iD as ORCID writes it (0000-0002-1825-0097), from any common way of typing it.

    Raises ValidationError for text that is not an iD, or whose check character is wrong.
    """
    text = value.strip().upper().replace(" ", "")
    for prefix in ORCID_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    match = ORCID_SHAPE.match(text)
    if not match:
        raise ValidationError(
            "Enter an ORCID iD as 16 characters in four groups, like 0000-0002-1825-0097",
            code="orcid_shape",
        )
    plain = "".join(match.groups())
    if orcid_checksum(plain[:15]) != plain[15]:
        raise ValidationError(
            "That ORCID iD’s last character does not match the rest: check it for a typo",
            code="orcid_checksum",
        )
    return "-".join(match.groups())


def validate_orcid(value: str) -> None:
    if value:
        orcid_normalise(value)


def orcid_url(value: str) -> str:
    return f"https://orcid.org/{value}" if value else ""
