"""Page weight: bytes over the wire for each page type's first load, as gunicorn serves them.

    .venv/bin/python bench/page_weight.py

A first load is the page plus everything it pulls in (stylesheet, script, icon; the site has no web
fonts or images). Bytes are counted as received, headers included, with `Accept-Encoding: br` (what
current phone browsers send over HTTPS), `gzip` and none. The target is 14 KB: what fits in the
first round trip of a new TCP connection (10 segments of ~1,460 bytes).
"""

import http.client
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve import gunicorn  # noqa: E402

PAGES = {
    "home": "/en/",
    "search (results)": "/en/search?q=clinic",
    "search (none)": "/en/search?q=xyzzy",
    "entry": "/en/service/the-havens",
    "borough": "/en/areas/hackney",
    "borough index": "/en/areas/",
    "staying safe": "/en/staying-safe-online",
    "open data": "/en/open-data",
    "not found": "/en/nowhere",
}
BUDGET = 14 * 1024


def fetch(port: int, path: str, encoding: str) -> tuple[int, bytes]:
    """(bytes on the wire, body as sent) for one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Accept-Encoding": encoding} if encoding else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.getheaders()
    )
    connection.close()
    return len(head) + 2 + len(body), body


def assets(html: bytes) -> list[str]:
    text = html.decode("utf-8")
    found = re.findall(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/[^"]+)"', text)
    return [url for url in found if url.startswith("/static/")]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="directory-weight-"))
    try:
        rows = measure(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows)
    return 0


def measure(work: Path) -> list[list]:
    rows = []
    with gunicorn(work / "gunicorn.log", BUILD_ROOT=work / "builds") as base:
        port = int(base.rsplit(":", 1)[1])
        for name, path in PAGES.items():
            _, plain_html = fetch(port, path, "")
            urls = assets(plain_html)
            row = [name, ", ".join(Path(u).name for u in urls)]
            for encoding in ("br", "gzip", ""):
                page, _ = fetch(port, path, encoding)
                total = page + sum(fetch(port, url, encoding)[0] for url in urls)
                row += [page, total]
            rows.append(row)
    return rows


def report(rows: list[list]) -> None:
    print("Bytes over the wire, headers included (first load = page + its CSS, JS and icon)")
    print()
    print(
        "| page | assets | br: page | br: first load | gzip: page | gzip: first load | none: page | none: first load |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")
    worst = max(row[3] for row in rows)
    worst_gzip = max(row[5] for row in rows)
    print()
    print(f"heaviest first load: {worst} B with brotli, {worst_gzip} B with gzip; budget {BUDGET} B: "
          f"{'met' if max(worst, worst_gzip) <= BUDGET else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
