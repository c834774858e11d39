"""Every served language has a complete, current catalogue: nothing untranslated, fuzzy or stale."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from directory import i18n
from directory.config import Config

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Extract the strings from the code and templates now, as `make messages` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_",
         "--no-location", "--no-wrap", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(pot, "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("code", [c for c in Config.LANGUAGES if c != "en"])
def test_catalogue_is_complete_and_current(template, code):
    locale = i18n.KNOWN[code][0]
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalogue = read_po(handle, locale=locale)
    wanted = {m.id for m in template if m.id}
    have = {m.id: m for m in catalogue if m.id}
    assert sorted(map(str, wanted - set(have))) == [], f"{code}: strings missing, run `make messages`"
    problems = []
    for msgid in wanted:
        message = have[msgid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(("fuzzy", msgid))
        if not all(strings) or (message.pluralizable and len(strings) != catalogue.num_plurals):
            problems.append(("untranslated", msgid))
        source = msgid[-1] if isinstance(msgid, tuple) else msgid
        for text in strings:
            if not set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(source)):
                problems.append(("placeholder", msgid, text))
            if not message.pluralizable and sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(("placeholder", msgid, text))
    assert problems == []


def test_every_known_language_is_served():
    assert list(i18n.KNOWN) == Config.LANGUAGES


# Each language's words for prostitution or a prostitute, harsher than "sex work" and often harsher than
# the English: the legal or police term (zh 卖淫, ar دعارة), "fallen woman" (bn পতিতা), and the slurs. Stems
# catch every inflection; \b keeps a short slur from matching inside an ordinary word ("computadora").
HARSH = {
    "pt": [r"prostitu", r"\bputa", r"meretri"],  # prostituição, prostituta, meretriz
    "ro": [r"prostitu", r"\bcurv"],  # prostituție, prostituată, curvă
    "bg": [r"проститу", r"\bкурв"],  # проституция, проститутка, курва
    "zh": [r"卖淫", r"妓", r"娼"],  # 卖淫 (the legal/police term), 妓女, 娼妓
    "es": [r"prostitu", r"\bputa", r"meretri"],  # prostitución, prostituta, meretriz
    "pl": [r"prostytu", r"\bdziwk", r"\bkurw"],  # prostytucja, prostytutka, dziwka, kurwa
    "hu": [r"prostit[uú]", r"\bkurv", r"\bszajh"],  # prostitúció, prostituált, kurva, szajha
    "bn": [r"পতিতা", r"বেশ্যা"],  # পতিতা(বৃত্তি) "fallen woman", বেশ্যা
    "ar": [r"دعار", r"بغاء", r"عاهر", r"مومس"],  # الدعارة (criminal-law term), البغاء, عاهرة, مومس
}
# A word from each list, so the patterns are known to catch what they are meant to.
SAMPLES = {"pt": "prostituição", "ro": "prostituată", "bg": "проституция", "zh": "卖淫", "es": "prostitución",
           "pl": "prostytucji", "hu": "prostitúciót", "bn": "পতিতাবৃত্তি", "ar": "بالدعارة"}  # fmt: skip
# Organisations' own names may keep their word; nothing else may. Names stay in English in every language.
OWN_NAMES = ["English Collective of Prostitutes"]


def _harsh(code):
    return re.compile("|".join(HARSH[code] + [r"prostitu", r"prostytu"]), re.IGNORECASE)


def _without_own_names(text):
    for name in OWN_NAMES:
        text = text.replace(name, "")
    return text


@pytest.mark.parametrize("code", [c for c in Config.LANGUAGES if c != "en"])
def test_no_catalogue_calls_sex_work_prostitution(code):
    """Plain, respectful words: "sex work" in every language, never "prostitution", in the interface and
    in every entry's text."""
    banned = _harsh(code)
    assert banned.search(SAMPLES[code]) and not banned.search("computadora, disputa, curbă, sex work")
    locale = i18n.KNOWN[code][0]
    found, read = [], {"messages": 0, "entries": 0}
    for domain in ("messages", "entries"):
        with open(ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
            for message in read_po(handle, locale=locale):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in filter(None, strings):
                    read[domain] += 1
                    if banned.search(_without_own_names(text)):
                        found.append((domain, message.context, text))
    assert min(read.values()) > 100  # both catalogues were read, not an empty file
    assert found == []


def test_an_organisations_own_name_is_the_only_exception():
    banned = _harsh("es")
    assert not banned.search(_without_own_names("El English Collective of Prostitutes se opone a las redadas."))
    assert banned.search(_without_own_names("English Collective of Prostitutes, contra la prostitución"))


def test_bengali_numbers_are_written_in_latin_digits():
    """Phone numbers, dates and counts come out in Latin digits, so the text around them uses them too."""
    for domain in ("messages", "entries"):
        with open(ROOT / "translations" / "bn" / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
            for message in read_po(handle, locale="bn"):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in filter(None, strings):
                    assert not re.search("[০-৯]", text), (message.context, text)


# Every form of message the templates use, with variables that need escaping.
FORMS = """{{ _("Search") }}|{{ _("page %(page)d of %(pages)d", page=2, pages=3) }}
|{{ ngettext("%(num)d service found", "%(num)d services found", 1) }}
|{{ ngettext("%(num)d service found", "%(num)d services found", 7) }}
|{{ _("Last checked: %(date)s.", date="<b>1 & 2</b>") }}|{{ _("No such message, 100%% %(x)s", x="<i>") }}
|{{ gettext("Search") }}|{{ pgettext("a context", "Search") }}|{{ npgettext("c", "%(num)d one", "%(num)d many", 2) }}
|{% trans n=3 %}{{ n }} <b>things</b>{% endtrans %}|{% trans %}Search{% endtrans %}"""


@pytest.mark.parametrize("lang", list(i18n.KNOWN))
def test_the_templates_fast_messages_are_jinjas_own(app, lang):
    """views.page_globals gives each render its own _(), ngettext()... (i18n.template_gettext): they
    must write exactly what Jinja's newstyle ones write, escaping included."""
    template = app.jinja_env.from_string(FORMS)
    with app.test_request_context(f"/{lang}/"):
        app.preprocess_request()
        jinjas = template.render()  # the environment's globals: jinja2.ext's newstyle callables
        fast = template.render(**i18n.template_gettext())
    assert fast == jinjas
    assert "&lt;b&gt;1 &amp; 2&lt;/b&gt;" in fast and "100% &lt;i&gt;" in fast and "<b>things</b>" in fast
    if lang != "en":
        assert fast.split("|")[0] != "Search"  # translated, not only passed through
