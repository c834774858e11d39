"""Defaults. Any of them can be overridden with an environment variable `DIRECTORY_<NAME>`."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    CSV_PATH = ROOT / "data" / "agencies.csv"
    BUILD_ROOT = ROOT / "instance" / "builds"
    # Every London postcode district and the areas it touches (see data/README.md).
    DISTRICTS_PATH = ROOT / "data" / "postcode_districts.csv"
    # Build on start when the build is missing or older than the CSV (see builds.ensure_fresh).
    AUTO_BUILD = True
    # URL codes of the languages served; a language is added here once its catalogue is complete.
    LANGUAGES = ["en", "pt", "ro", "bg", "zh", "es", "pl", "hu", "bn", "ar"]
    BABEL_DEFAULT_LOCALE = "en"
    # flask-babel resolves relative paths against the package folder, so give an absolute one.
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    # Where the quick exit goes: a busy, ordinary site that says nothing about the visitor.
    QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    # The address the QR codes on signposting cards open, e.g. "https://example.org". Empty: the
    # address this request came to (right behind a proxy that passes the Host header on).
    SITE_URL = ""
    # The only form that posts is the postcode finder: a few bytes. Refuse anything large.
    MAX_CONTENT_LENGTH = 16 * 1024
    PER_PAGE = 10
    MAX_PAGE = 500
    # Where people suggest a correction, with {id} and {name} filled in: the repository's edit page
    # for data/agencies.csv, or a mailto: to the admins. Set it with DIRECTORY_CORRECTIONS_URL.
    # No form: nothing anyone writes is sent to or stored by this site.
    CORRECTIONS_URL = ""
    # flask-compress: brotli where the browser accepts it, else gzip. Pages carry no secrets or
    # tokens, so compressing pages that repeat a search term does not open a BREACH-style leak.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "text/csv", "image/svg+xml", "text/plain"]  # fmt: skip
    COMPRESS_MIN_SIZE = 256
    COMPRESS_BR_LEVEL = 5
