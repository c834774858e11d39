"""Privacy and security through the real app: headers on every route, caching, hostile input, logs."""

import logging
import string
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory import create_app, reference
from directory.search import MAX_QUERY

SAMPLE_VALUES = {"lang": "en", "service_id": "clinic-east", "slug": "hackney", "filename": "site.css"}


def every_get_url(app) -> list[str]:
    """One URL for each GET route of the app, with a sample value for each URL part."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            values = {name: SAMPLE_VALUES[name] for name in rule.arguments}
            urls.append(app.url_for(rule.endpoint, **values))
    return sorted(set(urls))


def check_headers(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in policy
    assert "Set-Cookie" not in headers


SUBRESOURCES = ("text/css", "text/javascript")


def check_subresource_headers(response):
    """A stylesheet or script: no document policies (they mean nothing on it), nosniff and the
    resource policy kept."""
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Referrer-Policy"] == "no-referrer"
    for name in ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Set-Cookie"):
        assert name not in headers, name


SITE = "http://localhost/"


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and (url.startswith("/") or url.startswith("#"))


def check_no_third_party(html: str):
    """Nothing the page loads or submits to may come from another origin; links out are fine."""
    soup = BeautifulSoup(html, "html5lib")
    for tag in soup.find_all(src=True):
        assert same_origin(tag["src"]), tag
    for tag in soup.find_all("link", href=True):
        # hreflang links are full addresses on the site's configured address (config.absolute_url; conftest's SITE_URL)
        assert same_origin(tag["href"]) or tag.get("rel") == ["alternate"] and tag["href"].startswith(SITE), tag
    for tag in soup.find_all("form"):
        assert same_origin(tag.get("action", "/")), tag
    assert soup.find("iframe") is None and soup.find("object") is None and soup.find("embed") is None
    assert not soup.find_all(style=True), "inline styles would need 'unsafe-inline'"
    for script in soup.find_all("script"):
        assert script.get("src") and not script.string, "inline scripts would need 'unsafe-inline'"


def test_every_route_sends_the_safety_headers_and_loads_nothing_from_elsewhere(app, client):
    urls = every_get_url(app)
    assert {"/en/", "/en/search", "/en/service/clinic-east", "/en/areas/hackney", "/open-data/services.json"} <= set(
        urls
    )
    for url in [*urls, "/", "/en/nowhere", "/en/service/nope"]:
        with client.get(url) as response:
            assert response.status_code in (200, 302, 404), url
            if response.mimetype in SUBRESOURCES:
                check_subresource_headers(response)
            else:
                check_headers(response)
            if response.mimetype == "text/html":
                check_no_third_party(response.get_data(as_text=True))
    assert client.post("/en/search").status_code == 405


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/en/").headers
    secure = client.get("/en/", base_url="https://directory.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_entry_and_borough_pages_are_cacheable_but_searches_are_not(client):
    for url in ("/en/service/clinic-east", "/en/areas/hackney", "/en/areas/", "/en/"):
        assert client.get(url).headers["Cache-Control"] == "public, max-age=600", url
    assert client.get("/en/search?q=clinic").headers["Cache-Control"] == "private, no-store"
    assert "public" not in client.get("/en/service/nope").headers.get("Cache-Control", "")


def test_error_pages_do_not_echo_what_was_asked(client):
    for url in ("/en/nowhere-secretword?q=secretword", "/en/service/secretword", "/en/areas/secretword"):
        response = client.get(url)
        assert response.status_code == 404
        assert b"secretword" not in response.data


def test_the_app_logs_no_search_terms_or_addresses(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/en/search?q=secretword&borough=hackney", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.get("/en/areas/go?borough=secretplace", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.get("/en/secretpath", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    text = caplog.text
    assert "secretword" not in text and "secretplace" not in text and "secretpath" not in text
    assert "203.0.113.9" not in text


# Hostile input: random Unicode, control characters, Whoosh query syntax, very long strings.
WHOOSH_SYNTAX = st.sampled_from(
    ['name:clinic', '*', 'cli*', 'clinic~', 'clinic~2', '"unbalanced', '(open', 'close)', '[a TO z]', '{x TO}',
     'AND', 'OR NOT', '^2', 'field:"x', '\\', '%00', '\x00', '<script>alert(1)</script>', '../../etc/passwd',
     "' OR 1=1 --", '=HYPERLINK("x")', 'E8 1DY', 'SW9', '\u202e', '\ufeff', '𝔠𝔩𝔦𝔫𝔦𝔠', 'ş']
)  # fmt: skip
# Any character a URL can carry (lone surrogates cannot be sent; raw bad bytes are tested below).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.text(alphabet=string.printable, min_size=1000, max_size=5000),
    st.lists(WHOOSH_SYNTAX, min_size=1, max_size=6).map(" ".join),
    st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_normal_page(response):
    assert response.status_code in (200, 301, 302, 308, 404), response.status_code
    check_headers(response)
    if response.status_code == 200 and response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        assert 'id="quick-exit"' in body


@FAST
@given(q=HOSTILE_TEXT, category=HOSTILE_TEXT, borough=HOSTILE_TEXT, page=HOSTILE_TEXT)
def test_search_survives_any_input(client, q, category, borough, page):
    response = client.get("/en/search", query_string={"q": q, "category": category, "borough": borough, "page": page})
    if response.status_code == 303:
        # A postcode-shaped query ("E8", "A0") is sent on to the finder's answer: always within the
        # site, and never with what was typed in the address.
        location = response.headers["Location"]
        assert location.startswith("/en/"), location
        assert q.strip() and q.strip().lower() not in location.lower()
        check_headers(response)
        return
    assert response.status_code == 200
    assert_normal_page(response)


def test_queries_are_cut_to_a_bounded_length(client):
    text = "clinic " * 2000 + "tailmarker"
    response = client.get("/en/search", query_string={"q": text})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "tailmarker" not in body
    assert "clinic " * (MAX_QUERY // 7 + 1) not in body


@FAST
@given(value=HOSTILE_TEXT)
def test_borough_picker_and_url_parts_survive_any_input(client, value):
    assert_normal_page(client.get("/en/areas/go", query_string={"borough": value}))
    part = quote(value[:200], safe="")
    for url in (
        f"/en/service/{part}",
        f"/en/areas/{part}",
        f"/{part}/",
        f"/en/{part}",
        f"/en/service/{part}/correction",
    ):
        assert_normal_page(client.get(url))


@FAST
@given(page=st.one_of(st.integers(), st.text(ANY_CHAR, max_size=30)))
def test_page_numbers_are_bounded(client, app, page):
    response = client.get("/en/search", query_string={"q": "", "page": page})
    assert response.status_code == 200
    assert_normal_page(response)


def test_huge_page_number_is_clamped(client, app):
    response = client.get("/en/search?page=99999999999999999999999")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "99999999999999999999999" not in html


@pytest.mark.parametrize(
    "raw", [b"/en/search?q=%00%ff%fe", b"/en/search?q=%C0%AF", b"/en/search?q=%E2%80", b"/en/areas/%ff"]
)
def test_odd_encodings_give_a_normal_page(client, raw):
    path, _, query = raw.decode("latin-1").partition("?")
    response = client.get(path, query_string=query)
    assert_normal_page(response)


def test_every_area_reference_is_reachable_from_the_picker(client):
    for slug in reference.AREA_BY_SLUG:
        response = client.get(f"/en/areas/go?borough={slug}")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/en/areas/{slug}")


def test_serving_without_a_site_address_is_refused(tmp_path, csv_path):
    with pytest.raises(RuntimeError, match="DIRECTORY_SITE_URL"):
        create_app({"CSV_PATH": csv_path, "BUILD_ROOT": tmp_path / "builds"})
    with pytest.raises(ValueError, match="https://example.org"):
        create_app({"TESTING": True, "SITE_URL": "example.org", "CSV_PATH": csv_path, "BUILD_ROOT": tmp_path / "b"})


FORGED = (
    {"Host": "evil.test"},
    {"X-Forwarded-Host": "evil.test", "X-Forwarded-Proto": "http", "Forwarded": "host=evil.test"},
)


def test_a_forged_host_changes_nothing_on_any_page(make_app):
    app = make_app(SITE_URL="https://directory.example.org/")
    client = app.test_client()
    urls = [*every_get_url(app), "/en/service/clinic-east/card", "/zh/service/clinic-east/card"]
    for url in urls:
        honest = client.get(url, headers={"Host": "directory.example.org"})
        for headers in FORGED:
            forged = client.get(url, headers=headers)
            assert forged.status_code == honest.status_code, url
            assert b"evil.test" not in forged.data, (url, headers)
            assert forged.data == honest.data, (url, headers)
    card = client.get("/zh/service/clinic-east/card", headers=FORGED[0]).get_data(as_text=True)
    assert "https://directory.example.org/zh/service/clinic-east" in card  # the link and the SMS text


def test_open_data_links_to_entries_from_the_configured_address(make_app):
    client = make_app(SITE_URL="https://directory.example.org").test_client()
    document = client.get("/open-data/services.json", headers={"Host": "evil.test"}).get_json()
    pages = {s["x_directory"]["page"] for s in document["services"]}
    assert "https://directory.example.org/en/service/clinic-east" in pages
    assert all(page.startswith("https://directory.example.org/en/service/") for page in pages)
    from test_export import _validator

    _validator().validate(document)  # still the documented shape


def test_static_files_are_fingerprinted_and_cached_a_year(client, app):
    css = BeautifulSoup(client.get("/en/").data, "html5lib").select_one('link[rel="stylesheet"]')["href"]
    assert css.startswith("/static/site.") and css.endswith(".css") and css != "/static/site.css"
    with client.get(css) as hashed:
        assert hashed.status_code == 200
        assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        body = hashed.get_data()
    with client.get("/static/site.css") as plain:  # a page cached before a release may still ask
        assert plain.status_code == 200 and plain.get_data() == body
        assert plain.headers["Cache-Control"] == "public, max-age=3600"
    for missing in ("/static/site.0123456789ab.css", "/static/nothing.css", "/static/../config.py"):
        with client.get(missing) as response:
            assert response.status_code == 404, missing
            assert response.headers["Cache-Control"] == "no-store", missing


def test_error_answers_are_never_cached(client):
    for url, status in (("/en/nothing", 404), ("/en/service/nope", 404), ("/xx/", 404)):
        response = client.get(url)
        assert response.status_code == status and response.headers["Cache-Control"] == "no-store", url
    assert client.post("/en/search").headers["Cache-Control"] == "no-store"


def test_hsts_when_the_configured_address_is_https(make_app):
    client = make_app(SITE_URL="https://directory.example.org").test_client()
    assert client.get("/en/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_stylesheets_and_scripts_carry_only_the_headers_that_apply_to_them(client):
    """Document policies (CSP, Permissions-Policy, COOP) mean nothing on a stylesheet or script and
    were 1.3 KB of a phone's first load; nosniff and the resource policy stay. The SVG icon, which
    a browser can open as a document, keeps them all, as pages do."""
    import re

    page = client.get("/en/")
    check_headers(page)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.get_data(as_text=True))
    kinds = set()
    for path in assets:
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert "Expires" not in response.headers and "Content-Disposition" not in response.headers, path
            kinds.add(response.mimetype)
            if response.mimetype in SUBRESOURCES:
                check_subresource_headers(response)
            else:
                check_headers(response)
    assert {"text/css", "text/javascript", "image/svg+xml"} <= kinds
