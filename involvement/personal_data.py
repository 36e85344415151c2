"""Everything the site holds about one email address, whichever app holds it.

Registrations are this app's; an app above it that stores personal data (alert
subscriptions) registers an exporter and an eraser here in its ``ready()``, so one
subject access export and one erasure cover them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .services import registration_erase, registration_personal_data


@dataclass(frozen=True)
class Holder:
    export: Callable[..., list]
    erase: Callable[..., int]
    count: Callable[..., int] | None = None


HOLDERS: dict[str, Holder] = {}


def personal_data_holder_register(
    name: str, *, export: Callable[..., list], erase: Callable[..., int], count=None
) -> None:
    """Add what another app holds to the export and the erasure (keyword ``email``)."""
    HOLDERS[name] = Holder(export=export, erase=erase, count=count)


def personal_data_export(*, email: str) -> dict:
    data = registration_personal_data(email=email)
    for name, holder in HOLDERS.items():
        data[name] = holder.export(email=email)
    return data


def personal_data_counts(*, email: str) -> dict[str, int]:
    """How many records each other holder has for the address, for the confirmation page."""
    return {
        name: holder.count(email=email) if holder.count else len(holder.export(email=email))
        for name, holder in HOLDERS.items()
    }


def personal_data_erase(*, email: str) -> dict[str, int]:
    """Delete everything held about the address; returns how many records, per holder."""
    erased = {"registrations": registration_erase(email=email)}
    for name, holder in HOLDERS.items():
        erased[name] = holder.erase(email=email)
    return erased
