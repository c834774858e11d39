"""Defaults. Any of them can be overridden with an environment variable `DIRECTORY_<NAME>`."""

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, request

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
    # The site's own address, e.g. "https://example.org": the only source of absolute links (QR codes
    # on cards, share and SMS links, the open data). Required when serving outside debug or testing,
    # because the request's Host and X-Forwarded-* headers are whatever the client wrote: trusting
    # them would let anyone put their own site in a QR code a shared cache then hands to everyone.
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


def check_site_url(value: str) -> str:
    """The configured site address without a trailing slash; ValueError if it is not a bare
    http(s) origin (a path is allowed, a query or fragment is not)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"DIRECTORY_SITE_URL must look like https://example.org, not {value!r}")
    return value.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (from url_for) as an absolute address on this site, from configuration only.

    Outside debug and testing SITE_URL is required (create_app refuses to serve without it); in
    debug or tests without it, the development server's own address stands in."""
    site = current_app.config["SITE_URL"] or request.host_url
    return site.rstrip("/") + "/" + path.lstrip("/")
