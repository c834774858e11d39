"""A query's matches and scores for every entry at once, as arrays (numpy).

Whoosh walks its matcher tree one matching entry at a time, in Python: with 10,000 entries a
two-word query such as "sexual health" matches about 2,500 of them, and scoring each through unions
of five fields was 93% of a search. Here the same BM25F scores (Whoosh's formula, parameters and
statistics, on the weights and field lengths Whoosh wrote) are computed for all entries in a few
array operations, summed as Whoosh's `Or` and `And` sum them, and the best few are picked in C.
`tests/test_search.py` checks the result against Whoosh's own collector, query by query.

The build writes, beside the index (`write`):
- POSTINGS_NAME: for each term found in many entries, its entries (uint32) and weights (float32, as
  Whoosh stores them); rarer terms are read from Whoosh's postings when asked (a few dozen entries);
- LENGTHS_NAME: each scored field's length in every entry, in Whoosh's one-byte form.
Nothing here depends on what anyone searched for: no cache holds a typed word.
"""

import json
import math
from array import array
from pathlib import Path

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length, length_to_byte

POSTINGS_NAME = "postings.bin"
POSTINGS_KEYS = "postings.json"
LENGTHS_NAME = "lengths.bin"
DECIMALS = 9
# Whoosh's one-byte field length -> the length it scores with.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def frequent(doc_count: int) -> int:
    """Terms in at least this many entries are written at build time; rarer ones are read from
    Whoosh's postings when asked (cheaper than keeping them)."""
    return max(32, doc_count // 256)


def _read_postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(entries, weights) of one term, block by block (Whoosh's W3 leaf matcher keeps each block's ids
    and weights as arrays: reading them whole is many times quicker than stepping entry by entry)."""
    matcher = reader.postings(field, text)
    ids: list = []
    weights: list = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:  # any other matcher: one entry at a time
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.asarray(ids, dtype=np.uint32), np.asarray(weights, dtype=np.float32)


def _length_bytes(reader, field: str) -> bytes:
    """Every entry's length of `field` in Whoosh's one-byte form (0: the entry has no such text)."""
    perdoc = getattr(reader, "_perdoc", None)  # one segment's reader: its length column, read whole
    if perdoc is not None:
        column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        return array("B", column).tobytes() if column is not None else bytes(reader.doc_count_all())
    # Several segments: entry by entry.
    return bytes(length_to_byte(reader.doc_field_length(d, field, 0) or 0) for d in range(reader.doc_count_all()))


def write(path: Path, reader, scored_fields: list[str]) -> None:
    """Write the frequent terms' postings and the scored fields' lengths of the index at `path`."""
    size, threshold = reader.doc_count_all(), frequent(reader.doc_count_all())
    keys: dict[str, dict[str, list[int]]] = {}
    offset = 0
    with open(path / POSTINGS_NAME, "wb") as out:
        for (field, text), info in reader:
            if info.doc_frequency() < threshold:
                continue
            ids, weights = _read_postings(reader, field, text)
            out.write(ids.tobytes())
            out.write(weights.tobytes())
            keys.setdefault(field, {})[text.decode("utf-8")] = [offset, len(ids)]
            offset += len(ids) * 8
    (path / POSTINGS_KEYS).write_text(json.dumps({"size": size, "terms": keys}, ensure_ascii=False), encoding="utf-8")
    with open(path / LENGTHS_NAME, "wb") as out:
        out.write(b"".join(_length_bytes(reader, field) for field in scored_fields))


def _mapped(path: Path) -> np.ndarray:
    if not path.stat().st_size:  # nothing to map (a small build with no frequent term)
        return np.empty(0, dtype=np.uint8)
    return np.memmap(path, dtype=np.uint8, mode="r")


class Scores:
    """Matches and BM25F scores of Term, Or and And queries (what search.py builds) over one build."""

    def __init__(self, path: Path, searcher, scored_fields: list[str]):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = searcher.doc_count_all()
        weighting = searcher.weighting
        if type(weighting) is not BM25F or weighting._field_B:
            raise TypeError("scores.py computes plain BM25F only")
        self.B, self.K1 = weighting.B, weighting.K1
        keys = json.loads((path / POSTINGS_KEYS).read_text(encoding="utf-8"))
        self._keys: dict[str, dict[str, list[int]]] = keys["terms"]
        # Read-only maps of the files: the workers share the pages.
        self._postings = _mapped(path / POSTINGS_NAME)
        lengths = _mapped(path / LENGTHS_NAME).reshape(len(scored_fields), self.size)
        self._lengths = dict(zip(scored_fields, lengths, strict=True))
        self._avgfl = {f: searcher.avg_field_length(f) or 1 for f in scored_fields}

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(entries, weights) holding one term: from the build when frequent, else from Whoosh."""
        where = self._keys.get(field, {}).get(text)
        if where is not None:
            offset, count = where
            ids = self._postings[offset : offset + 4 * count].view(np.uint32)
            weights = self._postings[offset + 4 * count : offset + 8 * count].view(np.float32)
            return ids, weights
        key = text.encode("utf-8")
        if (field, key) not in self.reader:
            return np.empty(0, np.uint32), np.empty(0, np.float32)
        return _read_postings(self.reader, field, key)

    def term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(entries, their scores) for one term: BM25F as Whoosh scores it, or the weight for an
        unscored field (Whoosh's WeightScorer)."""
        ids, weights = self.postings(field, text)
        w = weights.astype(np.float64)
        if field not in self._lengths:
            return ids, w
        # Whoosh's idf and bm25(), in the same order of operations, so each score is the same float.
        idf = math.log(self.size / (self.reader.doc_frequency(field, text) + 1)) + 1
        fl = LENGTH_OF_BYTE[self._lengths[field][ids]]
        B, K1 = self.B, self.K1
        return ids, idf * ((w * (K1 + 1)) / (w + K1 * ((1 - B) + B * fl / self._avgfl[field])))

    def evaluate(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        """(score of every entry, which entries match) for `q`, as Whoosh's matchers would give them:
        an `Or` sums the scores of the parts an entry matches, an `And` matches entries every part
        matches and sums their scores, a boost multiplies (a compound of one part keeps the part's)."""
        if isinstance(q, query.Term):
            ids, scores = self.term(q.fieldname, q.text)
            total, matched = np.zeros(self.size), np.zeros(self.size, dtype=bool)
            total[ids] = scores * q.boost if q.boost != 1.0 else scores
            matched[ids] = True
            return total, matched
        if isinstance(q, query.And | query.Or) and not getattr(q, "minmatch", 0) and not getattr(q, "scale", None):
            parts = q.subqueries
            if not parts:
                return np.zeros(self.size), np.zeros(self.size, dtype=bool)
            if len(parts) == 1:  # Whoosh uses the one part's matcher, without this query's boost
                return self.evaluate(parts[0])
            total, matched = self.evaluate(parts[0])
            total, matched = total.copy(), matched.copy()
            for part in parts[1:]:
                scores, hits = self.evaluate(part)
                total += scores
                if isinstance(q, query.And):
                    matched &= hits
                else:
                    matched |= hits
            if isinstance(q, query.And):
                total *= matched
            if q.boost != 1.0:
                total *= q.boost
            return total, matched
        if q is query.NullQuery:
            return np.zeros(self.size), np.zeros(self.size, dtype=bool)
        raise TypeError(f"scores.py does not compute {type(q).__name__}")

    def top(self, q: query.Query, allowed: np.ndarray, limit: int) -> tuple[list[tuple[int, float]], int]:
        """([(entry, score)] of the best `limit` matches of `q` among `allowed`, best first and, at an
        equal score, the earlier entry first (Whoosh's order); how many match in all)."""
        total, matched = self.evaluate(q)
        candidates = np.flatnonzero(matched & allowed)
        count = len(candidates)
        if not count or limit <= 0:
            return [], count
        # Sums in another order than Whoosh's can differ in the last bit: equal to 9 decimals is equal.
        scores = np.round(total[candidates], DECIMALS)
        if len(candidates) > limit:
            # Everything scoring at least the limit-th best score, ties included, then in order.
            floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= floor
            candidates, scores = candidates[keep], scores[keep]
        order = np.lexsort((candidates, -scores))[:limit]
        return [(int(candidates[i]), float(scores[i])) for i in order], count
