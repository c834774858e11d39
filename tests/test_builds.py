import datetime
import gzip
import json
import multiprocessing
import sqlite3

import pytest
from conftest import ROWS, service, write_csv

from directory import builds, export, records, search, store


def test_build_swaps_in_a_complete_build(tmp_path, csv_path):
    root = tmp_path / "builds"
    folder, warnings = builds.build(csv_path, root)
    assert warnings == []
    assert builds.current(root) == folder
    assert (folder / store.DB_NAME).is_file() and (folder / "index").is_dir()
    assert builds.info(folder)["services"] == 4 and builds.info(folder)["spocs"] == 2


def test_failed_build_leaves_the_previous_build_serving(tmp_path, csv_path, make_app):
    app = make_app()
    client = app.test_client()
    before = builds.current(tmp_path / "builds")
    write_csv(csv_path, [*ROWS, service(id="broken", name="Broken", boroughs="gotham")])
    with pytest.raises(records.InvalidData) as caught:
        builds.build(csv_path, tmp_path / "builds")
    assert [(p.line, p.column) for p in caught.value.problems] == [(8, "boroughs")]
    assert builds.current(tmp_path / "builds") == before
    assert list((tmp_path / "builds").glob("build-*")) == [before]  # no half-written folder left
    assert client.get("/en/service/clinic-east").status_code == 200


def test_app_start_rebuilds_only_when_the_csv_changed(tmp_path, csv_path, make_app):
    make_app()
    first = builds.current(tmp_path / "builds")
    make_app()
    assert builds.current(tmp_path / "builds") == first
    write_csv(csv_path, [*ROWS, service(id="new-one", name="New One")])
    client = make_app().test_client()
    assert builds.current(tmp_path / "builds") != first
    assert client.get("/en/service/new-one").status_code == 200


def test_app_start_with_a_broken_csv_keeps_the_old_build(tmp_path, csv_path, make_app, caplog):
    make_app()
    first = builds.current(tmp_path / "builds")
    write_csv(csv_path, [service(id="x", name="")])
    client = make_app().test_client()
    assert builds.current(tmp_path / "builds") == first
    assert client.get("/en/service/clinic-east").status_code == 200
    assert "line 2, column name" in caplog.text


def test_app_start_with_a_broken_csv_and_no_build_fails_loudly(csv_path, make_app):
    write_csv(csv_path, [service(id="x", name="")])
    with pytest.raises(records.InvalidData):
        make_app()


def test_running_app_picks_up_a_new_build(tmp_path, csv_path, client):
    assert client.get("/en/service/late-addition").status_code == 404
    write_csv(csv_path, [*ROWS, service(id="late-addition", name="Late Addition")])
    builds.build(csv_path, tmp_path / "builds")
    assert client.get("/en/service/late-addition").status_code == 200


def test_old_builds_are_pruned(tmp_path, csv_path):
    root = tmp_path / "builds"
    for _ in range(builds.KEEP + 2):
        folder, _ = builds.build(csv_path, root)
    assert len(list(root.glob("build-*"))) == builds.KEEP
    assert builds.current(root) == folder


def test_workers_open_the_database_read_only(tmp_path, csv_path):
    folder, _ = builds.build(csv_path, tmp_path / "builds")
    db = store.Store(folder / store.DB_NAME)
    assert db.service("clinic-east").name == "East Clinic"
    with pytest.raises(sqlite3.OperationalError):
        db.db.execute("delete from services")


def test_an_empty_csv_builds_an_empty_site(tmp_path):
    path = write_csv(tmp_path / "empty.csv", [])
    folder, _ = builds.build(path, tmp_path / "builds")
    db = store.Store(folder / store.DB_NAME)
    assert db.spocs() == {} and db.services_for_area("hackney") == []


def test_a_failure_writing_the_database_fails_the_build_and_keeps_the_old_one(tmp_path, csv_path, monkeypatch):
    """The database and open data are written by a second process: its failure fails the build."""
    root = tmp_path / "builds"
    before, _ = builds.build(csv_path, root)

    def full_disk(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "write", full_disk)
    with pytest.raises(builds.SideFailed, match="database or disk is full"):
        builds.build(csv_path, root)
    assert builds.current(root) == before
    assert list(root.glob("build-*")) == [before]  # no half-written folder left
    assert multiprocessing.active_children() == []


def test_a_failure_writing_the_index_stops_the_second_process(tmp_path, csv_path, monkeypatch):
    root = tmp_path / "builds"
    before, _ = builds.build(csv_path, root)

    def broken(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(search, "write", broken)
    with pytest.raises(OSError, match="no space left"):
        builds.build(csv_path, root)
    assert multiprocessing.active_children() == []  # stopped before the folder was removed
    assert builds.current(root) == before and list(root.glob("build-*")) == [before]


def test_a_build_writes_the_same_files_with_or_without_the_second_process(tmp_path, csv_path, monkeypatch):
    """The second process only changes when the files are written, not what they hold."""
    forked, _ = builds.build(csv_path, tmp_path / "forked")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    alone, _ = builds.build(csv_path, tmp_path / "alone")
    for name in (export.CSV_NAME, f"{export.CSV_NAME}.gz"):
        assert (forked / name).read_bytes() == (alone / name).read_bytes(), name
    documents = []
    for folder in (forked, alone):
        text = (folder / export.JSON_NAME).read_bytes()
        assert gzip.decompress((folder / f"{export.JSON_NAME}.gz").read_bytes()) == text
        documents.append({**json.loads(text), "generated_at": ""})  # the time each was built
    assert documents[0] == documents[1] and len(documents[0]["services"]) == 4
    with sqlite3.connect(forked / store.DB_NAME) as one, sqlite3.connect(alone / store.DB_NAME) as other:
        for sql in ("select * from services order by id", "select * from spocs order by id"):
            assert one.execute(sql).fetchall() == other.execute(sql).fetchall()


def test_the_app_builds_in_a_child_process_and_keeps_none_of_its_memory(tmp_path, csv_path):
    """gunicorn's master builds before forking its workers: the build runs in a child process, so
    neither the master nor the workers forked from it hold what building took (jieba's dictionary
    cutting the Chinese text, Whoosh's writer). In a fresh process, as gunicorn starts."""
    import subprocess
    import sys

    # The peak of this process's own memory is VmHWM (ru_maxrss would include pytest's, inherited
    # through exec); the child's peak is its ru_maxrss, in KB too.
    script = (
        "import pathlib, resource, sys\n"
        "from directory import create_app\n"
        f"create_app({{'CSV_PATH': {str(csv_path)!r}, 'BUILD_ROOT': {str(tmp_path / 'builds')!r},"
        " 'SITE_URL': 'http://localhost'})\n"
        "status = pathlib.Path('/proc/self/status').read_text().splitlines()\n"
        "own = next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))\n"
        "child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('jieba' in sys.modules, child > own + 20_000, own, child)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split()[:2] == ["False", "True"], run.stdout
    assert (builds.current(tmp_path / "builds") / store.DB_NAME).is_file()


def test_a_build_that_fails_in_its_child_process_says_why(tmp_path):
    with pytest.raises(RuntimeError, match="FileNotFoundError"):
        builds.build_apart(tmp_path / "missing.csv", tmp_path / "builds")
    assert builds.current(tmp_path / "builds") is None


def test_a_borough_ranked_from_briefs_is_ranked_as_from_whole_services(tmp_path):
    """Borough pages rank every service serving the borough from a brief of each (what ranking.py
    reads) and read only the shown ones whole: on the shipped data, in every borough, the order is
    the one the whole services give."""
    from directory import ranking, reference
    from directory.config import ROOT

    folder, _ = builds.build(ROOT / "data" / "agencies.csv", tmp_path / "builds")
    db = store.Store(folder / store.DB_NAME)
    now = datetime.datetime(2026, 11, 23, 23, 30)  # a Monday night: some open, most not
    for area in [*reference.AREA_BY_SLUG, "london"]:
        whole = ranking.order(db.services_for_area(area), area, now)
        briefs = ranking.order(db.briefs_for_area(area), area, now)
        assert [s.id for s in briefs] == [s.id for s in whole], area
        assert len(briefs) > 10, area  # London-wide and national services serve every borough
        for brief in briefs[:5]:
            assert db.services([brief.id])[0].hours == brief.hours, (area, brief.id)
