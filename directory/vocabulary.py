"""The everyday words search understands, read from the translators' catalogues (gettext domain `search`).

`translations/search.pot` holds the English; `translations/<locale>/LC_MESSAGES/search.po` each
language's. Every message is a comma-separated list of words and phrases, not a sentence, and its
context says what the list is for:

- `need:<slug>`     words meaning someone looks for that need ("somewhere to sleep" -> housing)
- `filler`          request words that carry no meaning in a search ("I need", "where is")
- `crisis`          despair and suicidal phrasing: crisis lines are shown first
- `borough:<slug>`  the borough's name as written in that language and script

The build reads the configured catalogues once (`load`) and keeps the result in the index folder
(`as_json`), so serving never reads catalogues and `BABEL_TRANSLATION_DIRECTORIES` changes search too.
"""

from dataclasses import dataclass, field

from babel.support import Translations

from . import i18n

DOMAIN = "search"


@dataclass
class Vocabulary:
    # language code -> slug -> phrases (needs and boroughs); language code -> phrases (filler, crisis)
    needs: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    boroughs: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    filler: dict[str, list[str]] = field(default_factory=dict)
    crisis: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"needs": self.needs, "boroughs": self.boroughs, "filler": self.filler, "crisis": self.crisis}

    @classmethod
    def from_json(cls, data: dict) -> "Vocabulary":
        return cls(data["needs"], data["boroughs"], data["filler"], data["crisis"])


def split(text: str) -> list[str]:
    """'a, b ,c' -> ['a', 'b', 'c']: translators write lists, one comma between entries."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _messages(catalogue) -> dict[str, tuple[str, str]]:
    """context -> (msgid, msgstr) of a compiled catalogue. gettext keeps messages with a context
    under "context\\x04msgid" in `_catalog`; it is the only way to list them."""
    found = {}
    for key, value in getattr(catalogue, "_catalog", {}).items():
        if isinstance(key, str) and "\x04" in key:
            context, msgid = key.split("\x04", 1)
            found[context] = (msgid, value)
    return found


def _add(vocab: Vocabulary, lang: str, context: str, text: str) -> None:
    phrases = split(text)
    kind, _, slug = context.partition(":")
    if kind == "need":
        vocab.needs.setdefault(lang, {}).setdefault(slug, []).extend(phrases)
    elif kind == "borough":
        vocab.boroughs.setdefault(lang, {}).setdefault(slug, []).extend(phrases)
    elif kind == "filler":
        vocab.filler.setdefault(lang, []).extend(phrases)
    elif kind == "crisis":
        vocab.crisis.setdefault(lang, []).extend(phrases)


def load(translation_directories: list[str]) -> Vocabulary:
    """Every language's words from the compiled `search` catalogues in these folders (first wins),
    with the English from the messages' ids."""
    vocab = Vocabulary()
    english: dict[str, str] = {}
    for code, (locale, _name) in i18n.KNOWN.items():
        if code == i18n.DEFAULT:
            continue
        seen: set[str] = set()
        for folder in translation_directories:
            catalogue = Translations.load(folder, [locale], domain=DOMAIN)
            for context, (msgid, msgstr) in _messages(catalogue).items():
                english.setdefault(context, msgid)
                if context not in seen:
                    seen.add(context)
                    _add(vocab, code, context, msgstr)
    for context, msgid in english.items():
        _add(vocab, i18n.DEFAULT, context, msgid)
    return vocab
