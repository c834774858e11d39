"""Signposting cards and the officers' quick view of a borough, through the real app."""

from urllib.parse import unquote

from directory.config import Config


def test_english_card_has_one_side_a_qr_code_and_a_choice_of_languages(get_page):
    soup = get_page("/en/service/clinic-east/card")
    assert soup.title.get_text() == "Card – London Services Directory"  # neutral: no service name
    sides = soup.select(".card-side")
    assert [side["lang"] for side in sides] == ["en"]
    assert sides[0].select_one('a.tel[href="tel:+442079460001"]')
    svg = soup.select_one("figure.qr svg.qr-code")
    assert svg["role"] == "img" and "English" in svg["aria-label"]
    choices = [a["href"] for a in soup.select(".card-languages a")]
    assert len(choices) == len(Config.LANGUAGES) - 1 and "/zh/service/clinic-east/card" in choices


def test_card_in_another_language_sits_beside_english_each_in_its_own_words(get_page):
    soup = get_page("/zh/service/clinic-east/card")
    person, english = soup.select(".card-side")
    assert person["lang"] == "zh-Hans-CN" and english["lang"] == "en"
    assert english.select_one("h2").get_text() == "English"
    english_labels = [dt.get_text() for dt in english.select("dt")]
    assert "Independent of police" in english_labels and "Opening times" in english_labels
    person_labels = [dt.get_text() for dt in person.select("dt")]
    assert "Independent of police" not in person_labels  # the person's side is in Chinese
    # Day names follow each side's language too.
    assert "Monday" in english.get_text() and "Monday" not in person.get_text()
    # The essentials: how to reach it, whether it is independent of police, whether it asks for ID.
    for side in (person, english):
        assert side.select_one('a[href="tel:+442079460001"]')
        assert len(side.select(".card-facts > div")) >= 6


def test_arabic_card_is_right_to_left_beside_left_to_right_english(get_page):
    soup = get_page("/ar/service/clinic-east/card")
    person, english = soup.select(".card-side")
    assert (person["dir"], english["dir"]) == ("rtl", "ltr")
    assert soup.html["dir"] == "rtl"


def test_card_shares_without_the_server(get_page):
    soup = get_page("/pt/service/report-line/card")
    link = soup.select_one("input#card-link")["value"]
    assert link == "http://localhost/pt/service/report-line"
    sms = soup.select_one("a.sms-link")["href"]
    assert sms.startswith("sms:?&body=")
    body = unquote(sms.split("body=", 1)[1])
    assert body == "Report Line\n020 7946 0002\nhttp://localhost/pt/service/report-line"
    button = soup.select_one("button#copy-link")
    assert button.has_attr("hidden")  # shown by card.js only when it can work
    assert soup.select_one('script[src^="/static/card."][src$=".js"]')


def test_card_qr_and_links_use_the_configured_site_address(make_app):
    client = make_app(SITE_URL="https://directory.example.org/").test_client()
    page = client.get("/ro/service/clinic-east/card").get_data(as_text=True)
    assert 'value="https://directory.example.org/ro/service/clinic-east"' in page


def test_card_for_a_missing_entry_is_not_found(get_page):
    get_page("/en/service/nope/card", status=404)


def test_entry_page_links_to_its_card(get_page):
    soup = get_page("/bg/service/clinic-east")
    assert soup.select_one('a[href="/bg/service/clinic-east/card"]')


def test_quick_view_lists_services_by_need_with_one_tap_cards_spoc_and_routes(get_page):
    soup = get_page("/en/areas/hackney/quick")
    needs = soup.select(".quick details.need")  # folded, so every need fits one phone screen
    assert needs[0].select_one("summary h2").get_text() == "Sexual and general health (1)"
    cards = [a["href"] for a in soup.select(".quick-list a:not(.tel)")]
    assert "/en/service/clinic-east/card" in cards and "/en/service/housing-help/card" in cards
    assert all(href.endswith("/card") for href in cards)
    assert soup.select_one(".quick-list a.tel[href='tel:+442079460001']")
    assert "liaison@police.test" in soup.select_one(".spoc").get_text()
    assert soup.select_one(".routes a[href='/en/service/report-line']")
    area = get_page("/en/areas/hackney")
    assert area.select_one('a[href="/en/areas/hackney/quick"]')


def test_quick_view_of_unknown_area_is_not_found(get_page):
    get_page("/en/areas/gotham/quick", status=404)


def test_card_offers_its_languages_first_and_printing_with_or_without_javascript(get_page):
    english = get_page("/en/service/clinic-east/card")
    main = english.select_one("main")
    # The officer's first step: the person's language, open at once on the English card.
    first = main.select_one("h1").find_next(["nav", "div", "section"])
    assert first["class"] == ["card-languages"] and first.select_one("details").has_attr("open")
    chinese = get_page("/zh/service/clinic-east/card")
    choice = chinese.select_one(".card-languages details")
    assert not choice.has_attr("open")  # a language is chosen: folded, one tap to change it
    assert "/en/service/clinic-east/card" in [a["href"] for a in choice.select("a")]
    assert "/zh/service/clinic-east/card" not in [a["href"] for a in choice.select("a")]
    # Printing: a button card.js shows, and words that say how when there is no script.
    assert english.select_one("button#print-card").has_attr("hidden")
    assert "Ctrl+P" in english.select_one(".print-hint").get_text()


def test_card_says_when_it_was_last_checked_in_each_sides_language(get_page):
    person, english = get_page("/zh/service/clinic-east/card").select(".card-side")
    assert english.select_one(".card-checked").get_text() == "Last checked: 1 November 2026."
    assert "2026年11月1日" in person.select_one(".card-checked").get_text()


def test_card_runs_days_with_the_same_hours_together(get_page):
    english = get_page("/en/service/clinic-east/card").select_one(".card-side")
    hours = [li.get_text() for li in english.select(".card-hours li")]
    assert hours == ["Monday–Thursday: 10:00–12:00", "Friday: 10:00–12:00, 23:30–02:00"]
    # The times read left to right even on an Arabic card, so 08:00–18:00 never looks like a night shift.
    arabic = get_page("/ar/service/clinic-east/card").select_one(".card-side")
    assert all(b["dir"] == "ltr" for b in arabic.select(".card-hours bdi")) and arabic.select(".card-hours bdi")


def test_card_marks_unknown_answers_so_print_can_leave_them_out(get_page):
    rows = get_page("/en/service/report-line/card").select(".card-facts > div")
    unknown = [row.dt.get_text() for row in rows if "unknown" in row.get("class", [])]
    assert unknown and all(row.dd.get_text() == "Not known" for row in rows if "unknown" in row.get("class", []))
    assert all(row.dd.get_text() != "Not known" for row in rows if "unknown" not in row.get("class", []))
