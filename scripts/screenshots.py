"""Save phone-size screenshots of every page type in every served language, for a person to review.

Usage: `make screenshots` (or `.venv/bin/python scripts/screenshots.py [OUTPUT_FOLDER]`).
Serves the shipped data with gunicorn on a free loopback port; writes `screenshots/<lang>-<page>.png`.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from serve import ROOT, gunicorn

sys.path.insert(0, str(ROOT))
from directory.config import Config  # noqa: E402
from directory.records import Service, parse  # noqa: E402

ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def pages() -> dict[str, str]:
    entries, _ = parse(Config.CSV_PATH.read_bytes())
    service = next(e for e in entries if isinstance(e, Service))
    return {
        "home": "/{lang}/",
        "search": "/{lang}/search?q=help",
        "empty-search": "/{lang}/search?q=zzzzqqq",
        "entry": f"/{{lang}}/service/{service.id}",
        "borough": "/{lang}/areas/hackney",
        "borough-index": "/{lang}/areas/",
        "staying-safe": "/{lang}/staying-safe-online",
        "open-data": "/{lang}/open-data",
        "correction": "/{lang}/service/the-havens/correction",
        "not-found": "/{lang}/service/nope",
    }


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, gunicorn(Path(tmp) / "log", BUILD_ROOT=Path(tmp) / "b") as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 360, "height": 740})
            for lang in Config.LANGUAGES:
                for name, path in pages().items():
                    page.goto(base + path.format(lang=lang))
                    page.screenshot(path=out / f"{lang}-{name}.png", full_page=True)
                    print(out / f"{lang}-{name}.png")
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots")
