"""The search-quality suite (tests/search_quality.txt): natural queries in all ten languages through
the real app on the shipped data, each with the kind of service that must come first."""

import sys
from collections import defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import search_quality  # noqa: E402

from directory import i18n  # noqa: E402


@pytest.fixture(scope="module")
def outcomes():
    return search_quality.run()


def test_the_suite_covers_every_language_with_15_queries_or_more():
    per_lang = defaultdict(int)
    for case in search_quality.cases():
        per_lang[case.lang] += 1
    assert set(per_lang) == set(i18n.KNOWN)
    assert min(per_lang.values()) >= 15 and sum(per_lang.values()) >= 150


# What the suite measures today (docs/search-quality.md), as floors: raise them when search gets
# better; never lower them to pass. The tuned queries per language; the held-out ones (never used to
# tune the vocabulary) all together, since there are only two per language.
TUNED_FIRST, TUNED_TOP3 = 0.95, 0.95
HELD_OUT_FIRST, HELD_OUT_TOP3 = 0.9, 0.9


def rates(outcomes, key) -> dict[str, float]:
    by_lang = defaultdict(list)
    for o in outcomes:
        by_lang[o.case.lang].append(key(o))
    return {lang: sum(hits) / len(hits) for lang, hits in by_lang.items()}


def test_the_right_kind_of_service_comes_first_in_every_language(outcomes):
    tuned = [o for o in outcomes if not o.case.held_out]
    low = {lang: rate for lang, rate in rates(tuned, lambda o: o.first).items() if rate < TUNED_FIRST}
    assert low == {}, search_quality.table(outcomes)
    low = {lang: rate for lang, rate in rates(tuned, lambda o: o.top3).items() if rate < TUNED_TOP3}
    assert low == {}, search_quality.table(outcomes)


def test_queries_nobody_tuned_for_do_well_too(outcomes):
    held_out = [o for o in outcomes if o.case.held_out]
    assert len(held_out) >= 20
    assert sum(o.first for o in held_out) / len(held_out) >= HELD_OUT_FIRST, search_quality.table(outcomes)
    assert sum(o.top3 for o in held_out) / len(held_out) >= HELD_OUT_TOP3, search_quality.table(outcomes)


def test_chinese_finds_the_same_with_the_builds_small_dictionary(tmp_path):
    """Workers cut Chinese queries with a small dictionary made for their build (query.write_dictionary),
    not jieba's whole one (about 70 MB in each worker): every Chinese query of the suite and every
    phrase of the Chinese search words finds the same entries in the same order with both, on the
    shipped data. (The entries' Chinese text, cut into about 600 sentences, did too when checked; left out for
    time.)"""
    import re

    from babel.messages.pofile import read_po

    from directory import builds, query, search
    from directory.config import ROOT

    folder, _ = builds.build(ROOT / "data" / "agencies.csv", tmp_path / "builds")
    small, whole = search.Index(folder / search.INDEX_NAME), search.Index(folder / search.INDEX_NAME)
    assert small.reader.dictionary  # the build made one
    whole.reader.dictionary = None  # jieba's whole dictionary, as the build cuts the entries' text
    texts = {case.text for case in search_quality.cases() if case.lang == "zh"}
    with open(ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "search.po", "rb") as handle:
        for message in read_po(handle):
            if message.id and isinstance(message.string, str):
                texts |= {t for t in re.split(r"[，,。！？；：、\n]", message.string) if query.CJK.search(t)}
    assert len(texts) > 150
    for text in sorted(texts):
        ours, theirs = small.search(text, lang="zh"), whole.search(text, lang="zh")
        assert (ours.ids, ours.total) == (theirs.ids, theirs.total), text
