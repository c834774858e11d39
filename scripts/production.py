"""The production stack on this machine: nginx in front of gunicorn on a unix socket (`make production`).

    .venv/bin/python scripts/production.py [--port 8080] [--replicas 1]

Listens on http://127.0.0.1:$PORT (default 8080); the site's address is DIRECTORY_SITE_URL (default
http://127.0.0.1:$PORT). It builds the data once, then starts each replica (a gunicorn with the
shipped gunicorn.conf.py, on its own unix socket, reading that one build) and nginx as the current
user with a configuration written under instance/nginx/ that includes deploy/nginx/*.conf, the same
lines the deployed server uses. Every log, nginx's and gunicorn's, is under instance/logs/. Ctrl+C or
SIGTERM stops nginx and every gunicorn. Tests start the same stack through `stack()`.
"""

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "deploy" / "nginx"


def nginx_binary() -> str:
    """Debian installs nginx in /usr/sbin, which is not on every user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise RuntimeError("nginx is not installed: run `make nginx-deps`")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(instance: Path, port: int, site_url: str, sockets: list[Path]) -> str:
    """nginx's configuration for this machine: no root paths, everything under `instance`."""
    host = urlsplit(site_url).hostname
    run, logs = instance / "nginx", instance / "logs"
    # Running as root (a container, CI), nginx would hand its workers to `nobody`; keep them as the
    # user who started the stack, who owns instance/.
    user = ""
    if os.geteuid() == 0:
        name = pwd.getpwuid(os.getuid()).pw_name
        user = f"user {name};"
    upstreams = "\n".join(f"        server unix:{path} max_fails=1 fail_timeout=2s;" for path in sockets)
    temp = "\n".join(
        f"    {kind}_temp_path {run}/temp/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    error_location = f"""
        location = /_error.html {{
            internal;
            charset utf-8;
            root {run};
            include {SNIPPETS}/directory-headers.conf;
        }}"""
    return f"""# Written by scripts/production.py for `make production`; edit deploy/nginx/ instead.
daemon off;
{user}
worker_processes 1;
pid {run}/nginx.pid;
# Level crit: nginx's error and warn lines end with the client's address and request line.
error_log {logs}/nginx-error.log crit;
events {{
    worker_connections 1024;
}}
http {{
    default_type application/octet-stream;
{temp}
    include {SNIPPETS}/directory-log.conf;
    access_log {logs}/nginx-access.log directory;

    upstream directory {{
{upstreams}
    }}

    # A request for any other host (a forged Host header, a scan by address) gets no answer at all.
    server {{
        listen 127.0.0.1:{port} default_server;
        server_name _;
        server_tokens off;
        client_header_timeout 10s;
        error_page 400 408 414 431 494 /_error.html;
        location / {{
            return 444;
        }}{error_location}
    }}

    server {{
        listen 127.0.0.1:{port};
        server_name {host};
        include {SNIPPETS}/directory-proxy.conf;{error_location}
    }}
}}
"""


def error_page(site_url: str, csv_path: Path, build_root: Path) -> str:
    """The app's own "Sorry, something went wrong" page, for nginx to send for its own errors."""
    sys.path.insert(0, str(ROOT))
    from flask import g, render_template

    from directory import create_app

    app = create_app({"AUTO_BUILD": False, "SITE_URL": site_url, "CSV_PATH": csv_path, "BUILD_ROOT": build_root})
    with app.test_request_context("/en/"):
        app.preprocess_request()
        g.error_page = True
        return render_template("error.html", status=500)


def _wait_for_socket(path: Path, process: subprocess.Popen, log: Path, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as s:
            s.connect(str(path))
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not listen on {path} within {within} s")
        time.sleep(0.1)


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not listen on {port} within {within} s")
        time.sleep(0.05)


@dataclass
class Stack:
    """A running stack: its address, and the processes a test may stop or kill."""

    base: str
    instance: Path
    nginx: subprocess.Popen | None = None
    replicas: list[subprocess.Popen] = field(default_factory=list)
    # Seconds: making sure the build is fresh (building if needed), and each replica's start on it
    # until its socket accepts (the app is loaded before gunicorn listens: preload_app).
    build_seconds: float = 0.0
    startup_seconds: list[float] = field(default_factory=list)

    @property
    def logs(self) -> Path:
        return self.instance / "logs"


def _stop(process: subprocess.Popen) -> None:
    """Stop a process and anything left in its process group (a gunicorn master's workers outlive
    it for a moment if the master was killed)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def stack(
    instance: Path,
    port: int = 8080,
    replicas: int = 1,
    site_url: str = "",
    csv_path: Path | None = None,
    workers: int = 2,
):
    """Build once, start the replicas and nginx; yield a `Stack`; stop everything on the way out."""
    sys.path.insert(0, str(ROOT))
    from directory import builds
    from directory.config import Config, check_site_url

    instance = Path(instance).resolve()
    site_url = check_site_url(site_url or f"http://127.0.0.1:{port}")
    csv_path = Path(csv_path or os.environ.get("DIRECTORY_CSV_PATH") or Config.CSV_PATH)
    build_root = Path(os.environ.get("DIRECTORY_BUILD_ROOT") or instance / "builds")
    logs, run, sock_dir = instance / "logs", instance / "nginx", instance / "run"
    for folder in (logs, sock_dir, *(run / "temp" / k for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))):
        folder.mkdir(parents=True, exist_ok=True)

    # One build, read by every replica: each starts with AUTO_BUILD off and never writes to it.
    began = time.monotonic()
    builds.ensure_fresh(csv_path, build_root, Config.DISTRICTS_PATH, site_url)
    result = Stack(base=f"http://127.0.0.1:{port}", instance=instance, build_seconds=time.monotonic() - began)
    (run / "_error.html").write_text(error_page(site_url, csv_path, build_root), encoding="utf-8")
    sockets = [sock_dir / f"gunicorn-{i}.sock" for i in range(1, replicas + 1)]
    try:
        for i, path in enumerate(sockets, start=1):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            env = {
                "PATH": os.environ.get("PATH", ""),
                "DIRECTORY_BIND": f"unix:{path}",
                "DIRECTORY_SITE_URL": site_url,
                "DIRECTORY_CSV_PATH": str(csv_path),
                "DIRECTORY_BUILD_ROOT": str(build_root),
                "DIRECTORY_AUTO_BUILD": "false",
                "DIRECTORY_WORKERS": str(workers),
            }
            log = logs / f"gunicorn-{i}.log"
            began = time.monotonic()
            with open(log, "a") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                    # Its own session: Ctrl+C reaches this script, which stops each process in turn, and
                    # a test can kill a replica's whole process group.
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            result.replicas.append(process)
            _wait_for_socket(path, process, log)
            result.startup_seconds.append(time.monotonic() - began)

        conf = run / "nginx.conf"
        conf.write_text(nginx_conf(instance, port, site_url, sockets))
        startup = logs / "nginx-startup.log"
        with open(startup, "a") as out:
            # -e: the log for what nginx says before it has read error_log (otherwise a root path).
            result.nginx = subprocess.Popen(
                [nginx_binary(), "-p", str(run), "-c", str(conf), "-e", str(logs / "nginx-error.log")],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        _wait_for_port(port, result.nginx, startup)
        yield result
    finally:
        for process in [result.nginx, *result.replicas]:
            if process is not None:
                _stop(process)


def _interrupt(signum, frame):
    """SIGTERM (systemd, a test, `kill`) stops the stack as Ctrl+C does."""
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    parser.add_argument("--replicas", type=int, default=1, help="gunicorns behind nginx, from one build")
    parser.add_argument("--instance", type=Path, default=ROOT / "instance", help="where logs and runtime files go")
    parser.add_argument(
        "--error-page", type=Path, metavar="PATH", help="only write nginx's error page to PATH (deploy/README.md)"
    )
    args = parser.parse_args()
    site_url = os.environ.get("DIRECTORY_SITE_URL", "")
    if args.error_page:
        sys.path.insert(0, str(ROOT))
        from directory.config import Config, check_site_url

        build_root = Path(os.environ.get("DIRECTORY_BUILD_ROOT") or Config.BUILD_ROOT)
        page = error_page(check_site_url(site_url), Config.CSV_PATH, build_root)
        args.error_page.write_text(page, encoding="utf-8")
        return

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with stack(args.instance, args.port, args.replicas, site_url) as running:
            print(f"Serving on {running.base} (nginx in front of {args.replicas} gunicorn); logs in {running.logs}")
            print("Stop with Ctrl+C.", flush=True)
            while running.nginx.poll() is None and any(p.poll() is None for p in running.replicas):
                time.sleep(0.5)
            print("A process of the stack exited: stopping.", file=sys.stderr)
            sys.exit(1)
    except KeyboardInterrupt:
        print("Stopped.")


if __name__ == "__main__":
    main()
