import subprocess

from conftest import ROWS, service, write_csv

from directory import builds


def test_check_passes_on_good_data(app, csv_path):
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(csv_path)])
    assert result.exit_code == 0, result.output
    # Two fixture services give no phone, email or address: a warning each, which does not fail.
    assert "4 services, 2 area police contacts; 0 errors, 2 warnings" in result.output
    assert result.output.splitlines()[-1].startswith("agencies.csv: 4 services")


def test_check_lists_problems_and_fails(app, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [*ROWS, service(id="bad", name="Bad", phone="12", boroughs="gotham")])
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path)])
    assert result.exit_code == 1
    assert "error: line 8, column boroughs (D): unknown borough 'gotham'" in result.output
    assert "error: line 8, column phone (E): '12' is not a valid UK phone number" in result.output
    assert "2 errors" in result.output


def test_check_does_not_build(make_app, tmp_path, csv_path):
    app = make_app(AUTO_BUILD=False)
    app.test_cli_runner().invoke(args=["check"])
    assert builds.current(tmp_path / "builds") is None


def test_build_command(app, tmp_path, csv_path):
    before = builds.current(tmp_path / "builds")
    result = app.test_cli_runner().invoke(args=["build"])
    assert result.exit_code == 0, result.output
    assert "4 services, 2 area police contacts" in result.output
    assert builds.current(tmp_path / "builds") != before

    write_csv(csv_path, [service(id="x", name="")])
    result = app.test_cli_runner().invoke(args=["build"])
    assert result.exit_code == 1
    assert "line 2, column name" in result.output and "Still serving" in result.output


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_check_summarises_the_change_against_main(app, tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    path = write_csv(repo / "data" / "agencies.csv", ROWS)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t.test", "commit", "-q", "--allow-empty", "-m", "empty")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t.test", "commit", "-q", "-m", "data")

    edited = [dict(row) for row in ROWS if row["id"] != "housing-help"]
    edited[0]["phone"] = "020 7946 0009"  # changed, but last_verified left as it was
    edited[1]["email"] = "grupo@saopaulo.test"
    edited[1]["last_verified"] = "2026-11-20"
    edited.append(service(id="new-line", name="New Line"))
    write_csv(path, edited)

    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "added    new-line (New Line)" in result.output
    assert "removed  housing-help (Housing Help)" in result.output
    assert "changed  clinic-east: phone" in result.output
    assert "changed  sao-paulo-group: email, last_verified" in result.output
    assert "warning: line 2, column last_verified (L): changed without a new last_verified date" in result.output
    assert "sao-paulo-group" not in result.output.split("warning")[-1]


def test_check_outside_git_still_validates(app, tmp_path):
    path = write_csv(tmp_path / "alone.csv", ROWS)
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "Not compared with main" in result.output


def test_check_reports_how_much_entry_text_each_language_translates(make_app, tmp_path, csv_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    folder = tmp_path / "translations"
    (folder / "es" / "LC_MESSAGES").mkdir(parents=True)
    spanish = Catalog(locale="es", domain="entries")
    spanish.add(ROWS[0]["description"], "Clínicas gratuitas.", context="clinic-east:description")
    spanish.add("An old English text", "Un texto viejo.", context="clinic-east:notes")  # stale: not counted
    with open(folder / "es" / "LC_MESSAGES" / "entries.po", "wb") as handle:
        write_po(handle, spanish)
    app = make_app(BABEL_TRANSLATION_DIRECTORIES=str(folder))
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(csv_path), "--against", ""])
    assert result.exit_code == 0, result.output
    # The fixture's texts: 4 descriptions, 1 police_relationship, and the published contact's unit,
    # notes and reply time.
    line = next(text for text in result.output.splitlines() if text.startswith("Entry text translated:"))
    assert "es 1/8" in line and "ro 0/8" in line and "ar 0/8" in line
