"""The pages of issue 14: a compact language control, borough pages that lead with help, results people
can act on, and Back to results. Through the real path: CSV -> build -> app (conftest.py)."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from conftest import ROWS, service, write_csv
from markupsafe import escape

from directory import create_app, hours, i18n

LANGUAGES = ("en", "pt", "ro", "bg", "zh", "es", "pl", "hu", "bn", "ar")

# Beside the shared rows: a London-wide and a national service in the same need as Hackney's own
# clinic, whose names sort before it, so local-first ordering is visible; and one working in 5 boroughs.
EXTRA = [
    service(id="aaa-national", name="AAA National Clinic", boroughs="national", phone="020 7946 0009"),
    service(id="aa-london", name="AA London Clinic", boroughs="london", independent_of_police="no",
            categories="sexual-health;anonymous-reporting"),
    service(id="five-places", name="Five Places", categories="housing", id_required="no", interpreting="yes",
            serves="women", boroughs="hackney;camden;islington;lambeth;southwark",
            hours_notes="Opening times on the website.", website="https://five.test/"),
]  # fmt: skip


@pytest.fixture
def extra_client(tmp_path):
    app = create_app(
        {"TESTING": True, "CSV_PATH": write_csv(tmp_path / "more.csv", ROWS + EXTRA), "BUILD_ROOT": tmp_path / "b"}
    )
    return app.test_client()


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.data, "html5lib")


@pytest.fixture
def monday_morning(monkeypatch):
    """10:30 on Monday 23 November 2026 in London (GMT)."""
    monkeypatch.setattr(hours, "now", lambda: datetime(2026, 11, 23, 10, 30, tzinfo=UTC))


# The language control


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_language_control_lists_every_language_by_its_own_name(get_page, lang):
    soup = get_page(f"/{lang}/areas/hackney")
    control = soup.select("header nav.languages details")
    assert len(control) == 1 and not control[0].has_attr("open")  # folded: it costs one line
    links = control[0].select("ul a")
    assert [a["hreflang"] for a in links] == [
        "en", "pt-BR", "ro", "bg", "zh-Hans-CN", "es", "pl", "hu", "bn", "ar"]  # fmt: skip
    assert [a["href"] for a in links] == [f"/{code}/areas/hackney" for code in LANGUAGES]
    current = control[0].select("a[aria-current]")
    assert [a["href"] for a in current] == [f"/{lang}/areas/hackney"]
    assert control[0].select_one("summary span[lang]").get_text() == current[0].get_text()
    assert control[0].select_one("summary svg[aria-hidden=true]")
    assert not soup.select("header > nav.languages, .site-header > .languages > ul")  # no row of ten links


def test_switching_language_keeps_the_search_filters_and_page(get_page):
    soup = get_page("/en/search?q=clinic&category=sexual-health&borough=hackney&page=1")
    pt = soup.select_one('nav.languages a[hreflang="pt-BR"]')["href"]
    assert pt == "/pt/search?q=clinic&category=sexual-health&borough=hackney&page=1"
    entry = get_page("/en/service/clinic-east?q=clinic&borough=hackney")
    arabic = entry.select_one('nav.languages a[hreflang="ar"]')["href"]
    assert arabic == "/ar/service/clinic-east?q=clinic&borough=hackney"


def test_switching_language_on_an_error_page_goes_home_and_repeats_nothing(get_page):
    soup = get_page("/en/service/secretword?q=secretword", status=404)
    assert soup.select_one('nav.languages a[hreflang="ro"]')["href"] == "/ro/"


# Borough pages and the picker


def test_borough_page_leads_with_services_then_routes_then_the_police_folded(get_page):
    soup = get_page("/en/areas/hackney")
    order = [el.name + "." + el["class"][0] for el in soup.select("main > section, main > details")]
    routes, police = order.index("section.routes"), order.index("details.spoc")
    assert order[:routes] == ["section.need-list"] * routes and routes >= 1
    assert police == routes + 1 == len(order) - 1
    assert soup.h1.find_next(["section", "details"])["class"] == ["need-list"]
    assert soup.select_one("main p.jump a")["href"] == "#routes-title" and soup.select_one("#routes-title")


def test_borough_services_are_local_first_then_london_then_national(extra_client):
    soup = page(extra_client, "/en/areas/hackney")
    health = soup.select_one('section[aria-labelledby="cat-sexual-health"]')
    names = [li.select_one("a").get_text() for li in health.select("li")]
    assert names == ["East Clinic", "AA London Clinic", "AAA National Clinic"]
    where = [li.select_one(".where").get_text() for li in health.select("li")]
    assert where == ["Hackney and Tower Hamlets", "All of London", "National (UK-wide)"]
    housing = [li.select_one("a").get_text() for li in soup.select('section[aria-labelledby="cat-housing"] li')]
    assert housing == ["Five Places", "Housing Help"]  # both based in Hackney: by name
    # The borough looked at comes first, then two more and a count, on one line.
    five = soup.select('section[aria-labelledby="cat-housing"] li .where')[0].get_text()
    assert five == "Hackney, Camden, Islington and 2 more boroughs"  # British English: no comma before "and"


def test_routes_say_which_are_not_independent_of_the_police(extra_client):
    soup = page(extra_client, "/en/areas/hackney")
    rows = {li.a.get_text(): li for li in soup.select(".routes .links li")}
    assert rows["AA London Clinic"].select_one(".muted").get_text() == "Not independent of the police"
    assert rows["Report Line"].select_one(".muted") is None


def test_police_contact_without_one_published_is_plain(tmp_path):
    rows = [r for r in ROWS if r.get("boroughs") != "lambeth"] + [
        {**ROWS[-1], "notes": "The force told request 01.FOI.23.000001 about Operation Testname."}
    ]
    app = create_app({"TESTING": True, "CSV_PATH": write_csv(tmp_path / "c.csv", rows), "BUILD_ROOT": tmp_path / "b"})
    soup = page(app.test_client(), "/en/areas/lambeth")
    spoc = soup.select_one("details.spoc")
    text = spoc.select_one(".notice").get_text()
    assert text == "No police contact for sex work has been published for Lambeth yet."
    assert "FOI" not in soup.get_text() and "Operation" not in soup.get_text()  # behind the source link
    assert spoc.select_one(".checked a")["href"] == "https://police.test/"


def test_borough_picker_starts_from_a_prompt_and_goes_nowhere_without_a_choice(get_page, client):
    soup = get_page("/en/finder")
    options = soup.select(".picker option")
    assert options[0]["value"] == "" and options[0].get_text() == "Choose a borough"
    assert [o.get_text() for o in options[1:]] == sorted(o.get_text() for o in options[1:])
    assert client.get("/en/areas/go?borough=").headers["Location"] == "/en/areas/"


# Results and entries


def test_result_shows_status_badges_where_and_a_call_button(get_page, monday_morning):
    soup = get_page("/en/search?q=clinic&borough=hackney")
    result = soup.select_one(".result")
    assert result.select_one(".result-title a").get_text() == "East Clinic"
    assert result.select_one(".status").get_text() == "Open now, until 12:00"
    assert result.select_one(".status")["class"] == ["status", "status-open"]
    assert [li.get_text() for li in result.select(".badges li")] == [
        "Any immigration status", "Independent of police", "Speaks Portuguese (Brazil) and Romanian",
        "Trans people welcome"]  # fmt: skip
    assert result.select_one(".where").get_text() == "Hackney and Tower Hamlets"
    call = result.select_one("a.call")
    assert call["href"] == "tel:+442079460001" and call.get_text() == "Call 020 7946 0001"
    assert call.bdi["dir"] == "ltr"


def test_results_without_a_number_or_hours_show_neither(get_page, monday_morning):
    soup = get_page("/en/search?borough=hackney")
    rows = {r.select_one(".result-title a").get_text(): r for r in soup.select(".result")}
    housing = rows["Housing Help"]
    assert housing.select_one("a.call") is None and housing.select_one(".status") is None
    assert housing.select_one(".badges") is None  # independence unknown: no badge, never a guess
    assert rows["Report Line"].select_one(".status").get_text() == "Open 24/7"


def test_result_says_when_a_closed_service_opens(get_page, monkeypatch):
    monkeypatch.setattr(hours, "now", lambda: datetime(2026, 11, 28, 12, 0, tzinfo=UTC))  # Saturday noon
    soup = get_page("/en/search?q=clinic")
    assert soup.select_one(".result .status").get_text() == "Closed now. Opens Monday at 10:00"
    monkeypatch.setattr(hours, "now", lambda: datetime(2026, 11, 27, 12, 0, tzinfo=UTC))  # Friday noon
    soup = get_page("/pt/search?q=clinic")
    assert soup.select_one(".result .status").get_text() == "Fechado agora. Abre hoje às 23:30"


def test_badges_for_id_interpreters_and_women_only(extra_client):
    soup = page(extra_client, "/en/service/five-places")
    # The hours are said once: the entry's own note, without "not listed here" before it.
    hours = soup.select_one('section[aria-labelledby="hours-title"]')
    assert [p.get_text() for p in hours.select("p")] == ["Opening times on the website."]
    assert [li.get_text() for li in soup.select(".badges li")] == [
        "No ID asked", "Independent of police", "Interpreters available", "Women only"]  # fmt: skip


def test_results_link_to_entries_that_lead_back_to_the_same_search(client, get_page):
    soup = get_page("/en/search?q=clinic&category=sexual-health&borough=hackney")
    link = soup.select_one(".result-title a")["href"]
    assert link == "/en/service/clinic-east?q=clinic&category=sexual-health&borough=hackney"
    entry = get_page(link)
    back = entry.select_one("main p.back a")
    assert back.get_text() == "Back to results"
    assert back["href"] == "/en/search?q=clinic&category=sexual-health&borough=hackney"
    # The search words are in this address, so it is never kept in a shared cache.
    assert client.get(link).headers["Cache-Control"] == "private, no-store"
    # Reached any other way, an entry has no back link and may be cached.
    assert get_page("/en/service/clinic-east").select_one(".back") is None
    assert client.get("/en/service/clinic-east").headers["Cache-Control"] == "public, max-age=600"


def test_back_to_results_keeps_the_page_number(make_app):
    client = make_app(PER_PAGE=2).test_client()
    second = BeautifulSoup(client.get("/en/search?borough=hackney&page=2").data, "html5lib")
    link = second.select_one(".result-title a")["href"]
    assert link.endswith("?borough=hackney&page=2")
    entry = BeautifulSoup(client.get(link).data, "html5lib")
    assert entry.select_one(".back a")["href"] == "/en/search?borough=hackney&page=2"


def test_entry_shows_status_badges_and_call_button(get_page, monday_morning):
    soup = get_page("/en/service/clinic-east")
    assert soup.select_one(".entry .status").get_text() == "Open now, until 12:00"
    assert soup.select_one(".entry a.call")["href"] == "tel:+442079460001"
    assert "Independent of police" in [li.get_text() for li in soup.select(".entry .badges li")]
    # The website wraps after its dots, not mid-word ("www.opendoors.nhs.u" / "k" on a phone).
    url = soup.select_one(".facts a.url")
    assert url.get_text() == "east.test" and len(url.select("wbr")) == 1


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_new_interface_text_is_translated(get_page, lang, monday_morning):
    soup = get_page(f"/{lang}/search?q=clinic&borough=hackney")
    english = ("Open now", "Call ", "Speaks ", "Trans people welcome", "Any immigration status")
    for text in (soup.select_one(".status").get_text(), soup.select_one("a.call").get_text(),
                 *[li.get_text() for li in soup.select(".badges li")]):  # fmt: skip
        assert not text.startswith(english), (lang, text)
    entry = get_page(f"/{lang}/service/clinic-east?q=clinic")
    assert entry.select_one(".back a").get_text() != "Back to results"
    picker = get_page(f"/{lang}/")
    assert picker.select_one(".picker option").get_text() != "Choose a borough"


# Cache policy, next to each view


def test_cache_policy_per_view(client):
    for url in ("/en/", "/en/areas/", "/en/areas/hackney", "/en/areas/hackney/quick", "/en/finder",
                "/en/service/clinic-east/card", "/en/staying-safe-online", "/en/open-data"):  # fmt: skip
        assert client.get(url).headers["Cache-Control"] == "public, max-age=600", url
    assert client.post("/en/finder", data={"postcode": "E8 1DY"}).headers["Cache-Control"] == "private, no-store"
    assert client.get("/en/search").headers["Cache-Control"] == "private, no-store"
    assert client.get("/en/?q=secret").headers["Cache-Control"] == "private, no-store"
    assert "public" not in client.get("/en/areas/gotham").headers.get("Cache-Control", "")


# The page's head, and dates and lists written each language's way


def test_head_has_a_neutral_description_and_full_hreflang_addresses_from_site_url(make_app):
    client = make_app(SITE_URL="https://directory.example.org/").test_client()
    soup = BeautifulSoup(client.get("/bg/areas/hackney", headers={"Host": "evil.test"}).data, "html5lib")
    description = soup.select_one('meta[name="description"]')["content"]
    assert description and "sex" not in description.lower() and "Hackney" not in description
    links = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"]')}
    assert len(links) == len(LANGUAGES)
    assert links["zh-Hans-CN"] == "https://directory.example.org/zh/areas/hackney"
    assert "evil.test" not in str(soup)  # never the Host the request came with


def test_english_dates_are_british_and_lists_lower_case_their_values(get_page):
    soup = get_page("/en/service/clinic-east")
    assert "Last checked: 1 November 2026." in soup.select_one(".checked").get_text()
    facts = {div.dt.get_text(): div.dd.get_text() for div in soup.select(".facts > div")}
    assert facts["Serves"] == "Women and trans people"
    assert facts["Where"] == "Hackney and Tower Hamlets"


@pytest.mark.parametrize(("lang", "joined"), [("zh", "Hackney和Tower Hamlets"), ("ar", "Hackney وTower Hamlets")])
def test_lists_use_the_languages_own_separators(get_page, lang, joined):
    soup = get_page(f"/{lang}/service/clinic-east")
    where = [div.dd.get_text() for div in soup.select(".facts > div") if "Hackney" in div.dd.get_text()]
    assert where == [joined]


def test_latin_runs_in_arabic_entry_text_read_left_to_right(app):
    text = "مجتمع الميم (LGBT+)، من 08:00–18:00، قرب King's College Hospital."
    with app.test_request_context("/ar/"):
        soup = BeautifulSoup(str(i18n.isolated(text)), "html5lib")
        assert [b.get_text() for b in soup.select('bdi[dir="ltr"]')] == [
            "(LGBT+)", "08:00–18:00", "King's College Hospital"]  # fmt: skip
        assert soup.get_text() == text  # nothing lost, nothing added
        assert "<b>" not in str(i18n.isolated("<b>x</b>"))  # the text is escaped, never markup
    with app.test_request_context("/en/"):
        assert str(i18n.isolated(text)) == str(escape(text))  # left-to-right pages: as written


def test_a_web_address_in_an_entrys_text_is_a_short_link_not_a_raw_address(tmp_path):
    note = "Its aims are quoted in a 2016 article: http://blog.test/2016/8/a-very-long-address-for-a-phone."
    rows = [*ROWS, service(id="with-link", name="With Link", notes=note)]
    app = create_app({"TESTING": True, "CSV_PATH": write_csv(tmp_path / "c.csv", rows), "BUILD_ROOT": tmp_path / "b"})
    soup = page(app.test_client(), "/en/service/with-link")
    notes = soup.select_one("#notes-title").find_parent("section")
    assert notes.get_text(" ", strip=True).endswith("a 2016 article: blog.test .")
    link = notes.select_one("a")
    assert link["href"] == "http://blog.test/2016/8/a-very-long-address-for-a-phone" and link.get_text() == "blog.test"


def test_a_long_need_list_shows_the_first_twenty_and_links_to_the_rest(tmp_path):
    """A directory of the whole country would list thousands of services a borough: each need shows
    its 20 most useful (local first), and a link to all of them through search, a page at a time."""
    many = [
        service(id=f"clinic-{n:02d}", name=f"Clinic {n:02d}", boroughs="hackney" if n < 3 else "london")
        for n in range(30)
    ]
    app = create_app(
        {"TESTING": True, "CSV_PATH": write_csv(tmp_path / "c.csv", ROWS + many), "BUILD_ROOT": tmp_path / "b"}
    )
    client = app.test_client()
    for url in ("/en/areas/hackney", "/en/areas/hackney/quick"):
        soup = page(client, url)
        health = soup.select_one("#cat-sexual-health").find_parent(["section", "details"])
        names = [a.get_text() for a in health.select('li > a[href^="/en/service/"]')]
        # Hackney's own four first (East Clinic's place among them depends on whether it is open now).
        assert len(names) == 20 and sorted(names[:4]) == ["Clinic 00", "Clinic 01", "Clinic 02", "East Clinic"]
        more = health.select_one(".more a")
        assert more.get_text() == "See all services for this need (31)"
        assert more["href"] == "/en/search?category=sexual-health&borough=hackney"
        housing = soup.select_one("#cat-housing").find_parent(["section", "details"])
        assert not housing.select(".more")  # a short list is whole
    everything = page(client, "/en/search?category=sexual-health&borough=hackney")
    assert "31" in everything.select_one("main").get_text() and everything.select(".result-title")
