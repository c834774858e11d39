"""Run the site under gunicorn with its real config on a free loopback port, for tests and scripts."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(str):
    """The base URL of a running server, which also knows the server's process id."""

    pid: int


@contextlib.contextmanager
def gunicorn(log: Path, ready_within: float = 30.0, **settings: str):
    """Yield the base URL (a `Server`) of a gunicorn serving the app once it answers; `settings` become
    DIRECTORY_* variables. Raise if it has not answered within `ready_within` seconds (it builds first
    when the CSV has no build yet)."""
    port = free_port()
    # The site's address is required outside tests (absolute links come only from it): this one.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DIRECTORY_BIND": f"127.0.0.1:{port}",
        "DIRECTORY_SITE_URL": f"http://127.0.0.1:{port}",
    }
    env.update({f"DIRECTORY_{key}": str(value) for key, value in settings.items()})
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = Server(f"http://127.0.0.1:{port}")
        base.pid = server.pid
        try:
            deadline = time.monotonic() + ready_within
            while True:
                try:
                    # An http:// URL on loopback that we built ourselves.
                    urllib.request.urlopen(base + "/robots.txt", timeout=2).close()  # nosec B310
                    break
                except OSError:
                    if server.poll() is not None:
                        raise RuntimeError(f"gunicorn exited:\n{log.read_text()}") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not answer within {ready_within} s") from None
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            # gunicorn waits up to its graceful_timeout (10 s) for workers to finish: more, on a busy machine.
            server.wait(timeout=30)
