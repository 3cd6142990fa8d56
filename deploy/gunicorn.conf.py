"""gunicorn settings for the web service (deploy/systemd/sxtic-web.service).

Listens on 127.0.0.1:8000 behind the shipped nginx site (deploy/nginx/sxtic.conf), which
forwards X-Forwarded-For / X-Forwarded-Proto; set TRUSTED_PROXIES=127.0.0.1 so the app
takes the client address from nginx only. Every value can be overridden by the
environment (GUNICORN_BIND, GUNICORN_WORKERS, ...).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
# PDF rendering (WeasyPrint, in a child process: documents/pdf_process.py) of a long plan
# book can take a while; nginx waits 120 s too.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak anywhere stays bounded). WeasyPrint never loads
# into a worker; `make bench SCALE=full` reports each worker's peak RSS after its load.
max_requests = 1000
max_requests_jitter = 100
# Forwarded headers are trusted from nginx on this host only; the app itself reads
# X-Forwarded-For through TRUSTED_PROXIES (audit/client_ip.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# systemd controls the process (reload: HUP); no control socket under $HOME.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The request line is logged without the query string's secrets (reset tokens are in paths).
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
limit_request_line = 8190
