import pytest


@pytest.fixture
def index(app):
    return app.extensions["directory.current"].get().index


def ids(results):
    return set(results.ids)


def test_stemmed_search(index):
    assert ids(index.search("clinic")) == {"clinic-east"}
    assert ids(index.search("Clinics")) == {"clinic-east"}
    assert ids(index.search("testing")) == {"clinic-east"}  # "testing" and "test" share a stem


def test_accent_insensitive(index):
    assert ids(index.search("São Paulo")) == ids(index.search("sao paulo")) == {"sao-paulo-group"}
    assert ids(index.search("brasileiras")) == {"sao-paulo-group"}


def test_short_typos_are_forgiven(index):
    assert ids(index.search("housng")) == {"housing-help"}
    assert ids(index.search("anonymosly")) == {"report-line"}


def test_category_and_borough_filters(index):
    assert ids(index.search("", category="housing")) == {"housing-help"}
    # A borough filter includes London-wide and national services.
    assert ids(index.search("", area="lambeth")) == {"sao-paulo-group", "report-line"}
    assert ids(index.search("", area="hackney", category="sexual-violence")) == {"report-line"}
    assert ids(index.search("clinic", area="lambeth")) == set()


def test_all_words_first_then_any_word(index):
    both = index.search("housing clinic")
    assert ids(both) == {"housing-help", "clinic-east"} and both.any_word
    assert not index.search("sexual health clinic").any_word


def test_browse_is_sorted_by_name_and_paginated(index):
    first = index.search("", page=1, per_page=3)
    second = index.search("", page=2, per_page=3)
    assert first.total == 4 and first.pages == 2
    assert first.ids == ["clinic-east", "sao-paulo-group", "housing-help"]
    assert second.ids == ["report-line"]
    assert index.search("", page=99, per_page=3).page == 2


@pytest.mark.parametrize(
    "query",
    ["name:clinic", '"unbalanced', "(((", "*", "clin*", "~2", "AND OR NOT", "\x00", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a" * 10_000, " "],
)
def test_hostile_queries_are_plain_text(index, query):
    results = index.search(query)
    assert results.total >= 0 and results.page == 1
