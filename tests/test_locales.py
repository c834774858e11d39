"""The CLDR facts the pages use come from a small table (directory/locales.json), not from Babel's own
data, which takes 13.8 MB in a worker for the ten languages. Written as Babel writes them."""

import datetime as dt

import babel.localedata
import pytest
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

from directory import i18n, locales

NAMES = i18n.babel_locales()


def test_the_table_is_what_babel_says_else_run_make_locales():
    assert "en_GB" in NAMES and len(NAMES) == len(i18n.KNOWN) + 1
    assert locales.from_babel(NAMES) == dict(locales.table()), "out of date: run `make locales`"


@pytest.mark.parametrize("name", NAMES)
def test_long_dates_are_written_as_babel_writes_them(name):
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(366)]  # a leap year, every month
    days += [dt.date(1999, 12, 31), dt.date(2026, 11, 22), dt.date(2100, 2, 28)]
    for day in days:
        assert locales.long_date(day, name) == format_date(day, "long", locale=name), day


@pytest.mark.parametrize("name", NAMES)
def test_lists_days_and_direction_are_babels(name):
    words = ["Hackney", "Tower Hamlets", "Camden", "Lambeth", "Brent"]
    for n in range(len(words) + 1):
        assert locales.join(words[:n], name) == format_list(words[:n], locale=name)
    locale = Locale.parse(name)
    assert locales.direction(name) == locale.text_direction
    assert locales.day_names(name) == [locale.days["format"]["wide"][i] for i in range(7)]


def test_a_long_date_with_a_field_it_cannot_write_is_refused_when_the_table_is_made(monkeypatch):
    monkeypatch.setattr(
        Locale, "date_formats", property(lambda self: {"long": babel.dates.parse_pattern("EEEE d MMMM y")})
    )
    with pytest.raises(ValueError, match="EEEE"):
        locales.from_babel(["en_GB"])


@pytest.mark.parametrize("lang", list(i18n.KNOWN))
def test_the_build_names_the_languages_services_speak_in_each_page_language(get_page, lang):
    page_locale = Locale.parse(i18n.KNOWN[lang][0])
    names = [Locale.parse(code).get_display_name(page_locale) for code in ("pt_BR", "ro")]
    expected = format_list(names, locale=i18n.FORMAT_LOCALE.get(lang, i18n.KNOWN[lang][0]))
    soup = get_page(f"/{lang}/service/clinic-east")
    spoken = [div.dd.get_text() for div in soup.select(".facts > div") if div.dd.get_text() == expected]
    assert spoken == [expected]


def test_a_code_babel_does_not_know_is_named_by_itself():
    rows = locales.language_names(["xx-Nope", "ro"], ["en", "ar"])
    assert {(r["code"], r["locale"]): r["name"] for r in rows} == {
        ("ro", "en"): "Romanian", ("ro", "ar"): Locale.parse("ro").get_display_name("ar"),
        ("xx-Nope", "en"): "xx-Nope", ("xx-Nope", "ar"): "xx-Nope"}  # fmt: skip


def test_a_worker_serving_every_language_loads_none_of_babels_locale_data(app, client):
    babel.localedata._cache.clear()  # what this test process loaded for the tests above
    for lang in i18n.KNOWN:
        for path in ("/", "/search?q=clinic", "/service/clinic-east", "/service/clinic-east/card", "/areas/hackney"):
            assert client.get(f"/{lang}{path}").status_code == 200, (lang, path)
        assert client.get(f"/{lang}/no-such-page").status_code == 404
    assert not babel.localedata._cache, sorted(babel.localedata._cache)
