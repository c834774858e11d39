"""Real-browser checks: Debian's Chromium driven by Playwright against gunicorn on 127.0.0.1.

Accessibility (axe-core, WCAG 2.2 AA), keyboard use, the quick exit, the site without JavaScript,
and that a visit sends nothing anywhere but here and stores nothing in the browser.
"""

import io
import re
import shutil

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from conftest import ROWS, write_csv
from PIL import Image
from playwright.sync_api import sync_playwright
from serve import gunicorn

from directory.config import Config

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach Google, which this
# machine's closed network refuses; none of them changes how pages render.
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
EXIT_URL = "https://www.bbc.co.uk/weather"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# WCAG 2.2 AA, and axe's best practices too (all content inside landmarks, one main, headings in order).
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = {
    "home": "/{lang}/",
    "search": "/{lang}/search?q=clinic",
    "empty search": "/{lang}/search?q=zzzzqqq",
    "entry": "/{lang}/service/clinic-east",
    "card": "/{lang}/service/clinic-east/card",
    "borough": "/{lang}/areas/hackney",
    "quick view": "/{lang}/areas/hackney/quick",
    "finder": "/{lang}/finder",
    "borough index": "/{lang}/areas/",
    "staying safe": "/{lang}/staying-safe-online",
    "open data": "/{lang}/open-data",
    "suggest a correction": "/{lang}/service/clinic-east/correction",
    "not found": "/{lang}/service/nope",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    csv_path = write_csv(folder / "agencies.csv", ROWS)
    with gunicorn(folder / "gunicorn.log", CSV_PATH=csv_path, BUILD_ROOT=folder / "builds", PER_PAGE=2) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def new_page(browser, viewport=PHONE, javascript=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    # The neutral sites are outside this machine's network: answer for them here.
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="<title>Weather</title>Weather"))
    context.route("https://neutral.test/**", lambda route: route.fulfill(body="<title>Elsewhere</title>"))
    return context.new_page()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", Config.LANGUAGES)  # every served language, as catalogues land
def test_no_accessibility_violations(browser, site, lang, name, viewport):
    page = new_page(browser, viewport)
    page.goto(site + PAGES[name].format(lang=lang))
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.violations_count == 0, result.generate_report()
    page.context.close()


def find_postcode(page, postcode):
    page.fill("#postcode", postcode)
    page.click(".postcode-form button")
    # With JavaScript the answer comes after the form's fetch (exit.js): wait for the finder's message,
    # the page of candidate boroughs or a borough's page.
    page.wait_for_selector(".finding, .candidates, p.jump")


@pytest.mark.parametrize("postcode", ["E2", "E8 1DY", "not a postcode"])
@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_finder_results_have_no_accessibility_violations(browser, site, lang, postcode):
    page = new_page(browser)
    page.goto(f"{site}/{lang}/finder")
    find_postcode(page, postcode)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.violations_count == 0, result.generate_report()
    page.context.close()


@pytest.mark.parametrize("lang", ["zh", "ar", "en"])
def test_card_qr_code_scans_to_the_entry_in_the_persons_language(browser, site, lang):
    page = new_page(browser)
    page.goto(f"{site}/{lang}/service/clinic-east/card")
    shot = page.locator("svg.qr-code").screenshot()  # as the browser draws it, not as we generate it
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert decoded == [f"{site}/{lang}/service/clinic-east"]
    page.goto(decoded[0])
    assert page.inner_text("h1") == "East Clinic"
    assert page.get_attribute("html", "lang") == {"zh": "zh-Hans-CN", "ar": "ar", "en": "en"}[lang]
    page.context.close()


def test_card_copy_link_with_javascript(browser, site):
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site + "/pt/service/clinic-east/card")
    page.click("#copy-link")
    # The clipboard answers asynchronously: wait for the button to say so (Playwright's timeout fails it).
    page.wait_for_function("document.getElementById('copy-link').textContent === 'Copiado'")
    assert page.evaluate("navigator.clipboard.readText()") == site + "/pt/service/clinic-east"
    context.close()


def test_finder_quick_view_and_card_without_javascript(browser, site):
    page = new_page(browser, javascript=False)
    page.goto(site + "/en/")
    find_postcode(page, "e2 7aa")
    assert page.url == site + "/en/areas/choose?in=tower-hamlets,hackney"
    assert page.eval_on_selector_all(".candidates h2", "els => els.map(e => e.textContent)") == [
        "Tower Hamlets", "Hackney"]  # fmt: skip
    page.click("text=Quick view >> nth=1")
    assert page.url == site + "/en/areas/hackney/quick"
    assert not page.is_visible(".quick-list a")  # needs are folded until tapped
    page.click("summary:has-text('Housing and homelessness')")
    page.click(".quick-list a:has-text('Housing Help')")
    assert page.url == site + "/en/service/housing-help/card"
    assert page.is_visible("svg.qr-code") and page.is_visible("a.sms-link")
    assert not page.is_visible("#copy-link")  # needs JavaScript, so hidden; the link is in a box instead
    assert not page.is_visible("#print-card") and page.is_visible(".print-hint")  # says how to print
    assert page.input_value("#card-link") == site + "/en/service/housing-help"
    page.click(".card-languages a[lang=ro]")
    assert page.eval_on_selector_all(".card-side", "els => els.map(e => e.lang)") == ["ro", "en"]
    page.context.close()


# Paper widths in CSS pixels (96 per inch): the browser lays a printed page out at the paper's width.
PAPER = {"A6": 397, "A4": 794}
# Every element that shows text of its own, with its computed font size.
TEXT_SIZES = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.checkVisibility() && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => [e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30),
             parseFloat(getComputedStyle(e).fontSize)])"""


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_card_prints_large_on_one_a6_or_a4_page(browser, site, lang):
    page = new_page(browser)
    page.goto(f"{site}/{lang}/service/clinic-east/card")
    page.emulate_media(media="print")
    for hidden in (".exit-bar", ".site-header", ".site-footer", ".share", ".card-languages", ".print-card"):
        assert not page.is_visible(hidden), hidden
    for size, width in PAPER.items():
        page.set_viewport_size({"width": width, "height": 740})
        assert page.is_visible("svg.qr-code") and page.is_visible(".card-checked")
        small = [(text, px) for text, px in page.evaluate(TEXT_SIZES) if px < 13]
        assert not small, (size, small)  # large print: nothing under 13px on paper
        assert pdf_pages(page.pdf(format=size)) == 1, size
    # A4 has room for both languages; A6 keeps the person's (the officer has the English on screen).
    assert page.evaluate("[...document.querySelectorAll('.card-side')].filter(e => e.checkVisibility()).length") == (
        1 if lang == "en" else 2
    )
    page.context.close()


def test_card_print_button_with_javascript(browser, site):
    page = new_page(browser)
    page.goto(site + "/ro/service/clinic-east/card")
    assert page.is_visible("#print-card") and not page.is_visible(".print-hint")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")  # the dialog blocks headless
    page.click("#print-card")
    assert page.get_attribute("body", "data-printed") == "yes"
    page.context.close()


def test_keyboard_reaches_every_control_with_visible_focus(browser, site):
    page = new_page(browser)
    page.goto(site + "/en/search?q=clinic")
    # Every control that can be seen: the languages' links are folded inside their <details> (its
    # summary is the control) until it is opened, which the next test does.
    controls = page.eval_on_selector_all(
        "a[href], button, input, select, summary", "els => els.filter(e => e.checkVisibility()).length"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).insetBlockStart") != "-48px"  # shown
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    seen = {-1}  # the skip link; each control is known by its place in the page, as two may look alike
    for _ in range(controls + 2):
        focused = page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
                 const all = [...document.querySelectorAll("a[href], button, input, select, summary")];
                 return [el.tagName, el.outerHTML.slice(0, 80), s.outlineStyle, s.boxShadow, all.indexOf(el)]; }"""
        )
        if focused[0] == "BODY":  # past the last control
            break
        assert focused[2] != "none" or focused[3] != "none", f"no visible focus on {focused[1]}"
        seen.add(focused[4])
        page.keyboard.press("Tab")
    assert len(seen) == controls
    page.context.close()


def test_language_control_opens_from_the_keyboard(browser, site):
    page = new_page(browser)
    page.goto(site + "/en/search?q=clinic")
    page.focus("nav.languages summary")
    page.keyboard.press("Enter")
    assert page.is_visible("nav.languages a[hreflang=bn]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('hreflang')") == "en"
    page.context.close()


def test_skip_link_moves_to_main(browser, site):
    page = new_page(browser)
    page.goto(site + "/en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


@pytest.mark.parametrize("how", ["escape", "click"])
def test_quick_exit_leaves_and_back_does_not_return(browser, site, how):
    page = new_page(browser)
    page.goto("https://neutral.test/")
    page.goto(site + "/en/areas/hackney")
    if how == "escape":
        page.keyboard.press("Escape")
    else:
        page.click("#quick-exit")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == "https://neutral.test/"
    page.context.close()


def test_quick_exit_without_javascript(browser, site):
    page = new_page(browser, javascript=False)
    page.goto(site + "/en/")
    page.click("#quick-exit")
    page.wait_for_url(EXIT_URL)
    page.context.close()


def test_search_filters_pagination_and_picker_without_javascript(browser, site):
    page = new_page(browser, javascript=False)
    page.goto(site + "/en/search")
    page.select_option("#borough", "hackney")
    page.click("form[role=search] button")
    assert "3 services found" in page.inner_text(".result-count")
    page.click("a[rel=next]")
    assert "page 2 of 2" in page.inner_text(".result-count")
    page.fill("#q", "clinic")
    page.select_option("#category", "sexual-health")
    page.click("form[role=search] button")
    assert page.eval_on_selector_all(".result-title a", "els => els.map(e => e.textContent)") == ["East Clinic"]
    page.click(".result-title a")
    assert page.inner_text("h1") == "East Clinic"
    page.goto(site + "/en/")
    page.select_option("#borough", "lambeth")
    page.click(".picker button")
    assert page.url == site + "/en/areas/lambeth"
    page.context.close()


def test_a_visit_stays_on_this_origin_and_stores_nothing(browser, site):
    page = new_page(browser)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + "/en/")
    page.fill("#q", "clinic")
    page.press("#q", "Enter")
    page.click(".result-title a")
    page.goto(site + "/en/areas/hackney")
    page.goto(site + "/en/finder")
    find_postcode(page, "E8 1DY")
    page.goto(site + "/zh/service/clinic-east/card")
    page.goto(site + "/en/staying-safe-online")
    assert requested and all(url.startswith(site + "/") for url in requested), requested
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.context.cookies() == []
    page.context.close()


# The first screen is content: at 360x740 the page's own heading starts in the top 30% of the screen,
# and nothing scrolls sideways, on every page type in every language (the entry also as reached from
# results, with its "Back to results" link above the heading).
FIRST_SCREEN = {
    **PAGES,
    "entry from results": "/{lang}/service/clinic-east?q=clinic&borough=hackney&page=1",
    "longest borough name": "/{lang}/areas/hammersmith-and-fulham/quick",
}


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_heading_on_the_first_screen_and_nothing_scrolls_sideways(browser, site, lang):
    page = new_page(browser)
    for name, url in FIRST_SCREEN.items():
        page.goto(site + url.format(lang=lang))
        top = page.evaluate("document.querySelector('h1').getBoundingClientRect().top")
        assert 0 < top <= 0.3 * PHONE["height"], (name, top)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], name
    page.context.close()


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_borough_page_shows_services_before_the_police_contact(browser, site, lang):
    page = new_page(browser)
    page.goto(f"{site}/{lang}/areas/hackney")
    y = page.evaluate(
        """() => Object.fromEntries(['.need-list', '.routes', 'details.spoc'].map(s =>
             [s, document.querySelector(s).getBoundingClientRect().top]))"""
    )
    assert y[".need-list"] < y[".routes"] < y["details.spoc"], y
    assert not page.is_visible("details.spoc dl")  # folded until tapped
    page.click("p.jump a")  # the routes without the police are one tap from the top
    assert page.evaluate("location.hash") == "#routes-title"
    page.click("details.spoc summary")
    assert page.is_visible("details.spoc dl")
    page.context.close()


def test_language_control_without_javascript_keeps_the_search(browser, site):
    page = new_page(browser, javascript=False)
    page.goto(site + "/en/search?q=clinic&borough=hackney")
    assert not page.is_visible("nav.languages ul")
    page.click("nav.languages summary")
    page.click("nav.languages a[hreflang=pt-BR]")
    assert page.url == site + "/pt/search?q=clinic&borough=hackney"
    assert page.input_value("#q") == "clinic" and page.get_attribute("html", "lang") == "pt-BR"
    page.context.close()


def test_result_to_entry_and_back_to_results_keeps_the_page(browser, site):
    page = new_page(browser, javascript=False)
    page.goto(site + "/en/search?borough=hackney&page=2")
    page.click(".result-title a")
    page.click("text=Back to results")
    assert page.url == site + "/en/search?borough=hackney&page=2"
    assert "page 2 of 2" in page.inner_text(".result-count")
    page.context.close()


def test_service_links_and_buttons_are_at_least_44px_tall(browser, site):
    page = new_page(browser)
    for url in ("/en/search?borough=hackney", "/en/areas/hackney", "/en/areas/", "/en/service/clinic-east?q=a"):
        page.goto(site + url)
        heights = page.eval_on_selector_all(
            ".result-title a, a.call, .links a, .area-list a, .back a, .jump a, .nav a, .languages summary",
            "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height])",
        )
        assert heights, url
        small = [(text, h) for text, h in heights if h < 44]
        assert not small, (url, small)
    page.context.close()


# The finder survives Back, and the quick exit survives any visit (exit.js). Without JavaScript the
# finder's post is answered with a redirect, so Back walks the pages with no "Confirm form resubmission";
# with it, every move within the site replaces the page, so the visit holds one entry of the history.


def history_length(page) -> int:
    return page.evaluate("history.length")


def arrive_from_elsewhere(browser, url: str, javascript: bool = True):
    """A tab that was on another site first (the page Back should lead to), then at `url`; and the
    tab's history length there: the blank page, the other site and this site's one entry."""
    page = new_page(browser, javascript=javascript)
    page.goto("https://neutral.test/")
    page.goto(url)
    return page, history_length(page)


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_finder_to_a_service_and_back_without_javascript(browser, site, lang):
    page = new_page(browser, javascript=False)
    page.goto(f"{site}/{lang}/finder")
    find_postcode(page, "E2")
    choose = f"{site}/{lang}/areas/choose?in=tower-hamlets,hackney"
    assert page.url == choose
    page.click(".candidates .links a >> nth=2")  # Hackney's services
    page.click("a[href$='/service/clinic-east'] >> nth=0")
    assert page.inner_text("h1") == "East Clinic"
    page.go_back()
    assert page.url == f"{site}/{lang}/areas/hackney" and page.inner_text("h1") == "Hackney"
    response = page.go_back()
    assert page.url == choose and response.ok  # a GET page again: no form resubmission
    assert page.locator(".candidates > li > h2").all_inner_texts() == ["Tower Hamlets", "Hackney"]
    page.context.close()


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_finder_with_javascript_keeps_one_history_entry(browser, site, lang):
    page, start = arrive_from_elsewhere(browser, f"{site}/{lang}/")
    find_postcode(page, "e5 8dy")  # the home page's finder
    page.wait_for_url(f"{site}/{lang}/areas/hackney")
    assert history_length(page) == start
    find = page.locator("main a[href$='/service/clinic-east']").first
    find.click()
    page.wait_for_url(f"{site}/{lang}/service/clinic-east")
    page.go_back()  # Back leaves the site: it never shows a posted page
    assert page.url == "https://neutral.test/"
    page.context.close()


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_finder_message_with_javascript_keeps_what_was_typed_and_the_exit(browser, site, lang):
    page, start = arrive_from_elsewhere(browser, f"{site}/{lang}/")
    find_postcode(page, "not a postcode")
    assert page.url == f"{site}/{lang}/finder" and history_length(page) == start
    assert page.input_value("#postcode") == "not a postcode"
    assert page.evaluate("document.activeElement.className") == "finding"  # read out first
    page.select_option("#borough", "lambeth")  # the picker, a GET form, after the swapped-in page
    page.click(".picker button")
    page.wait_for_url(f"{site}/{lang}/areas/lambeth")
    assert history_length(page) == start
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == "https://neutral.test/"
    page.context.close()


@pytest.mark.parametrize("how", ["escape", "click"])
@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_quick_exit_after_a_long_visit_back_never_returns(browser, site, lang, how):
    page, start = arrive_from_elsewhere(browser, f"{site}/{lang}/")  # home
    page.fill("#q", "clinic")
    page.press("#q", "Enter")  # search, a GET form
    page.wait_for_url(f"{site}/{lang}/search?q=clinic")
    page.click(".result-title a")  # entry
    page.wait_for_url(f"{site}/{lang}/service/**")
    page.click(f"nav a[href='/{lang}/areas/']")  # the borough index
    page.wait_for_url(f"{site}/{lang}/areas/")
    page.click(f"main a[href='/{lang}/areas/hackney']")  # borough
    page.wait_for_url(f"{site}/{lang}/areas/hackney")
    page.click("p.jump a")  # a link within the page adds no entry either
    assert page.evaluate("location.hash") == "#routes-title"
    page.click(f"a[href='/{lang}/areas/hackney/quick']")
    page.wait_for_url(f"{site}/{lang}/areas/hackney/quick")
    page.click("summary >> nth=1")
    page.click(".quick-list a >> nth=0")  # card
    page.wait_for_url(f"{site}/{lang}/service/*/card")
    assert history_length(page) == start  # seven pages later, still this site's one entry
    if how == "escape":
        page.focus("#quick-exit")
        page.keyboard.press("Escape")
    else:
        page.click("#quick-exit")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == "https://neutral.test/"
    page.go_forward()
    assert page.url == EXIT_URL  # nothing of this site after the exit either
    page.context.close()


def test_escape_leaves_while_typing_in_a_text_field(browser, site):
    page = new_page(browser)
    page.goto("https://neutral.test/")
    page.goto(site + "/en/search")
    page.click("#q")
    page.keyboard.type("hiv test")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == "https://neutral.test/"
    page.context.close()


def test_links_that_are_not_moves_within_the_site_are_left_alone(browser, site):
    page = new_page(browser)
    page.goto(site + "/en/service/clinic-east")
    # A listener on the window runs after exit.js's (on the document): it records whether exit.js took
    # the click over, then stops the browser following the link so the test stays on this page.
    taken = page.evaluate(
        """() => {
             const seen = [];
             window.addEventListener("click", e => { seen.push(e.defaultPrevented); e.preventDefault(); });
             const click = (a, init) =>
               a.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, ...init}));
             const elsewhere = [...document.querySelectorAll("main a[href]")]
               .filter(a => new URL(a.href, location.href).origin !== location.origin);
             elsewhere.forEach(a => click(a, {button: 0}));
             const here = document.querySelector("main a[href^='/en/']");
             click(here, {button: 0, ctrlKey: true});  // a new tab: left to the browser
             click(here, {button: 1});
             return {elsewhere: elsewhere.map(a => a.protocol), seen};
           }"""
    )
    assert {"tel:", "https:"} <= set(taken["elsewhere"])  # the fixture's phone and website
    assert taken["seen"] == [False] * (len(taken["elsewhere"]) + 2)
    page.context.close()


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_choose_page_on_a_phone(browser, site, lang):
    page = new_page(browser)
    page.goto(f"{site}/{lang}/areas/choose?in=tower-hamlets,hackney")
    top = page.evaluate("document.querySelector('h1').getBoundingClientRect().top")
    assert 0 < top <= 0.3 * PHONE["height"], top
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert not page.is_visible(".candidates details.spoc dl")  # the police contact folded
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.violations_count == 0, result.generate_report()
    page.context.close()
