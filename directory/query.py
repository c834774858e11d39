"""What someone typed into search, understood: the meaning words, a borough, a postcode, a crisis.

No search engine here (search.py asks Whoosh). The steps, in order:
1. A postcode typed alone ("E8 1DY", "sw9") is a postcode: the view sends it to the finder's answer.
2. Text is folded for comparing (`fold`): Unicode NFKC (one form for Bengali letters typed in two
   ways), lower case, accents off, traditional Chinese to simplified, one form for the Arabic letters
   people type in several ways.
3. Despair and suicidal phrasing in any of the ten languages (vocabulary `crisis`) sets `crisis`.
4. A borough's name in any language or script (vocabulary `borough:`), or an English name one typo
   away ("hakney", "westminister"), becomes the borough filter and leaves the words.
5. Request phrases ("I need", "where can I", vocabulary `filler`) and stop words (the stopwords-iso
   lists of the page's language and English) leave the words, except a word that is on its own an
   entry of a need's list in any language ("test", "doctor") and the words in `KEEP`.
What remains are the meaning words, Chinese cut into words with jieba.
"""

import contextlib
import functools
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import postcodes, reference
from .vocabulary import Vocabulary

MAX_QUERY = 200  # characters; longer input is cut, never an error
MAX_WORDS = 12
WORD = re.compile(r"[\w\u0980-\u09ff\u0900-\u097f]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"^[a-z]+$")
# Letters people type in several ways, and Arabic vowel marks and tatweel, which nobody searches by.
_ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None, "\u0670": None}
_ARABIC |= {chr(c): None for c in range(0x064B, 0x0660)}
# Latin letters that do not decompose into a letter and an accent.
_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "’": "", "'": ""}
ARABIC = str.maketrans(_ARABIC)  # also used by the index (search.py)
FOLD = str.maketrans(_ARABIC | _LETTERS)
# Words the stopwords-iso lists hold that mean something in this directory's searches.
KEEP = {
    "help", "police", "doctor", "free", "night", "tonight", "now", "test", "women", "men", "trans",
    "ajuda", "policia", "medico", "gratis", "noite", "ajutor", "politia", "medic", "noapte",
    "помощ", "полиция", "лекар", "нощ", "帮助", "警察", "医生", "免费", "ayuda", "noche",
    "pomoc", "policja", "lekarz", "noc", "segitseg", "rendorseg", "orvos", "ejszaka",
    "সাহায্য", "পুলিশ", "ডাক্তার", "مساعده", "شرطه", "طبيب",
}  # fmt: skip


@dataclass(frozen=True)
class Understood:
    words: tuple[str, ...]  # meaning words, folded, in the order typed
    borough: str = ""  # an area slug, or ""
    postcode: postcodes.Query | None = None  # set when the whole query is a postcode
    crisis: bool = False
    # Phrases of several words that name a need, as (need, phrase): ("housing", "somewhere to sleep").
    needs: tuple[tuple[str, str], ...] = ()


def _strip_accents(text: str) -> str:
    # Combining marks of Latin, Greek and Cyrillic letters only: Bengali vowel signs are marks too.
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not 0x0300 <= ord(c) <= 0x036F)
    return unicodedata.normalize("NFC", kept)


@functools.cache
def _to_simplified():
    from opencc import OpenCC

    return OpenCC("t2s")


def fold(text: str) -> str:
    """Text in one form for comparing: see the module's step 2. Punctuation becomes spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if CJK.search(text):
        text = _to_simplified().convert(text)
    text = _strip_accents(text).translate(FOLD)
    # Bengali and Devanagari letters and marks stay together (Python's \w leaves their marks out).
    return " ".join(WORD.findall(text.replace("-", " ")))


@functools.cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # its whole dictionary (about 70 MB), once per process, when a build is made
    return jieba


# Workers cut Chinese queries with a small dictionary made for their build (`write_dictionary`): only
# the words that can meet anything in it, with jieba's own frequencies. jieba's whole dictionary is
# about 70 MB in every worker that loads it, for words that cannot match anything.
DICTIONARY_NAME = "jieba.json"
_serving: dict[str, str | None] = {"dictionary": None}  # the build whose Reader understood the last query


def write_dictionary(path: Path, texts) -> None:
    """The dictionary a build's workers cut queries with, from `texts` (the index's Chinese words and
    the vocabulary's phrases): every word of jieba's dictionary found inside one of them, with its
    frequency, and jieba's total, so each word is as likely as with the whole dictionary."""
    frequencies, total = _jieba().dt.FREQ, _jieba().dt.total
    words = {}
    for text in texts:
        for run in CJK.findall(text):
            for start in range(len(run)):
                for end in range(start + 1, len(run) + 1):
                    if frequencies.get(run[start:end]):
                        words[run[start:end]] = frequencies[run[start:end]]
    # And every longer word that holds one of them as the two or three characters jieba searches
    # inside a word (lcut_for_search): typed, "健康检查" is one word, matched by "健康" or "检查"; without
    # it here, it would be cut in two and need both.
    for word, freq in frequencies.items():
        if (
            freq
            and word not in words
            and any(word[i : i + n] in words for n in (2, 3) if len(word) > n for i in range(len(word) - n + 1))
        ):
            words[word] = freq
    document = {"total": total, "words": dict(sorted(words.items()))}
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@contextlib.contextmanager
def whole_dictionary():
    """Cut with jieba's whole dictionary inside (a build, in a process that may also serve one)."""
    served, _serving["dictionary"] = _serving["dictionary"], None
    try:
        yield
    finally:
        _serving["dictionary"] = served


@functools.lru_cache(maxsize=2)  # the build being served, and the one before it for a while
def _small(path: str):
    """jieba with one build's dictionary. Nothing is written: no cache file, in the home folder or
    anywhere else (jieba caches a dictionary it reads from a file in the temporary folder)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    tokenizer = jieba.Tokenizer(path)
    if document["words"]:
        lines = "\n".join(f"{word} {freq}" for word, freq in document["words"].items())
        tokenizer.FREQ, _ = tokenizer.gen_pfdict(io.BytesIO(lines.encode("utf-8")))
    tokenizer.total = document["total"]
    tokenizer.initialized = True
    return tokenizer


def cut(text: str, for_search: bool = False, whole: bool = False) -> list[str]:
    """Folded text -> words; runs of Chinese characters are cut into words by jieba: with the served
    build's dictionary when a Reader has one, else (and always when `whole`: building) the whole one."""
    words = []
    for token in text.split():
        if CJK.search(token):
            small = _serving["dictionary"]
            jieba = _jieba() if whole or not small else _small(small)
            pieces = jieba.lcut_for_search(token) if for_search else jieba.lcut(token)
            words += [p for p in pieces if p.strip()]
        else:
            words.append(token)
    return words


def _needle(phrase: str) -> str:
    """What to look for to find `phrase` in a text padded with a space each side: a Chinese phrase as
    it is (no spaces between its words), any other as whole words. Worked out once per phrase by
    Reader: a query is checked against some six hundred."""
    return phrase if CJK.search(phrase) else f" {phrase} "


def _remove(text: str, phrase: str) -> str:
    if CJK.search(phrase):
        return text.replace(phrase, " ")
    return f" {text} ".replace(f" {phrase} ", " ").strip()


def _near(a: str, b: str) -> bool:
    """One letter added, dropped, changed or two swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@functools.cache
def _stopwords(lang: str) -> frozenset[str]:
    import stopwordsiso

    words = stopwordsiso.stopwords(lang) if stopwordsiso.has_lang(lang) else set()
    return frozenset(fold(w) for w in words)


@functools.cache
def _stop(lang: str) -> frozenset[str]:
    """The page language's stop words with English's (made once per language, not per query)."""
    return _stopwords(lang) | _stopwords("en")


def _longest_first(phrases) -> list[str]:
    """Folded, longest first (then A to Z, so the order never depends on a set's)."""
    return sorted({fold(p) for p in phrases} - {""}, key=lambda p: (-len(p), p))


def prepare(vocab: Vocabulary, languages=()) -> dict:
    """What a Reader needs from a vocabulary, folded and cut into words, as JSON.

    Made once at build time and kept in the build (search.write): opening a build then needs neither
    jieba's dictionary (about 70 MB and a second, to cut the Chinese phrases) nor opencc's, so a worker
    that never answers a Chinese query never loads them. `languages`: the stop words kept, folded."""
    every = [(lang, slug, p) for lang, names in vocab.boroughs.items() for slug, ps in names.items() for p in ps]
    every += [("en", a.slug, a.name) for a in reference.AREAS]
    # Longest first, so "city of london" wins over "london" and "tower hamlets" over nothing.
    boroughs = sorted({(fold(p), slug) for _l, slug, p in every if fold(p)}, key=lambda x: (-len(x[0]), x))
    # A need's phrase of several words counts only whole ("leave sex work" is not "sex" or "work").
    # A phrase in several needs' lists counts for each ("打我", hit me: a client or a partner).
    phrases: dict[str, set[str]] = {}
    for names in vocab.needs.values():
        for slug, listed in names.items():
            for phrase in map(fold, listed):
                if len(cut(phrase, whole=True)) > 1:
                    phrases.setdefault(phrase, set()).add(slug)
    return {
        "boroughs": boroughs,
        "crisis": _longest_first(p for ps in vocab.crisis.values() for p in ps),
        "filler": {lang: _longest_first(ps) for lang, ps in vocab.filler.items()},
        # A word that is on its own a need's word, in any language, is never a stop word.
        "need_words": sorted({fold(p) for names in vocab.needs.values() for ps in names.values() for p in ps} | KEEP),
        "phrases": sorted(((p, sorted(slugs)) for p, slugs in phrases.items()), key=lambda x: (-len(x[0]), x[0])),
        "stop": {lang: sorted(_stop(lang)) for lang in languages},
    }


class Reader:
    """Understands queries with one build's vocabulary (made once per index, then reused).

    `prepared`: what `prepare` made of the vocabulary at build time; made here when not given.
    `dictionary`: the build's own dictionary for Chinese (`write_dictionary`); jieba's whole one if None."""

    def __init__(self, vocab: Vocabulary, prepared: dict | None = None, dictionary: Path | None = None):
        self.vocab = vocab
        self.dictionary = str(dictionary) if dictionary else None
        prepared = prepared or prepare(vocab)
        self.boroughs = [(name, slug) for name, slug in prepared["boroughs"]]
        self.typo_names = [(name, slug) for name, slug in self.boroughs if LATIN_WORD.match(name) and len(name) >= 5]
        self.crisis = prepared["crisis"]
        self.filler = prepared["filler"]
        self.need_words = set(prepared["need_words"])
        self.phrases = [(phrase, slugs) for phrase, slugs in prepared["phrases"]]
        # Each phrase with its `_needle`; filler that is also a need's word is kept.
        self._crisis = [_needle(p) for p in self.crisis]
        self._boroughs = [(_needle(name), name, slug) for name, slug in self.boroughs]
        self._phrases = [(_needle(phrase), phrase, slugs) for phrase, slugs in self.phrases]
        self._filler = {
            lang: [(_needle(p), p) for p in phrases if p not in self.need_words]
            for lang, phrases in self.filler.items()
        }
        self.stop = {lang: frozenset(words) for lang, words in prepared["stop"].items()}

    def understand(self, text: str, lang: str) -> Understood:
        # This query's words, here and in search.py, are cut with this build's dictionary.
        _serving["dictionary"] = self.dictionary
        text = (text or "")[:MAX_QUERY]
        code = postcodes.parse(text)
        if code.kind in ("full", "district") and len(text.split()) <= 2:
            return Understood((), postcode=code)
        folded = fold(text)
        padded = f" {folded} "  # what `_needle`s are looked for in; made again whenever `folded` changes
        crisis = any(needle in padded for needle in self._crisis)
        borough = ""
        for needle, name, slug in self._boroughs:
            if needle in padded:
                borough, folded = slug, _remove(folded, name)
                break
        if not borough:
            for word in folded.split():
                if len(word) >= 5 and word not in self.need_words:
                    slug = next((s for name, s in self.typo_names if _near(word, name)), "")
                    if slug:
                        borough, folded = slug, _remove(folded, word)
                        break
        everything = cut(folded)
        needs = []
        padded = f" {folded} "
        for needle, phrase, slugs in self._phrases:
            if needle in padded:
                needs += [(slug, phrase) for slug in slugs]
                folded = _remove(folded, phrase)
                padded = f" {folded} "
        for code_ in dict.fromkeys((lang, "en")):
            for needle, phrase in self._filler.get(code_, ()):
                if needle in padded:
                    folded = _remove(folded, phrase)
                    padded = f" {folded} "
        stop = self.stop[lang] if lang in self.stop else _stop(lang)
        words = [
            w
            for w in cut(folded)
            if w in self.need_words or (w not in stop and (len(w) > 1 or CJK.match(w) or w.isdigit()))
        ]
        if not words and not borough and not crisis and not needs:
            words = everything  # only filler was typed: search for it rather than show everything
        return Understood(tuple(dict.fromkeys(words))[:MAX_WORDS], borough, None, crisis, tuple(dict.fromkeys(needs)))
