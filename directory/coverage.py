"""How complete the services' entries are: per column, how many services fill it in, and which
services give people no way to contact them. `flask check` prints it for admins."""

from dataclasses import dataclass

from .problems import Problem
from .records import COLUMNS, Service

# Whether a service has each optional detail. A three-valued fact counts once it is known.
DETAILS = {
    "phone": lambda s: bool(s.phones),
    "email": lambda s: bool(s.email),
    "address": lambda s: bool(s.address),
    "postcode": lambda s: bool(s.postcode),
    "website": lambda s: bool(s.website),
    "opening_hours": lambda s: not s.hours.is_empty(),
    "hours_notes": lambda s: bool(s.hours_notes),
    "languages": lambda s: bool(s.languages),
    "interpreting": lambda s: s.interpreting != "unknown",
    "id_required": lambda s: s.id_required != "unknown",
    "migrants_any_status": lambda s: s.migrants_any_status != "unknown",
    "independent_of_police": lambda s: s.independent_of_police != "unknown",
    "police_relationship": lambda s: bool(s.police_relationship),
    "serves": lambda s: bool(s.serves),
    "eligibility": lambda s: bool(s.eligibility),
}
CONTACT_ROUTES = ("phone", "email", "address")


@dataclass(frozen=True)
class Coverage:
    total: int
    counts: dict[str, int]  # column -> services that fill it
    unreachable: tuple[Service, ...]  # no phone, email or address


def measure(services: tuple[Service, ...]) -> Coverage:
    return Coverage(
        total=len(services),
        counts={column: sum(map(has, services)) for column, has in DETAILS.items()},
        unreachable=tuple(s for s in services if not any(DETAILS[c](s) for c in CONTACT_ROUTES)),
    )


def warnings(coverage: Coverage) -> list[Problem]:
    """One warning per service with no contact route: the entry tells people about help they cannot reach."""
    return [
        Problem(
            service.line,
            "phone",
            f"{service.id} has no phone, email or address: people have no way to contact it. "
            "Add one if its own pages publish one, with that page in source_url",
            warning=True,
            columns=tuple(COLUMNS),
        )
        for service in coverage.unreachable
    ]


def lines(coverage: Coverage) -> list[str]:
    """The report as plain lines, widest column first so figures line up."""
    if not coverage.total:
        return []
    width = max(map(len, coverage.counts))
    out = [f"How many of the {coverage.total} services have each detail:"]
    for column, count in coverage.counts.items():
        out.append(f"  {column.ljust(width)}  {count:>3} of {coverage.total} ({count * 100 // coverage.total}%)")
    if coverage.unreachable:
        names = ", ".join(s.id for s in coverage.unreachable)
        out.append(f"  No phone, email or address (no way to contact them): {len(coverage.unreachable)}: {names}")
    else:
        out.append("  Every service has a phone, email or address.")
    return out
