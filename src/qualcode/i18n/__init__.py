"""User-facing text through gettext catalogs (Indonesian and English).

Message ids are the English text; placeholders are `{name}` fields, formatted after lookup:

    from qualcode.i18n import _
    _("Coded {code} in {source}").format(code=key, source=name)

`_(msgid)` uses the current language (`set_language`); pass `lang=` for an export written in a
language other than the interface's. `N_` only marks a string for extraction (tables of
constants translated where they are shown).

Catalogs: not yet compiled here; until they are, every lookup returns the English id.
"""

from __future__ import annotations

LANGS = ("id", "en")
_current = "id"


def set_language(lang: str) -> None:
    """Make `lang` ("id" or "en") the language of `_()` without an explicit `lang`."""
    global _current
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (id or en)")
    _current = lang


def get_language() -> str:
    """The current interface language."""
    return _current


def gettext(msgid: str, lang: str | None = None) -> str:
    """`msgid` in `lang` (default: the current language)."""
    return msgid


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form for `n`, in `lang`."""
    return singular if n == 1 else plural


def N_(msgid: str) -> str:
    """Mark `msgid` for extraction without translating it here."""
    return msgid


_ = gettext
