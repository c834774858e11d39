"""Open data, written into each build: the CSV as published and an HSDS 3.0-shaped JSON document.

The shape follows the Human Services Data Specification 3.0 (Open Referral; Open Referral UK uses
the same objects): each service nests its organization, phones, schedules, languages, service areas
and locations, and `assured_date` is the day a person last checked it. What HSDS has no field for
(who a service serves, its relationship with the police, the police contacts) sits under `x_directory`
and `x_police_contacts`. docs/open-data.md documents the fields and docs/open-data.schema.json the
shape, which the tests check.
"""

import csv
import functools
import hashlib
import io
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator

from babel import Locale, UnknownLocaleError

from . import reference
from .records import Entries, Entry, Service, Spoc

CSV_NAME = "agencies.csv"
JSON_NAME = "services.json"
# The compilation is ours to license; each fact's own source is named in its row.
LICENCE = {
    "name": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

# HSDS wants UUIDs. uuid5 of our stable ids gives the same UUID in every build, so others can link.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "london-sex-work-directory")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) etc.). Some
# also skip leading spaces before the sign, and some read the fullwidth signs an East Asian keyboard
# types (＝＋－＠) as the ASCII ones, so both count.
_FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_START = (*_FORMULA_SIGNS, "\t", "\r", "\n")
# What a spreadsheet may skip before it looks for the sign: spaces of every width and line breaks.
_SKIPPED = " \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def spreadsheet_safe(value: str) -> str:
    """Make a cell inert in Excel, LibreOffice and Google Sheets: a leading apostrophe shows as text."""
    if value.startswith(_FORMULA_START) or value.lstrip(_SKIPPED).startswith(_FORMULA_SIGNS):
        return "'" + value
    return value


def csv_bytes(text: str) -> bytes:
    """The validated CSV text re-written with every cell made safe to open in a spreadsheet."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue().encode("utf-8")


# uuid5 is SHA-1 of the namespace's bytes then the name: the namespace is hashed once here, and the
# UUID's version and variant bits set on the digest directly (uuid.uuid5 and str(UUID) cost more
# than the rest of the open data; a service has some 17 ids). tests/test_export.py checks it against
# uuid.uuid5.
_NAMESPACE_SHA1 = hashlib.sha1(_NAMESPACE.bytes, usedforsecurity=False)


def _id(*parts: str) -> str:
    sha = _NAMESPACE_SHA1.copy()
    sha.update("/".join(parts).encode("utf-8"))
    b = bytearray(sha.digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50  # version 5
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _or_none(value: str) -> str | None:
    return value or None


def _present(**fields: str) -> dict:
    """Only the fields that have a value. HSDS types these fields as strings: an unknown value is
    left out, never written as `null` (which the HSDS schema refuses) or as an empty string."""
    return {key: value for key, value in fields.items() if value}


# HSDS requires a description for every taxonomy term. These say what each of the directory's
# categories holds (English only: the open data is for developers, the site translates the names).
CATEGORY_DESCRIPTIONS = {
    "sexual-health": "Sexual health clinics and general health care: testing, treatment and contraception.",
    "sexual-violence": "Help after rape or sexual violence: crisis lines, advocates and counselling.",
    "anonymous-reporting": "Ways to report violence or a dangerous person without the police, and safety alerts.",
    "domestic-abuse": "Help for people experiencing domestic abuse: helplines, advocates and refuges.",
    "trafficking": "Help for people who have been trafficked or are in modern slavery.",
    "legal": "Free or low-cost legal advice.",
    "immigration": "Immigration advice and support for migrants, whatever their status.",
    "drugs-alcohol": "Help with drug and alcohol use, including harm reduction.",
    "mental-health": "Mental health support and counselling.",
    "housing": "Help with housing and homelessness.",
    "peer-support": "Groups and projects led by sex workers, and peer support.",
    "exiting": "Support for people who want to leave sex work.",
}


@functools.cache  # a few languages, named again by every service that speaks them
def _language_entry(code: str) -> tuple[str, str]:
    try:
        name = Locale.parse(code.replace("-", "_")).english_name
    except (ValueError, UnknownLocaleError):
        name = code
    return _id("language", code), name


def _language(code: str) -> dict:
    language_id, name = _language_entry(code)
    return {"id": language_id, "name": name, "code": code}


def _area_name(slug: str) -> str:
    if slug == "london":
        return "London"
    if slug == "national":
        return "United Kingdom"
    return reference.AREA_BY_SLUG[slug].name


def _service_areas(entry: Service) -> list[dict]:
    areas = []
    for slug in entry.boroughs:
        area = {"id": _id(entry.id, "area", slug), "service_id": _id(entry.id), "name": _area_name(slug)}
        if slug in reference.AREA_BY_SLUG:
            # The borough's GSS code, as used by ONS, so the area joins to other public data. No
            # `extent` (a polygon) is given, so no `extent_type` either.
            area["uri"] = f"http://statistics.data.gov.uk/id/statistical-geography/{reference.AREA_BY_SLUG[slug].gss}"
        areas.append(area)
    return areas


def _schedules(entry: Entry) -> list[dict]:
    service_id = _id(entry.id)
    if entry.hours.always:
        return [
            {
                "id": _id(entry.id, "schedule", "always"),
                "service_id": service_id,
                "freq": "WEEKLY",
                "byday": ",".join(_DAYS),
                "opens_at": "00:00",
                "closes_at": "23:59",
                "description": "Open 24 hours a day, every day.",
            }
        ]
    schedules = []
    for day, spans in zip(_DAYS, entry.hours.days, strict=True):
        for start, end in spans:
            schedules.append(
                {
                    "id": _id(entry.id, "schedule", day, start),
                    "service_id": service_id,
                    "freq": "WEEKLY",
                    "byday": day,
                    "opens_at": start,
                    "closes_at": end,  # earlier than opens_at when it runs past midnight
                }
            )
    if schedules and entry.hours_notes:
        schedules[0]["notes"] = entry.hours_notes
    return schedules


def _phones(entry: Entry) -> list[dict]:
    return [
        {"id": _id(entry.id, "phone", p.dial), "service_id": _id(entry.id), "number": p.display, "type": "voice"}
        for p in entry.phones
    ]


def _locations(entry: Service) -> list[dict]:
    if not (entry.address or entry.postcode):
        return []
    location_id = _id(entry.id, "location")
    address = {
        "id": _id(entry.id, "address"),
        "location_id": location_id,
        "address_1": entry.address,
        "city": "London",
        "state_province": "",
        "postal_code": entry.postcode,
        "country": "GB",
        "address_type": "physical",
    }
    location = {"id": location_id, "location_type": "physical", "name": entry.name, "addresses": [address]}
    return [{"id": _id(entry.id, "at", "location"), "service_id": _id(entry.id), "location": location}]


def _service(entry: Service, page_url: str) -> dict:
    service_id = _id(entry.id)
    return {
        "id": service_id,
        "organization_id": _id(entry.id, "organization"),
        "name": entry.name,
        "description": entry.description,
        **_present(url=entry.website, email=entry.email),
        "status": "active",
        **_present(eligibility_description=entry.eligibility),
        "assured_date": entry.last_verified.isoformat(),
        "organization": {
            "id": _id(entry.id, "organization"),
            "name": entry.name,
            "description": entry.description,
            **_present(website=entry.website, email=entry.email),
        },
        "phones": _phones(entry),
        "schedules": _schedules(entry),
        "languages": [_language(code) for code in entry.languages],
        "service_areas": _service_areas(entry),
        "service_at_locations": _locations(entry),
        "attributes": [
            {
                "id": _id(entry.id, "category", slug),
                "link_id": service_id,
                "link_type": "category",
                "link_entity": "service",
                "taxonomy_term_id": _id("category", slug),
                "taxonomy_term": {
                    "id": _id("category", slug),
                    "code": slug,
                    "name": reference.CATEGORIES[slug],
                    "description": CATEGORY_DESCRIPTIONS[slug],
                },
            }
            for slug in entry.categories
        ],
        "x_directory": {
            "id": entry.id,
            "page": page_url.format(id=entry.id),
            "source_url": entry.source_url,
            "sources": list(entry.sources),
            "access": list(entry.access),
            "serves": list(entry.serves),
            "migrants_any_status": entry.migrants_any_status,
            "id_required": entry.id_required,
            "interpreting": entry.interpreting,
            "org_type": list(entry.org_type),
            "independent_of_police": entry.independent_of_police,
            "police_relationship": _or_none(entry.police_relationship),
            "notes": _or_none(entry.notes),
        },
    }


def _spoc(entry: Spoc) -> dict:
    return {
        "id": entry.id,
        "area": reference.AREA_BY_SLUG[entry.borough].name,
        "area_gss": reference.AREA_BY_SLUG[entry.borough].gss,
        "bcu": entry.bcu,
        "status": entry.status,
        "unit": _or_none(entry.unit),
        "phones": [p.display for p in entry.phones],
        "email": _or_none(entry.email),
        "response_time": _or_none(entry.response_time),
        "third_party_contact": entry.third_party_contact,
        "neutral_meeting": entry.neutral_meeting,
        "backup_contact": _or_none(entry.backup_contact),
        "notes": _or_none(entry.notes),
        "source_url": entry.source_url,
        "sources": list(entry.sources),
        "assured_date": entry.last_verified.isoformat(),
    }


def _header(built_at: str) -> dict:
    return {
        "title": "London sex work support directory",
        "hsds_version": "3.0",
        "generated_at": built_at,
        "licence": LICENCE,
        "columns_documented_at": "data/README.md",
    }


def hsds(entries: Entries, built_at: str, page_url: str = "/en/service/{id}") -> dict:
    """The whole document (`hsds_text` writes the same as JSON, a service at a time)."""
    return {
        **_header(built_at),
        "services": [_service(e, page_url) for e in entries.services],
        "x_police_contacts": [_spoc(e) for e in entries.spocs],
    }


def hsds_text(entries: Entries, built_at: str, page_url: str = "/en/service/{id}", batch: int = 500) -> Iterator[str]:
    """`hsds(...)` as JSON text, in pieces of `batch` services: one service (one police contact) per
    line, so the file reads and diffs line by line. Made a service at a time, so the build never holds
    the whole document (a few GB at 100,000 entries), and by json's C encoder (indenting every level,
    as before, ran Python's own encoder: most of the open data's time)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    yield "{\n" + "".join(f"{dumps(key)}: {dumps(value)},\n" for key, value in _header(built_at).items())
    for key, items in (
        ("services", (_service(e, page_url) for e in entries.services)),
        ("x_police_contacts", (_spoc(e) for e in entries.spocs)),
    ):
        yield f"{dumps(key)}: ["
        first = True
        for chunk in _batched(items, batch):
            yield ("\n" if first else ",\n") + ",\n".join(map(dumps, chunk))
            first = False
        yield "]" if first else "\n]"
        yield ",\n" if key == "services" else "\n}\n"


def _batched(items: Iterable, size: int) -> Iterator[tuple]:
    """Tuples of `size` items (itertools.batched from Python 3.12)."""
    iterator = iter(items)
    while chunk := tuple(itertools.islice(iterator, size)):
        yield chunk
