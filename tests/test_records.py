import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import ROWS, service, spoc, write_csv

from directory import hours, records, reference
from directory import problems as problems_module

TODAY = dt.date(2026, 11, 1)
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "agencies.csv"


def parse_rows(tmp_path, rows):
    return records.parse(write_csv(tmp_path / "a.csv", rows).read_bytes(), TODAY)


def errors(problems):
    return [(p.line, p.column) for p in problems if not p.warning]


def test_shipped_data_is_valid_and_covers_every_area():
    entries, problems = records.parse(SHIPPED.read_bytes())
    assert [p for p in problems if not p.warning] == []
    assert {spoc.borough for spoc in entries.spocs} == set(reference.AREA_BY_SLUG)
    assert all(isinstance(e, records.Service) for e in entries.services)
    assert all(e.source_url.startswith("https://") for e in entries)


def test_fixture_rows_become_typed_entries(tmp_path):
    entries, problems = parse_rows(tmp_path, ROWS)
    assert problems == []
    assert [e.id for e in entries.services] == [row["id"] for row in ROWS if row["kind"] == "service"]
    assert [e.id for e in entries.spocs] == ["spoc-hackney", "spoc-lambeth"]
    assert all(isinstance(e, records.Spoc) for e in entries.spocs)
    assert [e.id for e in entries] == [row["id"] for row in ROWS]  # the CSV's own order
    assert len(entries) == len(ROWS)
    clinic = entries.services[0]
    assert clinic.boroughs == ("hackney", "tower-hamlets")
    assert clinic.phones == (records.Phone("020 7946 0001", "+442079460001"),)
    assert clinic.hours.days[4] == (("10:00", "12:00"), ("23:30", "02:00"))
    assert clinic.languages == ("pt-BR", "ro")
    assert entries.services[1].name == "Grupo São Paulo"
    hackney = next(e for e in entries.spocs if e.borough == "hackney")
    assert hackney.bcu == "central-east"  # filled from the reference data when left empty


def test_every_problem_is_reported_at_once_with_line_and_column(tmp_path):
    bad = [
        service(id="ok", name="OK"),
        service(id="Bad Id", name="x", categories="sexual-health;astrology", boroughs="gotham"),
        service(id="contacts", name="x", phone="12345", email="not-an-email", website="javascript:alert(1)"),
        service(id="dates", name="x", last_verified="31/01/2026"),
        service(id="ok", name="duplicate"),
        service(id="missing", name="", description="", access=""),
        service(id="hours", name="x", opening_hours="Mon 9-5", source_url="ftp://x.test/"),
    ]
    _, problems = parse_rows(tmp_path, bad)
    assert set(errors(problems)) == {
        (3, "id"),
        (3, "categories"),
        (3, "boroughs"),
        (4, "phone"),
        (4, "email"),
        (4, "website"),
        (5, "last_verified"),
        (6, "id"),
        (7, "name"),
        (7, "description"),
        (7, "access"),
        (8, "opening_hours"),
        (8, "source_url"),
    }
    duplicate = next(p for p in problems if p.line == 6)
    assert str(duplicate) == "error: line 6, column id (A): 'ok' is already used on line 2"


def test_header_problems_name_the_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,kind,colour\nx,service,blue\n", encoding="utf-8")
    _, problems = records.parse(path.read_bytes(), TODAY)
    assert (1, "colour") in errors(problems)
    assert (1, "source_url") in errors(problems)
    assert "unexpected column" in str(next(p for p in problems if p.column == "colour"))


def test_line_numbers_count_physical_lines_in_quoted_text(tmp_path):
    rows = [service(id="multi", name="Multi", description="first line\nsecond line\nthird"), service(id="b", name="")]
    _, problems = parse_rows(tmp_path, rows)
    assert errors(problems) == [(5, "name")]


def test_future_and_stale_dates(tmp_path):
    rows = [
        service(id="future", name="F", last_verified="2027-01-01"),
        service(id="stale", name="S", last_verified="2025-10-01"),
    ]
    _, problems = parse_rows(tmp_path, rows)
    assert errors(problems) == [(2, "last_verified")]
    [warning] = [p for p in problems if p.warning]
    assert (warning.line, warning.column) == (3, "last_verified")
    assert "re-check" in warning.message


def test_spoc_rules(tmp_path):
    rows = [
        spoc("hackney", status="published"),  # no unit, no contact
        spoc("camden", phone="020 7946 0003"),  # a number on a none-published row
        spoc("westminster", bcu="east"),  # wrong BCU
        spoc("hackney", id="spoc-hackney-2"),  # second row for one borough
        spoc("london"),  # not a borough
        spoc("lambeth", categories="housing"),  # a service-only column
    ]
    _, problems = parse_rows(tmp_path, rows)
    assert set(errors(problems)) == {
        (2, "unit"),
        (2, "phone"),
        (3, "phone"),
        (4, "bcu"),
        (5, "boroughs"),
        (6, "boroughs"),
        (7, "categories"),
    }


def test_encoding_problems_and_bom(tmp_path):
    good = write_csv(tmp_path / "a.csv", ROWS).read_bytes()
    entries, problems = records.parse(b"\xef\xbb\xbf" + good.replace(b"\n", b"\r\n"), TODAY)
    assert problems == [] and len(entries) == len(ROWS)
    latin1 = good.replace("São".encode(), "São".encode("latin-1"))
    _, problems = records.parse(latin1, TODAY)
    assert [(p.line, p.column) for p in problems] == [(3, "")]
    assert "UTF-8" in problems[0].message


def test_oversized_field_is_an_error_not_a_crash(tmp_path):
    _, problems = parse_rows(tmp_path, [service(id="big", name="Big", description="x" * 200_000)])
    assert errors(problems) == [(2, "description")]


def test_load_raises_with_all_problems(tmp_path):
    path = write_csv(tmp_path / "a.csv", [service(id="a", name="", boroughs="gotham")])
    with pytest.raises(records.InvalidData) as caught:
        records.load(path, TODAY)
    assert {(p.line, p.column) for p in caught.value.problems} == {(2, "name"), (2, "boroughs")}


@pytest.mark.parametrize(
    "text, day, spans",
    [
        ("Mon-Fri 10:00-12:00", 0, (("10:00", "12:00"),)),
        ("Sat,Sun 09:00-13:00,14:00-16:00", 6, (("09:00", "13:00"), ("14:00", "16:00"))),
        ("Thursday 05:00-07:00", 3, (("05:00", "07:00"),)),
    ],
)
def test_opening_hours_format(text, day, spans):
    assert hours.parse(text).days[day] == spans


@pytest.mark.parametrize("text", ["Mon 9-5", "Funday 10:00-11:00", "Fri-Mon 10:00-11:00", "Mon", "Mon 25:00-26:00"])
def test_opening_hours_errors(text):
    with pytest.raises(ValueError):
        hours.parse(text)


def test_phone_numbers():
    assert records.parse_phone("999").dial == "999"
    assert records.parse_phone("08000 121 700").dial == "+448000121700"
    for bad in ("12345", "020 7946", "call us"):
        with pytest.raises(ValueError):
            records.parse_phone(bad)


def test_admin_guide_documents_every_column_and_area():
    guide = (SHIPPED.parent / "README.md").read_text()
    for column in records.COLUMNS:
        assert f"| `{column}` |" in guide, column
    for area in reference.AREAS:
        assert f"| `{area.slug}` | {area.name} | `{area.bcu}` |" in guide, area.slug
    for slug in reference.CATEGORIES:
        assert f"`{slug}`" in guide, slug


def test_a_row_may_cite_several_sources_and_each_is_checked(tmp_path):
    rows = [
        service(id="two", name="Two", source_url="https://a.test/contact; https://b.test/hours"),
        service(id="bad", name="Bad", source_url="https://a.test/; javascript:alert(1)"),
    ]
    entries, problems = parse_rows(tmp_path, rows)
    two = next(e for e in entries if e.id == "two")
    assert two.sources == ("https://a.test/contact", "https://b.test/hours")
    assert two.source_url == "https://a.test/contact"
    assert errors(problems) == [(3, "source_url")]


def test_values_are_accepted_whatever_their_capitals_and_normalised(tmp_path):
    rows = [
        service(
            id="caps",
            name="Caps",
            kind="Service",
            boroughs="Hackney; Tower Hamlets",
            categories="Sexual-Health",
            access="Drop-In",
            org_type="Charity",
            serves="Women",
            independent_of_police="Yes",
            migrants_any_status="NO",
            languages="PT-br;EN",
            postcode="e8 1dy",
        ),  # fmt: skip
        spoc(
            "kensington-and-chelsea",
            status="Published",
            unit="A unit",
            email="unit@police.test",
            bcu="Central-West",
            third_party_contact="Unknown",
        ),  # fmt: skip
        service(id="named", name="Named", boroughs="Kensington & Chelsea"),
    ]
    entries, problems = parse_rows(tmp_path, rows)
    assert problems == []
    caps = entries.services[0]
    assert caps.kind == "service"
    assert caps.boroughs == ("hackney", "tower-hamlets")
    assert (caps.categories, caps.access, caps.org_type, caps.serves) == (
        ("sexual-health",), ("drop-in",), ("charity",), ("women",))  # fmt: skip
    assert (caps.independent_of_police, caps.migrants_any_status) == ("yes", "no")
    assert caps.languages == ("pt-BR", "en")
    assert caps.postcode == "E8 1DY"
    assert entries.services[1].boroughs == ("kensington-and-chelsea",)
    [contact] = entries.spocs
    assert (contact.status, contact.bcu, contact.third_party_contact) == ("published", "central-west", "unknown")


def test_a_near_miss_is_named_with_the_value_meant(tmp_path):
    rows = [service(id="typo", name="Typo", boroughs="hakney", categories="sexual-helth", access="walk-in")]
    _, problems = parse_rows(tmp_path, rows)
    messages = {p.column: p.message for p in problems}
    assert messages["boroughs"] == "unknown borough 'hakney' (did you mean 'hackney'?) (see the list in data/README.md)"
    assert messages["categories"].endswith("(did you mean 'sexual-health'?)")
    assert "did you mean" not in messages["access"]  # nothing close: the list alone
    assert messages["access"].startswith("'walk-in' is not one of: drop-in, appointment")


@pytest.mark.parametrize(
    "written, write_instead",
    [("20 7946 0001", "020 7946 0001"), ("2079460001", "020 7946 0001"), ("8000 121 700", "0800 012 1700")],
)
def test_a_number_that_lost_its_leading_zero_is_a_warning_saying_what_to_write(tmp_path, written, write_instead):
    entries, problems = parse_rows(tmp_path, [service(id="zero", name="Zero", phone=written)])
    [warning] = problems
    assert warning.warning and (warning.line, warning.column) == (2, "phone")
    assert f"write {write_instead}" in warning.message and "leading 0" in warning.message
    assert entries.services[0].phones[0].display == written  # shown as the source row says, never guessed


def test_a_mobile_that_lost_its_leading_zero_is_named_and_full_numbers_are_not(tmp_path):
    # Ofcom's drama range for mobiles (07700 900xxx) is not a valid number to libphonenumber, so this
    # test uses an ordinary-looking mobile number; it is only parsed here, never shown or dialled.
    rows = [service(id="m", name="M", phone="7911 123456"),
            service(id="ok", name="OK", phone="07911 123456;+44 20 7946 0001;116 123;999")]  # fmt: skip
    _, problems = parse_rows(tmp_path, rows)
    assert [(p.line, p.column, p.warning) for p in problems] == [(2, "phone", True)]
    assert "write 07911 123456" in problems[0].message


def test_column_letters_come_from_the_file_own_header(tmp_path):
    reordered = ["boroughs", *[c for c in records.COLUMNS if c != "boroughs"]]
    path = tmp_path / "r.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=reordered)
        writer.writeheader()
        writer.writerow({c: service(id="x", name="X", boroughs="gotham").get(c, "") for c in reordered})
    _, problems = records.parse(path.read_bytes(), TODAY)
    assert [str(p) for p in problems] == ["error: line 2, column boroughs (A): unknown borough 'gotham' (see the "
                                          "list in data/README.md)"]  # fmt: skip
    assert problems_module.letter(0) == "A" and problems_module.letter(25) == "Z" and problems_module.letter(26) == "AA"


def test_hidden_characters_fast_path_misses_nothing():
    """The regex that skips clean cells flags exactly the characters the check reports."""
    import unicodedata

    from directory import cells

    for code in range(0x10000):
        char = chr(code)
        reported = char not in "\n\r" and (
            code in cells.BIDI_CONTROLS or unicodedata.category(char) == "Cc" or char in "\u2028\u2029"
        )
        assert bool(cells.hidden_characters(f"a{char}b")) == reported, hex(code)
