"""Builds: CSV -> a new folder holding the database and the index -> swapped in whole.

`root/current` is a symlink to the build being served. A build is written into a fresh folder and
the link is replaced with `os.replace`, which is atomic: a request sees the old build or the new
one, never half of either, and a build that fails never touches the link.
"""

import contextlib
import datetime as dt
import fcntl
import functools
import gc
import gzip
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import export, i18n, locales, postcodes, records, search, store
from .config import ROOT

LINK = "current"
INFO = "build.json"
KEEP = 3  # old builds kept so a request that began on one can finish on it

log = logging.getLogger(__name__)


def _catalogues_digest(translations: str | None = None) -> str:
    """The compiled catalogues the search index reads (need names, translated entry text, the search
    vocabulary), from the configured folders (';'-separated; the shipped ones by default)."""
    digest = hashlib.sha256()
    for folder in (translations or str(ROOT / "translations")).split(";"):
        for path in sorted(Path(folder).glob("*/LC_MESSAGES/*.mo")) if folder else ():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


DISTRICTS = ROOT / "data" / "postcode_districts.csv"
# The shape of a build (tables, index fields). Raise it when the code needs what older builds lack,
# so a new release rebuilds on start instead of serving a build it cannot read.
# 4: the postcode sector table; 5: the search vocabulary and ranking fields; 6: search sets;
# 7: postings and field lengths for scores.py, and the order of lists with no words typed;
# 8: word frequencies without positions, ids stored only; 9: the words for typos in an index of their own;
# 10: the names of the languages services speak; 11: opening spans for ranking, fewer stored fields.
FORMAT = "11"


def _inputs_digest(data: bytes, districts: bytes, imported: bytes, translations: str | None = None) -> str:
    """What a build is made from: the CSV, the postcode tables and the compiled catalogues. A change
    to any of them rebuilds."""
    digest = hashlib.sha256(data)
    for part in (FORMAT.encode(), districts, imported, _catalogues_digest(translations).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _imported(root: Path) -> bytes:
    """The ONSPD import kept beside the builds (`import-postcodes`), or nothing."""
    path = Path(root) / postcodes.IMPORTED
    return path.read_bytes() if path.exists() else b""


def _postcode_tables(districts_path: Path) -> tuple[bytes, bytes | None]:
    """The district table and the sector table beside it (None if absent): both are inputs of a build."""
    sectors = postcodes.sectors_path(districts_path)
    return Path(districts_path).read_bytes(), sectors.read_bytes() if sectors.exists() else None


def _joined(districts: bytes, sectors: bytes | None) -> bytes:
    return districts + b"\0" + (sectors or b"")


def digest(csv_path: Path, root: Path, districts_path: Path = DISTRICTS, translations: str | None = None) -> str:
    data = Path(csv_path).read_bytes()
    return _inputs_digest(data, _joined(*_postcode_tables(districts_path)), _imported(root), translations)


def current(root: Path) -> Path | None:
    """The folder being served, or None before the first build."""
    link = Path(root) / LINK
    try:
        return (Path(root) / os.readlink(link)).resolve()
    except OSError:
        return None


def info(build: Path) -> dict:
    return json.loads((build / INFO).read_text())


def build(
    csv_path: Path,
    root: Path,
    districts_path: Path = DISTRICTS,
    site_url: str = "",
    translations: str | None = None,
) -> tuple[Path, list[records.Problem]]:
    """Validate the CSV, write a new build and swap it in; raise records.InvalidData on errors.

    `site_url` (the configured SITE_URL) makes the open data's links to entry pages absolute.
    `translations`: the configured catalogue folders (';'-separated) the search index reads."""
    # A build makes millions of small objects and keeps most of them to the end, which sends Python's
    # cycle collector through all of them again and again (a tenth of a large build); a build makes
    # no cycles worth collecting.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(csv_path, Path(root), districts_path, site_url, translations)
    finally:
        if collecting:
            gc.enable()


def _build(
    csv_path: Path, root: Path, districts_path: Path, site_url: str, translations: str | None
) -> tuple[Path, list[records.Problem]]:
    data = Path(csv_path).read_bytes()  # read once: what is validated is what is published
    entries, warnings = records.validate(data)
    # Read once, like the CSV: the tables digested are the tables built.
    districts_bytes, sectors_bytes = _postcode_tables(districts_path)
    districts_data, imported = _joined(districts_bytes, sectors_bytes), _imported(root)
    districts = postcodes.read_districts(districts_bytes)
    sectors = postcodes.read_sectors(sectors_bytes) if sectors_bytes is not None else {}
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="build-", dir=root))
    try:
        meta = {
            "csv_sha256": hashlib.sha256(data).hexdigest(),
            "inputs_sha256": _inputs_digest(data, districts_data, imported, translations),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "services": len(entries.services),
            "spocs": len(entries.spocs),
            "site_url": site_url,
        }
        london_postcodes = postcodes.read_imported(imported)
        meta["postcodes"] = len(london_postcodes)
        # The database and the open data are written by a second process while this one writes the
        # search index (the longest part): builds use both cores.
        with _alongside(
            functools.partial(_write_data, folder, data, entries, meta, site_url, districts, london_postcodes, sectors)
        ):
            search.write(list(entries.services), folder / search.INDEX_NAME, translations=translations)
        (folder / INFO).write_text(json.dumps(meta, indent=2))
        folder.chmod(0o755)  # mkdtemp makes it private; workers may run as another user
        link = root / f".{LINK}-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        link.symlink_to(folder.name)
        os.replace(link, root / LINK)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _prune(root, folder)
    return folder, warnings


def _write_data(
    folder: Path,
    data: bytes,
    entries: records.Entries,
    meta: dict,
    site_url: str,
    districts: dict,
    london_postcodes: list,
    sectors: dict,
) -> None:
    """The database and the open data (the CSV and the HSDS JSON, each with its gzip copy)."""
    spoken = (code for service in entries.services for code in service.languages)
    names = locales.language_names(spoken, [name for name, _own in i18n.KNOWN.values()])
    store.write(entries, folder / store.DB_NAME, meta, districts, london_postcodes, sectors, names)
    _write_with_gzip(folder / export.CSV_NAME, [export.csv_bytes(data.decode("utf-8-sig"))])
    page_url = site_url.rstrip("/") + "/en/service/{id}"
    text = export.hsds_text(entries, meta["built_at"], page_url)
    _write_with_gzip(folder / export.JSON_NAME, (piece.encode("utf-8") for piece in text))


class SideFailed(RuntimeError):
    """The process writing the database and open data failed; its traceback is the message."""


@contextlib.contextmanager
def _alongside(work: Callable[[], None]):
    """Run `work` in a forked process while the `with` body runs here; raise SideFailed if it failed.

    If the body fails, the process is killed and waited for before the error goes on, so nothing
    writes into the build's folder once it is being removed. Forking a process that runs threads
    (native ones counted) can copy a lock another thread holds: then `work` runs here, after the
    body, as it always did."""
    if _threads() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield
        work()
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_report, args=(work, send), name="build-data")
    process.start()
    send.close()
    try:
        yield
    except BaseException:
        process.kill()
        process.join()
        raise
    try:
        failure = receive.recv()
    except EOFError:  # it died without a word (killed, out of memory)
        failure = "the process stopped without finishing"
    finally:
        receive.close()
        process.join()
    if failure or process.exitcode:
        raise SideFailed(f"writing the database and open data failed (exit code {process.exitcode}):\n{failure}")


def _report(work: Callable[[], None], send) -> None:
    """In the forked process: do `work`, then send "" or the traceback of what went wrong."""
    try:
        work()
    except BaseException:
        send.send(traceback.format_exc())
        raise
    send.send("")


def _write_with_gzip(path: Path, pieces: Iterable[bytes]) -> None:
    """Write a file and its gzip copy (`path.gz`) in one pass: the open data is compressed once per
    build, not per download (at 100,000 entries services.json is some 300 MB, 40 MB gzipped).
    mtime=0 and no file name in the header: the same data, the same bytes."""
    with (
        open(path, "wb") as plain,
        open(path.with_name(path.name + ".gz"), "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as packed,
    ):
        for piece in pieces:
            plain.write(piece)
            packed.write(piece)


def _prune(root: Path, keep: Path) -> None:
    olds = sorted((p for p in root.glob("build-*") if p != keep), key=lambda p: p.stat().st_mtime)
    for old in olds[: max(0, len(olds) - (KEEP - 1))]:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _locked(root: Path):
    """One builder at a time across processes (gunicorn workers start together)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_fresh(
    csv_path: Path, root: Path, districts_path: Path = DISTRICTS, site_url: str = "", translations: str | None = None
) -> Path:
    """Build when there is no build or the CSV (or the site's address) has changed; keep serving the
    old build if that fails. The build runs in a child process (`build_apart`)."""
    root = Path(root)
    with _locked(root):
        served = current(root)
        if served:
            meta = info(served)
            if meta.get("inputs_sha256") == digest(csv_path, root, districts_path, translations) and (
                meta.get("site_url", "") == site_url
            ):
                return served
        try:
            folder = build_apart(csv_path, root, districts_path, site_url, translations)
        except records.InvalidData as exc:
            if served is None:
                raise
            log.error("The CSV has errors; still serving the previous build.\n%s", exc)
            return served
        log.info("Built %s", folder.name)
        return folder


def _build_and_send(send, *args) -> None:
    """In the child: build, and send back the folder, the CSV's problems or the traceback."""
    try:
        folder, _warnings = build(*args)
        send.send(("built", folder))
    except records.InvalidData as exc:
        send.send(("invalid", exc.problems))
    except BaseException:
        send.send(("failed", traceback.format_exc()))
    finally:
        send.close()


def _threads() -> int:
    """This process's threads, native ones included (a library's, which Python does not count)."""
    try:
        status = Path("/proc/self/status").read_text().splitlines()
        return next(int(line.split()[1]) for line in status if line.startswith("Threads:"))
    except (OSError, StopIteration):
        return threading.active_count()


def build_apart(
    csv_path: Path, root: Path, districts_path: Path = DISTRICTS, site_url: str = "", translations: str | None = None
) -> Path:
    """`build` in a child process; raise records.InvalidData (with every problem) as `build` does.

    The gunicorn master builds before forking its workers (`preload_app`): built in the master, the
    whole build's memory (jieba's dictionary, Whoosh's writer, the open data: about 300 MB at 10,000
    entries) stayed in it and in every worker forked from it. The child returns it all when it exits.
    Forked when this process runs one thread (the master, the CLI: cheap, nothing to import again),
    else spawned, since forking a process with several threads can deadlock the child."""
    method = "fork" if _threads() == 1 else "spawn"
    context = multiprocessing.get_context(method)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_build_and_send, args=(send, csv_path, root, districts_path, site_url, translations))
    child.start()
    send.close()  # the child holds the other end: reading ends when it exits
    try:
        outcome, value = receive.recv()
    except EOFError:
        outcome, value = "died", None
    finally:
        receive.close()
        child.join()
    if outcome == "built":
        return value
    if outcome == "invalid":
        raise records.InvalidData(value)
    if outcome == "failed":
        raise RuntimeError(f"The build failed:\n{value}")
    raise RuntimeError(f"The build's process ended without a result (exit code {child.exitcode})")


@dataclass
class Opened:
    path: Path
    store: store.Store
    index: search.Index


class Current:
    """Per-process handles on the served build, reopened when the link moves to a new build."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._opened: Opened | None = None
        self._lock = threading.Lock()

    def get(self) -> Opened:
        path = current(self.root)
        if path is None:
            raise RuntimeError(f"no build in {self.root}: run `flask --app directory build`")
        opened = self._opened
        if opened is None or opened.path != path:
            with self._lock:
                if self._opened is None or self._opened.path != path:
                    # The old handles are left to the garbage collector: a request in another
                    # thread may still be reading them.
                    db, ix = store.Store(path / store.DB_NAME), search.Index(path / search.INDEX_NAME)
                    self._opened = Opened(path, db, ix)
                opened = self._opened
        return opened
