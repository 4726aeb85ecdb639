"""gunicorn's configuration for Tell It Once: `gunicorn tellonce.wsgi` from the repository root
reads it. Every value can be changed by an environment variable (docs/deploying.md).

Behind a proxy (nginx, a cloud load balancer) that ends TLS and sets X-Forwarded-Proto. The
workers are processes with a few threads each: a request mostly waits on the database, and
threads keep the memory of one copy of the application per process. Static files are served by
whitenoise inside the application, so the proxy needs no static configuration.
"""

import multiprocessing
import os

from tellonce.logs import FORMATTERS

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A slow page (a large export) may take a while; past this the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart each worker now and then, spread out, so a slow leak never builds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy's address may set X-Forwarded-*; by default only a proxy on the same machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application before forking: a broken setting (a weak SECRET_KEY) stops the
# server at once, and the workers share the loaded code's memory.
preload_app = True

# Logs: gunicorn's own and its access log as one JSON object a line on standard error, like
# the application's (tellonce/settings.py); LOG_FORMAT=text for people.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
_format = os.environ.get("LOG_FORMAT", "json")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": _format if _format in {"json", "text"} else "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
