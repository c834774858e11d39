"""Signposting cards: one entry in two languages, a QR code made here, and a text to share.

The QR code is drawn on our server as SVG (segno): no image service ever learns which entry an
officer showed to whom.
"""

from collections.abc import Callable
from dataclasses import dataclass

import segno
from markupsafe import Markup, escape

from . import entry_text, hours, i18n, locales
from .records import Service


@dataclass(frozen=True)
class Side:
    """One language's half of a card."""

    code: str
    tag: str  # BCP 47, for lang=""
    direction: str  # "ltr" or "rtl"
    name: str  # the language's name in itself
    text: Callable[[str], entry_text.Text]  # an entry field in this language, or its English marked so


def side(entry: Service, code: str, translator: entry_text.Translator) -> Side:
    english = code == i18n.DEFAULT
    return Side(
        code=code,
        tag=i18n.html_lang(code),
        direction=locales.direction(i18n.KNOWN[code][0]),
        name=i18n.KNOWN[code][1],
        text=lambda field: translator.text(entry, field, english),
    )


def day_groups(week: hours.Week) -> list[tuple[int, int, tuple[tuple[str, str], ...]]]:
    """Opening days with the same hours run together, so a card says "Monday–Friday 10:00–17:00" on
    one line rather than five: (first day, last day, spans), days counted from 0 = Monday."""
    groups: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    for day, spans in enumerate(week.days):
        if groups and spans and groups[-1][2] == spans and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, spans)
        elif spans:
            groups.append((day, day, spans))
    return groups


def qr_svg(link: str, label: str) -> Markup:
    """The QR code as inline SVG, with a white quiet zone so it scans on any background.

    Error correction M (segno raises it when that costs no extra size) survives a scuffed print."""
    code = segno.make(link, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, svgclass="qr-code", lineclass=None, light="#fff", omitsize=True)
    # segno's SVG holds only its own path data; the one piece of text, the label, is escaped here.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # nosec B704


def sms_body(entry: Service, link: str) -> str:
    """A short text to send from the person's own phone: the name, a number and the link."""
    parts = [entry.name]
    if entry.phones:
        parts.append(entry.phones[0].display)
    parts.append(link)
    return "\n".join(parts)
