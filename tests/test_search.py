import datetime as dt
import random
from pathlib import Path

import numpy as np
import pytest
from conftest import ROWS, service, write_csv

from directory import ranking, records, reference, search


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


def test_browse_is_in_ranking_order_and_paginated(index):
    """No words typed: ranking.py's order. The sex-worker-led group first, then the 24/7 line, then
    the rest by name (clinic-east is "East Clinic", housing-help "Housing Help")."""
    first = index.search("", page=1, per_page=3)
    second = index.search("", page=2, per_page=3)
    assert first.total == 4 and first.pages == 2
    assert first.ids == ["sao-paulo-group", "report-line", "clinic-east"]
    assert second.ids == ["housing-help"]
    assert index.search("", page=99, per_page=3).page == 2


@pytest.mark.parametrize(
    "query",
    ["name:clinic", '"unbalanced', "(((", "*", "clin*", "~2", "AND OR NOT", "\x00", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a" * 10_000, " "],
)
def test_hostile_queries_are_plain_text(index, query):
    results = index.search(query)
    assert results.total >= 0 and results.page == 1


# Everyday words people type, in each of the site's languages, and the need they should reach.
EVERYDAY = {
    "en": [("HIV test", "clinic-east"), ("somewhere to sleep", "housing-help"), ("raped", "report-line")],
    "pt": [("teste de HIV", "clinic-east"), ("onde dormir", "housing-help"), ("cliente perigoso", "report-line")],
    "ro": [("analize HIV", "clinic-east"), ("unde să dorm", "housing-help"), ("viol", "report-line")],
    "bg": [("тест за ХИВ", "clinic-east"), ("къде да спя", "housing-help"), ("изнасилване", "report-line")],
    "zh": [("艾滋病检测", "clinic-east"), ("找住的地方", "housing-help"), ("被强奸了", "report-line")],
    "es": [("prueba de VIH", "clinic-east"), ("dónde dormir", "housing-help"), ("violación", "report-line")],
    "pl": [("test na HIV", "clinic-east"), ("gdzie spać", "housing-help"), ("gwałt", "report-line")],
    "hu": [("HIV teszt", "clinic-east"), ("hol aludjak", "housing-help"), ("nemi erőszak", "report-line")],
    "bn": [("এইচআইভি পরীক্ষা", "clinic-east"), ("থাকার জায়গা", "housing-help"), ("ধর্ষণ", "report-line")],
    "ar": [("فحص الإيدز", "clinic-east"), ("مكان للنوم", "housing-help"), ("اغتصاب", "report-line")],
}  # fmt: skip


@pytest.mark.parametrize("lang", EVERYDAY)
def test_everyday_words_in_every_language_find_the_right_need(index, lang):
    for text, expected in EVERYDAY[lang]:
        found = index.search(text, lang=lang).ids
        assert found and found[0] == expected, (lang, text, found)


@pytest.mark.parametrize(
    ("with_marks", "without"),
    [
        ("clínica saúde", "clinica saude"),  # pt
        ("sănătate sexuală", "sanatate sexuala"),  # ro, with ș/ş/ţ/ț either way below
        ("unde să dorm în siguranţă", "unde sa dorm in siguranta"),  # ş/ţ (cedilla) as well as ș/ț
        ("łóżko przemoc domowa żółć", "lozko przemoc domowa zolc"),  # pl
        ("violación clínica", "violacion clinica"),  # es
        ("nemi erőszak ügyvéd", "nemi eroszak ugyved"),  # hu
        ("العِيادة أُسرة", "العيادة اسرة"),  # ar: vowel marks and alef forms
    ],
)
def test_accents_and_marks_do_not_change_results(index, with_marks, without):
    assert index.search(with_marks).ids, with_marks
    assert index.search(with_marks).ids == index.search(without).ids
    assert index.search(with_marks).total == index.search(without).total


def test_need_names_from_the_catalogues_are_searchable(index):
    # The Romanian interface name of the housing need, as shown on the home page.
    assert index.search("Locuință și persoane fără adăpost").ids[0] == "housing-help"


@pytest.mark.parametrize(
    "lang, forms",
    [
        ("pl", ["lekarz", "lekarza", "lekarze"]),  # snowball Polish (PyPI), after accent folding
        ("pl", ["pomocą", "pomoca", "pomoc"]),
        ("bg", ["лекар", "лекари", "лекарят"]),  # BulStem (PyPI)
        ("pt", ["médico", "médicos", "medicos"]),
        ("es", ["clínica", "clínicas", "clinicas"]),
        ("ro", ["clinică", "clinici", "clinica"]),
        ("hu", ["orvos", "orvosok", "orvosokat"]),
        ("ar", ["الطبيب", "طبيب", "طبيبة"]),
    ],
)
def test_each_language_stems_its_own_words(lang, forms):
    stems = {token.text for form in forms for token in search.ANALYZERS[lang](form)}
    assert len(stems) == 1, (lang, stems)


def test_chinese_is_cut_into_words_and_traditional_is_simplified():
    assert [t.text for t in search.ANALYZERS["zh"]("免费律师")] == ["免费", "律师"]
    # Traditional characters (Hong Kong, Taiwan) become simplified, in the index and in queries.
    assert [t.text for t in search.ANALYZERS["zh"]("免費律師")] == ["免费", "律师"]
    # A longer word also gives the shorter words inside it, so a longer phrase finds no less.
    assert {"艾滋", "艾滋病"} <= {t.text for t in search.ANALYZERS["zh"]("艾滋病")}


@pytest.mark.parametrize("lang, word", [("pl", "lekarza"), ("bg", "лекарят"), ("hu", "orvosokat")])
def test_inflected_everyday_words_reach_their_need(index, lang, word):
    """The need words list the plain form; the page language's stemmer finds the inflected one."""
    assert index.search(word, lang=lang).ids[0] == "clinic-east"


def test_search_reads_the_page_language_and_english_only(tmp_path, csv_path):
    """A translated description is found in its own language, and not from another language's page."""
    from test_entry_text import SPANISH, _spanish_catalogue

    from directory import entry_text

    folder = tmp_path / "translations"
    _spanish_catalogue(folder, ROWS[0]["description"])
    translated = entry_text.catalogues(str(folder), ["es"])
    entries, _ = records.load(csv_path)
    services = [e for e in entries if isinstance(e, records.Service)]
    index_path = tmp_path / "ix"
    search.write(services, index_path, translated={"es": translated})
    ix = search.Index(index_path)
    word = "gratuitas"  # only in the Spanish description
    assert word in SPANISH.lower() and word not in ROWS[0]["description"].lower()
    assert ix.search(word, lang="es").ids == ["clinic-east"]
    assert ix.search("gratuito", lang="es").ids == ["clinic-east"]  # stemmed for Spanish
    assert ix.search(word, lang="pt").ids == []


def test_a_borough_typed_with_words_becomes_the_filter(get_page):
    soup = get_page("/en/search?q=housing+hackney")
    assert soup.select_one("#borough option[selected]")["value"] == "hackney"
    assert [a.get_text() for a in soup.select(".result-title a")][0] == "Housing Help"
    # In another script: the Chinese name of Hackney.
    soup = get_page("/zh/search?q=哈克尼")
    assert soup.select_one("#borough option[selected]")["value"] == "hackney"


def test_a_borough_typed_alone_shows_the_services_based_there_first(get_page):
    soup = get_page("/en/search?q=Hackny")  # and misspelt
    assert soup.select_one("#borough option[selected]")["value"] == "hackney"
    names = [a.get_text() for a in soup.select(".result-title a")]
    # East Clinic and Housing Help are based in Hackney; the national Report Line comes after them.
    assert names[:2] == ["East Clinic", "Housing Help"] and "Report Line" in names


def test_a_borough_chosen_in_the_form_wins(get_page):
    soup = get_page("/en/search?q=housing+hackney&borough=lambeth")
    assert soup.select_one("#borough option[selected]")["value"] == "lambeth"


@pytest.mark.parametrize("typed", ["E8 1DY", "e81dy", "E8"])
def test_a_postcode_typed_into_search_goes_to_the_borough_without_the_postcode(client, typed):
    response = client.get("/en/search", query_string={"q": typed})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/en/areas/")
    assert "E8" not in location.upper() and "1DY" not in location.upper()


def test_a_postcode_outside_london_goes_to_the_finder(client):
    response = client.get("/en/search", query_string={"q": "M1 1AE"})
    assert response.status_code == 303 and response.headers["Location"] == "/en/finder"


@pytest.fixture
def crisis_client(tmp_path, make_app):
    line = service(
        id="night-line",
        name="Night Line",
        categories="mental-health",
        boroughs="national",
        description="Someone to talk to, day and night.",
        phone="020 7946 0009",
        opening_hours="24/7",
        access="phone",
    )
    return make_app(CSV_PATH=write_csv(tmp_path / "crisis.csv", [*ROWS, line])).test_client()


@pytest.mark.parametrize(
    "url",
    [
        "/en/search?q=i+want+to+die",
        "/zh/search?q=我不想活了",
        "/en/search?q=suicidal+housing+hackney",
        # Despair without the word suicide, as people type it (found trying the site in Portuguese).
        "/pt/search?q=preciso+de+ajuda+estou+desesperada",
        "/en/search?q=i+feel+hopeless",
        "/ar/search?q=انا+يائسة",
    ],
)
def test_despair_shows_the_crisis_lines_first(crisis_client, url):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(crisis_client.get(url).data, "html.parser")
    crisis = soup.select_one(".crisis")
    assert crisis is not None and crisis.select_one(".result-title a").get_text() == "Night Line"
    assert crisis.find_next(class_="result-count")  # before the results


def test_no_crisis_block_for_an_ordinary_search(crisis_client):
    from bs4 import BeautifulSoup

    assert BeautifulSoup(crisis_client.get("/en/search?q=housing").data, "html.parser").select_one(".crisis") is None


def test_a_need_beats_a_passing_mention_in_a_name():
    """'aids' is a need (sexual health), not the 'Aid' in a name."""
    from directory.config import ROOT

    entries, _ = records.load(ROOT / "data" / "agencies.csv")
    services = {s.id: s for s in entries.services}
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        search.write(list(services.values()), Path(folder) / "ix")
        index = search.Index(Path(folder) / "ix")
        for lang, text in [("en", "aids"), ("pt", "aids"), ("es", "sida"), ("ar", "الايدز")]:
            first = index.search(text, lang=lang).ids[0]
            assert "sexual-health" in services[first].categories, (lang, text, first)


def test_services_whose_main_need_it_is_come_first(tmp_path):
    """Among equally good matches, the services whose main need (first category) was asked for come
    first: nowhere to sleep finds the housing helplines before a domestic abuse line that also finds
    refuge places, typed in any language or chosen as the need with no words."""
    from directory.config import ROOT

    entries, _ = records.load(ROOT / "data" / "agencies.csv")
    services = {s.id: s for s in entries.services}
    search.write(list(services.values()), tmp_path / "ix")
    index = search.Index(tmp_path / "ix")
    for lang, text in [("en", "nowhere to sleep"), ("es", "me echaron del piso"), ("ar", "طردني صاحب البيت")]:
        results = index.search(text, lang=lang)
        mains = [services[i].categories[0] for i in results.ids]
        housing = [i for i in results.ids if "housing" in services[i].categories]
        assert len(housing) > mains.count("housing") >= 2, (lang, mains)  # others do housing too...
        assert mains[: mains.count("housing")] == ["housing"] * mains.count("housing"), (lang, mains)  # ...after
    browsed = [services[i].categories[0] for i in index.search("", category="housing", per_page=50).ids]
    assert browsed[:2] == ["housing", "housing"] and "housing" not in browsed[2:], browsed


def test_arabic_light_stemmer_keeps_unrelated_words_apart():
    # lawyer and protection share a root; the snowball stemmer merged them.
    lawyer = [t.text for t in search.ANALYZERS["ar"]("محامي")]
    protection = [t.text for t in search.ANALYZERS["ar"]("حماية")]
    assert lawyer != protection
    assert [t.text for t in search.ANALYZERS["ar"]("المحامي")] == lawyer


def test_bengali_inflected_words_meet_their_plain_form():
    plain = [t.text for t in search.ANALYZERS["bn"]("ডাক্তার")]
    for inflected in ("ডাক্তারের", "ডাক্তারকে", "ডাক্তাররা"):
        assert [t.text for t in search.ANALYZERS["bn"](inflected)] == plain, inflected


def test_arabic_final_teh_marbuta_before_a_suffix_meets_the_plain_word():
    # "my visa" and "the visa"
    assert [t.text for t in search.ANALYZERS["ar"]("تأشيرتي")] == [t.text for t in search.ANALYZERS["ar"]("التأشيرة")]


@pytest.fixture(scope="module")
def larger(tmp_path_factory):
    """80 services: enough for common words to be counted from the sets written at build time."""
    from conftest import service, write_csv

    boroughs = ["hackney", "lambeth", "london", "national", "camden;islington"]
    needs = ["sexual-health", "housing", "legal;immigration", "sexual-health;peer-support"]
    words = ["clinic testing", "housing advice tonight", "lawyer visa papers", "peer support group"]
    rows = [
        service(
            id=f"service-{n}",
            name=f"Service {n} {words[n % 4].split()[0]}",
            boroughs=boroughs[n % 5],
            categories=needs[n % 4],
            description=f"Support for sex workers: {words[n % 4]}. {'Free sexual health.' if n % 3 else ''}",
        )
        for n in range(80)
    ]
    folder = tmp_path_factory.mktemp("larger")
    entries, _ = records.load(write_csv(folder / "agencies.csv", rows))
    search.write(list(entries.services), folder / "ix")
    return search.Index(folder / "ix")


TEXTS = ["support", "sexual health", "clinic", "lawyer visa", "housng", "clinic visa", "xyzzy"]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("category, area", [("", ""), ("sexual-health", ""), ("", "hackney"), ("legal", "camden")])
def test_counts_and_ranking_are_whooshs_own(larger, monkeypatch, text, category, area):
    """scores.py counts exactly what Whoosh matches and ranks the top as Whoosh's exhaustive scoring
    does: the same entries, the same scores, best first and, at equal scores, the earlier entry."""
    from whoosh import query

    assert larger.scores._keys["body"]["support"]  # the common words come from the build's postings
    filters = [query.Term("categories", category)] if category else []
    if area:
        filters.append(query.Or([query.Term("areas", a) for a in (area, "london", "national")]))
    restrict = query.And(filters) if filters else None
    seen = []
    real = search.Index._hits

    def checked(self, q, category_, area_, limit):
        top, total = real(self, q, category_, area_, limit)
        # limit=None: Whoosh scores every match (with a limit it may skip blocks it guesses cannot
        # make the top, and does miss some here).
        everything = self.searcher.search(q, filter=restrict, limit=None)
        assert total == len(everything)
        whoosh = sorted(((h.docnum, round(h.score, 9)) for h in everything), key=lambda hit: (-hit[1], hit[0]))
        assert [(d, round(s, 9)) for d, s in top] == whoosh[:limit]
        seen.append(total)
        return top, total

    monkeypatch.setattr(search.Index, "_hits", checked)
    results = larger.search(text, category, area)
    assert results.total == (seen[-1] if seen else 0)  # no word the index knows: nothing is scored
    if not category and not area:  # every word but the nonsense one is somewhere
        assert (results.total > 0) == (text != "xyzzy")


def test_each_term_scores_as_whoosh_scores_it(larger):
    """Frequent terms (from the build) and rare ones (from Whoosh's postings), scored fields (BM25F,
    the name's field boost) and unscored ones (their weight): the same float as Whoosh's scorer."""
    searcher = larger.searcher
    checked = 0
    for (field, text), info in searcher.reader():
        if field not in ("name", "body", "spelling", "categories", "areas", "text_pt"):
            continue
        word = text.decode("utf-8")
        ids, scores = larger.scores.term(field, word)
        matcher = searcher.postings(field, text)
        expected = []
        while matcher.is_active():
            expected.append((matcher.id(), matcher.score()))
            matcher.next()
        assert list(zip(ids.tolist(), scores.tolist(), strict=True)) == expected, (field, word)
        checked += info.doc_frequency() >= search.scores.frequent(larger.size)
    assert checked > 10  # some frequent terms were among them


def test_sets_match_whoosh_for_every_kind_of_query(larger):
    """The set of a query, whatever its shape, is exactly what Whoosh matches (the rest ask Whoosh)."""
    from whoosh import query

    clinic, visa = (search._word_query(w, "en", larger.needs) for w in ("clinic", "visa"))
    support = query.Term("body", "support")
    for q in (
        query.Or([query.And([clinic, support]), query.And([visa, support])]),
        query.AndMaybe(support, clinic),
        query.AndNot(support, visa),
        query.Every(),
        query.Prefix("body", "hous"),  # not computed by the sets: asked of Whoosh
    ):
        expected = set(larger.searcher.docs_for_query(q))
        bits = larger.bits(q)
        assert {d for d in range(larger.size) if bits >> d & 1} == expected and expected, q


def test_typed_words_leave_nothing_behind_in_the_worker(larger):
    """A worker keeps its searcher for the build's life: nothing in it may remember what was typed.
    Whoosh's searcher caches the idf of every term it scores; scores.py computes idf itself."""
    larger.searcher._idf_cache.clear()  # the tests above asked Whoosh itself, to compare
    larger._filter_bits.cache_clear()
    for text, category, area in [("lawyer visa", "", ""), ("housng", "housing", "hackney"), ("clinic", "", "camden")]:
        assert larger.search(text, category, area).total
    assert larger.searcher._idf_cache == {}
    assert larger._filter_bits.cache_info().currsize == 3  # the three filters chosen, not the words
    # Whoosh's stemmers keep what they stemmed unless told not to: none may.
    for lang, text in [("en", "lawyers"), ("bg", "адвокати"), ("pl", "prawnika"), ("ar", "محامي")]:
        assert larger.search(text, lang=lang) is not None
    assert [lang for lang, f in search.STEMMERS.items() if hasattr(f._stem, "cache_info")] == []


def test_workers_never_load_jiebas_whole_dictionary(app):
    """jieba's whole dictionary is about 70 MB in every worker that loads it: a build keeps its
    vocabulary already cut into words (query.prepare), so opening it loads no jieba, and a Chinese
    query loads only the build's small dictionary (query.write_dictionary). In a fresh process, as a
    gunicorn worker opens the build (this test's process has the whole dictionary, from building)."""
    import subprocess
    import sys

    from directory import builds

    folder = builds.current(app.config["BUILD_ROOT"])
    script = (
        "import sys; from pathlib import Path; from directory import search\n"
        f"ix = search.Index(Path({str(folder / search.INDEX_NAME)!r}))\n"
        "english = ix.search('free clinic', lang='en').ids\n"
        "print('jieba' in sys.modules, bool(english))\n"
        "ix.search('免费诊所', lang='zh')\n"
        "print('jieba' in sys.modules, sys.modules['jieba'].dt.initialized)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True", "True", "False"]


def test_bulgarian_stems_as_bulstem_stems():
    """search.py keeps BulStem's rules in one table (its trie was 8.4 MB a worker): every word of the
    Bulgarian catalogues, and every rule's ending after a stem, stems as BulStem itself stems it."""
    import re
    from importlib.resources import files

    from bulstem.stem import BulStemmer

    from directory.config import ROOT

    rules = str(files("bulstem") / "stemrules" / "stem_rules_context_2_utf8.txt")
    bulstem = BulStemmer.from_file(rules, min_freq=2)
    text = " ".join(p.read_text("utf-8") for p in (ROOT / "translations" / "bg" / "LC_MESSAGES").glob("*.po"))
    words = set(re.findall(r"[а-яА-Я]+", text))
    with open(rules, encoding="utf-8") as lines:
        endings = [line.split()[0] for line in lines if "==>" in line]
    words |= {stem + ending for ending in endings for stem in ("бр", "пом", "лека", "а")}
    assert len(words) > 100_000
    differ = [w for w in words if search.stem_bulgarian(w) != bulstem.stem(w)]
    assert differ == []
    assert search.stem_bulgarian("помощта") == bulstem.stem("помощта") != "помощта"  # it does stem


def test_the_typo_index_holds_every_word_of_the_names_and_english_text(tmp_path):
    """The words for typo matching come from the index writer's own reading of the text: they must be
    exactly the words of every service's name and English text, unstemmed (what a fresh read gives)."""
    from whoosh import index as whoosh_index

    from directory import indexing
    from directory.config import ROOT

    entries, _ = records.load(ROOT / "data" / "agencies.csv")
    search.write(list(entries.services), tmp_path / "ix")
    words = indexing.Words(search.WORDS)
    expected = {w for s in entries.services for w in words(f"{s.name}\n{search._body(s)}")}
    with whoosh_index.open_dir(str(tmp_path / "ix" / search.SPELLING_NAME)).reader() as reader:
        held = {term.decode() for term in reader.lexicon("word")}
    assert held == expected
    assert {"housing", "hackney", "clinic"} <= held and "hous" not in held  # unstemmed


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped directory and the test rows (one open past midnight), built as the site builds
    them, with their services by index number."""
    import csv

    from directory import builds
    from directory.config import ROOT

    with open(ROOT / "data" / "agencies.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle)) + [row for row in ROWS if row["kind"] == "service"]
    folder = tmp_path_factory.mktemp("shipped")
    path = write_csv(folder / "agencies.csv", rows)
    built, _ = builds.build(path, folder / "builds")
    index = search.Index(built / search.INDEX_NAME)
    by_id = {s.id: s for s in records.load(path)[0].services}
    yield index, [by_id[index.searcher.stored_fields(n)["id"]] for n in range(index.size)]
    index.close()


def _week_of_minutes(services) -> list[dt.datetime]:
    """Every quarter hour of a week, and the minutes either side of each span's ends."""
    monday = dt.datetime(2026, 11, 23)
    times = [monday + dt.timedelta(minutes=15 * q) for q in range(7 * 96)]
    for s in services:
        for day, spans in enumerate(s.hours.days):
            for span in spans:
                for end in span:
                    at = monday + dt.timedelta(days=day, minutes=ranking.minutes(end))
                    times += [at - dt.timedelta(minutes=1), at, at + dt.timedelta(minutes=1)]
    return times


def test_open_now_from_the_builds_spans_is_ranking_is_open(shipped):
    """Search ranks with the build's arrays (Index.open_at), borough pages with ranking.is_open: the
    same answer for every shipped service at every quarter hour and at every span's ends."""
    index, services = shipped
    docs = np.arange(index.size)
    spans = [span for s in services for spans in s.hours.days for span in spans]
    assert any(ranking.minutes(last) < ranking.minutes(first) for first, last in spans), "no span past midnight"
    for now in [None, *_week_of_minutes(services)]:
        assert index.open_at(docs, now).tolist() == [ranking.is_open(s.hours, now) for s in services], now


def test_typed_searches_are_ranked_as_ranking_py_ranks_them(shipped):
    """Index._rank sorts a search's best hits with the build's arrays; ranking.order_matches is the rule
    (and what borough pages use). Random hits, scores with ties, boroughs, needs and times."""
    index, services = shipped
    rng = random.Random(17)
    areas = ["", "hackney", "newham", "westminster", "city-of-london"]
    for _ in range(400):
        docs = rng.sample(range(index.size), rng.randint(1, min(40, index.size)))
        scores = [rng.choice([0.5, 1.0, 3.2, 7.7, 8.0]) * rng.choice([1, 1, 1.01]) for _ in docs]
        area, now = rng.choice(areas), dt.datetime(2026, 11, 23) + dt.timedelta(minutes=rng.randrange(7 * 24 * 60))
        needs = set(rng.sample(list(reference.CATEGORIES), rng.randint(0, 2)))
        expected = ranking.order_matches(
            [(services[d], x) for d, x in zip(docs, scores, strict=True)], area or None, now, needs
        )
        order = index._rank(np.array(docs), np.array(scores), area, now, needs)
        assert [services[docs[i]].id for i in order] == [s.id for s in expected]
