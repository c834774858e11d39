"""Writing the Whoosh index fast: the same segment Whoosh's own writer makes, in a fraction of the time.

`search.write` decides what goes into the index; this module only makes writing it cheaper (issue 17:
100,000 entries in under a minute, where Whoosh's writer alone took minutes). With search.py, the only
module that imports whoosh. Three things cost most in Whoosh's writer, per word of every entry:

- *Analysis.* Each token goes through a chain of Python generators (tokenizer, lowercase, accents,
  script, stop words, stemmer). Every filter in our chains looks at one token alone, so a word's
  terms depend only on the word: each distinct word is analysed once per build by the field's own
  analyzer, and looked up after that.
- *The posting pool.* Whoosh puts every posting in one list, spills it to disk past `limitmb` and
  sorts it; here postings go straight into one array of entries per term, already in order.
- *Flushing.* Whoosh reads each posting's field length back from disk and makes a dozen calls per
  posting; here lengths are kept in memory and each term's blocks are written by one function, in
  the bytes Whoosh's codec writes (`_write_term`).

The files are Whoosh's (its codec writes all but the postings, which are written as it would) and
hold the same terms, postings, weights, lengths and stored fields as Whoosh's writer would:
`tests/test_indexing.py` compares the two, term by term. Only fields whose postings hold frequencies
at most (not positions) are supported, which is all the schema uses: nothing searches phrases. This
leans on the internals of Whoosh-Reloaded 2.7.5 (pinned in constraints.txt): an upgrade that
changed them would fail that test.
"""

# pickle: Whoosh 3's posting blocks are pickles. This module only writes them, for Whoosh's own reader
# of the build's files; nothing untrusted is ever unpickled here.
import zlib
from array import array
from collections import Counter
from itertools import chain
from operator import sub
from pickle import dumps  # nosec B403

from whoosh import formats
from whoosh.analysis import CompositeAnalyzer, RegexTokenizer
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.fields import TEXT
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter


class Words:
    """One analyzer's terms for a text, each distinct word analysed once (by the analyzer itself).

    Exact for analyzers whose tokenizer is `RegexTokenizer(pattern)` and whose filters each look at
    one token at a time (so a word gives the same terms wherever it appears)."""

    def __init__(self, analyzer):
        tokenizer = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) else None
        if not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps:
            raise TypeError("only analyzers that begin with a RegexTokenizer can be cached word by word")
        self.analyzer = analyzer
        self.findall = tokenizer.expression.findall
        self.cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        words, cache = self.findall(text), self.cache
        try:  # looked up and joined in C when every word is known, as most are
            return list(chain.from_iterable(map(cache.__getitem__, words)))
        except KeyError:
            for word in words:
                if word not in cache:
                    # As Whoosh's field.index calls it (mode="index": Chinese is cut with jieba's
                    # whole dictionary, not a served build's). It reuses one Token: read each text.
                    cache[word] = [token.text for token in self.analyzer(word, mode="index")]
            return list(chain.from_iterable(map(cache.__getitem__, words)))

    def counts(self, text: str) -> tuple[Counter, int]:
        """({term: frequency}, how many terms) of a text."""
        terms = self(text)
        return Counter(terms), len(terms)


class _Terms:
    """A field Whoosh analyses itself (ids, keywords): each distinct value once, unless unique."""

    def __init__(self, field):
        self.field = field
        self.cache: dict[str, tuple[dict[str, int], int]] | None = None if field.unique else {}

    def __call__(self, value: str) -> tuple[dict[str, int], int]:
        found = self.cache.get(value) if self.cache is not None else None
        if found is None:
            counts = {tbytes.decode("utf-8"): freq for tbytes, freq, _weight, _vbytes in self.field.index(value)}
            found = counts, sum(counts.values())
            if self.cache is not None:
                self.cache[value] = found
        return found


def _stored_length(length: int) -> int:
    """A field length as the index stores it (one byte, approximate) and reads it back."""
    return byte_to_length(length_to_byte(length)) if length else 0


class Writer(SegmentWriter):
    """Whoosh's segment writer with its document and flush steps replaced (see the module's docstring).

    One writer makes one segment. `analyzers`: each TEXT field's analyzer (fields given the same
    analyzer object share its words); other indexed fields are analysed by Whoosh (`field.index`)."""

    def __init__(self, ix, analyzers: dict):
        for name, field in ix.schema.items():  # before the writer opens its files
            if field.indexed and type(field.format) not in (formats.Frequency, formats.Existence):
                raise TypeError(f"field {name!r}: only frequencies or existence can be written here, not positions")
            if isinstance(field, TEXT) and name not in analyzers:
                raise ValueError(f"no analysis given for the text field {name!r}")
        super().__init__(ix)
        shared: dict[int, Words] = {}
        words = {name: shared.setdefault(id(a), Words(a)) for name, a in analyzers.items()}
        self.words = words
        # field -> term -> (entries, frequencies), entries in increasing order
        self.postings: dict[str, dict[str, tuple[array, array]]] = {}
        # field -> each entry's length as stored (scorable fields)
        self.lengths: dict[str, array] = {}
        # What add_document needs of each field, looked up once: the field, how to analyse a value
        # into ({term: frequency}, length), its postings, and whether it keeps lengths.
        self.fields = {
            name: (
                field,
                (words[name].counts if name in words else _Terms(field)) if field.indexed else None,
                self.postings.setdefault(name, {}) if field.indexed else None,
                field.indexed and field.scorable,
            )
            for name, field in self.schema.items()
        }

    def add_document(self, **fields):
        """Add one entry: its fields' terms to the postings, its stored values, lengths and columns."""
        self._check_state()
        perdoc, docnum = self.perdocwriter, self.docnum
        names = sorted(fields)
        self._check_fields(self.schema, names)
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None or (not value and name in self.words):
                continue  # what Whoosh does with an empty text, bar the calls: nothing
            field, analyse, postings, scorable = self.fields[name]
            length = 0
            if analyse is not None:
                counts, length = analyse(value)
                for term, freq in counts.items():
                    entry = postings.get(term)
                    if entry is None:
                        entry = postings[term] = (array("I"), array("I"))
                    entry[0].append(docnum)
                    entry[1].append(freq)
                if not scorable:
                    length = 0
                elif length:
                    lengths = self.lengths.setdefault(name, array("I"))
                    lengths.extend([0] * (docnum + 1 - len(lengths)))
                    lengths[docnum] = _stored_length(length)
            if length or field.stored:
                perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        """Write the postings, field by field and term by term in byte order, as Whoosh's flush does."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        postwriter = writer._codec.postings_writer(writer._postfile)  # its block size and compression
        limit, level = postwriter._blocklimit, postwriter._compression
        for name in sorted(name for name, terms in self.postings.items() if terms):  # as Whoosh: fields with terms
            field = self.schema[name]
            lengths = self.lengths.get(name, array("I"))
            lengths.extend([0] * (self.docnum - len(lengths)))
            writer.start_field(name, field)
            terms = self.postings[name]
            offset = writer._postfile.tell()
            for tbytes, term in sorted((term.encode("utf-8"), term) for term in terms):
                offset = _write_term(writer, offset, limit, level, tbytes, field.format, *terms[term], lengths)
            writer.finish_field()
        writer.close()
        self.postings.clear()


def _write_term(
    fieldwriter,
    offset: int,
    limit: int,
    level: int,
    tbytes: bytes,
    format_,
    docnums: array,
    freqs: array,
    lengths: array,
) -> int:
    """One term's postings and its entry in the term table, as Whoosh's W3FieldWriter.start_term,
    W3PostingsWriter.add_posting (per posting), .finish_postings and W3FieldWriter.finish_term write
    them, with the same bytes: blocks of `blocklimit` postings, each a pickled summary (count, last
    entry, highest weight, compression, shortest and longest field length as bytes) and the
    compressed pickle of its entries (as gaps), weights and values; the last block's length negative.
    One function call and one write per term instead of a dozen calls per posting. `offset`: where
    the postings file is (its own `tell` is a system call); returns where it is after."""
    boost = format_.field_boost
    existence = type(format_) is formats.Existence
    info = W3TermInfo()
    parts = [WHOOSH3_HEADER_MAGIC]
    count = len(docnums)
    for start in range(0, count, limit):
        ids, chunk = docnums[start : start + limit], freqs[start : start + limit]
        # Whoosh keeps weights as 32-bit floats (existence: the field's boost, whatever the frequency)
        weights = array("f", [boost] * len(ids) if existence else [f * boost for f in chunk])
        highest = max(0, boost if existence else max(chunk) * boost)
        known = [length for length in map(lengths.__getitem__, ids) if length]
        shortest, longest = (min(known), max(known)) if known else (None, 0)
        # W3TermInfo.add_block
        info._weight += sum(weights)
        info._df += len(ids)
        info._minlength = shortest if info._minlength is None else min(info._minlength, shortest)
        info._maxlength = max(info._maxlength, longest)
        info._maxweight = max(info._maxweight, highest)
        if info._minid is None:
            info._minid = ids[0]
        info._maxid = ids[-1]
        # W3PostingsWriter._write_block and its _mini_ids, _mini_weights, _mini_values
        first = weights[0]
        if weights.count(first) < len(weights):
            mini_weights = tuple(weights)
        else:
            mini_weights = None if first == 1.0 else first
        gaps = (ids[0], *map(sub, ids[1:], ids[:-1]))
        values = None if existence else b"".join(map(pack_uint, chunk))
        data = zlib.compress(dumps((gaps, mini_weights, values), 2), level)
        summary = dumps((len(ids), ids[-1], highest, level, length_to_byte(shortest), length_to_byte(longest)), 2)
        size = len(summary) + len(data)
        parts += (pack_int(-size if start + limit >= count else size), summary, data)
    block = b"".join(parts)
    fieldwriter._postfile.write(block)
    info.set_extent(offset, len(block))
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, info.to_bytes())
    return offset + len(block)
