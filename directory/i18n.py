"""Languages: the code in the URL, the Babel locale behind it and each language's own name."""

from flask import current_app, g, request

# URL code -> (Babel locale, the language's name in itself). Order is the switcher's order.
KNOWN = {
    "en": ("en", "English"),
    "pt": ("pt_BR", "Português (Brasil)"),
    "ro": ("ro", "Română"),
    "bg": ("bg", "Български"),
    "zh": ("zh_Hans_CN", "中文（简体）"),
    "es": ("es", "Español"),
    "pl": ("pl", "Polski"),
    "hu": ("hu", "Magyar"),
    "bn": ("bn", "বাংলা"),
    "ar": ("ar", "العربية"),
}
DEFAULT = "en"


def served() -> list[str]:
    return [code for code in KNOWN if code in current_app.config["LANGUAGES"]]


def current() -> str:
    """The page's language: from the URL, or from the path's first segment on error pages."""
    lang = g.get("lang")
    if lang:
        return lang
    first = request.path.strip("/").split("/", 1)[0] if request else ""
    return first if first in served() else DEFAULT


def select_locale() -> str:
    return KNOWN[current()][0]


def best_for_request() -> str:
    """The served language the browser prefers most (only used to redirect the bare `/`)."""
    offered = served()
    # Accept-Language says `pt-BR` or `zh-CN`; match on the primary subtag our URLs use.
    for value, _quality in request.accept_languages:
        primary = value.split("-")[0].lower()
        if primary in offered:
            return primary
    return DEFAULT


def html_lang(code: str) -> str:
    """BCP 47 tag for `<html lang>` and hreflang: pt_BR -> pt-BR, zh_Hans_CN -> zh-Hans-CN."""
    return KNOWN[code][0].replace("_", "-")
