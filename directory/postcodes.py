"""Postcodes to London areas, answered from our own data: no postcode is sent anywhere or logged.

Two sources, both turned into tables of the build:
- `data/postcode_districts.csv`, shipped: every London postcode district (`E8`, `SW1A`) with each
  area it touches, the most likely first. A district is thousands of addresses and many districts
  (a third in the shipped table) cross a borough boundary, so a district may give several candidates.
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
        return Query("full", full.group(1), squashed)
    # With a space, the first half is the district ("E8 1" is E8 and an unfinished second half);
    # without one, the whole ("E81" is not E8).
    parts = text.split()
    if len(parts) == 2 and _PARTIAL_INWARD.match(parts[1]):
        parts = parts[:1]
    district = parts[0] if len(parts) == 1 else ""
    return Query("district", district) if _DISTRICT.match(district) else Query("invalid")


def squash(postcode: str) -> str:
    """ONSPD writes `E8  1DY` (pcd, 7 characters) or `E8 1DY` (pcds): compare without spaces."""
    return re.sub(r"\s+", "", postcode).upper()


DISTRICT_COLUMNS = ("district", "boroughs")


def _Problem(line: int, column: str, message: str) -> Problem:  # named like the class: it makes one for this file
    return Problem(line, column, message, columns=DISTRICT_COLUMNS)


def read_districts(data: bytes) -> dict[str, tuple[str, ...]]:
    """Validate the shipped district table; raise InvalidData naming each bad line and column."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidData([_Problem(1, "", "postcode_districts.csv is not UTF-8 text")]) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    if header != list(DISTRICT_COLUMNS):
        raise InvalidData([_Problem(1, "", "postcode_districts.csv must start with the header: district,boroughs")])
    table: dict[str, tuple[str, ...]] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append(_Problem(line, "", f"postcode_districts.csv has {len(row)} cells; expected 2"))
            continue
        district, areas = row[0].strip().upper(), tuple(a.strip() for a in row[1].split(";") if a.strip())
        if not _DISTRICT.match(district):
            problems.append(_Problem(line, "district", f"postcode_districts.csv: {district!r} is not a district"))
        elif district in table:
            problems.append(_Problem(line, "district", f"postcode_districts.csv: {district} is listed twice"))
        unknown = [a for a in areas if a not in reference.AREA_BY_SLUG]
        if unknown or not areas:
            message = f"unknown area {unknown[0]!r}" if unknown else "names no area"
            problems.append(_Problem(line, "boroughs", f"postcode_districts.csv: {message}"))
        elif len(set(areas)) != len(areas):
            problems.append(_Problem(line, "boroughs", "postcode_districts.csv: lists an area twice"))
        table[district] = areas
    if problems:
        raise InvalidData(problems)
    return table


def read_onspd(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(postcode, area) for each London row of an ONSPD CSV; raise ValueError if its columns are wrong."""
    reader = csv.DictReader(lines)
    missing = {"pcd", "oslaua"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"not an ONS Postcode Directory CSV: no column {', '.join(sorted(missing))}")
    for row in reader:
        area = AREA_BY_GSS.get((row["oslaua"] or "").strip())
        postcode = squash(row["pcd"] or "")
        if area and _FULL.match(postcode):
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


def rank_districts(postcodes: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each district's areas, the one holding most of its postcodes first."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for postcode, area in postcodes:
        counts[_FULL.match(postcode).group(1)][area] += 1
    return {d: tuple(a for a, _n in sorted(c.items(), key=lambda item: (-item[1], item[0]))) for d, c in counts.items()}


def write_districts(table: dict[str, tuple[str, ...]], path: Path) -> None:
    """Rewrite the shipped district table (from an ONSPD ranking)."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["district", "boroughs"])
        for district in sorted(table, key=_district_order):
            writer.writerow([district, ";".join(table[district])])


def _district_order(district: str) -> tuple:
    letters, number, rest = re.match(r"^([A-Z]+)(\d+)(.*)$", district).groups()
    return letters, int(number), rest


@dataclass(frozen=True)
class Finding:
    query: Query
    areas: tuple[str, ...]  # most likely first; empty when the postcode is not a London one we know
    exact: bool  # True: from the full postcode (ONSPD), so exactly one area


def locate(query: Query, store) -> Finding:
    """The London areas a parsed postcode falls in, from the build's tables."""
    if query.kind == "full":
        area = store.postcode_area(query.postcode)
        if area:
            return Finding(query, (area,), True)
    if query.kind in ("full", "district"):
        return Finding(query, store.district_areas(query.district), False)
    return Finding(query, (), False)
