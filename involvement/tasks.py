"""What the task worker does for Get involved: the emails about a new registration."""

import logging

from django.conf import settings

from publishing.background import TryLater, background

from .models import InterestRegistration
from .services import registration_notify

logger = logging.getLogger(__name__)


def _max_attempts() -> int:
    return settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS


@background(attempts=_max_attempts, first_delay=60, max_delay=3600)
def registration_notify_task(registration_id: int) -> None:
    """Email curators and the registrant; tried again with backoff until both are told."""
    registration = InterestRegistration.objects.filter(pk=registration_id).first()
    if registration is None:
        return  # erased before the emails went: nothing to send, no one to tell
    if registration.notification_attempts >= _max_attempts():
        logger.error(
            "Not emailing for registration %s: tried %s times already; "
            "'send_pending_notifications --retry-given-up' tries again.",
            registration.pk,
            registration.notification_attempts,
        )
        return
    if not registration_notify(registration=registration):
        raise TryLater(f"emails for registration {registration.pk} not all sent")
