"""The real WSGI stack: gunicorn with the shipped config, on loopback, and what its logs keep."""

import urllib.error
import urllib.request

from serve import gunicorn


def test_gunicorn_serves_and_logs_no_query_or_address(tmp_path, csv_path):
    log = tmp_path / "gunicorn.log"
    with gunicorn(log, CSV_PATH=csv_path, BUILD_ROOT=tmp_path / "builds") as base:
        with urllib.request.urlopen(base + "/en/search?q=secretword&borough=hackney", timeout=5) as r:
            assert r.status == 200 and "Set-Cookie" not in r.headers
            assert b"secretword" in r.read()  # the page itself shows the query back
        finder = urllib.request.Request(base + "/en/finder", data=b"postcode=SW9+9ZZ", method="POST")
        with urllib.request.urlopen(finder, timeout=5) as r:
            assert r.status == 200 and b"Lambeth" in r.read()
        for path in ("/en/search?q=E8+1DY", "/en/areas/go?borough=secretplace", "/en/secretpath"):
            try:
                urllib.request.urlopen(base + path, timeout=5).close()
            except urllib.error.HTTPError as error:
                assert error.code == 404
    port = base.rsplit(":", 1)[1]
    text = log.read_text()
    assert '"GET /en/search" 200' in text
    # No query string: a postcode typed into search is answered with its borough's page (a path
    # anyone may visit), so the borough's name may appear there, but never a filter or the words.
    assert "secretword" not in text and "borough=" not in text and "?" not in text
    assert '"POST /en/finder" 200' in text
    assert "E8" not in text and "1DY" not in text and "secretplace" not in text
    assert "SW9" not in text and "9ZZ" not in text
    assert "127.0.0.1" not in text.replace(f"127.0.0.1:{port}", "")  # only the listening address
