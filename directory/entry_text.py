"""Translations of the entries' own text, in a gettext domain of their own: `entries`.

Each free-text cell of the CSV becomes one message: its context is "<entry id>:<column>" and its
msgid the English text. Translators work in `translations/<locale>/LC_MESSAGES/entries.po` like in
the interface catalogues. When an admin changes the English, the msgid changes: the old translation
no longer matches (merging never guesses), so the page shows the new English, marked as English and
"not translated yet", until a translator catches up. A stale translation is never shown.
"""

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from flask_babel import Domain
from markupsafe import Markup

from .records import Entry, Service

DOMAIN = "entries"
SERVICE_FIELDS = ("description", "hours_notes", "notes", "eligibility", "police_relationship")
SPOC_FIELDS = ("notes", "unit", "response_time", "backup_contact")
ENGLISH = Markup(' lang="en" dir="ltr"')


def fields_of(entry: Entry) -> tuple[str, ...]:
    return SERVICE_FIELDS if isinstance(entry, Service) else SPOC_FIELDS


def catalog(entries: list[Entry]) -> Catalog:
    """The template (`entries.pot`) for all the entries' translatable text."""
    template = Catalog(project="london-services-directory", domain=DOMAIN, fuzzy=False)
    for entry in entries:
        for field in fields_of(entry):
            text = getattr(entry, field)
            if text:
                template.add(text, context=f"{entry.id}:{field}", auto_comments=[f"{entry.name or entry.id}: {field}"])
    return template


def folders(translation_directories: str) -> list[str]:
    """flask-babel's setting is a ';'-separated string of folders."""
    return [folder for folder in translation_directories.split(";") if folder]


@dataclass(frozen=True)
class Text:
    text: str
    translated: bool  # False: this is the English, shown because no current translation exists

    @property
    def attrs(self) -> Markup:
        """' lang="en" dir="ltr"' on English text inside another language's page."""
        return Markup("") if self.translated else ENGLISH


class Translator:
    """One per app: flask-babel's Domain caches each language's catalogue after its first use."""

    def __init__(self, translation_directories: str):
        self.domain = Domain(translation_directories=folders(translation_directories), domain=DOMAIN)

    def text(self, entry: Entry, field: str, english: bool) -> Text:
        """The cell in the request's language, or the English marked as such."""
        source = getattr(entry, field)
        if english or not source:
            return Text(source, True)
        text = self.domain.pgettext(f"{entry.id}:{field}", source)
        return Text(text, text != source)

    def untranslated(self, entry: Entry, english: bool) -> bool:
        return not english and any(not self.text(entry, f, english).translated for f in fields_of(entry))


def catalogues(translation_directories: str, locales: list[str]) -> list:
    """Each language's compiled `entries` catalogue, loaded once (for building the search index)."""
    from babel.support import Translations

    loaded = []
    for folder in folders(translation_directories):
        for locale in locales:
            catalogue = Translations.load(folder, [locale], domain=DOMAIN)
            if isinstance(catalogue, Translations):  # NullTranslations: no catalogue for it here
                loaded.append(catalogue)
    return loaded


def translated_ids(loaded: list) -> frozenset[str]:
    """The ids of the entries `loaded` (catalogues) translate anything of. A large directory's entries
    are mostly untranslated, and asking each catalogue for each field of each was 8% of indexing
    100,000 entries. Read from gettext's own table, whose keys for a message with a context are
    "context\x04message" (the context here is "id:field")."""
    return frozenset(
        key.split("\x04", 1)[0].rsplit(":", 1)[0]
        for catalogue in loaded
        for key in catalogue._catalog
        if isinstance(key, str) and "\x04" in key
    )


def translations_of(entry: Entry, loaded: list) -> str:
    """Every current translation of the entry's text, joined (for the search index)."""
    texts = []
    for catalogue in loaded:
        for field in fields_of(entry):
            source = getattr(entry, field)
            translated = catalogue.pgettext(f"{entry.id}:{field}", source) if source else ""
            if translated and translated != source:
                texts.append(translated)
    return "\n".join(texts)


def _done(folder: Path, locale: str) -> set[tuple[str, str]]:
    """(context, English) of every text the locale's `entries.po` translates."""
    from babel.messages.pofile import read_po

    path = Path(folder) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return set()
    with open(path, "rb") as handle:
        return {(m.context, m.id) for m in read_po(handle) if m.id and m.string and not m.fuzzy}


def coverage(entries: list[Entry], folder: Path, locales: list[str]) -> dict[str, tuple[int, int]]:
    """For each locale, how many of the entries' current texts its `entries.po` translates, of how many.

    Read from the .po files (what translators edit), so `check` needs no compiled catalogues."""
    wanted = [(m.context, m.id) for m in catalog(entries) if m.id]
    result = {}
    for locale in locales:
        done = _done(folder, locale)
        result[locale] = (sum(key in done for key in wanted), len(wanted))
    return result


def untranslated(entries: list[Entry], folder: Path, locales: list[str]) -> dict[str, tuple[str, ...]]:
    """Entry id -> the locales that show some of its text in English because no translation matches it."""
    wanted = [(m.context, m.id) for m in catalog(entries) if m.id]
    done = {locale: _done(folder, locale) for locale in locales}
    result: dict[str, tuple[str, ...]] = {}
    for key in wanted:
        entry_id = key[0].split(":")[0]
        missing = tuple(locale for locale in locales if key not in done[locale])
        if missing:
            result[entry_id] = tuple(loc for loc in locales if loc in missing or loc in result.get(entry_id, ()))
    return result
