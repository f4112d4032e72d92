"""gunicorn for Loa behind nginx: ``gunicorn -c cms/gunicorn.conf.py cms.wsgi``.

Worker model: threaded workers (gthread). A station download is a short request for the
application — check the key, find the bulletin, write the download log, hand the bytes to
nginx (X-Accel-Redirect) — but each waits on the database. With sync workers, 200 stations
arriving at once queue behind 5 processes, and so does every visitor's page. Threads let one
process overlap those waits; several processes use the cores. Defaults: cores + 1 processes
of 8 threads each; each thread may hold a database connection (CONN_MAX_AGE), so PostgreSQL's
max_connections must exceed workers x threads x machines. See docs/operations.md."""

import multiprocessing
import os

bind = os.environ.get("LOA_WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LOA_WEB_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("LOA_WEB_THREADS", "8"))
# Uploads of long videos through the admin take a while on a provincial line.
timeout = int(os.environ.get("LOA_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# nginx keeps idle connections to the application (its upstream's keepalive, closed after 60 s
# idle): keep them longer here, so that nginx, not gunicorn, closes them (no request is sent
# on a connection being closed) and a burst of station-gate questions reuses them instead of
# connecting anew. Idle connections cost gthread workers nothing but a socket.
keepalive = int(os.environ.get("LOA_WEB_KEEPALIVE", "75"))
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("LOA_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("LOA_WEB_ACCESS_LOG") or None
