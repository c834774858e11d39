"""Read `data/agencies.csv` into frozen records, reporting every problem with its line and column.

One file holds both kinds of entry (`service` and `spoc`) so admins keep a single spreadsheet.
Columns, what each means and which kind uses it are documented for admins in `data/README.md`.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from babel import Locale, UnknownLocaleError
from phonenumbers import shortnumberinfo

from . import hours, reference

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
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


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
class Problem:
    line: int
    column: str  # a column name, or "" for the whole row or file
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column in COLUMNS:
            where += f", column {self.column} ({_letter(COLUMNS.index(self.column))})"
        elif self.column:
            where += f", column {self.column}"
        return f"{'warning' if self.warning else 'error'}: {where}: {self.message}"


class InvalidData(Exception):
    """The CSV has errors; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _letter(index: int) -> str:
    """Spreadsheet column letter (0 -> A, 26 -> AA), so admins can find a cell."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def parse_phone(text: str) -> Phone:
    """Check a UK number (or a short code like 999) and make its `tel:` form; raise ValueError."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a phone number") from None
    if shortnumberinfo.is_valid_short_number(number):
        return Phone(text, str(number.national_number))
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{text!r} is not a valid UK phone number")
    return Phone(text, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def check_url(text: str) -> None:
    """Accept only absolute http(s) links with a host: no `javascript:`, `data:` or relative paths."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not _HOST.match(parts.hostname or ""):
        raise ValueError(f"{text!r} is not a web address starting with https:// or http://")
    if any(ch.isspace() for ch in text):
        raise ValueError(f"{text!r} contains spaces")


class _Row:
    """One CSV row being checked: collects problems instead of stopping at the first."""

    def __init__(self, line: int, values: dict[str, str], problems: list[Problem]):
        self.line, self.values, self.problems = line, values, problems

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def choice(self, column: str, allowed: dict, default: str = "") -> str:
        value = self.text(column)
        if not value:
            return default
        if value not in allowed:
            self.error(column, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def choices(self, column: str, allowed) -> tuple[str, ...]:
        values = _split(self.text(column))
        for value in values:
            if value not in allowed:
                self.error(column, f"{value!r} is not one of: {', '.join(allowed)}")
        if len(set(values)) != len(values):
            self.error(column, "lists the same value twice")
        return values

    def checked(self, column: str, check) -> str:
        value = self.text(column)
        if value:
            try:
                check(value)
            except ValueError as exc:
                self.error(column, str(exc))
        return value


def _check_email(text: str) -> None:
    if not _EMAIL.match(text):
        raise ValueError(f"{text!r} is not an email address")


def _languages(row: _Row) -> tuple[str, ...]:
    codes = _split(row.text("languages"))
    for code in codes:
        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            row.error("languages", f"{code!r} is not a language code (use codes like en, pt-BR, ro)")
    return codes


def _common(row: _Row, today: dt.date) -> dict:
    values = row.values
    boroughs = _split(values["boroughs"])
    allowed = {**reference.AREA_BY_SLUG, **reference.WIDE_AREAS}
    for slug in boroughs:
        if slug not in allowed:
            row.error("boroughs", f"unknown borough {slug!r} (see the list in data/README.md)")
    if len(boroughs) > 1 and set(boroughs) & set(reference.WIDE_AREAS):
        row.error("boroughs", "use 'london' or 'national' alone, not with boroughs")
    phones = []
    for text in _split(values["phone"]):
        try:
            phones.append(parse_phone(text))
        except ValueError as exc:
            row.error("phone", str(exc))
    try:
        week = hours.parse(values["opening_hours"])
    except ValueError as exc:
        row.error("opening_hours", str(exc))
        week = hours.EMPTY
    sources = _split(values["source_url"])
    for url in sources:
        try:
            check_url(url)
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
                row.problems.append(
                    Problem(row.line, "last_verified", f"not verified since {verified}: please re-check", True)
                )
    return dict(
        id=values["id"],
        kind=values["kind"],
        name=values["name"],
        boroughs=boroughs,
        phones=tuple(phones),
        email=row.checked("email", _check_email),
        website=row.checked("website", check_url),
        hours=week,
        hours_notes=values["hours_notes"],
        notes=values["notes"],
        source_url=sources[0] if sources else "",
        last_verified=verified,
        line=row.line,
        sources=sources,
    )


def _service(row: _Row, common: dict) -> Service:
    postcode = row.text("postcode").upper()
    match = _POSTCODE.match(postcode)
    if postcode and not match:
        row.error("postcode", f"{postcode!r} is not a UK postcode")
    return Service(
        **common,
        categories=row.choices("categories", reference.CATEGORIES),
        description=row.text("description"),
        address=row.text("address"),
        postcode=" ".join(match.groups()) if match else postcode,
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
    bcu = row.text("bcu") or (area.bcu if area else "")
    if area and bcu != area.bcu:
        row.error("bcu", f"{area.name} is in BCU {area.bcu!r}, not {bcu!r}")
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


def _row(line: int, values: dict[str, str], problems: list[Problem], today: dt.date) -> Entry | None:
    row = _Row(line, values, problems)
    kind = values["kind"]
    if kind not in KINDS:
        row.error("kind", f"{kind!r} is not one of: {', '.join(KINDS)}")
        return None
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


def parse(data: bytes, today: dt.date | None = None) -> tuple[list[Entry], list[Problem]]:
    """Parse CSV bytes into entries plus every problem found (errors and warnings)."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    text = _decode(data, problems)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        return [], [Problem(1, "", f"cannot read the header row: {exc}")]
    for name in header:
        if name not in COLUMNS:
            problems.append(Problem(1, name, "unexpected column (see data/README.md for the columns)"))
    for name in COLUMNS:
        if name not in header:
            problems.append(Problem(1, name, "column is missing from the header row"))
    if len(set(header)) != len(header):
        problems.append(Problem(1, "", "the header row names a column twice"))
    if problems:
        return [], problems

    entries: list[Entry] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(line, "", f"cannot read this row: {exc}"))
            break
        if any(cell.strip() for cell in cells):
            if len(cells) != len(header):
                problems.append(Problem(line, "", f"has {len(cells)} cells; the header has {len(header)}"))
            else:
                values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
                entry = _row(line, values, problems, today)
                if values["id"] in seen:
                    message = f"{values['id']!r} is already used on line {seen[values['id']]}"
                    problems.append(Problem(line, "id", message))
                seen.setdefault(values["id"], line)
                if entry is not None:
                    entries.append(entry)
        line = reader.line_num + 1
    _check_spocs(entries, problems)
    return entries, problems


def _check_spocs(entries: list[Entry], problems: list[Problem]) -> None:
    first: dict[str, int] = {}
    for entry in entries:
        if isinstance(entry, Spoc) and entry.boroughs:
            if entry.borough in first:
                message = f"{entry.borough} already has a spoc row on line {first[entry.borough]}"
                problems.append(Problem(entry.line, "boroughs", message))
            first.setdefault(entry.borough, entry.line)


def validate(data: bytes, today: dt.date | None = None) -> tuple[list[Entry], list[Problem]]:
    """Parse CSV bytes; raise InvalidData if any problem is an error, else return the warnings too."""
    entries, problems = parse(data, today)
    if any(not p.warning for p in problems):
        raise InvalidData(problems)
    return entries, problems


def load(path: Path, today: dt.date | None = None) -> tuple[list[Entry], list[Problem]]:
    return validate(Path(path).read_bytes(), today)
