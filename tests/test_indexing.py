"""The fast index writer (directory/indexing.py) writes what Whoosh's own writer writes.

Both write the same documents (the real CSV through the real records and `search.documents`, with the
shipped translations) into an index of the real schema; then every term, posting, block statistic,
field length, stored field and column is compared.
"""

from pathlib import Path

import pytest
from conftest import ROWS, write_csv
from whoosh import index
from whoosh.fields import TEXT

from directory import entry_text, i18n, indexing, records, search

ROOT = Path(__file__).resolve().parent.parent


def _write(folder: Path, documents: list[dict], fast: bool):
    folder.mkdir()
    ix = index.create_in(str(folder), search.SCHEMA)
    analyzers = {name: field.analyzer for name, field in search.SCHEMA.items() if isinstance(field, TEXT)}
    with indexing.Writer(ix, analyzers) if fast else ix.writer() as writer:
        for document in documents:
            writer.add_document(**document)
    return index.open_dir(str(folder))


def _postings(reader, field: str, term: bytes) -> list[tuple]:
    matcher = reader.postings(field, term)
    found = []
    while matcher.is_active():
        found.append(
            (
                matcher.id(),
                matcher.weight(),
                matcher.value(),
                matcher.block_max_weight(),
                matcher.block_min_length(),
                matcher.block_max_length(),
            )
        )
        matcher.next()
    return found


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    entries, _ = records.load(ROOT / "data" / "agencies.csv")
    folders = str(ROOT / "translations")
    translated = {code: entry_text.catalogues(folders, [i18n.KNOWN[code][0]]) for code in search.OTHER_LANGUAGES}
    documents = list(search.documents(list(entries.services), translated))
    work = tmp_path_factory.mktemp("indexes")
    # A build being served in this process cuts Chinese queries with its small dictionary; an index
    # is still cut with jieba's whole one, as Whoosh's writer cuts it.
    small, _ = records.load(write_csv(work / "small.csv", ROWS))
    search.write(list(small.services), work / "served", translations=folders)
    search.Index(work / "served").search("免费律师 诊所", lang="zh")
    return _write(work / "whoosh", documents, fast=False), _write(work / "fast", documents, fast=True)


def test_the_fast_writer_writes_the_same_terms_and_postings_as_whoosh(both):
    whoosh, fast = (ix.reader() for ix in both)
    terms = list(whoosh.all_terms())
    assert terms == list(fast.all_terms())
    assert {field for field, _ in terms} >= {"name", "body", "text_pt", "text_zh", "categories", "areas"}
    for field, term in terms:
        assert _postings(whoosh, field, term) == _postings(fast, field, term), (field, term)
        expected, got = whoosh.term_info(field, term), fast.term_info(field, term)
        for stat in ("weight", "doc_frequency", "min_length", "max_length", "max_weight", "min_id", "max_id"):
            assert getattr(expected, stat)() == getattr(got, stat)(), (field, term, stat)


def test_the_fast_writer_keeps_the_same_documents_lengths_and_columns(both):
    whoosh, fast = (ix.reader() for ix in both)
    assert fast.doc_count_all() == whoosh.doc_count_all() > 40
    for field in search.SCHEMA.names():
        assert fast.field_length(field) == whoosh.field_length(field), field
    for docnum in range(whoosh.doc_count_all()):
        assert fast.stored_fields(docnum) == whoosh.stored_fields(docnum)
        for field in search.SCHEMA.names():
            assert fast.doc_field_length(docnum, field) == whoosh.doc_field_length(docnum, field), (docnum, field)
    for field in (name for name, field in search.SCHEMA.items() if field.column_type):  # sortable fields
        assert list(fast.column_reader(field)) == list(whoosh.column_reader(field)), field
    assert len(both[1]._segments()) == 1  # one segment: the scoring code reads one segment's postings


def test_words_are_analysed_as_the_analyzer_does_in_context():
    """Each word's terms are cached: the same as analysing the whole text at once, stop words,
    accents, Arabic articles and Chinese words included."""
    text = "The São Paulo clinics — العيادة 免费律师 ক্লিনিকের, running; and AIDS/HIV tests"
    for analyzer in (search.ANALYZER, search.WORDS, search.ANALYZERS["ar"], search.ANALYZERS["bn"]):
        words = indexing.Words(analyzer)
        assert words(text) == [t.text for t in analyzer(text, mode="index")]
        assert words(text) == words(text)  # the second time from the cache


def test_the_fast_writer_refuses_what_it_cannot_write(tmp_path):
    from whoosh.fields import Schema

    ix = index.create_in(str(tmp_path), Schema(body=TEXT(analyzer=search.ANALYZER)))  # positions
    with pytest.raises(TypeError, match="positions"):
        indexing.Writer(ix, {"body": search.ANALYZER})
