"""Logs that keep nothing about who asked for what, under any input.

The people this site serves can be put at risk by a log: a client address, a search ("rape",
"immigration"), a postcode. gunicorn's own logger writes `Invalid request from ip=...` with the
address and the request text for every malformed request, and a traceback's last line is the
exception's message, which can quote what a client sent. So:

- `PrivateLogger` (gunicorn's `logger_class`) builds the access line from a fixed list of harmless
  atoms (time, method, path of a successful request, status, size, duration) and rewrites gunicorn's
  error-log messages that carry a client's address or request;
- `PrivateFormatter` prints a traceback as its frames and the exception's type, never its message.
"""

import logging
import traceback

from gunicorn import glogging

METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"})
# The only atoms an access_log_format may use; any other (%(h)s the address, %(r)s the request line,
# %(q)s the query, %(f)s referrer, %(a)s user agent, {header}i...) is logged as "-".
ACCESS_ATOMS = ("t", "m", "U", "s", "B", "b", "M", "D", "T", "L", "p")


def method(value: str | None) -> str:
    """A standard method as it is; anything else (a client may send any word) as OTHER."""
    return value if value in METHODS else "OTHER"


def path(value: str | None, status: str) -> str:
    """The path of an answered request. A 4xx/5xx path is whatever someone typed, so it is not kept."""
    return (value or "-") if str(status)[:1] in ("2", "3") else "-"


def frames(exc_info) -> str:
    """A traceback without the exception's message (it can quote a request body or a postcode)."""
    kind, _, tb = exc_info
    lines = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    lines.append(f"{kind.__module__}.{kind.__qualname__} (message not logged)")
    return "\n".join(lines)


class PrivateFormatter(logging.Formatter):
    """A formatter whose tracebacks name the exception's type and frames only."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return frames(ei)

    def formatStack(self, stack_info) -> str:  # noqa: N802
        return ""


def _private_message(msg) -> str | None:
    """gunicorn's messages that carry a client's address or request text, rewritten; None otherwise."""
    text = str(msg)
    if text.startswith("Invalid request from ip="):
        return "Invalid request answered with an error (client address and request not logged)"
    if text.startswith("Error handling request"):
        return "Error handling request (request not logged)"
    return None


class PrivateLogger(glogging.Logger):
    """gunicorn's logger without client addresses, request lines, queries, headers or messages of
    exceptions. Set as `logger_class` in gunicorn.conf.py."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(PrivateFormatter(handler.formatter._fmt, handler.formatter.datefmt))

    def _emit(self, level: int, msg, args, kwargs, exc_info=None) -> None:
        private = _private_message(msg)
        if private is not None:
            msg, args = private, ()
        self.error_log.log(level, msg, *args, exc_info=exc_info or kwargs.get("exc_info"))

    def critical(self, msg, *args, **kwargs):
        self._emit(logging.CRITICAL, msg, args, kwargs)

    def error(self, msg, *args, **kwargs):
        self._emit(logging.ERROR, msg, args, kwargs)

    def warning(self, msg, *args, **kwargs):
        self._emit(logging.WARNING, msg, args, kwargs)

    def info(self, msg, *args, **kwargs):
        self._emit(logging.INFO, msg, args, kwargs)

    def debug(self, msg, *args, **kwargs):
        self._emit(logging.DEBUG, msg, args, kwargs)

    def exception(self, msg, *args, **kwargs):
        self._emit(logging.ERROR, msg, args, kwargs, exc_info=True)

    def log(self, lvl, msg, *args, **kwargs):
        if isinstance(lvl, str):
            lvl = self.LOG_LEVELS.get(lvl.lower(), logging.INFO)
        self._emit(lvl, msg, args, kwargs)

    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        kept = {name: every[name] for name in ACCESS_ATOMS}
        kept["m"] = method(every["m"])
        kept["U"] = path(every["U"], every["s"])
        return kept


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's answer to a request it cannot parse (400, 414, 431...), with the site's security
    headers and `no-store`, and without gunicorn's message, which quotes the request back.
    gunicorn.conf.py puts it in place of `gunicorn.util.write_error`."""
    from gunicorn import util

    from . import SECURITY_HEADERS

    body = f"{status_int} {reason}\n".encode("latin-1", "replace")
    head = [f"HTTP/1.1 {status_int} {reason}", "Connection: close", "Content-Type: text/plain; charset=utf-8",
            f"Content-Length: {len(body)}", "Cache-Control: no-store"]  # fmt: skip
    head += [f"{name}: {value}" for name, value in SECURITY_HEADERS.items()]
    util.write_nonblock(sock, "\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + body)
