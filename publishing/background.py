"""Work done outside the request, by the task worker, tried again with backoff.

Built on Django's tasks API (the django-tasks backport) with the database backend
(django-tasks-db): a task is a row in the site's own database, so it needs no other
server, works on SQLite and PostgreSQL, is enqueued in the same transaction as the
change that asks for it, and waits there while the worker (``manage.py db_worker``)
is down. Nothing is lost.

A background function raises ``TryLater`` (or any other exception) when it could not
finish; it is then enqueued again after 1, 2, 4… times ``first_delay`` (at most
``max_delay``), until it has had ``attempts`` tries::

    @background(attempts=10)
    def report_text_extract(report_id: int) -> None:
        ...

    report_text_extract.enqueue(report.pk)   # inside the transaction that saved it

Arguments must be JSON values (ids, strings), never model instances: the row may be
read long after the object changed.
"""

import datetime
import functools
import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
ATTEMPT = "_attempt"


class TryLater(Exception):
    """Not done yet, for a reason worth waiting out (a mail server down, say)."""


def retry_delay(attempt: int, *, first_delay: float, max_delay: float) -> float:
    """Seconds to wait after this attempt failed: doubling, capped."""
    return min(max_delay, first_delay * 2 ** (attempt - 1))


def background(
    *,
    attempts: int | Callable[[], int] = 5,
    first_delay: float = 60,
    max_delay: float = 3600,
    queue_name: str = "default",
):
    """Make a function a task for the worker, tried ``attempts`` times with backoff.

    ``attempts`` may be a callable, read at each failure, so a setting applies as it
    is now rather than when the module was imported.
    """

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 1)
            try:
                return function(*args, **kwargs)
            except Exception as error:
                limit = attempts() if callable(attempts) else attempts
                if attempt >= limit:
                    logger.error(
                        "Giving up %s%r after %s attempts: %s", function.__name__, args,
                        attempt, error,
                    )  # fmt: skip
                    raise
                delay = retry_delay(attempt, first_delay=first_delay, max_delay=max_delay)
                later = timezone.now() + datetime.timedelta(seconds=delay)
                job.using(run_after=later).enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
                logger.warning(
                    "%s%r failed (attempt %s of %s), trying again in %g s: %s",
                    function.__name__, args, attempt, limit, delay, error,
                )  # fmt: skip
                raise

        job = task(queue_name=queue_name)(run)
        return job

    return decorate
