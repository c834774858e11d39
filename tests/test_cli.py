import os
import subprocess
from pathlib import Path

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


def test_check_reports_coverage_and_warns_about_services_with_no_contact_route(app, csv_path):
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(csv_path), "--against", ""])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "How many of the 4 services have each detail:" in lines
    figures = {line.split()[0]: line.split()[1:4] for line in lines if line.startswith("  ") and " of 4 (" in line}
    assert figures["phone"] == ["2", "of", "4"]  # clinic-east and report-line
    assert figures["email"] == ["1", "of", "4"]
    assert figures["website"] == ["2", "of", "4"]
    assert figures["opening_hours"] == ["2", "of", "4"]
    assert figures["languages"] == ["1", "of", "4"]
    assert figures["migrants_any_status"] == ["1", "of", "4"]
    assert figures["id_required"] == ["0", "of", "4"]
    assert figures["independent_of_police"] == ["3", "of", "4"]  # housing-help says unknown
    assert "  No phone, email or address (no way to contact them): 2: sao-paulo-group, housing-help" in lines
    warnings = [line for line in lines if line.startswith("warning:")]
    assert [w.split(":")[1] for w in warnings] == [" line 3, column phone (E)", " line 5, column phone (E)"]
    assert "sao-paulo-group has no phone, email or address" in warnings[0]
    assert lines[-1].startswith("agencies.csv: 4 services, 2 area police contacts; 0 errors, 2 warnings.")


def test_check_says_which_new_entries_show_in_english_and_how_to_get_them_translated(app, tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    path = write_csv(repo / "data" / "agencies.csv", ROWS)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t.test", "commit", "-q", "-m", "data")
    write_csv(path, [*ROWS, service(id="new-line", name="New Line", phone="020 7946 0005")])
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # The shipped catalogues translate none of the fixture's texts, so every entry is listed; the new
    # one is marked as added.
    assert "  new-line (added): in all 9 other languages" in lines
    assert "  clinic-east: in all 9 other languages" in lines
    advice = next(line for line in lines if line.startswith("To get them translated"))
    assert "make messages" in advice and "entries.po" in advice and "CONTRIBUTING.md" in advice
    assert lines[-1].startswith("agencies.csv: 5 services")


def test_check_with_errors_ends_with_the_result_and_skips_the_reports(app, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [*ROWS, service(id="bad", name="Bad", boroughs="Gotham")])
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "error: line 8, column boroughs (D): unknown borough 'Gotham' (see the list in data/README.md)"
    assert lines[-1] == (
        "bad.csv: 5 services, 2 area police contacts; 1 errors, 0 warnings. "
        "Fix the errors above (line and column are given), then run the check again."
    )
    assert "How many of the" not in result.output and "Compared with" not in result.output


ROOT = Path(__file__).resolve().parent.parent


def _make_check(csv: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "check", f"CSV={csv}", "AGAINST="],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "CI": "", **env},
    )  # fmt: skip


def test_make_check_ends_with_the_result_not_make_noise(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [*ROWS, service(id="bad", name="Bad", boroughs="gotham")])
    done = _make_check(bad)
    output = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 0, done.stderr  # on an admin's computer the result line is the end
    assert output[-1].startswith("bad.csv: 5 services, 2 area police contacts; 1 errors")
    assert not any(line.startswith(("make:", ".venv/bin/flask")) for line in output)
    strict = _make_check(bad, CI="true")  # in CI, errors fail the job
    assert strict.returncode != 0
    good = _make_check(write_csv(tmp_path / "good.csv", ROWS), CI="true")
    assert good.returncode == 0 and good.stdout.strip().splitlines()[-1].startswith("good.csv: 4 services")
