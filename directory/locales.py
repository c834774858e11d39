"""What the pages need of each language's CLDR data, kept in a small table (locales.json) so that a
worker never loads Babel's own: Babel unpickles a language's whole CLDR data (and its parents') on
first use, 13.8 MB for the ten languages, for the direction of writing, the names of the days and
months, how a long date and a list are written.

The table is made from Babel (`make locales` writes it; a test checks it is still
what Babel says, and that dates and lists come out as Babel writes them). The names of the
languages entries speak depend on the data, so the build writes those (`language_names`).

Keyed by the locale names of i18n.KNOWN ("pt_BR"), plus "en_GB" for English dates and lists.
"""

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

PATH = Path(__file__).with_name("locales.json")
# The fields of a long date pattern this module writes; a pattern with others (a weekday, an era)
# is refused when the table is made, rather than written wrong.
DATE_FIELDS = {"d", "M", "MMMM", "y"}


def from_babel(names: Iterable[str]) -> dict:
    """The table for these locales, from Babel's CLDR data (loads it: only for making the table)."""
    from babel import Locale
    from babel.dates import get_day_names, get_month_names, parse_pattern

    table = {}
    for name in names:
        locale = Locale.parse(name)
        pattern = parse_pattern(locale.date_formats["long"].pattern)
        unknown = set(_fields(pattern.format)) - DATE_FIELDS
        if unknown:
            raise ValueError(f"{name}'s long date has fields this module cannot write: {sorted(unknown)}")
        days = get_day_names("wide", locale=locale)
        months = get_month_names("wide", locale=locale)
        table[name] = {
            "direction": locale.text_direction,
            "days": [days[i] for i in range(7)],  # 0 is Monday, as in hours.DAYS
            "months": [months[i] for i in range(1, 13)],
            "long_date": pattern.format,
            "list": {k: locale.list_patterns["standard"][k] for k in ("2", "start", "middle", "end")},
        }
    return table


def _fields(format_string: str) -> list[str]:
    class Recorder(dict):
        def __missing__(self, key):
            seen.append(key)
            return ""

    seen: list[str] = []
    format_string % Recorder()
    return seen


def write_table(names: Iterable[str], path: Path = PATH) -> None:
    path.write_text(json.dumps(from_babel(names), ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")


@functools.cache
def table() -> Mapping[str, dict]:
    return json.loads(PATH.read_text("utf-8"))


def direction(locale: str) -> str:
    """ "rtl" or "ltr"."""
    return table()[locale]["direction"]


def day_names(locale: str) -> list[str]:
    """Monday first."""
    return table()[locale]["days"]


def long_date(day: dt.date, locale: str) -> str:
    """Babel's format_date(day, "long"): "22 November 2026", "2026年11月22日"."""
    facts = table()[locale]
    fields = {"d": day.day, "M": day.month, "MMMM": facts["months"][day.month - 1], "y": day.year}
    return facts["long_date"] % fields


def join(items: list[str], locale: str) -> str:
    """Babel's format_list(items): "a, b and c", "a、b和c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    patterns = table()[locale]["list"]
    if len(items) == 2:
        return patterns["2"].format(*items)
    joined = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        joined = patterns["middle"].format(joined, item)
    return patterns["end"].format(joined, items[-1])


def language_names(codes: Iterable[str], locales: Iterable[str]) -> list[dict]:
    """Rows (code, locale, name) naming each language code from the data ("pt-BR") in each locale
    ("Portuguese (Brazil)", "Portugais (Brésil)"): written by the build; a code Babel does not know
    is named by itself."""
    from babel import Locale, UnknownLocaleError

    locales = [Locale.parse(name) for name in locales]
    rows = []
    for code in sorted(set(codes)):
        try:
            language = Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            language = None
        for locale in locales:
            name = (language.get_display_name(locale) if language else None) or code
            rows.append({"code": code, "locale": str(locale), "name": name})
    return rows
