"""gunicorn configuration of a team's procure desk: `gunicorn -c /etc/procure/gunicorn.conf.py`.

Everything it reads comes from the environment (the systemd unit's EnvironmentFile, /etc/procure/procure.env):

  PROCURE_BIND      address:port to listen on (default 127.0.0.1:8000: the TLS proxy in front reaches it)
  PROCURE_WORKERS   worker processes (default: the number of cores, at most 4)
  PROCURE_THREADS   requests each worker serves at once (default 8)
  PROCURE_TIMEOUT   seconds one request may take before its worker is replaced (default 120)

and the application itself reads PROCURE_REGISTER (the postgresql:// URL), PROCURE_PRICES, PROCURE_PROFILE,
PROCURE_CATALOG and PROCURE_HTTPS_ONLY=1 (the sign-in cookie over HTTPS only, behind the proxy).
"""

import os

wsgi_app = "procure.web:create_app()"
bind = [os.environ.get("PROCURE_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("PROCURE_WORKERS") or min(os.cpu_count() or 1, 4))
worker_class = "gthread"
threads = int(os.environ.get("PROCURE_THREADS", "8"))
timeout = int(os.environ.get("PROCURE_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 0  # each request to the first free worker (procure/web/prefork.py, KEEPALIVE)
preload_app = True  # the catalog, price list and profile are read once, then the workers fork
proc_name = "procure"
accesslog = "-"
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = "127.0.0.1,::1"  # the proxy on this machine says the client's address and scheme
