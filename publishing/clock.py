"""The site's clock: what "now" is for the public rule and the page cache.

Normally ``timezone.now()``. Tests, and a live server driven by a browser test, set
the ``EMPAC_CLOCK`` setting (an aware datetime or an ISO 8601 string; the test settings
read it from the environment) to say what time it is, so scheduled publishing is tested
without sleeping. Production never sets it.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def now() -> datetime.datetime:
    frozen = getattr(settings, "EMPAC_CLOCK", None)
    if not frozen:
        return timezone.now()
    if isinstance(frozen, str):
        frozen = datetime.datetime.fromisoformat(frozen)
    if timezone.is_naive(frozen):
        frozen = timezone.make_aware(frozen)
    return frozen
