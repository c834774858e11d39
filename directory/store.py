"""The built database: written once by the build with sqlite-utils, then only read.

Tables: `services` and `spocs` (one row per entry, list fields as JSON), `service_areas` and
`service_categories` (for filtering by borough and category), `language_names` (the languages
services speak, named in each page language), the postcode tables and `meta` (what the build came
from).
"""

import dataclasses
import datetime as dt
import functools
import json
import sqlite3
from pathlib import Path

import sqlite_utils

from . import hours, reference
from . import postcodes as postcodes_module
from .records import Entries, Entry, Phone, Service, Spoc

DB_NAME = "directory.db"
_JSON_FIELDS = {"boroughs", "categories", "access", "serves", "languages", "org_type", "sources"}

# Services serving a borough (its own, London-wide and national ones), by name; the second only those
# in one need. Two fixed statements rather than one put together: only the values are parameters.
_FOR_AREA = (
    "select services.* from services where id in "
    "(select service_id from service_areas where area in (?, 'london', 'national')) "
    "order by name collate nocase"
)
# What ranking.py reads of each of them: a borough page ranks them all and shows a few of each need.
_BRIEFS_FOR_AREA = (
    "select id, name, boroughs, categories, org_type, hours from services where id in "
    "(select service_id from service_areas where area in (?, 'london', 'national'))"
)
_FOR_AREA_IN_CATEGORY = (
    "select services.* from services where id in "
    "(select service_id from service_areas where area in (?, 'london', 'national')) "
    "and id in (select service_id from service_categories where category = ?) "
    "order by name collate nocase"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Brief:
    """A service as ranking.py reads it, and no more."""

    id: str
    name: str
    boroughs: tuple[str, ...]
    categories: tuple[str, ...]
    org_type: tuple[str, ...]
    hours: hours.Week


def _to_row(entry: Entry) -> dict:
    row = {}
    for f in dataclasses.fields(entry):
        value = getattr(entry, f.name)
        if f.name == "phones":
            value = json.dumps([[p.display, p.dial] for p in value])
        elif f.name == "hours":
            value = json.dumps(value.as_json())
        elif f.name in _JSON_FIELDS:
            value = json.dumps(list(value), ensure_ascii=False)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        row[f.name] = value
    return row


def _phones(value: list) -> tuple[Phone, ...]:
    return tuple(Phone(*p) for p in value)


# How each JSON column becomes a field; the other columns are read as they are, but the date.
_FROM_JSON = {"phones": _phones, "hours": hours.Week.from_json, **{name: tuple for name in _JSON_FIELDS}}


@functools.cache
def _columns(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An entry class's plain columns and its JSON ones, worked out once per class."""
    names = [f.name for f in dataclasses.fields(cls)]
    return tuple(n for n in names if n not in _FROM_JSON), tuple(n for n in names if n in _FROM_JSON)


def _from_row(cls: type, row: dict) -> Entry:
    plain, encoded = _columns(cls)
    values = {name: row[name] for name in plain}
    values["last_verified"] = dt.date.fromisoformat(values["last_verified"])
    # The row's JSON columns decoded in one call, not one each: json.loads costs most per call.
    decoded = json.loads(f"[{','.join(row[name] for name in encoded)}]")
    values.update((name, _FROM_JSON[name](value)) for name, value in zip(encoded, decoded, strict=True))
    return cls(**values)


def write(
    entries: Entries,
    path: Path,
    meta: dict,
    districts: dict[str, tuple[str, ...]] | None = None,
    postcodes: list[tuple[str, str]] | None = None,
    sectors: dict[str, tuple[str, ...]] | None = None,
    language_names: list[dict] | None = None,
) -> None:
    """Write a new database file from validated entries and the postcode tables; `language_names`:
    rows (code, locale, name) naming the languages services speak in each page language."""
    db = sqlite_utils.Database(path)
    # A new file in the build's own folder, swapped in only once complete (a failed build is deleted),
    # so no insert needs to reach the disk before the next: without these, every batch of 100 rows
    # waited for its own sync (two thirds of the database's time). Like the index, the finished file
    # is left to the system to write out.
    db.conn.execute("PRAGMA journal_mode = MEMORY")
    db.conn.execute("PRAGMA synchronous = OFF")
    _write_postcodes(db, districts or {}, postcodes or [], sectors or {})
    services, spocs = entries.services, entries.spocs
    db["services"].insert_all((_to_row(s) for s in services), pk="id")
    db["spocs"].insert_all(({**_to_row(s), "borough": s.borough} for s in spocs), pk="id")
    db["service_areas"].insert_all(
        ({"service_id": s.id, "area": area} for s in services for area in s.boroughs),
        pk=("service_id", "area"),
    )
    db["service_categories"].insert_all(
        ({"service_id": s.id, "category": c} for s in services for c in s.categories),
        pk=("service_id", "category"),
    )
    for table in ("services", "spocs"):
        if not db[table].exists():  # an empty CSV still gives a usable, empty site
            cls = Service if table == "services" else Spoc
            columns = {f.name: str for f in dataclasses.fields(cls)}
            db[table].create(columns if cls is Service else {**columns, "borough": str}, pk="id")
    db["spocs"].create_index(["borough"], unique=True)  # validation allows one row per area
    for table, column in (("service_areas", "area"), ("service_categories", "category")):
        if not db[table].exists():
            db[table].create({"service_id": str, column: str}, pk=("service_id", column))
        db[table].create_index([column, "service_id"])
    db["language_names"].create({"code": str, "locale": str, "name": str}, pk=("code", "locale"))
    db["language_names"].insert_all(language_names or [])
    db["meta"].insert_all(({"key": k, "value": str(v)} for k, v in meta.items()), pk="key")
    db.conn.execute("VACUUM")
    db.close()


Table = dict[str, tuple[str, ...]]  # a district or sector -> its areas, most likely first


def _write_postcodes(db, districts: Table, postcodes: list[tuple[str, str]], sectors: Table) -> None:
    # An ONSPD import ranks districts and sectors by its counts; the shipped tables cover what it does not.
    imported = postcodes_module.rank_districts(postcodes)
    ranked = {**districts, **imported}
    db["districts"].insert_all(
        ({"district": d, "areas": json.dumps(list(areas))} for d, areas in ranked.items()), pk="district"
    )
    imported_sectors = postcodes_module.sectors_worth_keeping(postcodes_module.rank_sectors(postcodes), imported)
    db["sectors"].create({"sector": str, "areas": str}, pk="sector")
    db["sectors"].insert_all(
        ({"sector": s, "areas": json.dumps(list(a))} for s, a in {**sectors, **imported_sectors}.items()), pk="sector"
    )
    db["postcodes"].insert_all(({"postcode": p, "area": a} for p, a in postcodes), pk="postcode", batch_size=5000)
    if not db["districts"].exists():
        db["districts"].create({"district": str, "areas": str}, pk="district")
    if not db["postcodes"].exists():
        db["postcodes"].create({"postcode": str, "area": str}, pk="postcode")


class Store:
    """Read-only access to one build's database."""

    def __init__(self, path: Path):
        # immutable=1: the file never changes after the build, so SQLite can skip locking entirely.
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self._language_names: dict[tuple[str, str], str] | None = None

    def service(self, service_id: str) -> Service | None:
        rows = list(self.db["services"].rows_where("id = ?", [service_id]))
        return _from_row(Service, rows[0]) if rows else None

    def services(self, ids: list[str]) -> list[Service]:
        """Services by id, in the order given (the search ranking)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {r["id"]: _from_row(Service, r) for r in self.db["services"].rows_where(f"id in ({marks})", ids)}
        return [found[i] for i in ids if i in found]

    def services_for_area(self, area: str, category: str = "") -> list[Service]:
        """Services that serve a borough, including London-wide and national ones, by name; only
        those in `category` if given (chosen here, not after reading them all: London-wide services
        alone may be thousands)."""
        sql = _FOR_AREA_IN_CATEGORY if category else _FOR_AREA
        return [_from_row(Service, r) for r in self.db.query(sql, [area, category] if category else [area])]

    def briefs_for_area(self, area: str) -> list[Brief]:
        """What ranking.py needs of every service serving a borough (its own, London-wide and national
        ones), without their text: at 10,000 entries a borough has about 3,000, and reading them whole
        to show 20 of each need was a worker's largest use of memory."""
        return [
            Brief(
                r["id"],
                r["name"],
                tuple(json.loads(r["boroughs"])),
                tuple(json.loads(r["categories"])),
                tuple(json.loads(r["org_type"])),
                hours.Week.from_json(json.loads(r["hours"])),
            )
            for r in self.db.query(_BRIEFS_FOR_AREA, [area])
        ]

    def language_name(self, code: str, locale: str) -> str:
        """A language code from the data named in a locale (written by the build), or the code."""
        if self._language_names is None:  # a few rows: the codes in the data times the page languages
            rows = self.db.execute("select code, locale, name from language_names")
            self._language_names = {(row_code, row_locale): name for row_code, row_locale, name in rows}
        return self._language_names.get((code, locale), code)

    def category_counts(self) -> dict[str, int]:
        sql = "select category, count(*) as n from service_categories group by category"
        counts = {row["category"]: row["n"] for row in self.db.query(sql)}
        return {slug: counts.get(slug, 0) for slug in reference.CATEGORIES}

    def spoc(self, area: str) -> Spoc | None:
        rows = list(self.db["spocs"].rows_where("borough = ?", [area]))
        return _from_row(Spoc, rows[0]) if rows else None

    def spocs(self) -> dict[str, Spoc]:
        spocs = (_from_row(Spoc, r) for r in self.db["spocs"].rows)
        return {s.borough: s for s in spocs}

    def postcode_area(self, postcode: str) -> str | None:
        """The area of a full postcode ("E81DY"), if an ONSPD import holds it."""
        row = self.db.execute("select area from postcodes where postcode = ?", [postcode]).fetchone()
        return row[0] if row else None

    def sector_areas(self, sector: str) -> tuple[str, ...]:
        """A sector's areas ("N1 7"), most likely first; empty when the sector table does not list it
        (its district then answers)."""
        row = self.db.execute("select areas from sectors where sector = ?", [sector]).fetchone()
        return tuple(json.loads(row[0])) if row else ()

    def district_areas(self, district: str) -> tuple[str, ...]:
        """A district's areas, most likely first. `SW1` or `W1`, which are split into `SW1A` and so
        on, gives every area of their parts, those named by the most parts first."""
        row = self.db.execute("select areas from districts where district = ?", [district]).fetchone()
        if row:
            return tuple(json.loads(row[0]))
        parts = self.db.execute("select areas from districts where district glob ?", [district + "[A-Z]"])
        counts: dict[str, int] = {}
        for (areas,) in parts:
            for area in json.loads(areas):
                counts[area] = counts.get(area, 0) + 1
        return tuple(sorted(counts, key=lambda a: -counts[a]))
