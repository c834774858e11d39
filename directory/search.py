"""Full-text search with Whoosh: the only module that imports whoosh, so the engine can be swapped.

User text never reaches Whoosh's query parser: we analyse it ourselves and build the query from
terms, so `field:`, `*`, quotes and brackets are just characters, and a hostile query cannot raise.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from babel.support import Translations
from whoosh import index, query
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.idsets import DocIdSet
from whoosh.support.charset import accent_map

from . import entry_text, i18n, reference
from .config import ROOT
from .records import Service
from .synonyms import SYNONYMS

INDEX_NAME = "index"
MAX_QUERY = 200  # characters; longer input is cut, never an error
MAX_TERMS = 12

# A word is letters and digits plus the combining marks Bengali vowel signs and Arabic vowel marks
# are made of (Python's \w leaves them out, which would cut Bengali words into single letters).
WORD = r"[\w\u0980-\u09ff\u0900-\u097f\u064b-\u065f\u0670]+"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None}
                       | {chr(c): None for c in range(0x064B, 0x0660)} | {"\u0670": None})  # fmt: skip


class ScriptFilter(Filter):
    """Chinese is written without spaces: index and search it in overlapping pairs of characters, so
    "免费律师" finds "律师". Arabic: one form for the letters people type in several ways, no vowel marks."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text.translate(ARABIC)
            if text.startswith("ال") and len(text) > 4:  # the article: "العيادة" is "عيادة"
                text = text[2:]
            if CJK.search(text) and len(text) > 2:
                for i in range(len(text) - 1):
                    token.text = text[i : i + 2]
                    yield token
            else:
                token.text = text
                yield token


# Accents are folded before stemming so "São", "sao" and "SAO" meet, as do "ș", "ş" and "s" or "ł" and
# "l", and a word typed without its accents stems the same as with them; then each language's
# stemmer (not Whoosh's StemmingAnalyzer, whose old Porter stemmer turns "running" into "runn").
WORDS = RegexTokenizer(WORD) | LowercaseFilter() | CharsetFilter(accent_map) | ScriptFilter() | StopFilter(lang="en")


@functools.cache
def _polish():
    import snowballstemmer

    return snowballstemmer.stemmer("polish")


@functools.cache
def _bulgarian():
    from importlib.resources import files

    from bulstem.stem import BulStemmer

    return BulStemmer.from_file(str(files("bulstem") / "stemrules" / "stem_rules_context_2_utf8.txt"), min_freq=2)


# Module-level functions, not bound methods: Whoosh pickles the schema, and with it these filters.
def stem_polish(word: str) -> str:
    return _polish().stemWord(word)


def stem_bulgarian(word: str) -> str:
    return _bulgarian().stem(word)


# Snowball stemmers from Whoosh where it has them, the snowball Polish stemmer and BulStem from PyPI;
# Chinese is matched in pairs of characters (ScriptFilter) and Bengali, which has no stemmer here,
# as whole words.
STEMMERS = {
    **{code: StemFilter(lang=code) for code in ("en", "pt", "ro", "es", "hu", "ar")},
    "pl": StemFilter(stemfn=stem_polish),
    "bg": StemFilter(stemfn=stem_bulgarian),
}
ANALYZERS = {code: WORDS | STEMMERS[code] if code in STEMMERS else WORDS for code in i18n.KNOWN}
ANALYZER = ANALYZERS["en"]
OTHER_LANGUAGES = [code for code in i18n.KNOWN if code != i18n.DEFAULT]
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    name=TEXT(analyzer=ANALYZER, field_boost=3.0),
    body=TEXT(analyzer=ANALYZER),
    # Unstemmed words, for typo matching: a typo can throw the stemmer off ("housng" is not "hous").
    spelling=TEXT(analyzer=WORDS),
    # The entry's text as translated into each other language (entries.po), with that language's analyzer.
    **{f"text_{code}": TEXT(analyzer=ANALYZERS[code]) for code in OTHER_LANGUAGES},
    categories=KEYWORD(commas=True),
    areas=KEYWORD(commas=True),
    sort_name=ID(sortable=True),
)
TEXT_FIELDS = ("name", "body")


def stem(word: str, lang: str) -> str:
    """A word already through WORDS, stemmed for `lang` (unchanged where the language has no stemmer)."""
    stemmer = STEMMERS.get(lang)
    return next(stemmer([Token(text=word)])).text if stemmer else word


def _body(service: Service) -> str:
    labels = [reference.CATEGORIES[c] for c in service.categories]
    labels += [reference.ORG_TYPES[o] for o in service.org_type]
    labels += [reference.ACCESS[a] for a in service.access]
    fields = [service.description, service.eligibility, service.notes, service.police_relationship]
    return "\n".join([*fields, service.hours_notes, service.address, service.postcode, *labels])


NEEDS_NAME = "needs.json"


def _need_words() -> dict[str, list[str]]:
    """Each analysed word of a need's everyday words and names (all ten languages) -> its needs.

    Searched at query time: a word such as "dormir" also matches every service in that need, without
    copying the same few hundred words into every service's entry in the index."""
    catalogues = {
        code: Translations.load(str(ROOT / "translations"), [locale]) for code, (locale, _) in i18n.KNOWN.items()
    }
    needs: dict[str, set[str]] = {}
    for slug, label in reference.CATEGORIES.items():
        for code, catalogue in catalogues.items():
            words = f"{catalogue.gettext(label)} {SYNONYMS.get(slug, {}).get(code, '')}"
            # Each word as typed and as its language stems it: "lekarza" meets "lekarz".
            for token in WORDS(words):
                needs.setdefault(token.text, set()).add(slug)
                needs.setdefault(stem(token.text, code), set()).add(slug)
    return {word: sorted(slugs) for word, slugs in sorted(needs.items())}


def write(services: list[Service], path: Path, translated: dict[str, list] | None = None) -> None:
    """Create a new index in an empty folder (the build's own; nothing else writes there).

    `translated`: each language's compiled `entries` catalogues; by default the shipped ones."""
    path.mkdir()
    ix = index.create_in(str(path), SCHEMA)
    (path / NEEDS_NAME).write_text(json.dumps(_need_words(), ensure_ascii=False), encoding="utf-8")
    # The entries' text as translated in each language (entries.po), searched in that language.
    if translated is None:
        translated = {
            code: entry_text.catalogues(str(ROOT / "translations"), [i18n.KNOWN[code][0]]) for code in OTHER_LANGUAGES
        }
    with ix.writer() as writer:
        for s in services:
            body = _body(s)
            writer.add_document(
                id=s.id,
                name=s.name,
                body=body,
                spelling=f"{s.name}\n{body}",
                **{f"text_{code}": entry_text.translations_of(s, translated.get(code, [])) for code in OTHER_LANGUAGES},
                categories=",".join(s.categories),
                areas=",".join(s.boroughs),
                sort_name=s.name.casefold(),
            )
    _write_bits(path)


@dataclass(frozen=True)
class Results:
    ids: list[str]
    total: int
    page: int
    pages: int
    any_word: bool  # no entry had every word, so these match some of them


def _words(text: str) -> list[str]:
    seen: list[str] = []
    for token in WORDS(text[:MAX_QUERY]):
        if token.text not in seen:
            seen.append(token.text)
    return seen[:MAX_TERMS]


def _word_query(word: str, lang: str, typos: list[str], needs: dict[str, list[str]]) -> query.Query:
    """One word in the English text (stemmed for English) or the page language's translation (stemmed
    for that language); or a need it names; or any of `typos` (one letter away)."""
    english, own = stem(word, i18n.DEFAULT), stem(word, lang)
    options: list[query.Query] = [query.Term(f, english) for f in TEXT_FIELDS]
    if lang != i18n.DEFAULT:
        options.append(query.Term(f"text_{lang}", own))
    slugs = {slug for form in {word, english, own} for slug in needs.get(form, ())}
    options += [query.Term("categories", slug) for slug in sorted(slugs)]
    options += [query.Term("spelling", t) for t in typos]
    return query.Or(options)


def _typos(searcher, word: str) -> list[str]:
    """Indexed words one edit away from a word of 5+ letters (expanded once, then reused)."""
    if len(word) < 5:
        return []
    fuzzy = query.FuzzyTerm("spelling", word, maxdist=1, prefixlength=1)
    return [text for _field, text in fuzzy.expanded_terms(searcher.reader()) if text != word]


# Sets of documents are Python ints, bit n for document n: union, intersection and counting run in C
# (`|`, `&`, `int.bit_count`), where Whoosh's own counting walks every match in Python. The postings
# of words found in many entries are turned into these sets once, at build time (BITS_NAME), so no
# worker keeps anything that depends on what people searched for.
BITS_NAME = "bits.bin"
BITS_KEYS = "bits.json"


def _frequent(doc_count: int) -> int:
    """Words in at least this many entries have their set written at build time; rarer ones are read
    from the postings when asked (a few dozen ids, cheaper than keeping them)."""
    return max(32, doc_count // 256)


def _to_bits(docnums, size: int) -> int:
    flags = bytearray((size >> 3) + 1)
    for d in docnums:
        flags[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(flags, "little")


def _write_bits(path: Path) -> None:
    """The set of entries of every frequent term, for `Index` to count matches and filter with."""
    ix = index.open_dir(str(path), readonly=True)
    with ix.reader() as reader:
        size, threshold = reader.doc_count_all(), _frequent(reader.doc_count_all())
        keys: dict[str, dict[str, list[int]]] = {}
        offset = 0
        with open(path / BITS_NAME, "wb") as out:
            for (field, text), info in reader:
                if info.doc_frequency() < threshold:
                    continue
                blob = _to_bits(reader.postings(field, text).all_ids(), size).to_bytes((size >> 3) + 1, "little")
                out.write(blob)
                keys.setdefault(field, {})[text.decode("utf-8")] = [offset, len(blob)]
                offset += len(blob)
    (path / BITS_KEYS).write_text(json.dumps(keys, ensure_ascii=False), encoding="utf-8")


class BitFilter(DocIdSet):
    """A set of entries as Whoosh's `filter=` wants it: `in` is one byte lookup."""

    def __init__(self, bits: int, size: int):
        self.flags = bits.to_bytes((size >> 3) + 1, "little")

    def __contains__(self, docnum: int) -> bool:
        return bool(self.flags[docnum >> 3] >> (docnum & 7) & 1)

    def __bool__(self) -> bool:
        return True  # Whoosh skips a falsy filter; an empty one is answered before it gets here

    def __iter__(self):
        return (d for d in range(len(self.flags) * 8) if d in self)


class Index:
    """A read-only handle on one build's index: one searcher, opened once and kept for the build's
    life (a worker gets a new Index when the build changes; builds.Current)."""

    def __init__(self, path: Path):
        self.ix = index.open_dir(str(path), readonly=True)
        # Opening a searcher opens the segment's files and reads its term dictionary: once per build
        # instead of once per request. Workers handle one request at a time (gunicorn sync).
        self.searcher = self.ix.searcher()
        self.size = self.searcher.doc_count_all()
        needs = path / NEEDS_NAME  # absent in builds made before it existed: words only, then
        self.needs: dict[str, list[str]] = json.loads(needs.read_text(encoding="utf-8")) if needs.exists() else {}
        self._bits_blob = (path / BITS_NAME).read_bytes() if (path / BITS_NAME).exists() else b""
        self._bits_keys = json.loads((path / BITS_KEYS).read_text(encoding="utf-8")) if self._bits_blob else {}
        # A need, a borough and both are the same for everyone until the next build: their sets are
        # kept (one per need and borough at most). Typed words are never kept.
        self._filter_bits = functools.lru_cache(maxsize=512)(self._filter_bits_uncached)
        # Browsing a need or a borough (no words typed) is the same for everyone until the next
        # build, which gets a new Index: remember those pages. Typed searches are never kept.
        self._browse = functools.lru_cache(maxsize=512)(self._search)

    def close(self) -> None:
        self.searcher.close()

    def _term_bits(self, field: str, text: str) -> int:
        """The entries holding one term: written at build time when frequent, else from its postings."""
        where = self._bits_keys.get(field, {}).get(text)
        if where is not None:
            offset, length = where
            return int.from_bytes(self._bits_blob[offset : offset + length], "little")
        reader = self.searcher.reader()
        if (field, text) not in reader:
            return 0
        return _to_bits(reader.postings(field, text).all_ids(), self.size)

    def bits(self, q: query.Query) -> int:
        """The entries matching `q`, as a set (see BITS_NAME). Terms, And and Or are computed here;
        any other kind of query is asked of Whoosh."""
        if isinstance(q, query.Term):
            return self._term_bits(q.fieldname, q.text)
        if isinstance(q, query.And):
            result = -1  # every bit set: the identity of &
            for sub in q.subqueries:
                result &= self.bits(sub)
                if not result:
                    return 0
            return 0 if result == -1 else result
        if isinstance(q, query.Or) and not getattr(q, "minmatch", 0):
            result = 0
            for sub in q.subqueries:
                result |= self.bits(sub)
            return result
        if isinstance(q, query.AndMaybe):  # the optional part only adds to the score
            return self.bits(q.a)
        if isinstance(q, query.AndNot):
            return self.bits(q.a) & ~self.bits(q.b)
        if isinstance(q, query.Every):
            return (1 << self.size) - 1
        if q is query.NullQuery:
            return 0
        return _to_bits(self.searcher.docs_for_query(q), self.size)

    def _filter_bits_uncached(self, category: str, area: str) -> int:
        filters: list[query.Query] = []
        if category:
            filters.append(query.Term("categories", category))
        if area:
            filters.append(query.Or([query.Term("areas", a) for a in (area, "london", "national")]))
        return self.bits(query.And(filters)) if filters else (1 << self.size) - 1

    def _hits(self, q: query.Query, category: str, area: str, limit: int):
        """(top hits of `q` within the filters, up to `limit`; how many match in all).

        The count comes from the sets, not from Whoosh (which, ranking only the top, would run the
        query a second time to count); the top is ranked by Whoosh restricted to the matches."""
        matches = self.bits(q) & self._filter_bits(category, area)
        if not matches:
            return None, 0
        hits = self.searcher.search(q, filter=BitFilter(matches, self.size), limit=limit)
        return hits, matches.bit_count()

    def search(
        self, text: str, category: str = "", area: str = "", page: int = 1, per_page: int = 10, lang: str = "en"
    ) -> Results:
        """Services matching `text` in English or in the language `lang` (the page's), within the filters."""
        lang = lang if lang in i18n.KNOWN else i18n.DEFAULT
        if not _words(text):
            return self._browse("", category, area, page, per_page, i18n.DEFAULT)
        return self._search(text, category, area, page, per_page, lang)

    def _search(self, text: str, category: str, area: str, page: int, per_page: int, lang: str) -> Results:
        """Rank services matching every word of `text` (or, failing that, any word) within the filters."""
        terms = _words(text)
        # Only the hits up to the asked page are ranked and only that page's ids are read: with a
        # common word at 10,000 entries, reading every hit's stored id was most of the time.
        limit = page * per_page
        searcher = self.searcher
        if not terms:
            matches = self._filter_bits(category, area)
            everyone = BitFilter(matches, self.size)
            hits = searcher.search(query.Every(), filter=everyone, limit=limit, sortedby="sort_name")
            return self._page(hits, matches.bit_count(), page, per_page, False)
        # Cheapest first: every word exactly; then every word allowing a typo; then any word.
        # Typos multiply the terms to score, so they are looked for only when nothing matched.
        exact = query.And([_word_query(t, lang, [], self.needs) for t in terms])
        hits, total = self._hits(exact, category, area, limit)
        if not total:
            typos = {t: _typos(searcher, t) for t in terms}
            words = [_word_query(t, lang, typos[t], self.needs) for t in terms]
            if any(typos.values()):
                hits, total = self._hits(query.And(words), category, area, limit)
            if not total and len(words) > 1:
                hits, total = self._hits(query.Or(words), category, area, limit)
                return self._page(hits, total, page, per_page, True)
        return self._page(hits, total, page, per_page, False)

    @staticmethod
    def _page(hits, total: int, page: int, per_page: int, any_word: bool) -> Results:
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        start = (page - 1) * per_page
        shown = hits.scored_length() if hits is not None else 0
        ids = [hits[i]["id"] for i in range(start, min(start + per_page, shown))]
        return Results(ids, total, page, pages, any_word)
