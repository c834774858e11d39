import pytest

from directory import reference
from directory.config import Config

NEUTRAL_TITLE_WORDS = ("sex", "police", "rape", "abuse", "trafficking", "clinic")


def title(soup) -> str:
    return soup.title.string


def test_bare_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,en;q=0.5"})
    assert response.status_code == 302 and response.headers["Location"] == "/en/"
    assert "Accept-Language" in response.headers["Vary"]
    assert client.get("/").headers["Location"] == "/en/"


def test_home(get_page):
    soup = get_page("/en/")
    assert soup.select_one("form[role=search] input[name=q]")
    tiles = soup.select(".tiles a")
    assert len(tiles) == len(reference.CATEGORIES)
    assert tiles[0]["href"] == "/en/search?category=sexual-health"
    assert "1 service" in tiles[0].get_text()
    options = soup.select(".picker #borough option")
    assert len(options) == 34 and options[0]["value"] == "" and options[0].has_attr("selected")
    assert options[0].get_text() == "Choose a borough"
    names = [o.get_text() for o in options[1:]]
    assert names == sorted(names) and names[0] == "Barking and Dagenham"
    assert not soup.select(".picker optgroup")
    urgent = soup.select_one(".urgent")
    assert [a["href"] for a in urgent.select("a.tel")] == ["tel:999", "tel:101", "tel:+442079460002"]


def test_search_menus_mark_the_chosen_need_and_borough_in_each_language(get_page):
    """The menus are rendered once per language and worker (views.search_filters): the chosen options
    are marked on each page, and each language keeps its own labels."""
    for lang in ("pt", "ar", "en"):
        for category in ["", *reference.CATEGORIES]:
            for area in ("", "hackney", "city-of-london"):
                soup = get_page(f"/{lang}/search?q=clinic&category={category}&borough={area}")
                for menu, value in (("category", category), ("borough", area)):
                    assert [o["value"] for o in soup.select(f"#{menu} option[selected]")] == ([value] if value else [])
                assert len(soup.select("#category option")) == len(reference.CATEGORIES) + 1
                assert len(soup.select("#borough option")) == len(reference.AREAS) + 1
        label = soup.select_one('#category option[value="sexual-health"]').get_text()
        assert (label == reference.CATEGORIES["sexual-health"]) == (lang == "en"), (lang, label)


def test_search_with_filters_and_count(get_page):
    soup = get_page("/en/search?q=clinic&category=sexual-health&borough=hackney")
    assert [a.get_text() for a in soup.select(".result-title a")] == ["East Clinic"]
    assert "1 service found" in soup.select_one(".result-count").get_text()
    assert soup.select_one("#category option[selected]")["value"] == "sexual-health"
    assert soup.select_one("#borough option[selected]")["value"] == "hackney"
    assert soup.select_one("#q")["value"] == "clinic"


def test_borough_filter_includes_london_and_national_services(get_page):
    soup = get_page("/en/search?borough=hackney")
    assert len(soup.select(".result")) == 3 and not soup.select(".pagination")


def test_pagination(tmp_path, make_app):
    client = make_app(PER_PAGE=2).test_client()
    first = client.get("/en/search?category=&borough=hackney")
    assert b'rel="next" href="/en/search?borough=hackney&amp;page=2"' in first.data
    second = client.get("/en/search?borough=hackney&page=2")
    assert b'rel="prev"' in second.data and b'rel="next"' not in second.data


def test_empty_search_helps(get_page):
    soup = get_page("/en/search?q=zzzzqqq&category=legal")
    assert "0 services found" in soup.select_one(".result-count").get_text()
    empty = soup.select_one(".empty")
    assert empty.select_one('a[href="/en/search?q=zzzzqqq"]')  # drop the filters


def test_search_results_are_not_cached(client):
    assert client.get("/en/search?q=clinic").headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "query",
    [
        "q=%22field%3A*~(",
        "q=%00",
        "page=-5",
        "page=abc",
        "page=99999999999999999999",
        "category=<script>",
        "borough=../../etc",
        "q=" + "x" * 5000,
        "q=%F0%9D%94%98",
        "q=%ff%fe",
    ],  # fmt: skip
)
def test_hostile_search_input_gets_a_normal_page(get_page, query):
    soup = get_page(f"/en/search?{query}")
    assert soup.select_one(".result-count")


def test_service_page_shows_every_field(get_page):
    soup = get_page("/en/service/clinic-east")
    assert soup.h1.get_text() == "East Clinic"
    text = soup.get_text(" ")
    assert soup.select_one('.facts a[href="tel:+442079460001"]').get_text() == "020 7946 0001"
    assert soup.select_one('a[href="mailto:clinic@east.test"]')
    assert soup.select_one('a[href="https://east.test/"]')["rel"] == ["noreferrer"]
    rows = {tr.th.get_text(): tr.td.get_text() for tr in soup.select(".hours tr")}
    assert rows["Monday"] == "10:00–12:00" and rows["Friday"] == "10:00–12:00, 23:30–02:00"
    assert list(rows) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]  # closed days left out
    facts = {div.dt.get_text(): div.dd.get_text() for div in soup.select(".facts > div")}
    assert facts["Where"] == "Hackney and Tower Hamlets" and facts["Serves"] == "Women and trans people"
    for expected in ("Portuguese (Brazil)", "Romanian",
                     "Never shares anything", "Last checked: 1 November 2026", "Drop-in"):  # fmt: skip
        assert expected in text, expected
    sources = soup.select(".checked a")
    assert [a["href"] for a in sources] == ["https://source.test/page", "https://source.test/hours"]
    assert [a.get_text() for a in sources] == ["1", "2"] and "Sources:" in soup.select_one(".checked").get_text()


def test_service_without_contacts_says_so(get_page):
    soup = get_page("/en/service/sao-paulo-group")
    assert "Please use its website" in soup.select_one(".notice").get_text()
    assert "Opening times are not listed here" in soup.get_text()


def test_service_without_any_checked_contact_points_to_its_source(get_page):
    soup = get_page("/en/service/housing-help")
    assert "none are shown" in soup.select_one(".notice").get_text()
    assert "website" not in soup.select_one(".notice").get_text()
    assert soup.select_one(".checked a")["href"].startswith("https://")


def test_titles_are_neutral(get_page):
    for url in ("/en/", "/en/search?q=rape", "/en/service/clinic-east", "/en/areas/", "/en/areas/hackney",
                "/en/staying-safe-online"):  # fmt: skip
        words = title(get_page(url)).lower()
        assert not any(word in words for word in NEUTRAL_TITLE_WORDS), (url, words)
        assert "East Clinic" not in words


def test_areas_index_lists_all_33_from_a_to_z(get_page):
    soup = get_page("/en/areas/")
    assert soup.h1.get_text() == "Boroughs"
    names = [a.get_text() for a in soup.select(".area-list a")]
    assert len(names) == 33 and names == sorted(names)
    assert names[:2] == ["Barking and Dagenham", "Barnet"] and "City of London" in names
    assert not soup.select("main section[aria-labelledby^=bcu-]")  # police units are not the structure
    assert soup.select_one('main form[action="/en/finder"][method="post"] input#postcode')
    assert "police contact published" not in soup.select_one(".area-list").get_text()


def test_area_without_spoc_is_honest_and_shows_routes(get_page):
    soup = get_page("/en/areas/lambeth")
    spoc = soup.select_one(".spoc")
    assert "No police contact for sex work has been published for Lambeth yet." in spoc.get_text()
    assert not spoc.select("a.tel")
    routes = soup.select_one(".routes")
    assert routes.select_one('a[href="/en/service/report-line"]')
    assert routes.select_one('a[href="tel:999"]')
    services = [a.get_text() for a in soup.select("main section[aria-labelledby^=cat-] a")]
    assert "Grupo São Paulo" in services and "East Clinic" not in services


def test_area_with_published_spoc_shows_its_details_after_the_routes_folded(get_page):
    soup = get_page("/en/areas/hackney")
    spoc = soup.select_one("main > details.spoc")
    assert not spoc.has_attr("open") and spoc.select_one("summary h2").get_text() == "Police contact for sex work"
    assert spoc.find_previous_sibling("section", class_="routes")
    assert spoc.select_one('a[href="mailto:liaison@police.test"]')
    text = spoc.get_text(" ")
    assert "Central East sex work liaison mailbox" in text and "Within two working days" in text
    # The police command unit is a detail inside the folded box, not the page's lead.
    assert spoc.select_one("p.muted").get_text() == "Metropolitan Police area: Central East."
    assert "Police" not in soup.select_one(".lead").get_text()


def test_borough_picker_works_without_javascript(client):
    assert client.get("/en/areas/go?borough=hackney").headers["Location"] == "/en/areas/hackney"
    assert client.get("/en/areas/go?borough=nowhere").headers["Location"] == "/en/areas/"


def test_staying_safe_page(get_page):
    soup = get_page("/en/staying-safe-online")
    assert "private" in soup.get_text().lower()


@pytest.mark.parametrize("url", ["/en/service/nope", "/en/areas/gotham", "/en/nothing", "/fr/", "/xx/service/a"])
def test_not_found_pages(get_page, url):
    soup = get_page(url, status=404)
    assert soup.h1.get_text() == "Page not found"
    assert soup.select_one('a[href="/en/"]')


def test_server_error_page(make_app, monkeypatch):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    store = app.extensions["directory.current"].get().store

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(store, "service", broken)
    response = app.test_client().get("/en/service/clinic-east")
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.data and b"boom" not in response.data


def test_every_response_has_privacy_headers(client):
    for url in ("/", "/en/", "/static/site.css", "/static/favicon.svg", "/en/nothing", "/robots.txt"):
        with client.get(url) as response:
            assert "Set-Cookie" not in response.headers
            assert response.headers["Referrer-Policy"] == "no-referrer"
            if response.mimetype != "text/css":  # a stylesheet is never a document (test_security.py)
                assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


def test_pages_and_files_are_compressed_for_slow_connections(client):
    for url in ("/en/", "/en/search?q=clinic", "/static/site.css", "/open-data/services.json"):
        for encoding in ("br", "gzip"):
            with client.get(url, headers={"Accept-Encoding": encoding}) as response:
                assert response.headers["Content-Encoding"] == encoding, (url, encoding)
                assert "Accept-Encoding" in response.headers["Vary"]
    with client.get("/en/") as plain:
        assert "Content-Encoding" not in plain.headers


def test_other_languages_mark_english_entry_text_and_keep_numbers_left_to_right(get_page):
    soup = get_page("/ar/service/clinic-east")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    lead = soup.select_one(".lead")
    assert lead["lang"] == "en" and lead["dir"] == "ltr"
    assert soup.select_one(".note") is not None  # "not translated yet"
    assert all(a["dir"] == "ltr" for a in soup.select("a.tel"))
    english = get_page("/en/service/clinic-east")
    assert not english.select_one(".lead").has_attr("lang") and english.select_one(".note") is None


def test_every_language_serves_every_page_type(get_page):
    for code in ("pt", "ro", "bg", "zh", "es", "pl", "hu", "bn", "ar"):
        for url in (
            "/",
            "/search?q=clinic",
            "/service/clinic-east",
            "/areas/hackney",
            "/areas/",
            "/staying-safe-online",
        ):
            soup = get_page(f"/{code}{url}")
            assert "Leave this site now" not in soup.get_text()  # the interface is translated


def test_english_place_names_are_isolated_inside_translated_sentences(get_page):
    """In Arabic the sentence's full stop must stay on its own side of "Tower Hamlets"."""
    soup = get_page("/ar/areas/lambeth")
    assert [b.get_text() for b in soup.select(".spoc .notice bdi")] == ["Lambeth"]
    soup = get_page("/ar/areas/tower-hamlets/quick")
    assert soup.select_one("h1 bdi").get_text() == "Tower Hamlets"


# The finder's page of candidate boroughs (views.choose): its address names boroughs, never a postcode.


def test_choose_page_ignores_unknown_boroughs_and_is_kept_like_a_borough_page(client, get_page):
    soup = get_page("/en/areas/choose?in=hackney,gotham,<script>,hackney,tower-hamlets")
    assert [h.get_text() for h in soup.select(".candidates > li > h2")] == ["Hackney", "Tower Hamlets"]
    assert "gotham" not in str(soup) and "<script>" not in soup.select_one("main").decode_contents()
    canonical = client.get("/en/areas/choose?in=hackney,tower-hamlets")
    assert canonical.headers["Cache-Control"] == "public, max-age=600"
    for odd in ("?in=hackney,gotham", "?in=hackney&q=secret", "?in=hackney&in=lambeth"):
        assert client.get("/en/areas/choose" + odd).headers["Cache-Control"] == "private, no-store", odd


@pytest.mark.parametrize("query", ["", "?in=", "?in=gotham,nowhere", "?in=" + "x," * 5000])
def test_choose_page_with_no_known_borough_goes_to_the_finder(client, query):
    response = client.get("/en/areas/choose" + query)
    assert response.status_code == 302 and response.headers["Location"] == "/en/finder"


def test_choose_page_language_control_keeps_the_boroughs(get_page):
    soup = get_page("/en/areas/choose?in=hackney,lambeth")
    assert soup.select_one('nav.languages a[hreflang="ro"]')["href"] == "/ro/areas/choose?in=hackney%2Clambeth"
    assert soup.select_one("main form.postcode-form") and soup.select_one("main form.picker")


def test_staying_safe_page_says_what_the_exit_cannot_do(get_page):
    soup = get_page("/en/staying-safe-online")
    assert soup.title.get_text().startswith("Staying safe online")
    text = soup.select_one("main").get_text(" ")
    assert "Without JavaScript" in text and "the Esc key does nothing" in text
    assert "stay in your browser's history list" in text
    assert "removes this site from the Back button" not in text  # the old promise, untrue without script
    home = get_page("/en/")
    names = {a.get_text() for a in home.select('a[href="/en/staying-safe-online"]')}
    assert names == {"Staying safe online"}  # one name in the nav and the footer


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_choose_page_in_every_language(get_page, lang):
    soup = get_page(f"/{lang}/areas/choose?in=westminster,kensington-and-chelsea")
    assert [h.get_text() for h in soup.select(".candidates > li > h2")] == ["Westminster", "Kensington and Chelsea"]
    assert soup.select_one("h1").get_text() != "Choose your borough" or lang == "en"  # translated
    assert len(soup.select(".candidates details.spoc")) == 2 and soup.select_one(".routes")
    assert soup.title.get_text() == get_page(f"/{lang}/finder").title.get_text()  # neutral: no borough named
