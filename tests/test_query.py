"""Query understanding (directory/query.py) with the shipped vocabulary: what leaves the words and why."""

import pytest

from directory import query, vocabulary
from directory.config import ROOT


@pytest.fixture(scope="module")
def reader():
    return query.Reader(vocabulary.load([str(ROOT / "translations")]))


def test_fold_gives_one_form_for_what_people_type_in_several_ways():
    assert query.fold("São PAULO") == query.fold("sao paulo") == "sao paulo"
    assert query.fold("łóżko") == "lozko"
    assert query.fold("免費檢查") == "免费检查"  # traditional Chinese -> simplified
    assert query.fold("الْعِيَادَة") == query.fold("العيادة")  # Arabic vowel marks
    assert query.fold("أسرة") == query.fold("اسره")  # alef and teh marbuta forms
    # Bengali: য় typed as one letter (U+09DF) or as য + nukta is one word.
    assert query.fold("\u09df") == query.fold("\u09af\u09bc")


@pytest.mark.parametrize(
    "lang, text, words",
    [
        ("en", "where can i get an hiv test", {"hiv", "test"}),
        ("pt", "onde eu posso fazer teste de hiv", {"teste", "hiv"}),
        ("es", "donde puedo hacerme la prueba", {"hacerme", "prueba"}),
        ("pl", "gdzie moge zrobic test", {"zrobic", "test"}),
        ("ar", "اين يمكنني عمل فحص", {"عمل", "فحص"}),
    ],
)
def test_filler_and_stop_words_leave_the_meaning_words(reader, lang, text, words):
    assert set(reader.understand(text, lang).words) == words


def test_words_that_carry_meaning_here_are_not_stop_words(reader):
    assert "police" in reader.understand("police", "en").words
    assert "doctor" in reader.understand("i need a doctor", "en").words


@pytest.mark.parametrize(
    "lang, text, borough",
    [
        ("en", "hiv test lambeth", "lambeth"),
        ("en", "Tower Hamlets clinic", "tower-hamlets"),
        ("en", "hakney", "hackney"),  # one letter off
        ("en", "westminister sexual health", "westminster"),
        ("zh", "哈克尼诊所", "hackney"),
        ("ar", "عيادة في نيوهام", "newham"),
        ("bn", "টাওয়ার হ্যামলেটস", "tower-hamlets"),
        ("bg", "клиника Хакни", "hackney"),
    ],
)
def test_a_borough_in_any_script_becomes_the_filter(reader, lang, text, borough):
    assert reader.understand(text, lang).borough == borough


def test_the_borough_leaves_the_words(reader):
    assert reader.understand("hiv test lambeth", "en").words == ("hiv", "test")
    assert reader.understand("Lambeth", "en").words == ()


def test_a_postcode_alone_is_a_postcode(reader):
    assert reader.understand("E8 1DY", "en").postcode.kind == "full"
    assert reader.understand("sw9", "en").postcode.kind == "district"
    assert reader.understand("hiv test", "en").postcode is None


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "i want to kill myself"),
        ("pt", "não aguento mais"),
        ("zh", "我不想活了"),
        ("ar", "أريد أن أموت"),
        ("bn", "আমি আর বাঁচতে চাই না"),
    ],
)
def test_despair_in_any_language_is_a_crisis(reader, lang, text):
    assert reader.understand(text, lang).crisis
    assert reader.understand(text, "en").crisis  # whatever the page's language


def test_ordinary_questions_are_not_a_crisis(reader):
    assert not reader.understand("sexual health clinic", "en").crisis
    assert not reader.understand("quero morar em londres", "pt").crisis


def test_a_phrase_names_its_need_only_whole(reader):
    assert ("exiting", "leave sex work") in reader.understand("i want to leave sex work", "en").needs
    assert not reader.understand("sex work union", "en").needs or all(
        slug != "exiting" for slug, _ in reader.understand("sex work union", "en").needs
    )


def test_hostile_input_is_understood_without_error(reader):
    for text in ("", " ", "\x00", "a" * 10_000, "(((", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "E8 1DY" * 50):
        understood = reader.understand(text, "en")
        assert len(understood.words) <= query.MAX_WORDS


def test_a_reader_prepared_at_build_time_understands_as_one_made_from_the_vocabulary(reader):
    """What the build keeps (prepare, through JSON as vocabulary.json holds it) understands every
    query of the search-quality suite exactly as a Reader that folds and cuts the vocabulary itself."""
    import json

    from directory import i18n

    prepared = json.loads(json.dumps(query.prepare(reader.vocab, i18n.KNOWN), ensure_ascii=False))
    kept = query.Reader(reader.vocab, prepared)
    suite = (ROOT / "tests" / "search_quality.txt").read_text(encoding="utf-8").splitlines()
    cases = [line.split("\t") for line in suite if line and not line.startswith("#")]
    assert len(cases) > 150
    for lang, _expected, text in cases:
        assert kept.understand(text, lang) == reader.understand(text, lang), (lang, text)
