"""gunicorn settings. The access log keeps what is needed to run the site and nothing about who
asked for what: no client address, no query string (searches and postcodes travel there), no
referrer and no user agent."""

import os

bind = os.environ.get("DIRECTORY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("DIRECTORY_WORKERS", "2"))
# Build once in the master before workers fork, not once per worker.
preload_app = True
accesslog = "-"
# %(U)s is the path without the query string; %(h)s (address), %(r)s (request line with the
# query), %(q)s, %(f)s (referrer) and %(a)s (user agent) are deliberately absent.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
timeout = 30
graceful_timeout = 10
# No admin socket in the home folder: nothing here needs runtime control, and several instances
# (tests, benchmarks) must be able to run side by side.
control_socket_disable = True
