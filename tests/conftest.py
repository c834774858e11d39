"""Tiny fixture data through the real code: CSV in tmp_path -> real build -> real Flask app.

The fixture rows are test data, not real services: their numbers are in Ofcom's range reserved for
drama (020 7946 0xxx), so they can never reach a real person.
"""

import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from directory import create_app, i18n
from directory.records import COLUMNS

TODAY = "2026-11-01"


def service(**values) -> dict:
    row = {
        "kind": "service",
        "boroughs": "london",
        "categories": "sexual-health",
        "description": "A test service.",
        "access": "drop-in",
        "org_type": "charity",
        "independent_of_police": "yes",
        "source_url": "https://source.test/page",
        "last_verified": TODAY,
    }
    row.update(values)
    return row


def spoc(borough: str, **values) -> dict:
    row = {
        "id": f"spoc-{borough}",
        "kind": "spoc",
        "boroughs": borough,
        "status": "none-published",
        "source_url": "https://police.test/",
        "last_verified": TODAY,
    }
    row.update(values)
    return row


ROWS = [
    service(
        id="clinic-east",
        name="East Clinic",
        boroughs="hackney;tower-hamlets",
        description="Free sexual health clinics with STI testing and contraception.",
        phone="020 7946 0001",
        email="clinic@east.test",
        website="https://east.test/",
        opening_hours="Mon-Fri 10:00-12:00; Fri 23:30-02:00",
        serves="women;trans",
        languages="pt-BR;ro",
        migrants_any_status="yes",
        police_relationship="Never shares anything with the police without consent.",
        source_url="https://source.test/page;https://source.test/hours",
    ),
    service(
        id="sao-paulo-group",
        name="Grupo São Paulo",
        categories="peer-support",
        boroughs="lambeth",
        description="Apoio para trabalhadoras do sexo brasileiras em Londres. Peer support in Portuguese.",
        org_type="sex-worker-led",
        access="outreach",
        website="https://saopaulo.test/",
    ),
    service(
        id="report-line",
        name="Report Line",
        categories="anonymous-reporting;sexual-violence",
        boroughs="national",
        description="Report violence anonymously and warn others through safety alerts.",
        phone="020 7946 0002",
        opening_hours="24/7",
        access="phone;online",
    ),
    service(
        id="housing-help",
        name="Housing Help",
        categories="housing",
        boroughs="hackney",
        description="Emergency housing advice and somewhere to stay tonight.",
        independent_of_police="unknown",
    ),
    spoc(
        "hackney",
        status="published",
        unit="Central East sex work liaison mailbox",
        email="liaison@police.test",
        response_time="Within two working days",
        third_party_contact="yes",
        notes="Test contact.",
    ),  # fmt: skip
    spoc("lambeth"),
]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


@pytest.fixture
def csv_path(tmp_path) -> Path:
    return write_csv(tmp_path / "agencies.csv", ROWS)


@pytest.fixture
def make_app(tmp_path, csv_path):
    def make(**config):
        settings = {
            "TESTING": True,
            "CSV_PATH": csv_path,
            "BUILD_ROOT": tmp_path / "builds",
            "SITE_URL": "http://localhost",  # the test client's own address, as production configures its own
            **config,
        }
        return create_app(settings)

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def get_page(app, client):
    """Fetch a page and check what every page must satisfy; return the parsed document."""

    def get(url: str, status: int = 200, method: str = "GET", **kwargs) -> BeautifulSoup:
        response = client.open(url, method=method, **kwargs)
        assert response.status_code == status, (url, response.status_code)
        assert "Set-Cookie" not in response.headers
        assert response.headers["Referrer-Policy"] == "no-referrer"
        soup = BeautifulSoup(response.data, "html5lib")
        assert len(soup.find_all("h1")) == 1, url
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids on {url}"
        prefix = re.match(r"^/([a-z]{2})/", url)
        served = prefix and prefix.group(1) in app.config["LANGUAGES"]
        assert soup.html["lang"] == (i18n.html_lang(prefix.group(1)) if served else "en")
        exit_link = soup.select_one("a#quick-exit")
        assert exit_link and exit_link["href"].startswith("https://"), "no quick exit"
        assert soup.select_one('script[src^="/static/exit."][src$=".js"]'), "no quick-exit script"
        assert not soup.select("script:not([src]), [style]"), "inline script or style breaks the CSP"
        for tag in soup.select("[src], link[href]:not([rel=alternate])"):
            url_attr = tag.get("src") or tag.get("href")
            assert url_attr.startswith("/"), f"third-party resource {url_attr}"
        for tag in soup.select("link[rel=alternate]"):  # full addresses, on this site's configured address
            assert tag["href"].startswith(app.config["SITE_URL"].rstrip("/") + "/"), tag
        return soup

    return get
