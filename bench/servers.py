"""Start the production pieces on loopback for benchmarks, fault scripts and tests.

gunicorn with deploy/gunicorn.conf.py, a throwaway PostgreSQL cluster (so a fault
script can stop it without touching anyone's server), Redis and nginx with the
configuration in deploy/. Every process is started by this module and stopped by it,
by its own process id, also when the caller fails.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url: str, timeout: float = 5) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class Process:
    """A child process with its output in a log file; stop() ends it by its pid."""

    def __init__(self, name: str, command: list[str], *, log_dir: Path, env=None, cwd=ROOT):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = 15) -> None:
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()


def wait_until(check, *, timeout: float, what: str, process: Process | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if process is not None and not process.running():
            raise RuntimeError(f"{what}: {process.name} exited\n{process.log_tail()}")
        if time.monotonic() > deadline:
            tail = process.log_tail() if process else ""
            raise RuntimeError(f"{what}: not ready after {timeout:g} s\n{tail}")
        time.sleep(0.1)


def start_gunicorn(
    env: dict, *, port: int, log_dir: Path, name: str = "gunicorn", **config
) -> Process:
    """gunicorn with deploy/gunicorn.conf.py, on 127.0.0.1:port; config overrides it.

    Keyword arguments become GUNICORN_* variables the config file reads (workers=2,
    threads=1, worker_class="sync"), so the benchmark and the tests run what production
    runs, changing only what they measure.
    """
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env.update({f"GUNICORN_{key.upper()}": str(value) for key, value in config.items()})
    process = Process(
        name,
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "empac.wsgi:application"],
        log_dir=log_dir,
        env=env,
    )
    try:
        wait_until(
            lambda: http_status(f"http://127.0.0.1:{port}/healthz", timeout=2) == 200,
            timeout=60,
            what="gunicorn",
            process=process,
        )
    except BaseException:
        process.stop()
        raise
    return process


def pg_bin(name: str) -> str | None:
    """A PostgreSQL server program: Debian keeps them out of PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parts)
    if found:
        return str(found[-1])
    return shutil.which(name)


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary folder, on a free loopback port.

    For fault tests: it may be stopped (SIGSTOP) or shut down without touching any
    other server. Runs as the postgres user when started by root.
    """

    def __init__(self):
        # Its own folder straight under /tmp: the postgres user cannot enter root's.
        self.dir = Path(tempfile.mkdtemp(prefix="empac-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"
        self._run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def available() -> bool:
        return bool(pg_bin("initdb") and pg_bin("pg_ctl"))

    def _run(self, *command, timeout=120):
        subprocess.run([*self._run_as, *command], check=True, capture_output=True, timeout=timeout)

    def start(self) -> "ThrowawayPostgres":
        if self._run_as:
            shutil.chown(self.dir, "postgres")
        self._run(
            pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._pg_ctl("start", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F")
        return self

    def _pg_ctl(self, *args):
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", *args)

    def database_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg2

        connection = psycopg2.connect(self.database_url("postgres"))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return self.database_url(name)

    def pids(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True
        ).stdout.split()
        return [postmaster, *map(int, children)]

    def stall(self) -> None:
        """Freeze the server: connections stay open and nothing answers."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.resume()
            self._pg_ctl("stop", "-m", "immediate")

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_redis(*, log_dir: Path) -> tuple[Process, str]:
    """redis-server on a free loopback port, nothing saved to disk; returns it and its URL."""
    port = free_port()
    process = Process(
        "redis",
        [
            shutil.which("redis-server") or "redis-server",
            "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
            "--dir", str(log_dir),
        ],
        log_dir=log_dir,
    )  # fmt: skip

    def answers():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        return False

    wait_until(answers, timeout=20, what="redis", process=process)
    return process, f"redis://127.0.0.1:{port}/0"
