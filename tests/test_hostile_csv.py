"""A hostile CSV: clear errors or safely escaped output, and the running site keeps working."""

import csv
import io

import pytest
from conftest import ROWS, service, write_csv

from directory import builds, records
from directory.records import COLUMNS, SERVICE_ONLY, SPOC_ONLY

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT_COLUMNS = ["name", "hours_notes", "notes", "description", "address", "eligibility", "police_relationship"]


def test_html_in_every_text_field_is_shown_as_text(make_app, csv_path):
    row = service(id="hostile", **{column: f"{column} {SCRIPT}" for column in TEXT_COLUMNS})
    write_csv(csv_path, [*ROWS, row])
    client = make_app().test_client()
    for url in ("/en/service/hostile", "/en/search?q=description", "/en/areas/hackney"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get("/en/service/hostile").get_data(as_text=True)


def test_dangerous_links_are_refused_with_line_and_column(app, tmp_path):
    rows = [
        *ROWS,
        service(id="js", name="JS", website="javascript:alert(1)"),
        service(id="data", name="Data", website="data:text/html,<script>alert(1)</script>"),
        service(id="src", name="Src", source_url="javascript:alert(1)"),
    ]
    path = write_csv(tmp_path / "links.csv", rows)
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path), "--against", ""])
    assert result.exit_code == 1
    assert "line 8, column website (G)" in result.output
    assert "line 9, column website (G)" in result.output
    assert "line 10, column source_url (K)" in result.output


def _rows_as_text(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")  # Windows line endings
    writer.writeheader()
    writer.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)
    return out.getvalue()


def test_bom_and_windows_line_endings_build(make_app, csv_path):
    csv_path.write_bytes(b"\xef\xbb\xbf" + _rows_as_text(ROWS).encode("utf-8"))
    client = make_app().test_client()
    assert client.get("/en/service/clinic-east").status_code == 200
    assert b"Grupo S\xc3\xa3o Paulo" in client.get("/en/service/sao-paulo-group").data


def test_wrong_encoding_duplicates_and_huge_fields_fail_the_build_and_keep_the_site(make_app, csv_path):
    app = make_app()
    client = app.test_client()
    served = builds.current(app.config["BUILD_ROOT"])
    runner = app.test_cli_runner()

    bad_files = {
        "latin-1": _rows_as_text([*ROWS, service(id="x", name="Café")]).encode("latin-1"),
        "utf-16": _rows_as_text(ROWS).encode("utf-16"),
        "duplicate": _rows_as_text([*ROWS, service(id="clinic-east", name="Again")]).encode(),
        "10 MB field": _rows_as_text([*ROWS, service(id="big", name="Big", description="x" * 10_000_000)]).encode(),
        "not csv": b"\x00\x01\x02 binary \xff\xfe",
        "ragged": _rows_as_text(ROWS).encode() + b"one,two\r\n",
    }
    expected = {
        "latin-1": "not UTF-8",
        "utf-16": "not UTF-8",
        "duplicate": "'clinic-east' is already used on line 2",
        "10 MB field": "column description",
        "not csv": "line 1",
        "ragged": "cells",
    }
    for name, data in bad_files.items():
        csv_path.write_bytes(data)
        result = runner.invoke(args=["build"])
        assert result.exit_code == 1, name
        assert expected[name] in result.output, (name, result.output[:300])
        assert "Build failed: nothing was changed." in result.output
        assert builds.current(app.config["BUILD_ROOT"]) == served
        assert client.get("/en/service/clinic-east").status_code == 200, name


def test_spoc_and_service_columns_are_kept_apart(app, tmp_path):
    rows = [*ROWS, service(id="mixed", name="Mixed", unit="Some unit")]
    path = write_csv(tmp_path / "mixed.csv", rows)
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path), "--against", ""])
    assert result.exit_code == 1 and "line 8, column unit" in result.output
    assert "unit" in SPOC_ONLY and "categories" in SERVICE_ONLY


HIDDEN = {
    "nul": "\x00",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "pop directional isolate": "\u2069",
    "first strong isolate": "\u2068",
    "right-to-left mark": "\u200f",
    "left-to-right mark": "\u200e",
    "arabic letter mark": "\u061c",
    "bell": "\x07",
    "escape": "\x1b",
    "next line (C1)": "\x85",
    "tab": "\t",
}


def test_hidden_characters_in_any_cell_are_refused_each_by_line_and_column(make_app, csv_path):
    app = make_app()
    served = builds.current(app.config["BUILD_ROOT"])
    columns = ["name", "description", "phone", "website", "notes", "address", "eligibility", "hours_notes",
               "police_relationship", "source_url", "email", "boroughs"]  # fmt: skip
    rows = [
        service(**{"id": f"hidden-{i}", "name": f"Hidden {i}", columns[i]: f"{ROWS[0].get(columns[i]) or 't'}{char}x"})
        for i, char in enumerate(HIDDEN.values())
    ]
    csv_path.write_bytes(_rows_as_text([*ROWS, *rows]).encode())
    result = app.test_cli_runner().invoke(args=["check", "--against", ""])
    assert result.exit_code == 1
    for i, name in enumerate(HIDDEN):
        line, column = len(ROWS) + 2 + i, columns[i]
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[COLUMNS.index(column)] if COLUMNS.index(column) < 26 else ""
        found = [t for t in result.output.splitlines() if t.startswith(f"error: line {line}, column {column} (")]
        assert any(("invisible" in t or "NUL" in t or "tab" in t) for t in found), (name, found)
        assert not letter or f"({letter})" in found[0]
    assert "RIGHT-TO-LEFT OVERRIDE, U+202E" in result.output
    # Every problem at once, and nothing hidden reaches the terminal: the messages name, never print, them.
    assert "\u202e" not in result.output and "\x00" not in result.output and "\x1b" not in result.output
    build = app.test_cli_runner().invoke(args=["build"])
    assert build.exit_code == 1 and "Build failed: nothing was changed." in build.output
    assert builds.current(app.config["BUILD_ROOT"]) == served


def test_a_bidi_control_inside_a_phone_number_never_reaches_a_page(make_app, csv_path):
    # U+202E would make "020 7946 0001" display reversed beside a tel: link that dials something else.
    app = make_app()
    write_csv(csv_path, [*ROWS, service(id="flip", name="Flip", phone="\u202e020 7946 0001")])
    result = app.test_cli_runner().invoke(args=["build"])
    assert result.exit_code == 1 and "line 8, column phone (E): contains an invisible text-direction" in result.output
    assert app.test_client().get("/en/service/flip").status_code == 404  # the old build is still served


@pytest.mark.parametrize(
    "email",
    [
        "help@x.test?bcc=all@y.test",
        "help?bcc=all@y.test@x.test",
        "help@x.test?subject=urgent&body=hi",
        "a&b=c@x.test",
        "help%40x@x.test",
        "help@x.test#frag",
        "mailto:help@x.test",
        "help @x.test",
        '"quoted"@x.test',
        "help@x.test,other@y.test",
        "help@localhost",
        "help@-x.test",
        "help..me@x.test",
    ],
)
def test_an_email_that_is_not_a_plain_address_is_refused(tmp_path, email):
    _, problems = records.parse(write_csv(tmp_path / "e.csv", [service(id="e", name="E", email=email)]).read_bytes())
    assert [(p.line, p.column, p.warning) for p in problems] == [(2, "email", False)], problems
    assert "help@example.org" in problems[0].message  # says what a good one looks like


def test_plain_addresses_pass(tmp_path):
    good = ["help@x.test", "first.last+tag@mail.example.org.uk", "o'brien@x.test", "under_score-1@x-y.test"]
    rows = [service(id=f"e{i}", name="E", email=email) for i, email in enumerate(good)]
    entries, problems = records.parse(write_csv(tmp_path / "e.csv", rows).read_bytes())
    assert problems == [] and [s.email for s in entries.services] == good


@pytest.mark.parametrize(
    "link", ["https://east.test@evil.test/", "https://user:pass@evil.test/", "https://@evil.test/"]
)
def test_a_link_whose_site_is_hidden_behind_a_name_and_at_is_refused(tmp_path, link):
    # The link reads as east.test but opens evil.test.
    rows = [service(id="w", name="W", website=link)]
    _, problems = records.parse(write_csv(tmp_path / "w.csv", rows).read_bytes())
    assert [(p.line, p.column, p.warning) for p in problems] == [(2, "website", False)], problems
    assert "only the site's address" in problems[0].message
