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


def test_no_catalogue_calls_sex_work_prostitution():
    """Plain, respectful words: "sex work" in every language, never "prostitution"."""
    banned = re.compile(r"prostitu|проститу|卖淫|妓|prostytu|prostitú|বেশ্যা|পতিতা|دعارة|بغاء", re.IGNORECASE)
    for path in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        with open(path, "rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    assert not banned.search(text or ""), (path.parent.parent.name, text)
