"""Absolute addresses (the QR code on a card, hreflang links), always built from the configured
site address, `SITE_URL`, never from the Host header a request came with: a forged Host would
otherwise be printed on a card or cached in a page. Production must set `SITE_URL`; development and
the tests fall back to the address `make run` serves on."""

from flask import current_app

LOCAL_SITE = "http://127.0.0.1:8000"


def absolute(path: str) -> str:
    """The full address of a path on this site: "/pt/service/x" -> "https://example.org/pt/service/x"."""
    site = current_app.config["SITE_URL"] or LOCAL_SITE
    return site.rstrip("/") + path
