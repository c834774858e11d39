"""The real WSGI stack: gunicorn with the shipped config, on loopback, and what its logs keep."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_and_logs_no_query_or_address(tmp_path, csv_path):
    port = free_port()
    env = {
        "PATH": str(Path(sys.executable).parent),
        "DIRECTORY_CSV_PATH": str(csv_path),
        "DIRECTORY_BUILD_ROOT": str(tmp_path / "builds"),
        "DIRECTORY_BIND": f"127.0.0.1:{port}",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/en/", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            with urllib.request.urlopen(base + "/en/search?q=secretword&borough=hackney", timeout=5) as r:
                assert r.status == 200 and "Set-Cookie" not in r.headers
                assert b"secretword" in r.read()  # the page itself shows the query back
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert '"GET /en/search" 200' in text
    assert "secretword" not in text and "hackney" not in text
    assert "127.0.0.1" not in text.replace(f"127.0.0.1:{port}", "")  # only the listening address
