"""Full-text search with Whoosh: with scores.py, the only modules that import whoosh, so the engine can be swapped.

User text never reaches Whoosh's query parser: we analyse it ourselves and build the query from
terms, so `field:`, `*`, quotes and brackets are just characters, and a hostile query cannot raise.
"""

import functools
import itertools
import json
import math
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index, query
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.fields import KEYWORD, STORED, TEXT, Schema
from whoosh.filedb import compound, structfile
from whoosh.support.charset import accent_map

from . import entry_text, i18n, indexing, ranking, reference, scores, vocabulary
from . import query as reading  # what was typed, understood (whoosh's `query` builds the search)
from .config import ROOT
from .query import MAX_QUERY, Understood  # noqa: F401 (MAX_QUERY: the views cut input to it)
from .records import Service

INDEX_NAME = "index"
MAX_TERMS = reading.MAX_WORDS

# A word is letters and digits plus the combining marks Bengali vowel signs and Arabic vowel marks
# are made of (Python's \w leaves them out, which would cut Bengali words into single letters).
WORD = r"[\w\u0980-\u09ff\u0900-\u097f\u064b-\u065f\u0670]+"
# The index folds Arabic letters and finds Chinese as query.py does, so the two always meet.
CJK, ARABIC = reading.CJK, reading.ARABIC


class ScriptFilter(Filter):
    """One Unicode form (NFKC: Bengali letters typed precomposed or in two parts meet). Chinese is
    written without spaces: cut into words by jieba, with the shorter words inside longer ones, so
    "免费律师" finds "律师" and a longer phrase finds as much as a shorter one. Arabic: one form for
    the letters people type in several ways, no vowel marks."""

    def __call__(self, tokens):
        for token in tokens:
            text = unicodedata.normalize("NFKC", token.text).translate(ARABIC)
            if text.startswith("ال") and len(text) > 4:  # the article: "العيادة" is "عيادة"
                text = text[2:]
            if CJK.search(text):
                # Indexing cuts with jieba's whole dictionary, queries with the build's own.
                for word in reading.cut(reading.fold(text), for_search=True, whole=token.mode == "index"):
                    token.text = word
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
def _bulgarian() -> dict[str, str]:
    """BulStem's rules (context 2, seen at least twice) as one table, an ending -> what replaces it.
    BulStem's own stemmer keeps them in a trie of an object per letter, 8.4 MB in every worker that
    stems a Bulgarian word; this table is about a quarter of that and stems the same (tests/test_search.py)."""
    from importlib.resources import files

    from bulstem.stem import BulStemmer

    rules = {}
    with (files("bulstem") / "stemrules" / "stem_rules_context_2_utf8.txt").open(encoding="utf-8") as lines:
        for line in lines:
            found = BulStemmer.RULES_PATTERN.match(line.strip())
            if found and int(found[3]) >= 2:
                rules[found[1].lower()] = sys.intern(found[2])
    return rules


BULGARIAN_VOWELS = frozenset("аъоуеияю")  # BulStem's


# Module-level functions, not bound methods: Whoosh pickles the schema, and with it these filters.
def stem_polish(word: str) -> str:
    return _polish().stemWord(word)


def stem_bulgarian(word: str) -> str:
    """BulStem (Nakov): the longest ending with a rule, after the first vowel, in words of more than
    three letters."""
    word = word.lower()
    if len(word) <= 3:
        return word
    rules = _bulgarian()
    first = next((i for i, c in enumerate(word) if c in BULGARIAN_VOWELS), len(word)) + 1
    for start in range(first, len(word)):
        ending = rules.get(word[start:])
        if ending is not None:
            return word[:start] + ending
    return word


# Arabic: a light stemmer (Larkey's light10) that takes off the prefixes and suffixes of the word
# as written, not the root: the snowball stemmer merged unrelated words of one root ("محامي" lawyer
# and "حماية" protection). Letters are already in one form (ة is ه, ى is ي) and "ال" is off.
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def stem_arabic(word: str) -> str:
    if len(word) >= 4 and word.startswith("و"):
        word = word[1:]
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
            # A word's final ة is written ت before "my" or "her": "تأشيرتي" (my visa) is "تأشيرة".
            if suffix in ("ي", "ه", "ها") and word.endswith("ت") and len(word) >= 5:
                word = word[:-1]
    return word


# Bengali: the common case endings and plural markers ("ডাক্তারের" is "ডাক্তার"), longest first,
# leaving at least two letters.
BENGALI_SUFFIXES = sorted(
    ("গুলোতে", "গুলোর", "গুলো", "গুলি", "দেরকে", "দের", "েরা", "কে", "তে", "রা", "ের", "টি", "টা"),
    key=len,
    reverse=True,
)


def stem_bengali(word: str) -> str:
    for suffix in BENGALI_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


# Snowball stemmers from Whoosh where it has them, the snowball Polish stemmer and BulStem from PyPI,
# light stemmers for Arabic and Bengali; Chinese is cut into words (ScriptFilter).
# cachesize=None: Whoosh's StemFilter otherwise keeps the last 50,000 words it stemmed, in a worker
# the words people typed. Nothing in a worker may remember a search; a build stems each distinct word
# once anyway (indexing.py).
STEMMERS = {
    **{code: StemFilter(lang=code, cachesize=None) for code in ("en", "pt", "ro", "es", "hu")},
    "pl": StemFilter(stemfn=stem_polish, cachesize=None),
    "bg": StemFilter(stemfn=stem_bulgarian, cachesize=None),
    "ar": StemFilter(stemfn=stem_arabic, cachesize=None),
    "bn": StemFilter(stemfn=stem_bengali, cachesize=None),
}
ANALYZERS = {code: WORDS | STEMMERS[code] if code in STEMMERS else WORDS for code in i18n.KNOWN}
ANALYZER = ANALYZERS["en"]
OTHER_LANGUAGES = [code for code in i18n.KNOWN if code != i18n.DEFAULT]
# phrase=False: postings hold how often a word occurs, not where. Nothing searches phrases (a need's
# phrase is found in the query and searched as the need, query.py), and positions were a quarter of
# the index and dear to write.
SCHEMA = Schema(
    # Read from the stored fields, never searched: not indexed (at 100,000 entries, 100,000 terms of
    # one entry each for the build to write and nothing to read them).
    id=STORED(),
    name=TEXT(analyzer=ANALYZER, field_boost=3.0, phrase=False),
    body=TEXT(analyzer=ANALYZER, phrase=False),
    # The entry's text as translated into each other language (entries.po), with that language's analyzer.
    **{f"text_{code}": TEXT(analyzer=ANALYZERS[code], phrase=False) for code in OTHER_LANGUAGES},
    categories=KEYWORD(commas=True, stored=True),
    areas=KEYWORD(commas=True, stored=True),
)
TEXT_FIELDS = ("name", "body")
# The fields Whoosh scores with BM25F (the others score their weight): their lengths go to scores.py.
SCORED = [name for name, field in SCHEMA.items() if field.scorable]
# A need named by a word counts this much more than the word in a service's text: "aids" is a need
# (sexual health), not the "Aid" in a name.
NEED_BOOST = 10.0
# Of the meaning words that match anything at all, this share must match one service (rounded up):
# one of one, two of two, two of three, three of four. Filler left over does not shut services out.
MOST = 0.6
CRISIS_NEED = "mental-health"
NEED_PREFIX = "\x00need:"  # cannot be typed: query.py's words are letters and digits only
MOST_OF = 5
# Typed searches: this many best matches are put in the order of ranking.py; the rest by score.
RANKED = 40


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


VOCABULARY_NAME = "vocabulary.json"


def _need_words(vocab: vocabulary.Vocabulary) -> dict[str, list[str]]:
    """Each analysed word of a need's everyday words and names (all ten languages) -> its needs.

    Searched at query time: a word such as "dormir" also matches every service in that need, without
    copying the same few hundred words into every service's entry in the index."""
    needs: dict[str, set[str]] = {}
    for code in i18n.KNOWN:
        for slug in reference.CATEGORIES:
            words = vocab.needs.get(code, {}).get(slug, [])
            # Each one-word entry as typed and as its language stems it: "lekarza" meets "lekarz".
            # Phrases of several words are found whole in the query (query.py), not word by word.
            # One word as query.py cuts it: a Chinese word's analysed form also holds the shorter
            # words inside it ("男朋友" gives "朋友"), so the longest is the word itself.
            for entry in words:
                tokens = [t.text for t in WORDS(entry)]
                if tokens and len(reading.cut(reading.fold(entry))) == 1:
                    word = max(tokens, key=len)
                    needs.setdefault(word, set()).add(slug)
                    needs.setdefault(stem(word, code), set()).add(slug)
    return {word: sorted(slugs) for word, slugs in sorted(needs.items())}


def _need_labels(folders: list[str]) -> dict[str, dict[str, str]]:
    """Each language's name for each need, from the interface catalogues (`messages`)."""
    from babel.support import Translations

    labels = {}
    for code, (locale, _) in i18n.KNOWN.items():
        catalogue = Translations.load(folders[0], [locale]) if folders else None
        labels[code] = {
            slug: catalogue.gettext(label) if catalogue else label for slug, label in reference.CATEGORIES.items()
        }
    return labels


def write(
    services: list[Service], path: Path, translated: dict[str, list] | None = None, translations: str | None = None
) -> None:
    """Create a new index in an empty folder (the build's own; nothing else writes there).

    `translations`: the configured catalogue folders (';'-separated), read here once for the entries'
    translated text, the need names and the search vocabulary; by default the shipped ones.
    `translated`: each language's compiled `entries` catalogues, if already loaded."""
    folders = entry_text.folders(translations or str(ROOT / "translations"))
    path.mkdir()
    ix = index.create_in(str(path), SCHEMA)
    vocab = vocabulary.load(folders)
    # Each need's name in each language is one more phrase ("Leaving sex work", not "leaving" or "work").
    for code, names in _need_labels(folders).items():
        for slug, label in names.items():
            vocab.needs.setdefault(code, {}).setdefault(slug, []).append(label)
    with reading.whole_dictionary():
        prepared = reading.prepare(vocab, i18n.KNOWN)
        words = {"vocabulary": vocab.as_json(), "needs": _need_words(vocab), "reader": prepared}
    (path / VOCABULARY_NAME).write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    # The entries' text as translated in each language (entries.po), searched in that language.
    if translated is None:
        translated = {code: entry_text.catalogues(";".join(folders), [i18n.KNOWN[code][0]]) for code in OTHER_LANGUAGES}
    # indexing.Writer writes the segment Whoosh's own writer would, faster; one writer, one segment.
    analyzers = {name: field.analyzer for name, field in SCHEMA.items() if isinstance(field, TEXT)}
    with indexing.Writer(ix, analyzers) as writer:
        for document in documents(services, translated):
            writer.add_document(**document)
        # Every distinct word of the names and English text as written, each analysed once already.
        written = writer.words["body"].cache.keys() | writer.words["name"].cache.keys()
    with index.open_dir(str(path), readonly=True).reader() as reader:
        scores.write(path, reader, SCORED)
    _write_order(services, path)
    _write_dictionary(path, prepared)
    _write_spelling(written, path)


# Every word of the entries' names and English text, unstemmed (a typo can throw a stemmer off:
# "housng" is not "hous"), as one document of a small index of its own: a word that matches nothing
# is looked up there, one letter away, and the words found are searched as if typed. Only the words
# are kept, not which entries hold them: the main index answers that.
SPELLING_NAME = "spelling"
SPELLING = Schema(word=KEYWORD())


def _write_spelling(written: set[str], path: Path) -> None:
    """`written`: the distinct words of the names and English text as the index's tokenizer found
    them (the index's writer has them: reading 100,000 entries' text again took 6 s), unstemmed here.
    Written by indexing.Writer: Whoosh's own writer took 9 s for this one entry of 100,000 words."""
    words = indexing.Words(WORDS)
    known = {word for text in written for word in words(text)}
    folder = path / SPELLING_NAME
    folder.mkdir()
    with indexing.Writer(index.create_in(str(folder), SPELLING), {}) as writer:
        writer.add_document(word=" ".join(sorted(known)))


def _write_dictionary(path: Path, prepared: dict) -> None:
    """The small dictionary this build's queries are cut with (query.write_dictionary): from every
    Chinese word in the index and every phrase of the vocabulary, the stop words and request words."""
    texts: set[str] = set()
    with index.open_dir(str(path), readonly=True).reader() as reader:
        for name, field in SCHEMA.items():
            if isinstance(field, TEXT):
                texts.update(t for t in map(bytes.decode, reader.lexicon(name)) if CJK.search(t))
    texts |= {name for name, _slug in prepared["boroughs"]} | set(prepared["need_words"]) | set(prepared["crisis"])
    texts |= {phrase for phrase, _slugs in prepared["phrases"]} | set(prepared["stop"].get("zh", ()))
    texts |= {phrase for phrases in prepared["filler"].values() for phrase in phrases}
    with reading.whole_dictionary():
        reading.write_dictionary(path / reading.DICTIONARY_NAME, sorted(texts))


# What ranking.py's order needs of every entry, so that lists and the best matches of a search are
# sorted in C, without reading any entry: each entry's (made for sex workers: 0, 24/7: 0, main need,
# name's place A to Z), row n for entry n (the index numbers entries in the order they were added).
ORDER_NAME = "order.npy"
# Entry n's opening spans, for "open now": rows SPAN_STARTS[n] to SPAN_STARTS[n + 1] of SPANS, each
# (weekday, first minute, last minute), as hours.Week holds them (a span past midnight ends "earlier").
SPANS_NAME, SPAN_STARTS_NAME = "spans.npy", "span_starts.npy"
NEED_CODES = {slug: code for code, slug in enumerate(reference.CATEGORIES)}
NO_NEED = len(NEED_CODES)


def _write_order(services: list[Service], path: Path) -> None:
    names = [s.name.casefold() for s in services]
    rank = np.empty(len(services), dtype=np.uint32)
    rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names), dtype=np.uint32)
    order = np.zeros((len(services), 4), dtype=np.uint32)
    for n, s in enumerate(services):
        main = NEED_CODES.get(s.categories[0], NO_NEED) if s.categories else NO_NEED
        order[n, :3] = (not ranking.is_sex_worker_specific(s), not s.hours.always, main)
    order[:, 3] = rank
    np.save(path / ORDER_NAME, order)
    spans = [
        (day, ranking.minutes(first), ranking.minutes(last))
        for s in services
        for day, day_spans in enumerate(s.hours.days)
        for first, last in day_spans
    ]
    counts = [sum(len(day_spans) for day_spans in s.hours.days) for s in services]
    np.save(path / SPANS_NAME, np.array(spans, dtype=np.uint16).reshape(len(spans), 3))
    np.save(path / SPAN_STARTS_NAME, np.concatenate([[0], np.cumsum(counts, dtype=np.uint32)]).astype(np.uint32))


def documents(services: list[Service], translated: dict[str, list]) -> Iterator[dict]:
    """Each service's fields as the index holds them (`translated`: as `write` takes it)."""
    catalogues = {code: translated.get(code, []) for code in OTHER_LANGUAGES}
    done = {code: entry_text.translated_ids(loaded) for code, loaded in catalogues.items()}
    for s in services:
        body = _body(s)
        yield dict(
            id=s.id,
            name=s.name,
            body=body,
            **{
                f"text_{code}": entry_text.translations_of(s, loaded) if s.id in done[code] else ""
                for code, loaded in catalogues.items()
            },
            categories=",".join(s.categories),
            areas=",".join(s.boroughs),
        )


@dataclass(frozen=True)
class Results:
    ids: list[str]
    total: int
    page: int
    pages: int
    any_word: bool  # no entry had most of the words, so these match some of them


def _word_query(word: str, lang: str, needs: dict[str, list[str]]) -> query.Query:
    """One word in the English text (stemmed for English) or the page language's translation (stemmed
    for that language); or a need it names. A need named by a phrase (query.py) comes as NEED_PREFIX
    and the need."""
    if word.startswith(NEED_PREFIX):
        slug, _, phrase = word.removeprefix(NEED_PREFIX).partition(":")
        words = [_word_query(w, lang, needs) for w in reading.cut(phrase)]
        # The need, or any of the phrase's words (each counts less than the need)
        return query.Or([query.Term("categories", slug, boost=NEED_BOOST), query.Or(words, boost=0.5)])
    options: list[query.Query] = []
    forms: set[str] = set()
    # A Chinese word may be cut into shorter words as well: any of them.
    for token in WORDS(word):
        english, own = stem(token.text, i18n.DEFAULT), stem(token.text, lang)
        forms |= {token.text, english, own}
        options += [query.Term(f, english) for f in TEXT_FIELDS]
        if lang != i18n.DEFAULT:
            options.append(query.Term(f"text_{lang}", own))
    slugs = {slug for form in forms for slug in needs.get(form, ())}
    options += [query.Term("categories", slug, boost=NEED_BOOST) for slug in sorted(slugs)]
    return query.Or(options)


def _most_of(words: list[query.Query]) -> query.Query:
    """Services matching most of `words` (MOST of them, rounded up; all of one or two).

    Whoosh's `Or(minmatch=)` is not implemented, so: any `most` of them together, each group scored
    on its words (a service matching every word is in every group, so it scores highest). Only the
    first MOST_OF words count, which keeps this to at most 10 groups."""
    if not words:
        return query.NullQuery
    counted = words[:MOST_OF]
    most = len(counted) if len(counted) <= 2 else math.ceil(MOST * len(counted))
    if most == len(counted):
        return query.And(counted)
    return query.Or([query.And(group) for group in itertools.combinations(counted, most)])


def _matches_anything(reader, word_query: query.Query) -> bool:
    return any(reader.doc_frequency(field, text) for field, text in word_query.iter_all_terms())


def _typos(spelling, word: str) -> list[str]:
    """The entries' words one edit away from a word of 5+ letters (`spelling`: SPELLING's reader)."""
    if len(word) < 5:
        return []
    fuzzy = query.FuzzyTerm("word", word, maxdist=1, prefixlength=1)
    return [text for _field, text in fuzzy.expanded_terms(spelling) if text != word]


# Sets of documents, for filters and counts, are Python ints, bit n for document n: union,
# intersection and counting run in C (`|`, `&`, `int.bit_count`). They are made from the postings
# scores.py reads (written at build time for terms found in many entries).
def _to_bits(docnums, size: int) -> int:
    flags = np.zeros(size, dtype=bool)
    flags[np.fromiter(docnums, dtype=np.int64) if not isinstance(docnums, np.ndarray) else docnums] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _to_mask(bits: int, size: int) -> np.ndarray:
    """The same set as an array of booleans, for scores.py."""
    flags = np.frombuffer(bits.to_bytes((size >> 3) + 1, "little"), dtype=np.uint8)
    return np.unpackbits(flags, bitorder="little")[:size].astype(bool)


class _MappedFile:
    """A read-only file over a part of the index's memory-mapped segment that copies only what is read."""

    def __init__(self, view: memoryview):
        self._view, self._pos = view, 0

    def read(self, n: int | None = -1) -> bytes:
        end = len(self._view) if n is None or n < 0 else min(self._pos + n, len(self._view))
        data = self._view[self._pos : end].tobytes()
        self._pos = end
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, limit: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if limit is None or limit < 0 else min(start + limit, len(self._view))
        pos = start
        while pos < end:  # a chunk at a time, not the rest of the segment
            found = self._view[pos : min(pos + 256, end)].tobytes().find(b"\n")
            if found >= 0:
                end = pos + found + 1
                break
            pos += 256
        self._pos = end
        return self._view[start:end].tobytes()

    def seek(self, pos: int, whence: int = 0) -> int:
        self._pos = pos if whence == 0 else self._pos + pos if whence == 1 else len(self._view) + pos
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass


class _MappedBufferFile(structfile.BufferFile):
    """Whoosh maps the segment's file into memory, then copies each part it opens whole into a BytesIO
    (BytesIO copies a memoryview): at 10,000 entries the postings and terms, 11 MB, were held twice in
    every worker, as mapped pages and as the copy. This reads from the mapping, which the workers share
    through the page cache. Whoosh's own `get` and `get_array` already read from the mapping."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _MappedFile(memoryview(buf))


compound.BufferFile = _MappedBufferFile  # what CompoundStorage.open_file makes for each part


class Index:
    """A read-only handle on one build's index: one searcher, opened once and kept for the build's
    life (a worker gets a new Index when the build changes; builds.Current)."""

    def __init__(self, path: Path):
        self.ix = index.open_dir(str(path), readonly=True)
        # Opening a searcher opens the segment's files and reads its term dictionary: once per build
        # instead of once per request. Workers handle one request at a time (gunicorn sync).
        self.searcher = self.ix.searcher()
        self.size = self.searcher.doc_count_all()
        self.scores = scores.Scores(path, self.searcher, SCORED)
        self.spelling = index.open_dir(str(path / SPELLING_NAME), readonly=True).reader()
        # A need, a borough and both are the same for everyone until the next build: their sets are
        # kept (one per need and borough at most). Typed words are never kept.
        self._filter_bits = functools.lru_cache(maxsize=512)(self._filter_bits_uncached)
        words = path / VOCABULARY_NAME  # absent in builds made before it existed: words only, then
        data = json.loads(words.read_text(encoding="utf-8")) if words.exists() else {}
        self.needs: dict[str, list[str]] = data.get("needs", {})
        self.reader = reading.Reader(
            vocabulary.Vocabulary.from_json(data["vocabulary"]) if data else vocabulary.Vocabulary(),
            data.get("reader"),  # folded and cut at build time: opening a build loads no jieba
            # Chinese queries are cut with the build's own small dictionary, where it has one.
            path / reading.DICTIONARY_NAME if (path / reading.DICTIONARY_NAME).exists() else None,
        )
        self._order = np.load(path / ORDER_NAME, mmap_mode="r")
        self._spans = np.load(path / SPANS_NAME, mmap_mode="r")
        self._span_starts = np.load(path / SPAN_STARTS_NAME, mmap_mode="r")

    def close(self) -> None:
        self.searcher.close()
        self.spelling.close()

    def _term_bits(self, field: str, text: str) -> int:
        """The entries holding one term (scores.py reads them: from the build when frequent)."""
        return _to_bits(self.scores.postings(field, text)[0], self.size)

    def bits(self, q: query.Query) -> int:
        """The entries matching `q`, as a set (see `_to_bits`). Terms, And and Or are computed here;
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

    def understand(self, text: str, lang: str = "en") -> Understood:
        """What was typed: meaning words, a borough, a postcode, a crisis (query.py)."""
        return self.reader.understand(text, lang if lang in i18n.KNOWN else i18n.DEFAULT)

    def search(
        self,
        text: "str | Understood",
        category: str = "",
        area: str = "",
        page: int = 1,
        per_page: int = 10,
        lang: str = "en",
        now=None,
    ) -> Results:
        """Services matching `text` in English or in the language `lang` (the page's), within the
        filters, most useful first (ranking.py; `now` for "open now", London time)."""
        lang = lang if lang in i18n.KNOWN else i18n.DEFAULT
        understood = text if isinstance(text, Understood) else self.understand(text, lang)
        area = area or understood.borough
        if not understood.words and not understood.needs:
            # Despair or suicidal words alone: the mental-health services (the view shows the crisis lines).
            category = category or (CRISIS_NEED if understood.crisis else "")
            return self._browse(category, area, page, per_page)
        terms = understood.words + tuple(f"{NEED_PREFIX}{slug}:{phrase}" for slug, phrase in understood.needs)
        return self._search(terms, category, area, page, per_page, lang, now, understood.crisis)

    def _search(
        self, terms: tuple, category: str, area: str, page: int, per_page: int, lang: str, now, crisis: bool = False
    ) -> Results:
        """Rank services matching most words of `terms` (or, failing that, any word) within the filters."""
        # Only the hits up to the asked page are ranked and only that page's ids are read: with a
        # common word at 10,000 entries, reading every hit's stored id was most of the time.
        limit = page * per_page
        searcher = self.searcher
        reader = searcher.reader()
        words = [_word_query(t, lang, self.needs) for t in terms]  # a need's phrase: NEED_PREFIX
        known = [w for w in words if _matches_anything(reader, w)]
        # Typos multiply the terms to score, so they are looked for only for words that match
        # nothing as typed.
        unknown = [t for t, w in zip(terms, words, strict=True) if w not in known]
        for t in unknown:
            if t.startswith(NEED_PREFIX):
                continue
            typos = _typos(self.spelling, t)
            if typos:  # any of the words one letter away, each as if typed
                known.append(query.Or([_word_query(typo, lang, self.needs) for typo in typos]))
        # Despair or suicidal words with others: the mental-health services first, whatever else matched.
        first = [query.Term("categories", CRISIS_NEED, boost=NEED_BOOST * len(known or [1]))] if crisis else []
        if not known and not first:
            return Results([], 0, 1, 1, False)
        pool = max(limit, RANKED)
        asked = query.Or([_most_of(known), *first])
        top, total = self._hits(asked, category, area, pool)
        any_word = False
        if not total and len(known) > 1:
            asked = query.Or(known)
            top, total = self._hits(asked, category, area, pool)
            any_word = True
        # The needs the search asks for: named by its words or phrases, or chosen in the form.
        needs = {text for field, text in asked.iter_all_terms() if field == "categories"} | {category} - {""}
        return self._ranked_page(top, total, page, per_page, any_word, area, now, needs)

    def _browse(self, category: str, area: str, page: int, per_page: int) -> Results:
        """A list with no words typed, in ranking.py's order: the need's main services first, then
        based in the borough, London-wide, national, then made for sex workers, 24/7, name (no "open
        now" here: that would mean reading every listed service's hours)."""
        matches = self._filter_bits(category, area)
        if not matches:
            return Results([], 0, 1, 1, False)
        docs = np.flatnonzero(_to_mask(matches, self.size))
        rows = self._order[docs]
        keys = [rows[:, 3], rows[:, 1], rows[:, 0]]  # np.lexsort: the last key sorts first
        if area:
            keys.append(self._places(docs, area))
        if category:
            keys.append(rows[:, 2] != NEED_CODES.get(category, NO_NEED))
        total = len(docs)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        shown = docs[np.lexsort(keys)][(page - 1) * per_page : page * per_page]
        return Results([self.searcher.stored_fields(int(d))["id"] for d in shown], total, page, pages, False)

    def _hits(self, q: query.Query, category: str, area: str, limit: int) -> tuple[list[tuple[int, float]], int]:
        """([(entry, score)] of the best `limit` matches of `q` within the filters, best first; how
        many match in all). scores.py scores every entry at once with Whoosh's BM25F, where Whoosh's
        own collector scores them one by one in Python."""
        allowed = self._filter_bits(category, area)
        if not allowed:
            return [], 0
        return self.scores.top(q, _to_mask(allowed, self.size), limit)

    def _ranked_page(
        self,
        top: list[tuple[int, float]],
        total: int,
        page: int,
        per_page: int,
        any_word: bool,
        area: str,
        now,
        needs: set[str],
    ) -> Results:
        """One page of a typed search: the best RANKED matches in the order of ranking.py (how well
        they match and whether `needs` holds their main need, then where they are based, made for sex
        workers, open); the rest by score."""
        if not total:
            return Results([], 0, 1, 1, any_word)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        start = (page - 1) * per_page
        end = min(start + per_page, len(top))
        best = top[:RANKED]
        docs = np.array([docnum for docnum, _ in best], dtype=np.int64)
        ranked = docs[self._rank(docs, np.array([score for _, score in best]), area, now, needs)].tolist()
        ranked += [docnum for docnum, _ in top[len(best) : end]]
        stored = self.searcher.stored_fields
        return Results([stored(docnum)["id"] for docnum in ranked[start:end]], total, page, pages, any_word)

    def _rank(self, docs: np.ndarray, scores: np.ndarray, area: str, now, needs: set[str]) -> np.ndarray:
        """ranking.order_matches's order of these hits (positions in `docs`), from the build's arrays
        rather than from each hit's stored fields: reading and parsing forty hits' fields took a
        third of a search."""
        rows = self._order[docs]
        best = scores.max(initial=0.0)
        bands = np.minimum(ranking.BANDS, ((1 - scores / best) * ranking.BANDS).astype(np.int64)) if best > 0 else 0
        main_need = ~np.isin(rows[:, 2], [NEED_CODES[n] for n in needs if n in NEED_CODES])
        place = self._places(docs, area) if area else np.zeros(len(docs), dtype=np.int64)
        # np.lexsort: the last key sorts first; ranking.key's order read backwards.
        keys = [rows[:, 3], ~self.open_at(docs, now), rows[:, 0], place, main_need, np.broadcast_to(bands, len(docs))]
        return np.lexsort(keys)

    def _places(self, docs: np.ndarray, area: str) -> np.ndarray:
        """ranking.place for each of these entries: 0 based in `area`, 1 London-wide, 2 national, 3 other."""
        here, london, national = (
            _to_mask(self._term_bits("areas", a), self.size)[docs] for a in (area, "london", "national")
        )
        return np.where(here, 0, np.where(london, 1, np.where(national, 2, 3)))

    def open_at(self, docs: np.ndarray, now) -> np.ndarray:
        """ranking.is_open for each of these entries at `now` (London time, naive), from SPANS."""
        is_open = self._order[docs, 1] == 0  # 24/7
        if now is None or not len(docs):
            return is_open
        starts, ends = self._span_starts[docs], self._span_starts[docs + 1]
        counts = (ends - starts).astype(np.int64)
        owner = np.repeat(np.arange(len(docs)), counts)  # each span's position in `docs`
        rows = np.repeat(starts.astype(np.int64) - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        day, first, last = (self._spans[rows, i].astype(np.int64) for i in range(3))
        today, minute = now.weekday(), now.hour * 60 + now.minute
        open_today = (day == today) & (first <= minute) & (minute < np.where(last > first, last, 24 * 60))
        until_this_morning = (day == (today - 1) % 7) & (last < first) & (minute < last)
        is_open[owner[open_today | until_this_morning]] = True
        return is_open
