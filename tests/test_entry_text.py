"""Entries' own text in other languages: extracted from the CSV, shown when current, never stale."""

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import ROWS, write_csv

from directory import entry_text, records
from directory.config import Config

SPANISH = "Clínicas gratuitas de salud sexual con pruebas de ITS y anticoncepción."


def test_entry_messages_extracts_each_text_with_its_entry_and_column(app, tmp_path, csv_path):
    out = tmp_path / "entries.pot"
    result = app.test_cli_runner().invoke(args=["entry-messages", "--csv", str(csv_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, "rb") as handle:
        template = read_po(handle)
    clinic = template.get("Free sexual health clinics with STI testing and contraception.", "clinic-east:description")
    assert clinic is not None
    contexts = {m.context for m in template if m.id}
    assert "clinic-east:police_relationship" in contexts and "hackney:notes" not in contexts
    assert "spoc-hackney:notes" in contexts and "spoc-hackney:unit" in contexts


def _spanish_catalogue(folder, english: str) -> None:
    catalogue = Catalog(locale="es", domain="entries")
    catalogue.add(english, SPANISH, context="clinic-east:description")
    (folder / "es" / "LC_MESSAGES").mkdir(parents=True)
    with open(folder / "es" / "LC_MESSAGES" / "entries.mo", "wb") as handle:
        write_mo(handle, catalogue)


def test_a_current_translation_is_shown_and_a_stale_one_never(make_app, tmp_path, csv_path):
    folder = tmp_path / "translations"
    english = ROWS[0]["description"]
    _spanish_catalogue(folder, english)
    settings = {"BABEL_TRANSLATION_DIRECTORIES": f"{folder};{Config.BABEL_TRANSLATION_DIRECTORIES}"}
    client = make_app(**settings).test_client()
    html = client.get("/es/service/clinic-east").get_data(as_text=True)
    assert f'<p class="lead">{SPANISH}</p>' in html
    assert client.get("/en/service/clinic-east").get_data(as_text=True).count(SPANISH) == 0

    # An admin rewrites the English: the Spanish of the old text must not be shown for the new one.
    rows = [dict(ROWS[0], description="Free sexual health clinics, now also offering PrEP."), *ROWS[1:]]
    write_csv(csv_path, rows)
    client = make_app(**settings).test_client()
    html = client.get("/es/service/clinic-east").get_data(as_text=True)
    assert SPANISH not in html
    assert '<p class="lead" lang="en" dir="ltr">Free sexual health clinics, now also offering PrEP.</p>' in html
    assert "todavía no se han traducido" in html  # the "not translated yet" note, in Spanish


def test_translations_feed_the_search_index(tmp_path, csv_path):
    folder = tmp_path / "translations"
    _spanish_catalogue(folder, ROWS[0]["description"])
    entries, _ = records.load(csv_path)
    clinic = next(e for e in entries if e.id == "clinic-east")
    loaded = entry_text.catalogues(str(folder), ["es", "ro"])
    assert len(loaded) == 1  # Romanian has no catalogue in this folder
    assert entry_text.translations_of(clinic, loaded) == SPANISH
    # The index asks only for the entries a catalogue translates something of.
    assert entry_text.translated_ids(loaded) == {"clinic-east"}
    assert entry_text.translated_ids([]) == set()


def test_the_shipped_catalogues_name_every_entry_they_translate():
    """The index skips entries that `translated_ids` does not name: none of them may have a translation."""
    from directory import i18n
    from directory.config import ROOT

    entries, _ = records.load(ROOT / "data" / "agencies.csv")
    for code in i18n.KNOWN:
        loaded = entry_text.catalogues(str(ROOT / "translations"), [i18n.KNOWN[code][0]])
        named = entry_text.translated_ids(loaded)
        translated = {e.id for e in entries.services if entry_text.translations_of(e, loaded)}
        assert translated <= named, code
        assert code == "en" or len(translated) == len(entries.services), code  # all are translated today
