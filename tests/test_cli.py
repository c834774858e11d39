from conftest import ROWS, service, write_csv

from directory import builds


def test_check_passes_on_good_data(app, csv_path):
    result = app.test_cli_runner().invoke(args=["check", "--csv", str(csv_path)])
    assert result.exit_code == 0, result.output
    assert "4 services, 2 area police contacts; 0 errors, 0 warnings" in result.output


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
