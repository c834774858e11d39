"""Open data: the published CSV and the HSDS-shaped JSON, built from real CSVs and served by the app."""

import csv
import gzip
import io
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import ROWS, service, write_csv
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory import create_app, export, records, reference
from directory.records import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "open-data.schema.json").read_text())


def _validator():
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


HSDS = ROOT / "docs" / "hsds-3.0" / "schema"  # Open Referral's own schema files, vendored (see its README)


def _hsds_service_validator():
    """The official HSDS service schema, its `$ref`s ("schedule.json", ...) resolved to the vendored
    files: the same schema as the specification's compiled `service.json`, which inlines them."""
    resources = {
        path.name: Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), DRAFT202012)
        for path in HSDS.glob("*.json")
    }
    registry = Registry().with_resources(resources.items())
    return jsonschema.Draft202012Validator(
        resources["service.json"].contents, registry=registry, format_checker=jsonschema.FormatChecker()
    )


def _hsds_errors(services: list[dict]) -> list[str]:
    validator = _hsds_service_validator()
    return [
        f"{item['x_directory']['id']}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
        for item in services
        for error in validator.iter_errors(item)
    ]


def _ids(value, path=""):
    """Every `id` and `*_id` in a service, with where it is (HSDS 3.0 gives each the format uuid)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if (key == "id" or key.endswith("_id")) and isinstance(item, str):
                yield f"{path}/{key}", item
            elif key != "x_directory":  # our own entry id is a slug, not an HSDS id
                yield from _ids(item, f"{path}/{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _ids(item, f"{path}/{n}")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    app = create_app({"TESTING": True, "BUILD_ROOT": tmp_path_factory.mktemp("shipped") / "builds"})
    return app.test_client()


def test_shipped_export_matches_its_documented_shape_and_the_issue_targets(shipped):
    response = shipped.get("/open-data/services.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    errors = sorted(_validator().iter_errors(document), key=str)
    assert errors == [], errors[:3]
    services = document["services"]
    assert len(services) >= 40
    per_category = {slug: 0 for slug in reference.CATEGORIES}
    for item in services:
        for attribute in item["attributes"]:
            per_category[attribute["taxonomy_term"]["code"]] += 1
    assert min(per_category.values()) >= 2, per_category
    contacts = document["x_police_contacts"]
    assert sorted(c["area_gss"] for c in contacts) == sorted(a.gss for a in reference.AREAS)
    assert document["licence"]["url"].startswith("https://creativecommons.org/")


def test_every_shipped_service_validates_against_the_official_hsds_schema(shipped):
    services = shipped.get("/open-data/services.json").get_json()["services"]
    assert len(services) >= 40
    errors = _hsds_errors(services)
    assert errors == [], errors[:5]
    # The 3.0 release also gives every identifier the format uuid; the vendored files predate that.
    bad_ids = [(path, value) for item in services for path, value in _ids(item) if not _is_uuid(value)]
    assert bad_ids == []
    # What HSDS refuses and this export once did: null for a missing text, terms without a description.
    assert not any(value is None for item in services for value in item.values())
    assert all(a["taxonomy_term"]["description"] for item in services for a in item["attributes"])


def test_the_hsds_check_catches_what_the_standard_refuses(make_app):
    document = make_app().test_client().get("/open-data/services.json").get_json()
    assert _hsds_errors(document["services"]) == []
    broken = json.loads(json.dumps(document["services"][0]))
    broken["url"] = None  # a missing website written as null
    broken["attributes"][0]["taxonomy_term"].pop("description")
    broken["schedules"] = [{"id": "x", "freq": "DAILY"}]
    broken["phones"] = [{"id": "p", "type": "voice"}]  # no number
    messages = _hsds_errors([broken])
    assert any("url: None is not of type 'string'" in m for m in messages), messages
    assert any("'description' is a required property" in m for m in messages), messages
    assert any("'DAILY' is not one of" in m for m in messages), messages
    assert any("phones/0: 'number' is a required property" in m for m in messages), messages


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def test_shipped_csv_is_the_maintained_file(shipped):
    response = shipped.get("/open-data/agencies.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    published = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    original = list(csv.reader(io.StringIO((ROOT / "data" / "agencies.csv").read_text(encoding="utf-8-sig"))))
    assert published[0] == COLUMNS
    assert published == original  # nothing in the shipped data needs escaping


def test_export_shapes_hours_areas_and_ids(make_app, csv_path):
    client = make_app().test_client()
    document = client.get("/open-data/services.json").get_json()
    assert list(_validator().iter_errors(document)) == []
    by_slug = {s["x_directory"]["id"]: s for s in document["services"]}
    clinic = by_slug["clinic-east"]
    days = [(s["byday"], s["opens_at"], s["closes_at"]) for s in clinic["schedules"]]
    assert days == [("MO", "10:00", "12:00"), ("TU", "10:00", "12:00"), ("WE", "10:00", "12:00"),
                    ("TH", "10:00", "12:00"), ("FR", "10:00", "12:00"), ("FR", "23:30", "02:00")]  # fmt: skip
    assert [a["name"] for a in clinic["service_areas"]] == ["Hackney", "Tower Hamlets"]
    assert clinic["service_areas"][0]["uri"].endswith("/E09000012")
    assert [p["number"] for p in clinic["phones"]] == ["020 7946 0001"]
    assert [lang["code"] for lang in clinic["languages"]] == ["pt-BR", "ro"]
    assert by_slug["report-line"]["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert by_slug["report-line"]["service_areas"][0]["name"] == "United Kingdom"
    assert clinic["assured_date"] == ROWS[0]["last_verified"]
    # The same entry keeps the same UUID in every build, so others can link to it.
    client.application.test_cli_runner().invoke(args=["build"])
    again = {s["x_directory"]["id"]: s["id"] for s in client.get("/open-data/services.json").get_json()["services"]}
    assert again["clinic-east"] == clinic["id"]


def test_exported_csv_cannot_run_formulas_in_a_spreadsheet(make_app, tmp_path, csv_path):
    hostile = service(
        id="formula",
        name='=HYPERLINK("https://evil.test","Call")',
        description="@SUM(1+1) and -2+3",
        eligibility="+44 trick",
    )
    write_csv(csv_path, [*ROWS, hostile])
    client = make_app().test_client()
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/agencies.csv").get_data(as_text=True))))
    row = next(r for r in rows if r["id"] == "formula")
    assert row["name"] == '\'=HYPERLINK("https://evil.test","Call")'
    assert row["description"] == "'@SUM(1+1) and -2+3"
    assert row["eligibility"] == "'+44 trick"
    assert next(r for r in rows if r["id"] == "clinic-east")["name"] == "East Clinic"
    # The JSON keeps the text as written: JSON is data, not a spreadsheet.
    document = client.get("/open-data/services.json").get_json()
    assert any(s["name"].startswith("=HYPERLINK") for s in document["services"])


def test_open_data_page_and_footer_link(get_page):
    soup = get_page("/en/open-data")
    hrefs = [a["href"] for a in soup.select("main a")]
    assert "/open-data/agencies.csv" in hrefs and "/open-data/services.json" in hrefs
    assert "CC BY 4.0" in soup.get_text()
    home = get_page("/en/")
    assert home.select_one("footer a[href='/en/open-data']") is not None


def test_suggest_a_correction_uses_the_configured_link_and_stores_nothing(make_app, get_page):
    # Not configured: the entry does not lead to a dead end; the page, if typed, says so plainly.
    entry = get_page("/en/service/clinic-east")
    assert entry.select_one("a[href='/en/service/clinic-east/correction']") is None
    page = get_page("/en/service/clinic-east/correction")
    assert page.find("form") is None
    assert "have not set up a way to send corrections" in page.get_text()

    template = "https://example.test/edit/main/data/agencies.csv?entry={id}&name={name}"
    client = make_app(CORRECTIONS_URL=template).test_client()
    entry = BeautifulSoup(client.get("/en/service/clinic-east").data, "html5lib")
    assert entry.select_one("a[href='/en/service/clinic-east/correction']") is not None
    html = client.get("/en/service/sao-paulo-group/correction").get_data(as_text=True)
    assert (
        'href="https://example.test/edit/main/data/agencies.csv?entry=sao-paulo-group&amp;name=Grupo%20S%C3%A3o%20Paulo"'
        in html
    )
    assert client.get("/en/service/nope/correction").status_code == 404


@pytest.mark.parametrize("name", ["services.json", "agencies.csv"])
def test_open_data_is_gzipped_once_at_build_time(make_app, name):
    """A client that accepts gzip gets the copy the build compressed; one that does not, the file."""
    app = make_app()
    client = app.test_client()
    plain = client.get(f"/open-data/{name}")
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(f"/open-data/{name}", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data)
    folder = app.extensions["directory.current"].get().path
    assert packed.data == (folder / f"{name}.gz").read_bytes()  # the build's bytes, not compressed again
    assert packed.headers["ETag"] != plain.headers["ETag"]
    headers = {"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    again = client.get(f"/open-data/{name}", headers=headers)
    assert again.status_code == 304


@pytest.mark.parametrize(
    "cell",
    [
        ' =HYPERLINK("https://evil.test")',  # a leading space: some spreadsheets skip it
        "\u3000+1+1",  # an ideographic space before the sign
        '\uff1dHYPERLINK("https://evil.test")',  # fullwidth ＝
        "\uff0bSUM(1)",  # fullwidth ＋
        "\uff0d2+3",  # fullwidth －
        "\uff20SUM(1)",  # fullwidth ＠
        "\n=1+1",
    ],
)
def test_spreadsheet_safe_neutralises_formulas_behind_spaces_and_fullwidth_signs(cell):
    assert export.spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["East Clinic", "Free STI testing - no appointment", "020 7946 0001", ""])
def test_spreadsheet_safe_leaves_ordinary_text_alone(cell):
    assert export.spreadsheet_safe(cell) == cell


def test_exported_csv_neutralises_a_formula_after_a_space_or_in_fullwidth(make_app, csv_path):
    hostile = service(id="formula", name=' =HYPERLINK("https://evil.test")', description="\uff1d1+1 fullwidth")
    write_csv(csv_path, [*ROWS, hostile])
    text = make_app().test_client().get("/open-data/agencies.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == "formula")
    assert row["name"] == '\' =HYPERLINK("https://evil.test")'
    assert row["description"] == "'\uff1d1+1 fullwidth"


@pytest.mark.parametrize("parts", [("clinic-east",), ("clinic-east", "phone", "+442079460001"), ("category", "legal"),
                                   ("language", "pt-BR"), ("grupo-são-paulo", "at", "location"), ("",)])  # fmt: skip
def test_ids_are_the_uuid5_of_their_parts(parts):
    """Computed without the uuid module, for speed: still the standard's UUID, the same in every build."""
    assert export._id(*parts) == str(uuid.uuid5(export._NAMESPACE, "/".join(parts)))


def test_the_json_file_is_the_document_with_one_service_per_line(make_app):
    app = make_app()
    text = app.test_client().get("/open-data/services.json").get_data(as_text=True)
    services = [json.loads(line.rstrip(",")) for line in text.splitlines() if '"x_directory"' in line]
    assert [s["x_directory"]["id"] for s in services] == [r["id"] for r in ROWS if r["kind"] == "service"]
    document = json.loads(text)
    assert document["services"] == services and len(document["x_police_contacts"]) == 2
    entries, _ = records.load(app.config["CSV_PATH"])
    page = app.config["SITE_URL"] + "/en/service/{id}"
    assert document == export.hsds(entries, document["generated_at"], page)
    for batch in (1, 2):  # however the pieces are cut, the same document
        assert json.loads("".join(export.hsds_text(entries, document["generated_at"], page, batch))) == document
