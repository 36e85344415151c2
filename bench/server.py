"""Start the production pieces on loopback, for `make bench`, `make soak` and tests.

gunicorn with deploy/gunicorn.conf.py, a throwaway PostgreSQL cluster (so a fault
script can stop it without touching anyone's server), Redis, nginx with the
configuration in deploy/, and a mail server that can stall. Every process is started
here and stopped here, by its own process id, also when the caller fails.
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


def http_status(url: str, timeout: float = 5, headers: dict | None = None) -> int | None:
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class Gunicorn:
    """``with Gunicorn(env, log_path) as server:`` serves until the block ends.

    ``server.port`` is where it listens; it is up once /healthz answers 200. ``env``
    holds the settings (DJANGO_SETTINGS_MODULE, DATABASE_URL …) of its workers. It runs
    deploy/gunicorn.conf.py, as production does, with ``config`` as GUNICORN_* variables
    over it (threads=4, worker_class="gthread"). By default sync workers and no restarts
    after max_requests: what the benchmark figures were measured with, and no worker
    recycling in the middle of a measurement.
    """

    def __init__(
        self, env: dict, log_path: Path, *, workers: int = 1, timeout: float = 60, **config
    ):
        self.log_path, self.timeout = Path(log_path), timeout
        self.port = free_port()
        # threads=1 too: gunicorn turns sync workers with threads into gthread ones.
        config = {
            "worker_class": "sync", "threads": 1, "max_requests": 0, **config, "workers": workers
        }  # fmt: skip
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.env.update({f"GUNICORN_{key.upper()}": str(value) for key, value in config.items()})
        self.process = None

    def __enter__(self):
        self.process = Process(
            self.log_path.stem,
            [
                sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG),
                "empac.wsgi:application",
            ],
            log_dir=self.log_path.parent,
            env=self.env,
        )  # fmt: skip
        # Asked as nginx would ask: for an allowed host, over HTTPS.
        host = (self.env.get("DJANGO_ALLOWED_HOSTS") or "127.0.0.1").split(",")[0].strip()
        probe = {"Host": host, "X-Forwarded-Proto": "https"}
        url = f"http://127.0.0.1:{self.port}/healthz"
        try:
            wait_until(
                lambda: http_status(url, 2, probe) == 200,
                timeout=self.timeout,
                what="gunicorn",
                process=self.process,
            )
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.process.stop()


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


class StallingSMTPServer:
    """A minimal SMTP server on loopback that counts the messages it takes, and can stall.

    Written here rather than taken from a library because the point is to misbehave:
    while ``stalled`` is set it accepts connections and never answers, as a mail server
    that hangs does. It speaks just enough SMTP for smtplib (EHLO, MAIL, RCPT, DATA).
    """

    def __init__(self):
        import threading

        self.messages: list[bytes] = []
        self.stalled = threading.Event()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import threading

        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        with contextlib.suppress(OSError), client, client.makefile("rb") as lines:
            while self.stalled.is_set():
                time.sleep(0.05)  # accepted, and silent
            client.sendall(b"220 localhost ESMTP\r\n")
            data = None
            for line in lines:
                if data is not None:
                    if line in (b".\r\n", b".\n"):
                        with self._lock:
                            self.messages.append(b"".join(data))
                        data = None
                        client.sendall(b"250 OK queued\r\n")
                    else:
                        data.append(line)
                    continue
                verb = line[:4].upper()
                if verb == b"DATA":
                    data = []
                    client.sendall(b"354 go ahead\r\n")
                elif verb == b"QUIT":
                    client.sendall(b"221 bye\r\n")
                    return
                elif verb == b"EHLO":
                    client.sendall(b"250-localhost\r\n250 8BITMIME\r\n")
                else:
                    client.sendall(b"250 OK\r\n")

    def received(self) -> int:
        with self._lock:
            return len(self.messages)

    def close(self):
        self._closing = True
        self._listener.close()


def tls_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, for nginx in tests."""
    certificate, key = folder / "localhost.crt", folder / "localhost.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate),
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return certificate, key


NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "empac.conf.template"


def render_nginx_site(values: dict) -> str:
    """deploy/nginx/empac.conf.template with its ${NAME}s filled in, as envsubst would.

    Only upper-case ${NAME}s are placeholders; nginx's own $host and $scheme stay.
    """
    import re

    return re.sub(
        r"\$\{([A-Z_]+)\}", lambda match: str(values[match.group(1)]), NGINX_TEMPLATE.read_text()
    )


def start_nginx(site_values: dict, *, log_dir: Path) -> Process:
    """nginx in the foreground, with the site's configuration and nothing else."""
    log_dir = Path(log_dir)
    (log_dir / "site.conf").write_text(render_nginx_site(site_values))
    (log_dir / "nginx.conf").write_text(
        f"""
daemon off;
# Only for tests started by root: the workers must read files in root's temporary folders.
user root;
worker_processes 1;
pid {log_dir}/nginx.pid;
error_log {log_dir}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {log_dir}/nginx-access.log;
    client_body_temp_path {log_dir}/body;
    proxy_temp_path {log_dir}/proxy;
    fastcgi_temp_path {log_dir}/fastcgi;
    uwsgi_temp_path {log_dir}/uwsgi;
    scgi_temp_path {log_dir}/scgi;
    include {log_dir}/site.conf;
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    test = subprocess.run(
        [nginx, "-t", "-c", str(log_dir / "nginx.conf")], capture_output=True, text=True
    )
    if test.returncode:
        raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
    process = Process("nginx", [nginx, "-c", str(log_dir / "nginx.conf")], log_dir=log_dir)
    port = int(str(site_values["HTTPS_LISTEN"]).rsplit(":", 1)[-1].split()[0])
    wait_until(lambda: _port_open(port), timeout=20, what="nginx", process=process)
    return process


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


def production_site(work: Path, *, database_url: str, smtp: StallingSMTPServer, **settings):
    """The environment of a production site in ``work``, its mail to ``smtp``.

    Registrations may be sent at once (no bot delay); ``settings`` adds or overrides
    variables.
    """
    import secrets

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "empac.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "EMPAC_CURATOR_EMAILS": "curators@empac.example.org",
        "EMPAC_REGISTRATION_MIN_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        **settings,
    }


def manage(env: dict, *commands: list[str]) -> None:
    """Run each management command in turn against env's site, quietly."""
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"],
            cwd=ROOT, env=env, check=True, timeout=300, capture_output=True,
        )  # fmt: skip
