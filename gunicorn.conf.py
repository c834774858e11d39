"""gunicorn settings. The logs keep what is needed to run the site and nothing about who asked for
what: no client address, no query string (searches and postcodes travel there), no referrer, no user
agent, and no request text even when a request is malformed (directory/logs.py).

Sync workers are safe only behind a buffering proxy: a client that sends its request slowly holds a
worker for as long as it likes. `make production` (scripts/production.py) and deploy/ put nginx in
front, on a unix socket (DIRECTORY_BIND=unix:/path). `make run` serves gunicorn alone on loopback,
for trying the site on one's own machine.
"""

import os

from gunicorn import util

from directory import logs

# gunicorn answers a request it cannot parse itself, before the app sees it: give those answers the
# site's security headers too, and stop them quoting the request back.
util.write_error = logs.write_error

bind = os.environ.get("DIRECTORY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("DIRECTORY_WORKERS", "2"))
# Build once, before workers fork, not once per worker; the master builds in a child process so
# that neither it nor the workers keep the build's memory (builds.build_apart).
preload_app = True
logger_class = "directory.logs.PrivateLogger"
accesslog = "-"
# %(U)s is the path without the query string (and "-" for a 4xx/5xx: the path was typed by someone);
# PrivateLogger logs any other atom, such as %(h)s (address) or %(r)s (request line), as "-".
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
timeout = 30
graceful_timeout = 10
# A request's line and headers have small limits: nothing here needs long ones (the query is cut to
# 200 characters anyway), and a short limit answers a hostile request early.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 4096
# No admin socket in the home folder: nothing here needs runtime control, and several instances
# (tests, benchmarks) must be able to run side by side.
control_socket_disable = True
