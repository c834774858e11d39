"""Read `data/agencies.csv` into frozen records, reporting every problem with its line and column.

One file holds both kinds of entry (`service` and `spoc`) so admins keep a single spreadsheet.
Columns, what each means and which kind uses it are documented for admins in `data/README.md`.
"""

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError

from . import cells, hours, postcodes, reference
from .problems import InvalidData, Problem

COMMON = ["id", "kind", "name", "boroughs", "phone", "email", "website", "opening_hours",
          "hours_notes", "notes", "source_url", "last_verified"]  # fmt: skip
SERVICE_ONLY = ["categories", "description", "address", "postcode", "access", "serves",
                "migrants_any_status", "id_required", "eligibility", "languages", "interpreting",
                "org_type", "independent_of_police", "police_relationship"]  # fmt: skip
SPOC_ONLY = ["bcu", "unit", "response_time", "third_party_contact", "neutral_meeting",
             "backup_contact", "status"]  # fmt: skip
COLUMNS = COMMON + SERVICE_ONLY + SPOC_ONLY
KINDS = ("service", "spoc")

REQUIRED = {
    "service": [
        "id",
        "name",
        "boroughs",
        "categories",
        "description",
        "access",
        "org_type",
        "independent_of_police",
        "source_url",
        "last_verified",
    ],  # fmt: skip
    "spoc": ["id", "boroughs", "status", "source_url", "last_verified"],
}
STALE_AFTER = dt.timedelta(days=365)
MAX_FIELD = 5000  # a description is a paragraph, not a document
# Let oversized cells through the csv module so they get a readable error from MAX_FIELD instead.
csv.field_size_limit(64 * 1024 * 1024)

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Boroughs may be written by name too: "Tower Hamlets", "Kensington & Chelsea".
_AREA_NAMES = {cells.normal(a.name): a.slug for a in reference.AREAS}


@dataclass(frozen=True)
class Phone:
    """A number as the source writes it, and the form a `tel:` link needs."""

    display: str
    dial: str


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    name: str
    boroughs: tuple[str, ...]
    phones: tuple[Phone, ...]
    email: str
    website: str
    hours: hours.Week
    hours_notes: str
    notes: str
    source_url: str  # the first source: the page that states most of the row
    last_verified: dt.date
    # Every source the row cites, the first included: one page rarely states a service's phone,
    # hours, languages and stance all at once, and each detail must be traceable to a page.
    sources: tuple[str, ...]
    line: int = field(compare=False)


@dataclass(frozen=True)
class Service(Entry):
    categories: tuple[str, ...]
    description: str
    address: str
    postcode: str
    access: tuple[str, ...]
    serves: tuple[str, ...]
    migrants_any_status: str
    id_required: str
    eligibility: str
    languages: tuple[str, ...]
    interpreting: str
    org_type: tuple[str, ...]
    independent_of_police: str
    police_relationship: str


@dataclass(frozen=True)
class Spoc(Entry):
    bcu: str
    unit: str
    response_time: str
    third_party_contact: str
    neutral_meeting: str
    backup_contact: str
    status: str

    @property
    def borough(self) -> str:
        return self.boroughs[0]


@dataclass(frozen=True)
class Entries:
    """Everything one CSV holds, services and area police contacts apart."""

    services: tuple[Service, ...] = ()
    spocs: tuple[Spoc, ...] = ()

    def __iter__(self) -> Iterator[Entry]:
        """Every entry in the CSV's own order (services and contacts may be interleaved)."""
        return iter(sorted((*self.services, *self.spocs), key=lambda e: e.line))

    def __len__(self) -> int:
        return len(self.services) + len(self.spocs)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def parse_phone(text: str) -> Phone:
    """Check a UK number (or a short code like 999) and make its `tel:` form; raise ValueError."""
    return Phone(text, cells.dial(cells.phone(text)))


check_url = cells.url


class _Row:
    """One CSV row being checked: collects problems instead of stopping at the first."""

    def __init__(self, line: int, values: dict[str, str], problems: list[Problem], columns: tuple[str, ...]):
        self.line, self.values, self.problems, self.columns = line, values, problems, columns

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message, columns=self.columns))

    def warn(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message, warning=True, columns=self.columns))

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def choice(self, column: str, allowed: dict, default: str = "") -> str:
        """One fixed value, whatever its capitals: `Yes` is `yes`."""
        value = self.text(column)
        if not value:
            return default
        if cells.normal(value) not in allowed:
            self.error(column, cells.unknown(value, allowed))
            return value
        return cells.normal(value)

    def choices(self, column: str, allowed) -> tuple[str, ...]:
        values = []
        for value in _split(self.text(column)):
            if cells.normal(value) in allowed:
                values.append(cells.normal(value))
            else:
                self.error(column, cells.unknown(value, allowed))
                values.append(value)
        if len(set(values)) != len(values):
            self.error(column, "lists the same value twice")
        return tuple(values)

    def checked(self, column: str, check) -> str:
        value = self.text(column)
        if value:
            try:
                check(value)
            except ValueError as exc:
                self.error(column, str(exc))
        return value


def _language(code: str) -> str:
    """`PT-br` is `pt-BR`: language in lower case, script in title case, region in upper case."""
    parts = code.replace("_", "-").split("-")
    return "-".join(
        [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() if len(p) in (2, 3) else p for p in parts[1:]]
    )


def _languages(row: _Row) -> tuple[str, ...]:
    codes = tuple(_language(code) for code in _split(row.text("languages")))
    for code in codes:
        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            row.error("languages", f"{code!r} is not a language code (use codes like en, pt-BR, ro)")
    return codes


def _boroughs(row: _Row) -> tuple[str, ...]:
    allowed = {**reference.AREA_BY_SLUG, **reference.WIDE_AREAS}
    boroughs = []
    for written in _split(row.text("boroughs")):
        slug = cells.normal(written)
        slug = slug if slug in allowed else _AREA_NAMES.get(slug, slug)
        if slug not in allowed:
            row.error("boroughs", cells.unknown(written, allowed, "borough") + " (see the list in data/README.md)")
        boroughs.append(slug)
    if len(boroughs) > 1 and set(boroughs) & set(reference.WIDE_AREAS):
        row.error("boroughs", "use 'london' or 'national' alone, not with boroughs")
    return tuple(boroughs)


@functools.lru_cache(maxsize=4096)
def _checked_phone(text: str) -> tuple[Phone | None, str, str]:
    """(the number or None, the error, the lost-zero hint) of one number as written. Checking a
    number is the dearest check of a row (libphonenumber in Python), and helplines shared by many
    entries are written the same way each time: each is checked once."""
    try:
        phone = parse_phone(text)
    except ValueError as exc:
        return None, str(exc), ""
    return phone, "", cells.lost_zero(text)


def _phones(row: _Row) -> tuple[Phone, ...]:
    phones = []
    for text in _split(row.text("phone")):
        phone, error, hint = _checked_phone(text)
        if phone is None:
            row.error("phone", error)
            continue
        phones.append(phone)
        # 2079460000 is a valid number written without its trunk 0, and is almost always what a
        # spreadsheet made of 020 7946 0000: accepted (it dials), but shown so on the page.
        if hint:
            row.warn("phone", f"{text!r}: {hint}")
    return tuple(phones)


def _common(row: _Row, today: dt.date) -> dict:
    values = row.values
    try:
        week = hours.parse(values["opening_hours"])
    except ValueError as exc:
        row.error("opening_hours", str(exc))
        week = hours.EMPTY
    sources = _split(values["source_url"])
    for url in sources:
        try:
            cells.url(url)
        except ValueError as exc:
            row.error("source_url", str(exc))
    verified = dt.date.min
    if values["last_verified"]:
        try:
            verified = dt.date.fromisoformat(values["last_verified"])
        except ValueError:
            row.error("last_verified", f"{values['last_verified']!r} is not a date like 2026-01-31")
        else:
            if verified > today:
                row.error("last_verified", "is in the future")
            elif today - verified > STALE_AFTER:
                row.warn("last_verified", f"not verified since {verified}: please re-check")
    return dict(
        id=values["id"],
        kind=values["kind"],
        name=values["name"],
        boroughs=_boroughs(row),
        phones=_phones(row),
        email=row.checked("email", cells.email),
        website=row.checked("website", cells.url),
        hours=week,
        hours_notes=values["hours_notes"],
        notes=values["notes"],
        source_url=sources[0] if sources else "",
        last_verified=verified,
        line=row.line,
        sources=sources,
    )


def _service(row: _Row, common: dict) -> Service:
    postcode = row.text("postcode")
    query = postcodes.parse(postcode)
    if postcode and query.kind != "full":
        row.error("postcode", f"{postcode!r} is not a full UK postcode like E8 1DY")
    elif postcode:
        postcode = f"{query.district} {query.postcode[len(query.district) :]}"
    return Service(
        **common,
        categories=row.choices("categories", reference.CATEGORIES),
        description=row.text("description"),
        address=row.text("address"),
        postcode=postcode,
        access=row.choices("access", reference.ACCESS),
        serves=row.choices("serves", reference.SERVES),
        migrants_any_status=row.choice("migrants_any_status", reference.TRISTATE, "unknown"),
        id_required=row.choice("id_required", reference.TRISTATE, "unknown"),
        eligibility=row.text("eligibility"),
        languages=_languages(row),
        interpreting=row.choice("interpreting", reference.TRISTATE, "unknown"),
        org_type=row.choices("org_type", reference.ORG_TYPES),
        independent_of_police=row.choice("independent_of_police", reference.TRISTATE, "unknown"),
        police_relationship=row.text("police_relationship"),
    )


def _spoc(row: _Row, common: dict) -> Spoc:
    boroughs = common["boroughs"]
    if len(boroughs) != 1 or boroughs[0] not in reference.AREA_BY_SLUG:
        row.error("boroughs", "a spoc row names exactly one borough (or city-of-london)")
    area = reference.AREA_BY_SLUG.get(boroughs[0]) if boroughs else None
    bcu = cells.normal(row.text("bcu")) or (area.bcu if area else "")
    if area and bcu != area.bcu:
        row.error("bcu", f"{area.name} is in BCU {area.bcu!r}, not {row.text('bcu')!r}")
    status = row.choice("status", reference.SPOC_STATUSES)
    if status == "published":
        if not row.text("unit"):
            row.error("unit", "a published contact needs its unit or role (a role, never a person's name)")
        if not (row.text("phone") or row.text("email")):
            row.error("phone", "a published contact needs a phone number or an email")
    elif status == "none-published":
        for column in ("phone", "email", "unit"):
            if row.text(column):
                row.error(column, "must be empty while status is none-published")
    return Spoc(
        **common,
        bcu=bcu,
        unit=row.text("unit"),
        response_time=row.text("response_time"),
        third_party_contact=row.choice("third_party_contact", reference.TRISTATE, "unknown"),
        neutral_meeting=row.choice("neutral_meeting", reference.TRISTATE, "unknown"),
        backup_contact=row.text("backup_contact"),
        status=status,
    )


def _row(row: _Row, today: dt.date) -> Entry | None:
    values = row.values
    row.problems.extend(cells.cell_problems(row.line, values, row.columns))
    kind = cells.normal(values["kind"])
    if kind not in KINDS:
        row.error("kind", cells.unknown(values["kind"], KINDS))
        return None
    values["kind"] = kind
    for column in REQUIRED[kind]:
        if not values[column]:
            row.error(column, f"is required for a {kind} row")
    unused = SPOC_ONLY if kind == "service" else SERVICE_ONLY
    for column in unused:
        if values[column]:
            row.error(column, f"is not used in a {kind} row: leave it empty")
    for column, value in values.items():
        if len(value) > MAX_FIELD:
            row.error(column, f"is {len(value)} characters long; the limit is {MAX_FIELD}")
    if values["id"] and not _SLUG.match(values["id"]):
        row.error("id", f"{values['id']!r} must be lower-case letters, digits and hyphens")
    common = _common(row, today)
    return _service(row, common) if kind == "service" else _spoc(row, common)


def _decode(data: bytes, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(line, "", "the file is not UTF-8 text: save it as CSV UTF-8"))
        return None


def parse(data: bytes, today: dt.date | None = None) -> tuple[Entries, list[Problem]]:
    """Parse CSV bytes into entries plus every problem found (errors and warnings)."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    text = _decode(data, problems)
    if text is None:
        return Entries(), problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        return Entries(), [Problem(1, "", f"cannot read the header row: {exc}")]
    columns = tuple(header)
    for name in header:
        if name not in COLUMNS:
            problems.append(Problem(1, name, "unexpected column (see data/README.md for the columns)", columns=columns))
    for name in COLUMNS:
        if name not in header:
            problems.append(Problem(1, name, "column is missing from the header row"))
    if len(set(header)) != len(header):
        problems.append(Problem(1, "", "the header row names a column twice"))
    if problems:
        return Entries(), problems

    entries: list[Entry] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            row_cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(line, "", f"cannot read this row: {exc}"))
            break
        if any(cell.strip() for cell in row_cells):
            if len(row_cells) != len(header):
                problems.append(Problem(line, "", f"has {len(row_cells)} cells; the header has {len(header)}"))
            else:
                values = {name: cell.strip() for name, cell in zip(header, row_cells, strict=True)}
                entry = _row(_Row(line, values, problems, columns), today)
                if values["id"] in seen:
                    message = f"{values['id']!r} is already used on line {seen[values['id']]}"
                    problems.append(Problem(line, "id", message, columns=columns))
                seen.setdefault(values["id"], line)
                if entry is not None:
                    entries.append(entry)
        line = reader.line_num + 1
    result = Entries(
        services=tuple(e for e in entries if isinstance(e, Service)),
        spocs=tuple(e for e in entries if isinstance(e, Spoc)),
    )
    _check_spocs(result.spocs, problems, columns)
    return result, problems


def _check_spocs(spocs: tuple[Spoc, ...], problems: list[Problem], columns: tuple[str, ...]) -> None:
    first: dict[str, int] = {}
    for spoc in spocs:
        if spoc.boroughs:
            if spoc.borough in first:
                message = f"{spoc.borough} already has a spoc row on line {first[spoc.borough]}"
                problems.append(Problem(spoc.line, "boroughs", message, columns=columns))
            first.setdefault(spoc.borough, spoc.line)


def validate(data: bytes, today: dt.date | None = None) -> tuple[Entries, list[Problem]]:
    """Parse CSV bytes; raise InvalidData if any problem is an error, else return the warnings too."""
    entries, problems = parse(data, today)
    if any(not p.warning for p in problems):
        raise InvalidData(problems)
    return entries, problems


def load(path: Path, today: dt.date | None = None) -> tuple[Entries, list[Problem]]:
    return validate(Path(path).read_bytes(), today)
