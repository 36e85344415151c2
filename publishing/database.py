"""Fail fast when PostgreSQL stalls, and notice at once when it is back.

A server that stops answering (a frozen host, a full disk, a stopped process) is worse
than one that refuses: the kernel still accepts connections and holds the bytes, so
libpq waits for ever and every worker that touches the database hangs with it. The
server-side ``statement_timeout`` cannot help when the server is not running.

So psycopg2 is given a wait callback (the hook green-thread libraries use): every wait
for the server is a ``select()`` with a deadline. Past the deadline the query or
connection attempt fails with ``OperationalError`` (psycopg2 closes that connection),
which the site answers with a 503 (``publishing.views.server_error``). After such a
failure the circuit of this process is open: every wait fails at once, so workers are
never tied up one deadline per request, while a thread of its own keeps one connection
attempt waiting in the server's queue. The moment the server answers it, the circuit
closes; no reader's request is ever the one that waits to find out.
"""

import select
import threading
import time
from contextlib import contextmanager

from django.conf import settings

# How long the probe waits on one connection attempt, and between attempts refused.
PROBE_WAIT = 30
PROBE_INTERVAL = 0.1

_local = threading.local()


class Circuit:
    """Whether this process has given up on the database until its probe gets an answer."""

    def __init__(self, probe=None):
        self._lock = threading.Lock()
        self._open = False
        self._probe = probe  # called in a thread of its own; returns when it connected

    def may_try(self) -> bool:
        return not self._open or getattr(_local, "probing", False)

    def failed(self) -> None:
        with self._lock:
            if self._open or getattr(_local, "probing", False):
                return
            self._open = True
        if self._probe is not None:
            threading.Thread(target=self._run_probe, name="database-probe", daemon=True).start()

    def _run_probe(self) -> None:
        _local.probing = True
        try:
            self._probe()
        finally:
            self.answered()

    def answered(self) -> None:
        if self._open:
            with self._lock:
                self._open = False

    @property
    def is_open(self) -> bool:
        return self._open


def _probe_default_database() -> None:
    """Connect, and keep trying, until the server answers; then return."""
    import psycopg2
    from django.db import connections

    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    while True:
        try:
            connection = psycopg2.connect(**params)
        except psycopg2.Error:
            time.sleep(PROBE_INTERVAL)  # refused, or no answer within PROBE_WAIT: again
            continue
        connection.close()
        return


circuit = Circuit(_probe_default_database)


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
    if getattr(_local, "probing", False):
        return PROBE_WAIT
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


def install() -> None:
    """Called from PublishingConfig.ready() when the default database is PostgreSQL."""
    from psycopg2 import extensions

    extensions.set_wait_callback(wait_with_deadline)
