"""Save phone-size screenshots of every page type in every served language, for a person to review.

Usage: `make screenshots` (or `.venv/bin/python scripts/screenshots.py [OUTPUT_FOLDER] [LANG ...]`).
Serves the shipped data with gunicorn on a free loopback port; writes `screenshots/<lang>-<page>.png`,
and `<lang>-card-print-a6.pdf` / `-a4.pdf`, the card as the browser prints it.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from serve import ROOT, gunicorn

sys.path.insert(0, str(ROOT))
from directory.config import Config  # noqa: E402
from directory.records import parse  # noqa: E402

ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def pages() -> dict[str, str]:
    entries, _ = parse(Config.CSV_PATH.read_bytes())
    service = entries.services[0]
    return {
        "home": "/{lang}/",
        "search": "/{lang}/search?q=help",
        "empty-search": "/{lang}/search?q=zzzzqqq",
        "entry": f"/{{lang}}/service/{service.id}",
        "card": f"/{{lang}}/service/{service.id}/card",
        "borough": "/{lang}/areas/hackney",
        "quick-view": "/{lang}/areas/hackney/quick",
        "finder": "/{lang}/finder",
        "finder-E2": "/{lang}/finder#E2",
        "finder-E8-1DY": "/{lang}/finder#E8 1DY",
        "borough-index": "/{lang}/areas/",
        "staying-safe": "/{lang}/staying-safe-online",
        "open-data": "/{lang}/open-data",
        "correction": "/{lang}/service/the-havens/correction",
        "not-found": "/{lang}/service/nope",
    }


def main(out: Path, languages: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, gunicorn(Path(tmp) / "log", BUILD_ROOT=Path(tmp) / "b") as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 360, "height": 740})
            for lang in languages:
                for name, path in pages().items():
                    path, _, postcode = path.format(lang=lang).partition("#")
                    page.goto(base + path)
                    if postcode:  # the finder posts its form, as a person would
                        page.fill("#postcode", postcode)
                        page.click(".postcode-form button")
                    page.screenshot(path=out / f"{lang}-{name}.png", full_page=True)
                    print(out / f"{lang}-{name}.png")
                    if name == "card":
                        page.emulate_media(media="print")
                        for size in ("A6", "A4"):
                            page.pdf(path=out / f"{lang}-card-print-{size.lower()}.pdf", format=size)
                        page.emulate_media(media="screen")
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots", sys.argv[2:] or Config.LANGUAGES)
