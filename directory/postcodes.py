"""Postcodes to London areas, answered from our own data: no postcode is sent anywhere or logged.

Two sources, both turned into tables of the build:
- `data/postcode_districts.csv` and `data/postcode_sectors.csv`, shipped, counted from the ONS
  Postcode Directory (`scripts/postcode_tables.py`): every London postcode district (`E8`, `SW1A`,
  and the non-geographic ones such as `W1A` or `SE1P`) with each area it touches, the one holding
  most of its postcodes first; and, where that answer is not good enough (a district split between
  areas, or mostly outside London), each sector ("N1 7": the district and the first digit of the
  rest) with its own areas. A sector's answer comes before its district's.
- The ONS Postcode Directory (ONSPD), imported on request (`flask --app directory import-postcodes`):
  each full postcode's local authority, so `E8 1DY` gives exactly one area. The import keeps London's
  rows only, and ranks each district's areas by how many postcodes fall in each.
"""

import collections
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import reference
from .problems import InvalidData, Problem

IMPORTED = "onspd-london.csv"  # in the build root, beside the builds (never committed: ONSPD is large)
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail "
    "copyright and database right; Source: Office for National Statistics licensed under the Open "
    "Government Licence v3.0"
)

_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_SECTOR = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) (\d)$")
_PARTIAL_INWARD = re.compile(r"^\d[A-Z]{0,2}$")
_FULL = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
AREA_BY_GSS = {a.gss: a.slug for a in reference.AREAS}
MAX_INPUT = 16  # a postcode is at most 8 characters; anything far longer is not one


@dataclass(frozen=True)
class Query:
    """What someone typed, understood: `kind` is "empty", "invalid", "full" or "district"."""

    kind: str
    district: str = ""
    postcode: str = ""  # "E81DY" form, for the full-postcode table
    sector: str = ""  # "E8 1": the district and the first digit of the rest, when typed


def parse(text: str) -> Query:
    """Understand `E8 1DY`, `e81dy`, `SW9` and `E8 1` (a district and part of the rest)."""
    text = (text or "")[: MAX_INPUT * 4].strip().upper()
    if not text:
        return Query("empty")
    squashed = re.sub(r"\s+", "", text)
    if len(squashed) > MAX_INPUT:
        return Query("invalid")
    full = _FULL.match(squashed)
    if full:
        return Query("full", full.group(1), squashed, f"{full.group(1)} {full.group(2)[0]}")
    # With a space, the first half is the district ("E8 1" is E8 and an unfinished second half, in
    # sector "E8 1"); without one, the whole ("E81" is not E8).
    parts = text.split()
    sector = ""
    if len(parts) == 2 and _PARTIAL_INWARD.match(parts[1]):
        sector = f"{parts[0]} {parts[1][0]}"
        parts = parts[:1]
    district = parts[0] if len(parts) == 1 else ""
    return Query("district", district, "", sector) if _DISTRICT.match(district) else Query("invalid")


def squash(postcode: str) -> str:
    """ONSPD writes `E8  1DY` (pcd, 7 characters) or `E8 1DY` (pcds): compare without spaces."""
    return re.sub(r"\s+", "", postcode).upper()


DISTRICT_COLUMNS = ("district", "boroughs")
SECTOR_COLUMNS = ("sector", "boroughs")
SECTORS_NAME = "postcode_sectors.csv"  # beside the district table


def sectors_path(districts_path: Path) -> Path:
    """The sector table lives beside the district table (a missing one is an empty table)."""
    return Path(districts_path).with_name(SECTORS_NAME)


def read_districts(data: bytes) -> dict[str, tuple[str, ...]]:
    """Validate the shipped district table; raise InvalidData naming each bad line and column."""
    return _read_table(data, "postcode_districts.csv", DISTRICT_COLUMNS, _DISTRICT, "a district")


def read_sectors(data: bytes) -> dict[str, tuple[str, ...]]:
    """Validate the shipped sector table ("N1 7"); raise InvalidData naming each bad line and column."""
    return _read_table(data, SECTORS_NAME, SECTOR_COLUMNS, _SECTOR, "a sector (such as N1 7)")


def _read_table(data: bytes, name: str, columns: tuple[str, str], pattern: re.Pattern, what: str):
    def problem(line: int, column: str, message: str) -> Problem:  # with this file's own column letters
        return Problem(line, column, message, columns=columns)

    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidData([problem(1, "", f"{name} is not UTF-8 text")]) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    if header != list(columns):
        raise InvalidData([problem(1, "", f"{name} must start with the header: {','.join(columns)}")])
    key_column = columns[0]
    table: dict[str, tuple[str, ...]] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append(problem(line, "", f"{name} has {len(row)} cells; expected 2"))
            continue
        key, areas = " ".join(row[0].split()).upper(), tuple(a.strip() for a in row[1].split(";") if a.strip())
        if not pattern.match(key):
            problems.append(problem(line, key_column, f"{name}: {key!r} is not {what}"))
        elif key in table:
            problems.append(problem(line, key_column, f"{name}: {key} is listed twice"))
        unknown = [a for a in areas if a not in reference.AREA_BY_SLUG]
        if unknown or not areas:
            message = f"unknown area {unknown[0]!r}" if unknown else "names no area"
            problems.append(problem(line, "boroughs", f"{name}: {message}"))
        elif len(set(areas)) != len(areas):
            problems.append(problem(line, "boroughs", f"{name}: lists an area twice"))
        table[key] = areas
    if problems:
        raise InvalidData(problems)
    return table


def read_onspd(lines: Iterable[str], everywhere: bool = False) -> Iterator[tuple[str, str]]:
    """(postcode, area) for each London row of an ONSPD CSV; raise ValueError if its columns are wrong.
    With `everywhere`, also each row of another local authority, with "" for its area (to count how
    much of a district lies in London)."""
    reader = csv.DictReader(lines)
    missing = {"pcd", "oslaua"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"not an ONS Postcode Directory CSV: no column {', '.join(sorted(missing))}")
    for row in reader:
        code = (row["oslaua"] or "").strip()
        area = AREA_BY_GSS.get(code, "" if everywhere and code else None)
        postcode = squash(row["pcd"] or "")
        if area is not None and _FULL.match(postcode):
            yield postcode, area


def write_imported(rows: Iterable[tuple[str, str]], path: Path) -> int:
    """Write London's postcodes compactly, replacing any earlier import only once complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".onspd-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["postcode", "area"])
            unique = sorted(set(rows))
            writer.writerows(unique)
            count = len(unique)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def read_imported(data: bytes) -> list[tuple[str, str]]:
    """The rows `write_imported` wrote (empty when nothing has been imported)."""
    if not data:
        return []
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(rows, None)
    return [(postcode, area) for postcode, area in rows if area in reference.AREA_BY_SLUG]


def district_of(postcode: str) -> str:
    """`E81DY` -> `E8`."""
    return _FULL.match(postcode).group(1)


def sector_of(postcode: str) -> str:
    """`E81DY` -> `E8 1`."""
    district, inward = _FULL.match(postcode).groups()
    return f"{district} {inward[0]}"


def ranked(counts: collections.Counter) -> tuple[str, ...]:
    """Areas by how many postcodes each holds, most first (ties by name, so the order is stable)."""
    return tuple(a for a, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _rank_by(postcodes: Iterable[tuple[str, str]], key) -> dict[str, tuple[str, ...]]:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for postcode, area in postcodes:
        counts[key(postcode)][area] += 1
    return {k: ranked(c) for k, c in counts.items()}


def rank_districts(postcodes: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each district's areas, the one holding most of its postcodes first."""
    return _rank_by(postcodes, district_of)


def rank_sectors(postcodes: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each sector's areas, the one holding most of its postcodes first."""
    return _rank_by(postcodes, sector_of)


def sectors_worth_keeping(sectors: dict[str, tuple[str, ...]], districts: dict[str, tuple[str, ...]]):
    """The sectors whose answer is not their district's: the rest add nothing to the table."""
    return {s: areas for s, areas in sectors.items() if districts.get(s.split()[0]) != areas}


MIN_SHARE = 0.01  # of a district's or sector's London postcodes, for an area to be named
MAX_CANDIDATES = 3


def shipped_tables(rows: Iterable[tuple[str, str]]) -> tuple[dict, dict]:
    """The district and sector tables to ship, from (postcode, area) for every UK postcode with a local
    authority, "" for an area outside London (`read_onspd(..., everywhere=True)`).

    A district is listed when most of its postcodes are in London: a postcode in a district mostly
    outside (EN6, TW15) gets the "not in London" answer and the borough picker. Its areas are the
    London ones, most postcodes first, leaving out an area with under 1% of them (a few postcodes
    over a boundary would otherwise lengthen every answer) and naming at most three. A sector is
    listed when most of its postcodes are in London and its answer differs from its district's: a
    split district then answers by sector, and a London sector of a district mostly outside London
    still gets an answer."""
    by_district: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    by_sector: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for postcode, area in rows:
        by_district[district_of(postcode)][area] += 1
        by_sector[sector_of(postcode)][area] += 1

    def london(counts: collections.Counter) -> tuple[str, ...] | None:
        inside = collections.Counter({a: n for a, n in counts.items() if a})
        if inside.total() * 2 <= counts.total():
            return None
        return tuple(a for a in ranked(inside) if inside[a] >= MIN_SHARE * inside.total())[:MAX_CANDIDATES]

    districts = {d: areas for d, c in by_district.items() if (areas := london(c))}
    sectors = {s: areas for s, c in by_sector.items() if (areas := london(c))}
    return districts, sectors_worth_keeping(sectors, districts)


def write_districts(table: dict[str, tuple[str, ...]], path: Path) -> None:
    """Rewrite the shipped district table (from ONSPD counts)."""
    _write_table(table, path, DISTRICT_COLUMNS)


def write_sectors(table: dict[str, tuple[str, ...]], path: Path) -> None:
    """Rewrite the shipped sector table (from ONSPD counts)."""
    _write_table(table, path, SECTOR_COLUMNS)


def _write_table(table: dict[str, tuple[str, ...]], path: Path, columns: tuple[str, str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for key in sorted(table, key=_district_order):
            writer.writerow([key, ";".join(table[key])])


def _district_order(key: str) -> tuple:
    """`E2` before `E10`; a sector (`E1 7`) after its district's earlier sectors."""
    letters, number, rest = re.match(r"^([A-Z]+)(\d+)(.*)$", key).groups()
    return letters, int(number), rest


@dataclass(frozen=True)
class Finding:
    query: Query
    areas: tuple[str, ...]  # most likely first; empty when the postcode is not a London one we know
    exact: bool  # True: from the full postcode (ONSPD), so exactly one area
    prefix: str = ""  # what the answer is for: the postcode ("N17AA"), its sector ("N1 7") or district ("N1")


def locate(query: Query, store) -> Finding:
    """The London areas a parsed postcode falls in, from the build's tables: the full postcode if an
    ONSPD import holds it, else its sector if the sector table has it, else its district."""
    if query.kind == "full":
        area = store.postcode_area(query.postcode)
        if area:
            return Finding(query, (area,), True, query.postcode)
    if query.kind in ("full", "district"):
        areas = store.sector_areas(query.sector) if query.sector else ()
        if areas:
            return Finding(query, areas, False, query.sector)
        return Finding(query, store.district_areas(query.district), False, query.district)
    return Finding(query, (), False)
