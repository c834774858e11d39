"""Reference data that changes rarely: London's areas, police units and the service taxonomy.

Labels are English; `N_` marks them for extraction into the message catalogues without importing
flask here, and templates translate them with `_()` at render time.
"""

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a string for translation without translating it (gettext's no-op marker)."""
    return message


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    gss: str  # ONS local authority code, the key the ONS Postcode Directory uses
    bcu: str


@dataclass(frozen=True)
class Bcu:
    slug: str
    name: str


# Metropolitan Police Basic Command Units (2019 onwards), plus the City's own force.
BCUS = (
    Bcu("central-west", N_("Central West")),
    Bcu("central-north", N_("Central North")),
    Bcu("central-east", N_("Central East")),
    Bcu("central-south", N_("Central South")),
    Bcu("north", N_("North Area")),
    Bcu("north-east", N_("North East")),
    Bcu("north-west", N_("North West")),
    Bcu("east", N_("East Area")),
    Bcu("south", N_("South Area")),
    Bcu("south-east", N_("South East")),
    Bcu("south-west", N_("South West")),
    Bcu("west", N_("West Area")),
    Bcu("city-of-london-police", N_("City of London Police")),
)
BCU_BY_SLUG = {b.slug: b for b in BCUS}

# The 32 boroughs and the City of London. Place names are not translated.
AREAS = (
    Area("city-of-london", "City of London", "E09000001", "city-of-london-police"),
    Area("barking-and-dagenham", "Barking and Dagenham", "E09000002", "east"),
    Area("barnet", "Barnet", "E09000003", "north-west"),
    Area("bexley", "Bexley", "E09000004", "south-east"),
    Area("brent", "Brent", "E09000005", "north-west"),
    Area("bromley", "Bromley", "E09000006", "south"),
    Area("camden", "Camden", "E09000007", "central-north"),
    Area("croydon", "Croydon", "E09000008", "south"),
    Area("ealing", "Ealing", "E09000009", "west"),
    Area("enfield", "Enfield", "E09000010", "north"),
    Area("greenwich", "Greenwich", "E09000011", "south-east"),
    Area("hackney", "Hackney", "E09000012", "central-east"),
    Area("hammersmith-and-fulham", "Hammersmith and Fulham", "E09000013", "central-west"),
    Area("haringey", "Haringey", "E09000014", "north"),
    Area("harrow", "Harrow", "E09000015", "north-west"),
    Area("havering", "Havering", "E09000016", "east"),
    Area("hillingdon", "Hillingdon", "E09000017", "west"),
    Area("hounslow", "Hounslow", "E09000018", "west"),
    Area("islington", "Islington", "E09000019", "central-north"),
    Area("kensington-and-chelsea", "Kensington and Chelsea", "E09000020", "central-west"),
    Area("kingston-upon-thames", "Kingston upon Thames", "E09000021", "south-west"),
    Area("lambeth", "Lambeth", "E09000022", "central-south"),
    Area("lewisham", "Lewisham", "E09000023", "south-east"),
    Area("merton", "Merton", "E09000024", "south-west"),
    Area("newham", "Newham", "E09000025", "north-east"),
    Area("redbridge", "Redbridge", "E09000026", "east"),
    Area("richmond-upon-thames", "Richmond upon Thames", "E09000027", "south-west"),
    Area("southwark", "Southwark", "E09000028", "central-south"),
    Area("sutton", "Sutton", "E09000029", "south"),
    Area("tower-hamlets", "Tower Hamlets", "E09000030", "central-east"),
    Area("waltham-forest", "Waltham Forest", "E09000031", "north-east"),
    Area("wandsworth", "Wandsworth", "E09000032", "south-west"),
    Area("westminster", "Westminster", "E09000033", "central-west"),
)
AREA_BY_SLUG = {a.slug: a for a in AREAS}

# The borough index and pickers: A to Z. People know their borough, not its police command unit.
AREAS_A_Z = tuple(sorted(AREAS, key=lambda a: a.name))

# [(bcu, (area, ...)), ...]: the search form's borough filter, in BCU order then by name.
AREAS_BY_BCU = tuple(
    (bcu, tuple(sorted((a for a in AREAS if a.bcu == bcu.slug), key=lambda a: a.name))) for bcu in BCUS
)

# A service's reach may also be all of London or the whole country.
WIDE_AREAS = {"london": N_("All of London"), "national": N_("National (UK-wide)")}

# The taxonomy from shared/research/users-and-needs.md, in the order the home page shows it.
CATEGORIES = {
    "sexual-health": N_("Sexual and general health"),
    "sexual-violence": N_("Rape and sexual violence"),
    "anonymous-reporting": N_("Anonymous reporting and safety alerts"),
    "domestic-abuse": N_("Domestic abuse"),
    "trafficking": N_("Trafficking and modern slavery"),
    "legal": N_("Legal advice"),
    "immigration": N_("Immigration and migrant rights"),
    "drugs-alcohol": N_("Drugs and alcohol"),
    "mental-health": N_("Mental health and counselling"),
    "housing": N_("Housing and homelessness"),
    "peer-support": N_("Sex-worker-led and peer groups"),
    "exiting": N_("Support to leave sex work"),
}

ACCESS = {
    "drop-in": N_("Drop-in"),
    "appointment": N_("By appointment"),
    "outreach": N_("Outreach"),
    "phone": N_("Phone"),
    "online": N_("Online"),
}

ORG_TYPES = {
    "sex-worker-led": N_("Sex-worker-led"),
    "nhs": N_("NHS or health service"),
    "charity": N_("Charity"),
    "faith-based": N_("Faith-based"),
    "exit-focused": N_("Exit-focused"),
    "statutory": N_("Statutory service"),
}

SERVES = {
    "women": N_("Women"),
    "men": N_("Men"),
    "trans": N_("Trans people"),
    "non-binary": N_("Non-binary people"),
}

# Three-valued answers: an admin who does not know must be able to say so.
TRISTATE = {"yes": N_("Yes"), "no": N_("No"), "unknown": N_("Not known")}

SPOC_STATUSES = {
    "published": N_("Published"),
    "none-published": N_("No contact published"),
}
