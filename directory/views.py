"""The site's pages. Each view reads its arguments, asks the store or the index, and renders."""

import functools
import re
from typing import NamedTuple
from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext, ngettext
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from . import builds, cards, entry_text, export, hours, i18n, locales, postcodes, ranking, reference
from .config import absolute_url
from .search import MAX_QUERY

bp = Blueprint("site", __name__, url_prefix="/<lang>")


@bp.url_value_preprocessor
def take_language(endpoint, values):
    lang = values.pop("lang", None)
    if lang not in i18n.served():
        abort(404)
    g.lang = lang


@bp.url_defaults
def keep_language(endpoint, values):
    values.setdefault("lang", g.get("lang", i18n.DEFAULT))


@bp.app_context_processor
def page_globals():
    lang = i18n.current()
    locale = i18n.locale_name()
    return {
        "lang": lang,
        "text_direction": locales.direction(locale),
        "day_names": locales.day_names(locale),  # 0 is Monday, as in hours.DAYS
        "html_lang": i18n.html_lang(lang),
        "languages": [(code, i18n.KNOWN[code][1], i18n.html_lang(code)) for code in i18n.served()],
        "ref": reference,
        "language_links": language_links,
        "search_filters": search_filters,
        "reach_short": reach_short,
        "status_of": lambda entry: hours.status(entry.hours, hours.now()),
        # An entry's own text in this language, or its English marked as English (entry_text.py).
        "tr": lambda entry, field: _translator().text(entry, field, lang == "en"),
        "untranslated": lambda entry: _translator().untranslated(entry, lang == "en"),
        **i18n.template_gettext(),
    }


def _translator() -> entry_text.Translator:
    return current_app.extensions["directory.entry_text"]


class LanguageLink(NamedTuple):
    code: str
    name: str  # the language's name in itself
    tag: str  # BCP 47, for lang="" and hreflang=""
    switch: str  # this page in the language, with its search, for the language control
    alternate: str | None  # this page's full address in the language (hreflang); None on error pages


def language_links() -> list[LanguageLink]:
    """This page in every served language, for the language control and hreflang, built once a page
    (asked by base.html): with the search the page shows or came from (words, filters, page:
    `g.search_state`, set by the view). Error pages, which must not repeat the address someone
    typed, offer each language's home page and no alternates."""
    error = g.get("error_page") or not request.endpoint or request.view_args is None
    state = g.get("search_state")
    links = []
    for code in i18n.served():
        if error:
            switch, alternate = url_for("site.home", lang=code), None
        else:
            path = url_for(request.endpoint, **dict(request.view_args, lang=code))
            switch, alternate = f"{path}?{state}" if state else path, absolute_url(path)
        links.append(LanguageLink(code, i18n.KNOWN[code][1], i18n.html_lang(code), switch, alternate))
    return links


def search_filters(category: str, area: str) -> Markup:
    """The search form's need and borough menus with the chosen ones marked. Their fifty options are
    the same on every search page in a language, and writing them took a tenth of a search page's
    time: they are rendered once per language and worker, from reference data only."""
    rendered = current_app.extensions.setdefault("directory.search_filters", {})
    locale = i18n.locale_name()
    if locale not in rendered:
        rendered[locale] = str(render_template("_search_filters.html"))
    needs, menu, boroughs = rendered[locale].partition('<select id="borough"')
    # The output of our own template, autoescaped, with known slugs marked.
    return Markup(_choose(needs, category) + menu + _choose(boroughs, area))  # nosec B704


def _choose(options: str, value: str) -> str:
    """A menu's HTML with the option of `value` (a known slug) marked chosen; for "" none is marked,
    and the browser shows the first ("Any need")."""
    if not value:
        return options
    option = f'<option value="{escape(value)}">'
    return options.replace(option, option[:-1] + " selected>", 1)


def reach_short(boroughs: tuple[str, ...], area: str = "") -> Markup:
    """Where a service works, in one line for a list: the borough being looked at (`area`) first, then
    at most two more and how many others ("Hackney, Camden, Islington and 4 more boroughs")."""
    slugs = ([area] if area in boroughs else []) + [slug for slug in boroughs if slug != area]
    names = [area_name(slug) for slug in slugs[:3]]
    if len(boroughs) > 3:
        names.append(ngettext("%(num)d more borough", "%(num)d more boroughs", len(boroughs) - 3))
    return i18n.list_format(names)


@bp.app_template_filter("label")
def label(slug: str, labels: dict) -> str:
    """A reference-data slug's label, translated (`access|map("label", ref.ACCESS)`)."""
    return gettext(labels[slug])


@bp.app_template_filter("area_name")
def area_name(slug: str) -> str:
    """A borough's name (never translated), or "All of London" / "National (UK-wide)" translated."""
    if slug in reference.WIDE_AREAS:
        return gettext(reference.WIDE_AREAS[slug])
    return reference.AREA_BY_SLUG[slug].name


@bp.app_template_filter("breakable")
def breakable(text: str) -> Markup:
    """A web address that may wrap after its dots and slashes ("www.<wbr>opendoors.<wbr>nhs.uk") rather
    than mid-word, so a narrow phone shows it on two lines without cutting a name in two."""
    return escape(text).replace(".", Markup(".<wbr>")).replace("/", Markup("/<wbr>"))


@bp.app_template_filter("bdi")
def bdi(text: str) -> Markup:
    """A name kept in English inside a translated sentence, isolated so that in Arabic the sentence's
    own punctuation stays on its side ("... في Tower Hamlets." ends with the full stop on the left)."""
    return Markup('<bdi class="name">%s</bdi>') % text


# Dates and lists, the page language's way (i18n.py).
bp.add_app_template_filter(i18n.list_format, "list_format")
bp.add_app_template_filter(i18n.values_list, "values_list")
bp.add_app_template_filter(i18n.long_date, "long_date")
bp.add_app_template_filter(i18n.prose, "prose")


@bp.app_template_filter("language_name")
def language_name(code: str) -> str:
    """A language code from the CSV, named in the page's language (pt-BR -> "Portuguese (Brazil)"): the
    build names each code in each language (locales.language_names)."""
    return _data().store.language_name(code, i18n.locale_name())


def _data():
    return current_app.extensions["directory.current"].get()


NO_STORE = "private, no-store"


def cache_for(seconds: int):
    """For a page that is the same for everyone until the next build: browsers and proxies may keep it
    a few minutes, which spares slow connections a round trip. Not when the address carries a query
    or the form was posted: those can hold what someone searched for or typed, which must not linger
    in a shared browser's cache. Error pages are never kept (abort() skips this)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            response = make_response(view(*args, **kwargs))
            if request.method not in ("GET", "HEAD") or request.args:
                response.headers.setdefault("Cache-Control", NO_STORE)
            elif response.status_code == 200:
                response.headers.setdefault("Cache-Control", f"public, max-age={seconds}")
            return response

        return wrapped

    return decorate


def no_store(view):
    """For a page that answers what someone asked (a search): never kept by a browser or a proxy."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = NO_STORE
        return response

    return wrapped


def _service_or_404(service_id: str):
    """The entry with this id, or a 404 page."""
    entry = _data().store.service(service_id)
    if entry is None:
        abort(404)
    return entry


# A search's arguments, carried from the results to an entry and back ("Back to results") and across the
# language control. Bounded, because a page repeats them in links: the words are cut as the search cuts
# them, the page number clamped, and any other argument (the fact filters) kept only as a short slug.
_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$")


def _search_state() -> str:
    """The search this page shows or was reached from, as a query string ("" when none), bounded as
    the search view bounds it: a page repeats it in links, so it must not echo more than was used."""
    pairs = []
    for key, value in request.args.items(multi=True):
        value = value[:MAX_QUERY].strip()
        if key == "page":
            value = str(_int_arg("page", 1, current_app.config["MAX_PAGE"]))
        if value and (key == "q" or (_SLUG.match(key) and _SLUG.match(value))):
            pairs.append((key, value))
    g.search_state = urlencode(pairs[:20])
    return g.search_state


# Ways to get help or report without going to the police, shown beside every police contact.
ROUTE_CATEGORIES = {"anonymous-reporting", "sexual-violence"}
# A list on a borough page shows at most this many services, most useful first; a link leads to the
# rest through search, a page at a time. London has at most 15 per need and borough today; a directory
# of the whole country would have thousands, too many for a phone (and a worker's memory).
LIST_SHOWN = 20


@bp.get("/")
@cache_for(600)
def home():
    data = _data()
    return render_template(
        "home.html",
        counts=data.store.category_counts(),
        areas=reference.AREAS_A_Z,
        routes=data.store.services_for_area("london", "anonymous-reporting"),
    )


def _int_arg(name: str, default: int, upper: int) -> int:
    try:
        return min(max(int(request.args.get(name, default)), 1), upper)
    except ValueError:
        return default


@bp.get("/search")
@no_store
def search():
    text = request.args.get("q", "")[:MAX_QUERY].strip()
    category = request.args.get("category", "")
    category = category if category in reference.CATEGORIES else ""
    area = request.args.get("borough", "")
    area = area if area in reference.AREA_BY_SLUG else ""
    page = _int_arg("page", 1, current_app.config["MAX_PAGE"])
    data = _data()
    understood = data.index.understand(text, g.lang)
    if understood.postcode:
        return _postcode_answer(understood.postcode, data)
    # A borough typed with the words ("hiv test lambeth", "哈克尼") is the borough filter, shown
    # chosen in the form; one chosen in the form wins.
    area = area or understood.borough
    now = hours.now().astimezone(hours.LONDON).replace(tzinfo=None)
    results = data.index.search(understood, category, area, page, current_app.config["PER_PAGE"], g.lang, now)
    return render_template(
        "search.html",
        q=text,
        category=category,
        area=area,
        results=results,
        services=data.store.services(results.ids),
        crisis=_crisis_lines(data) if understood.crisis else [],
        state=_search_state(),
    )


def _crisis_lines(data) -> list:
    """Lines for someone in despair: services whose only need is mental health and which answer day
    and night (Samaritans and Shout in the shipped data), from the data rather than named here."""
    briefs = sorted(data.store.briefs_for_area("national"), key=lambda b: b.name.casefold())
    return data.store.services([b.id for b in briefs if b.categories == ("mental-health",) and b.hours.always])


def _postcode_answer(code: postcodes.Query, data):
    """A postcode typed into search goes where the finder sends it: the borough's page, or the page
    to choose among the boroughs the postcode district touches; outside London, the finder. Never
    with the postcode in the address (303: the browser then asks with GET)."""
    finding = postcodes.locate(code, data.store)
    return _to_areas(finding.areas) if finding.areas else redirect(url_for(".finder"), 303)


def _to_areas(areas: tuple[str, ...]):
    """The answer to a found postcode (finder or search): a 303 to the borough's page, or to the page to
    choose among its boroughs. The address names boroughs only; the browser then asks with GET."""
    if len(areas) == 1:
        return redirect(url_for(".area", slug=areas[0]), 303)
    return redirect(url_for(".choose", **{"in": ",".join(areas)}), 303)


@bp.get("/service/<service_id>")
@cache_for(600)
def service(service_id: str):
    """An entry. Reached from results, its address carries the search, for "Back to results"."""
    state = _search_state()
    back = f"{url_for('.search')}?{state}" if state else ""
    return render_template("service.html", s=_service_or_404(service_id), back=back)


@bp.get("/areas/")
@cache_for(600)
def areas():
    return render_template("areas.html", areas=reference.AREAS_A_Z)


@bp.get("/areas/go")
def area_go():
    """The borough picker's target, so choosing a borough works without JavaScript."""
    slug = request.args.get("borough", "")
    if slug not in reference.AREA_BY_SLUG:
        return redirect(url_for(".areas"))
    return redirect(url_for(".area", slug=slug))


def _area_view(slug: str) -> dict:
    """What a borough's pages show: its police contact, the routes around the police, its services."""
    place = reference.AREA_BY_SLUG.get(slug)
    if place is None:
        abort(404)
    store = _data().store
    # Most useful first (ranking.py): based in the borough, London-wide, national; then made for sex
    # workers, open now. The page is kept for ten minutes at most, so "open now" stays near the truth.
    # All are ranked from their briefs; only the services shown are read whole.
    briefs = _ranked_briefs(slug)
    by_category = [(cat, [b.id for b in briefs if cat in b.categories]) for cat in reference.CATEGORIES]
    routes = _route_ids(briefs)
    shown = {s.id: s for s in store.services(list({*routes, *(i for _, ids in by_category for i in ids[:LIST_SHOWN])}))}
    return {
        "place": place,
        "bcu": reference.BCU_BY_SLUG[place.bcu],
        "spoc": store.spoc(slug),
        "routes": [shown[i] for i in routes],
        # (need, its first LIST_SHOWN services, how many there are): the rest through search.
        "by_category": [(cat, [shown[i] for i in ids[:LIST_SHOWN]], len(ids)) for cat, ids in by_category if ids],
    }


def _ranked_briefs(area: str) -> list:
    """Every service serving `area` (with London-wide and national ones) as ranking.py reads it, most
    useful first."""
    now = hours.now().astimezone(hours.LONDON).replace(tzinfo=None)
    return ranking.order(_data().store.briefs_for_area(area), area, now)


@bp.get("/areas/<slug>")
@cache_for(600)
def area(slug: str):
    return render_template("area.html", **_area_view(slug))


@bp.get("/areas/<slug>/quick")
@cache_for(600)
def quick(slug: str):
    """An officer's view of a borough: services by need, one tap to each card, the police contact
    and the routes that avoid the police, compact enough for a phone."""
    return render_template("quick.html", **_area_view(slug))


@bp.route("/finder", methods=["GET", "POST"])
@cache_for(600)  # the form's answer is posted, so never kept
def finder():
    """Postcode -> area(s). The form posts, so a postcode never sits in an address, a log or the
    browser's history; it is looked up in this build's own tables and forgotten. A found postcode is
    answered with a redirect (303) to a page of boroughs, so Back and reload never post it again."""
    if request.method == "GET":
        return render_template("finder.html", finding=None, postcode="", areas=reference.AREAS_A_Z)
    try:
        typed = request.form.get("postcode", "")[: postcodes.MAX_INPUT * 4]
    except HTTPException:
        raise  # too large (413) and the like: already the right answer
    except Exception:
        # The body broke off or is malformed (a bad chunk: the server raises its own parse error, e.g.
        # gunicorn's InvalidChunkSize). The client sent nothing usable: a 400, not a 500.
        abort(400)
    finding = postcodes.locate(postcodes.parse(typed), _data().store)
    if finding.areas:
        return _to_areas(finding.areas)
    # Empty, malformed or not in London: the form again, with what was typed to correct it.
    return render_template("finder.html", finding=finding, postcode=typed.strip(), areas=reference.AREAS_A_Z)


# At most every area once: the longest honest list (a district touches a handful).
MAX_CHOICES = len(reference.AREAS)


@bp.get("/areas/choose")
def choose():
    """The boroughs a postcode district may be in (`?in=hackney,tower-hamlets`, most likely first),
    each with its services and police contact, and the routes that need no police. Its address names
    boroughs only, never the postcode. Unknown names are ignored; with none left, the finder."""
    wanted = request.args.get("in", "")[: MAX_QUERY * 4].split(",")
    slugs = list(dict.fromkeys(s for s in wanted if s in reference.AREA_BY_SLUG))[:MAX_CHOICES]
    if not slugs:
        return redirect(url_for(".finder"))
    store = _data().store
    g.search_state = urlencode({"in": ",".join(slugs)})  # kept by the language control
    response = make_response(
        render_template(
            "choose.html",
            candidates=[(reference.AREA_BY_SLUG[a], store.spoc(a)) for a in slugs],
            routes=store.services(_route_ids(_ranked_briefs("london"))),
            areas=reference.AREAS_A_Z,
        )
    )
    # The same for everyone until the next build, and its address holds only boroughs' names, so it may
    # be kept like the borough pages; an address carrying anything else is not kept.
    canonical = len(list(request.args.items(multi=True))) == 1 and wanted == slugs
    response.headers["Cache-Control"] = "public, max-age=600" if canonical else NO_STORE
    # Every mix of boroughs repeats their own pages: search engines keep to those.
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _route_ids(briefs: list) -> list[str]:
    """The services that help, or report for someone, without the person going to the police: the
    first LIST_SHOWN of them (a borough page lists them all by need, with a link to the rest)."""
    return [b.id for b in briefs if ROUTE_CATEGORIES & set(b.categories)][:LIST_SHOWN]


@bp.get("/service/<service_id>/card")
@cache_for(600)
def card(service_id: str):
    """A signposting card: the entry in this page's language beside English, large, with a QR code
    that opens the entry in this language. Each side is rendered in its own language."""
    entry = _service_or_404(service_id)
    lang = g.lang
    link = absolute_url(url_for("site.service", service_id=entry.id))

    def render_side(code: str) -> Markup:
        side = cards.side(entry, code, _translator())
        # Rendered by Jinja with autoescaping, so safe to place as it is in the card's page.
        days = cards.day_groups(entry.hours)
        return Markup(render_template("_card_side.html", s=entry, side=side, days=days))  # nosec B704

    sides = [render_side(lang)]
    if lang != i18n.DEFAULT:
        with force_locale(i18n.KNOWN[i18n.DEFAULT][0]):  # the English side's labels in English
            sides.append(render_side(i18n.DEFAULT))
    return render_template(
        "card.html",
        s=entry,
        sides=sides,
        link=link,
        qr=cards.qr_svg(link, gettext("QR code: opens this page in %(language)s", language=i18n.KNOWN[lang][1])),
        sms=cards.sms_body(entry, link),
    )


@bp.get("/staying-safe-online")
@cache_for(600)
def safety():
    return render_template("safety.html")


@bp.get("/open-data")
@cache_for(600)
def open_data():
    return render_template("open_data.html", licence=export.LICENCE, built=builds.info(_data().path))


@bp.get("/service/<service_id>/correction")
def correction(service_id: str):
    """How to correct an entry. Nothing is submitted to or stored by this site."""
    entry = _service_or_404(service_id)
    template = current_app.config["CORRECTIONS_URL"]
    link = template.format(id=quote(entry.id), name=quote(entry.name)) if template else ""
    return render_template("correction.html", s=entry, link=link)
