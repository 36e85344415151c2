"""What the task worker does for alerts: confirmation emails and digests, retried."""

import logging

from django.conf import settings

from publishing.background import TryLater, background

from .models import Subscription
from .services import digest_send, subscription_confirmation_send

logger = logging.getLogger(__name__)


def _max_attempts() -> int:
    return settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS


@background(attempts=_max_attempts, first_delay=60, max_delay=3600)
def subscription_confirmation_task(subscription_id: int, choices: dict) -> None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return  # unsubscribed or erased before the email went
    if not subscription_confirmation_send(subscription=subscription, choices=choices):
        raise TryLater(f"confirmation for subscription {subscription_id} not sent")


@background(attempts=_max_attempts, first_delay=60, max_delay=3600)
def digest_send_task(subscription_id: int) -> None:
    """Send one claimed digest; a failure keeps the claim, so the retry sends that period."""
    if not digest_send(subscription_id=subscription_id):
        raise TryLater(f"digest for subscription {subscription_id} not sent")
