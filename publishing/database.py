"""Fail fast when PostgreSQL stalls, and notice at once when it is back.

A server that stops answering (a frozen host, a full disk, a stopped process) is worse
than one that refuses: the kernel still accepts connections and holds the bytes, so
libpq waits for ever and every worker that touches the database hangs with it. The
server-side ``statement_timeout`` cannot help when the server is not running.

So psycopg2 is given a wait callback (the hook green-thread libraries use): every wait
for the server is a ``select()`` with a deadline. Past the deadline the query or
connection attempt fails with ``OperationalError`` (psycopg2 closes that connection),
which the site answers with a 503 (``publishing.views.server_error``). After such a
failure this process treats the database as unavailable: every wait fails at once,
except one probe every ``PROBE_INTERVAL`` seconds, so workers are never tied up one
deadline per request, and the first probe that gets an answer closes the circuit.
"""

import select
import threading
import time
from contextlib import contextmanager

from django.conf import settings

# After a timeout, how long until one request may try the database again.
PROBE_INTERVAL = 0.25
# A thread that has just waited out a deadline does not probe again this soon (within one
# request it never does), so no request pays two deadlines.
OWN_FAILURE_SECONDS = 3

_local = threading.local()


class Circuit:
    """Whether this process has given up on the database for the moment."""

    def __init__(self):
        self._lock = threading.Lock()
        self._retry_at = 0.0  # monotonic; 0 while the database answers

    def may_try(self) -> bool:
        """True when closed, and for one caller per PROBE_INTERVAL while open."""
        with self._lock:
            if not self._retry_at:
                return True
            now = time.monotonic()
            if (
                now < self._retry_at
                or now - getattr(_local, "failed_at", -60) < OWN_FAILURE_SECONDS
            ):
                return False
            # This caller probes; others keep failing fast until it has an answer.
            self._retry_at = now + 3600
            return True

    def failed(self) -> None:
        with self._lock:
            _local.failed_at = time.monotonic()
            self._retry_at = _local.failed_at + PROBE_INTERVAL

    def answered(self) -> None:
        if self._retry_at:
            with self._lock:
                self._retry_at = 0.0

    @property
    def is_open(self) -> bool:
        return bool(self._retry_at)


circuit = Circuit()


@contextmanager
def deadline(seconds: float):
    """Wait at most this long for the database inside the block (e.g. /healthz)."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = seconds
    try:
        yield
    finally:
        _local.deadline = previous


def _limit(connecting: bool) -> float | None:
    override = getattr(_local, "deadline", None)
    if override is not None:
        return override
    if connecting:
        return settings.DB_CONNECT_TIMEOUT or None
    # The server cancels a slow statement itself; the client gives up only a little later,
    # when the server cannot even do that.
    statement = settings.DB_STATEMENT_TIMEOUT
    return statement + 0.5 if statement else None


def wait_with_deadline(connection):
    """psycopg2 wait callback: extras.wait_select with a deadline and the circuit."""
    import psycopg2
    from psycopg2 import extensions

    if not circuit.may_try():
        raise psycopg2.OperationalError("the database is not answering (retrying shortly)")
    limit = _limit(connection.status == extensions.STATUS_SETUP)
    ends = None if limit is None else time.monotonic() + limit
    while True:
        try:
            state = connection.poll()
        except psycopg2.OperationalError:
            circuit.failed()
            raise
        if state == extensions.POLL_OK:
            circuit.answered()
            return
        if state == extensions.POLL_READ:
            waiting = ([connection.fileno()], [], [])
        elif state == extensions.POLL_WRITE:
            waiting = ([], [connection.fileno()], [])
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")
        remaining = None if ends is None else max(0.0, ends - time.monotonic())
        if not any(select.select(*waiting, remaining)):
            circuit.failed()
            raise psycopg2.OperationalError(f"the database did not answer within {limit:g} s")


def _request_started(**kwargs) -> None:
    _local.failed_at = -60  # a new request on this thread may probe


def install() -> None:
    """Called from PublishingConfig.ready() when the default database is PostgreSQL."""
    from django.core.signals import request_started
    from psycopg2 import extensions

    extensions.set_wait_callback(wait_with_deadline)
    request_started.connect(_request_started, dispatch_uid="database-request-started")
