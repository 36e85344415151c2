"""gunicorn settings for the EMPAC site behind nginx (deploy/nginx/empac.conf).

Every value can be overridden with a GUNICORN_* variable (the systemd unit, `make bench`
and the tests do), e.g. GUNICORN_WORKERS=4. Read by `gunicorn -c deploy/gunicorn.conf.py
empac.wsgi:application`.
"""

import multiprocessing
import os


def env(name, default):
    return os.environ.get(f"GUNICORN_{name}", str(default))


# nginx connects over loopback (or a unix socket: GUNICORN_BIND=unix:/run/empac/web.sock).
bind = env("BIND", "127.0.0.1:8000")
# Threads let one worker go on serving while a request waits on the database or mail;
# nginx buffers whole requests and responses, so no thread waits on a slow client.
worker_class = env("WORKER_CLASS", "gthread")
workers = int(env("WORKERS", multiprocessing.cpu_count()))
threads = int(env("THREADS", 4))
# A request that takes longer than this is a bug: the database and mail give up sooner.
timeout = int(env("TIMEOUT", 30))
graceful_timeout = int(env("GRACEFUL_TIMEOUT", 20))
keepalive = int(env("KEEPALIVE", 5))
# Restart workers now and then, so a slow leak can never grow without bound.
max_requests = int(env("MAX_REQUESTS", 5000))
max_requests_jitter = int(env("MAX_REQUESTS_JITTER", 500))
# Only nginx on this machine may say the request came over HTTPS.
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = env("LOGLEVEL", "info")
# Worker heartbeat files in memory rather than on a disk that may be slow.
worker_tmp_dir = env("WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp")


def post_worker_init(worker):
    """Leave the loaded application out of the garbage collector's full passes.

    Django, its apps and the URL patterns are some 120,000 objects that live as long as
    the worker; a full collection walked them all. Frozen once loaded, the collector
    spent 0.2-0.3 ms a request instead of 0.5 on a deep list page (in-process, 4 to 5 %
    of the page's CPU time).
    """
    import gc

    gc.collect()
    gc.freeze()
