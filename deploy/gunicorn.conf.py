"""gunicorn settings for creditadmin (`deploy/serve` passes this file with --config).

Every value can be changed from the environment; the defaults were measured with
`make load` on a 2-core machine (README, "Load").
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", 2))
threads = int(os.environ.get("WEB_THREADS", 4))
# Threads share a worker's database connection pool: CONN_MAX_AGE keeps one per thread.
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# No gunicornc control socket: one default path per user would be shared by every instance.
control_socket_disable = True
# Addresses whose X-Forwarded-For/-Proto headers are trusted (the reverse proxy's).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "creditadmin.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
