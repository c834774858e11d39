"""Languages: the code in the URL, the Babel locale behind it and each language's own name; how
dates and lists are written in each; entries' own text made safe to show in either direction."""

import datetime as dt
import re
from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from . import locales

# URL code -> (Babel locale, the language's name in itself). Order is the switcher's order.
KNOWN = {
    "en": ("en", "English"),
    "pt": ("pt_BR", "Português (Brasil)"),
    "ro": ("ro", "Română"),
    "bg": ("bg", "Български"),
    "zh": ("zh_Hans_CN", "中文（简体）"),
    "es": ("es", "Español"),
    "pl": ("pl", "Polski"),
    "hu": ("hu", "Magyar"),
    "bn": ("bn", "বাংলা"),
    "ar": ("ar", "العربية"),
}
DEFAULT = "en"


def served() -> list[str]:
    return [code for code in KNOWN if code in current_app.config["LANGUAGES"]]


def current() -> str:
    """The page's language: from the URL, or from the path's first segment on error pages."""
    lang = g.get("lang")
    if lang:
        return lang
    first = request.path.strip("/").split("/", 1)[0] if request else ""
    return first if first in served() else DEFAULT


def select_locale() -> str:
    return KNOWN[current()][0]


def best_for_request() -> str:
    """The served language the browser prefers most (only used to redirect the bare `/`)."""
    offered = served()
    # Accept-Language says `pt-BR` or `zh-CN`; match on the primary subtag our URLs use.
    for value, _quality in request.accept_languages:
        primary = value.split("-")[0].lower()
        if primary in offered:
            return primary
    return DEFAULT


def html_lang(code: str) -> str:
    """BCP 47 tag for `<html lang>` and hreflang: pt_BR -> pt-BR, zh_Hans_CN -> zh-Hans-CN."""
    return KNOWN[code][0].replace("_", "-")


# Dates and lists are written the British way on the English pages ("22 November 2026", "a, b and
# c"), as GOV.UK and the NHS write them: Babel's plain "en" is American ("November 22, 2026").
FORMAT_LOCALE = {"en": "en_GB"}


def babel_locales() -> list[str]:
    """Every Babel locale the pages write in (locales.json holds their CLDR facts)."""
    return [*(name for name, _own in KNOWN.values()), *FORMAT_LOCALE.values()]


def locale_name() -> str:
    """The Babel locale of the page, or of the part being written (a card's English side)."""
    return str(get_locale())


def _format_locale() -> str:
    name = locale_name()
    return FORMAT_LOCALE.get(name, name)


def direction() -> str:
    """ "rtl" or "ltr", for the page or the part being written."""
    return locales.direction(locale_name())


def long_date(day: dt.date) -> str:
    """A date in words, the page language's way: "22 November 2026", "2026年11月22日"."""
    return locales.long_date(day, _format_locale())


def list_format(items: list[str]) -> Markup:
    """Items joined the page language's way: "a, b and c", "a و b", "a、b和c". Each item is isolated
    (<bdi>), so that in Arabic English names keep their places ("Hackney وTower Hamlets" read right
    to left, not shuffled) and their own punctuation ("LGBT+", not "+LGBT")."""
    if not items:
        return Markup("")
    isolated = [str(Markup("<bdi>%s</bdi>") % item) for item in items]
    # CLDR's patterns hold only words and punctuation; each item was escaped just above.
    return Markup(locales.join(isolated, _format_locale()))  # nosec B704


def values_list(items: list[str]) -> Markup:
    """Labels joined as a list inside a sentence: capitals only where the list starts ("Drop-in and
    outreach", "Със записан час и работа на терен"). An abbreviation keeps its capitals ("NHS")."""
    items = list(items)
    lowered = [items[0], *(_lower_first(item) for item in items[1:])] if items else []
    return list_format(lowered)


def _lower_first(label: str) -> str:
    if len(label) > 1 and label[1].isupper():  # "NHS or health service" stays as it is
        return label
    return label[:1].lower() + label[1:]


# A web address written into an entry's text ("quoted in a 2016 article: http://..."); ends before
# trailing punctuation.
_URL = re.compile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)\]’”])")


def prose(text: str) -> Markup:
    """An entry's own text as HTML: a web address in it becomes a link named by its site, so no long raw
    address runs off a phone's screen, and on a right-to-left page its Latin runs are isolated."""
    parts = _URL.split(text or "")  # odd items are the addresses
    return Markup("").join(_link(part) if i % 2 else isolated(part) for i, part in enumerate(parts))


def _link(url: str) -> Markup:
    site = urlsplit(url).hostname or url
    site = site.removeprefix("www.")
    return Markup('<a href="%s" rel="noreferrer" dir="ltr">%s</a>') % (url, site)


# A run of Latin letters, digits and the punctuation inside names, codes and times: "King's College
# Hospital", "(LGBT+)", "FOI.23.033350.01", "08:00–18:00".
_LATIN_RUN = re.compile(r"([A-Za-z0-9(][A-Za-z0-9'’+.,&/:()\-– ]*[A-Za-z0-9+)]|[A-Za-z0-9])")


def isolated(text: str) -> Markup:
    """Text on a right-to-left page, its Latin runs kept left to right (<bdi dir="ltr">): otherwise
    Arabic shows "(+LGBT)" and turns "08:00–18:00" into "18:00–08:00". Only escaped elsewhere."""
    if not text or direction() != "rtl":
        return escape(text)
    parts = _LATIN_RUN.split(text)  # odd items are the runs
    return Markup("").join(
        Markup('<bdi dir="ltr">%s</bdi>') % part if i % 2 else escape(part) for i, part in enumerate(parts)
    )


def _translations():
    """This request's catalogue, looked up once per locale: flask-babel looks it up again for every
    message (several context lookups and the locale's name each time), about a hundred times a page.
    Kept with the locale it is for, so `force_locale` (a card's English side) still gets its own."""
    locale = get_locale()
    kept = g.get("_translations")
    if kept is None or kept[0] is not locale:
        kept = g._translations = (locale, get_translations())
    return kept[1]


def install_gettext(app) -> None:
    """The templates' _(), ngettext() and pgettext() through `_translations` (after flask-babel's
    own set-up, which this replaces)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def template_gettext() -> dict:
    """The templates' _(), gettext(), ngettext(), pgettext() and npgettext() bound to the catalogue of
    one render, given to it by views.page_globals. Jinja's own (`install_gettext`) look the catalogue
    up again for every message and go through three calls each: 15 µs a message, a hundred messages
    a page. These do what Jinja's "newstyle" ones do (jinja2.ext._make_new_gettext): the message
    marked safe when autoescaping, then always %-formatted, which escapes the variables. A test
    renders every form through both and compares."""
    catalogue = _translations()

    def done(eval_ctx, message: str, variables: dict) -> str:
        # Our own catalogue's text, trusted as Jinja trusts it; the variables are escaped by `%`.
        return (Markup(message) if eval_ctx.autoescape else message) % variables  # nosec B704

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables) -> str:
        return done(eval_ctx, catalogue.ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        return done(eval_ctx, catalogue.ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx, context: str, string: str, **variables) -> str:
        variables.setdefault("context", context)
        return done(eval_ctx, catalogue.upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(eval_ctx, context: str, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        return done(eval_ctx, catalogue.unpgettext(context, singular, plural, num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
