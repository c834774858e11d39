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
        with urllib.request.urlopen(finder, timeout=5) as r:  # answered with a redirect, followed here
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
    assert '"POST /en/finder" 303' in text
    assert "E8" not in text and "1DY" not in text and "secretplace" not in text
    assert "SW9" not in text and "9ZZ" not in text
    assert "127.0.0.1" not in text.replace(f"127.0.0.1:{port}", "")  # only the listening address


def test_gunicorn_alone_answers_malformed_requests_without_5xx_or_logging_them(tmp_path, csv_path):
    """What reaches gunicorn past a proxy, or gunicorn alone (`make run`): its own rejections
    ("Invalid request from ip=...") and a broken chunked body keep no address or request text."""
    from test_production import HOSTILE, POSTCODE, SECRET, raw, status_of

    log = tmp_path / "gunicorn.log"
    with gunicorn(log, CSV_PATH=csv_path, BUILD_ROOT=tmp_path / "builds") as base:
        port = int(base.rsplit(":", 1)[1])
        for name, data in HOSTILE.items():
            answer = raw(port, data, read_for=3)
            status = status_of(answer)
            assert status is not None and status < 500, (name, answer[:200])
            if status >= 400:  # gunicorn's own error answers too: the site's headers, nothing echoed
                head, _, body = answer.partition(b"\r\n\r\n")
                assert b"Referrer-Policy: no-referrer" in head and b"frame-ancestors 'none'" in head, name
                assert b"Cache-Control: no-store" in head, name
                assert SECRET.encode() not in body, name
    text = log.read_text()
    assert "Invalid request answered with an error" in text  # gunicorn did reject some itself
    assert '"POST -" 400' in text  # the broken chunked post
    lowered = text.lower()
    for secret in (SECRET, "ip=", "10.9.8.7", "evil.test", *(p.lower() for p in POSTCODE)):
        assert secret.lower() not in lowered, secret
    assert "127.0.0.1" not in text.replace(f"127.0.0.1:{port}", "")
