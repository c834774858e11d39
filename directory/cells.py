"""Checks of single CSV cells: phone numbers, links, email addresses, hidden characters and the
spelling of fixed values. Each raises ValueError with a sentence an admin can act on.

Spreadsheets change what admins type: they capitalise words, drop a phone number's leading 0 and
carry invisible characters over from copied web pages. The checks here accept what is harmless
(`Hackney` is `hackney`) and name what is not, saying what to write instead.
"""

import difflib
import functools
import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import shortnumberinfo

from .problems import Problem

_SPACE = re.compile(r"\s")
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# A plain address: what a `mailto:` link can carry without becoming something else. `?`, `&`, `=`,
# `#` or `%` would add headers (`?bcc=`) or change the address once the link is followed.
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9_'+-]+(\.[A-Za-z0-9_'+-]+)*$")
_EMAIL_DOMAIN = re.compile(r"^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")
_EMAIL_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._'+-@")

# Characters that change how text is displayed without being seen: a right-to-left override can make
# a phone number or a link read differently from what it is (the "Trojan Source" trick).
BIDI_CONTROLS = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
LINE_BREAKS = {"\n", "\r"}  # allowed: a quoted cell may hold several lines


# Every character hidden_characters reports (NUL and the other Cc controls but line breaks, the
# direction controls, the Unicode line and paragraph separators): most cells hold none, and one regex
# search is far cheaper than naming each character (a fifth of a 10,000-entry check).
_HIDDEN = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


def hidden_characters(value: str) -> list[str]:
    """What is wrong with the invisible characters in a cell, one sentence per kind found."""
    if not _HIDDEN.search(value):
        return []
    found: dict[str, str] = {}
    for position, char in enumerate(value, start=1):
        code = ord(char)
        if char in LINE_BREAKS:
            continue
        name = unicodedata.name(char, "") or f"U+{code:04X}"
        if code == 0:
            found.setdefault("nul", f"contains a NUL byte (character {position}): delete it")
        elif code in BIDI_CONTROLS:
            found.setdefault(
                "bidi",
                f"contains an invisible text-direction character ({name}, U+{code:04X}, character {position}) "
                "that can make text display differently from what it says: delete it",
            )
        elif char == "\t":
            found.setdefault("tab", f"contains a tab (character {position}): replace it with a space")
        elif unicodedata.category(char) == "Cc" or char in ("\u2028", "\u2029"):
            found.setdefault("control", f"contains an invisible control character (U+{code:04X}, character {position})")
    return list(found.values())


def phone(text: str) -> phonenumbers.PhoneNumber:
    """Check a UK number (or a short code like 999); raise ValueError."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a phone number") from None
    if shortnumberinfo.is_valid_short_number(number) or phonenumbers.is_valid_number(number):
        return number
    hint = lost_zero(text)
    raise ValueError(f"{text!r} is not a valid UK phone number" + (f": {hint}" if hint else ""))


def lost_zero(text: str) -> str:
    """If `text` looks like a UK number whose leading 0 a spreadsheet removed, what to write instead."""
    digits = re.sub(r"[\s().-]", "", text)
    if not digits.isdigit() or digits.startswith(("0", "44")) or len(digits) not in (9, 10):
        return ""
    try:
        number = phonenumbers.parse("0" + digits, "GB")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return (
        f"it looks like a spreadsheet removed its leading 0: write {written} "
        "(format the phone column as Text so the 0 stays)"
    )


def dial(number: phonenumbers.PhoneNumber) -> str:
    """The form a `tel:` link needs: E.164, or the short code as it is dialled."""
    if shortnumberinfo.is_valid_short_number(number):
        return str(number.national_number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def url(text: str) -> None:
    """Accept only absolute http(s) links with a host: no `javascript:`, `data:` or relative paths."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not _HOST.match(parts.hostname or ""):
        raise ValueError(f"{text!r} is not a web address starting with https:// or http://")
    if _SPACE.search(text):  # \s is str.isspace, character by character, without a loop here
        raise ValueError(f"{text!r} contains spaces")
    if parts.username is not None or parts.password is not None:
        # https://trusted.org@other.test/ opens other.test while reading as trusted.org.
        raise ValueError(f"{text!r} has a name and @ before its site: write only the site's address")


def email(text: str) -> None:
    """Accept one plain address (name@example.org): nothing a `mailto:` link would read as more."""
    odd = sorted({ch for ch in text if ch not in _EMAIL_ALLOWED})
    if odd:
        shown = " ".join(repr(ch) for ch in odd)
        raise ValueError(
            f"{text!r} is not a plain email address: it contains {shown}. Write only the address, like help@example.org"
        )
    local, _, domain = text.rpartition("@")
    if not (local and _EMAIL_LOCAL.match(local) and _EMAIL_DOMAIN.match(domain)) or len(text) > 254:
        raise ValueError(f"{text!r} is not an email address like help@example.org")


_AND = re.compile(r"\s*&\s*")
_SEPARATORS = re.compile(r"[\s_]+")


# Every row names a kind, needs, ways in, who it serves...: a few dozen values, each written the same
# way thousands of times in a large file (a fifth of the check of 100,000 rows before the cache).
@functools.lru_cache(maxsize=4096)
def normal(value: str) -> str:
    """How a fixed value is compared: `Tower Hamlets`, `tower_hamlets` and `tower-hamlets` are one."""
    return _SEPARATORS.sub("-", _AND.sub(" and ", value.strip().lower()))


def unknown(value: str, allowed, what: str = "") -> str:
    """The error for a value not in `allowed`, with the nearest allowed value when one is close."""
    close = difflib.get_close_matches(normal(value), list(allowed), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    if what:
        return f"unknown {what} {value!r}{hint}"
    return f"{value!r} is not one of: {', '.join(allowed)}{hint}"


def cell_problems(line: int, values: dict[str, str], columns: tuple[str, ...]) -> list[Problem]:
    """Hidden characters in any cell of a row, each named by line and column."""
    return [
        Problem(line, column, message, columns=columns)
        for column, value in values.items()
        for message in hidden_characters(value)
    ]
