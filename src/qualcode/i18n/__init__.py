"""User-facing text through gettext catalogs (Indonesian and English).

Message ids are the English text; placeholders are `{name}` fields, formatted after lookup:

    from qualcode.i18n import _
    _("Coded {code} in {source}").format(code=key, source=name)

`_(msgid)` uses the current language (`set_language`); pass `lang=` for an export written in a
language other than the interface's. `N_` only marks a string for extraction (tables of
constants translated where they are shown, e.g. binding descriptions and role names);
`pgettext` / `NP_` do the same with a context where one English word has two translations.

Catalogs live in `locale/<lang>/LC_MESSAGES/qualcode.po` next to this file, with their compiled
`.mo` beside them; they are read with the standard library's `gettext` (Babel is a tool for
maintainers, never imported at start-up). Tests fail when a `.mo` is stale against its `.po`,
when a marked message id is missing from the catalogs or has no Indonesian translation, and
when user-facing text is not marked.

After adding or changing text in the code, one command re-extracts, updates and compiles:

    uv run --frozen python -m qualcode.i18n.catalogs

It extracts every `_`, `gettext`, `N_`, `ngettext`, `pgettext`, `NP_` call (Babel's API with an
AST method that also sees calls inside f-strings) into `locale/qualcode.pot`, runs `pybabel
update` on both `.po` files and compiles them, and lists the Indonesian ids still untranslated:
fill their `msgstr` and run it again. See docs/translations.md.
"""

from __future__ import annotations

import gettext as _gettext
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGS = ("id", "en")
DOMAIN = "qualcode"
LOCALE_DIR = Path(__file__).with_name("locale")
_current = "id"
_catalogs: dict[str, _gettext.NullTranslations] = {}


def set_language(lang: str) -> None:
    """Make `lang` ("id" or "en") the language of `_()` without an explicit `lang`."""
    global _current
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (id or en)")
    _current = lang


def get_language() -> str:
    """The current interface language."""
    return _current


def language_from_env(environ: dict[str, str] | None = None) -> str | None:
    """'id' or 'en' from LANGUAGE / LC_ALL / LC_MESSAGES / LANG (the first one set), else None."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(":")[0][:2].lower()
            return code if code in LANGS else None
    return None


def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (loaded once; an empty one if it is missing)."""
    found = _catalogs.get(lang)
    if found is None:
        mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.is_file():
            with mo.open("rb") as handle:
                found = _gettext.GNUTranslations(handle)
        else:
            found = _gettext.NullTranslations()
        _catalogs[lang] = found
    return found


def gettext(msgid: str, lang: str | None = None) -> str:
    """`msgid` in `lang` (default: the current language)."""
    return catalog(lang or _current).gettext(msgid)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form for `n`, in `lang`."""
    return catalog(lang or _current).ngettext(singular, plural, n)


def pgettext(context: str, msgid: str, lang: str | None = None) -> str:
    """`msgid` in `lang` where the same English means different things (e.g. a sheet name)."""
    return catalog(lang or _current).pgettext(context, msgid)


def N_(msgid: str) -> str:
    """Mark `msgid` for extraction without translating it here."""
    return msgid


def NP_(context: str, msgid: str) -> str:
    """Mark `msgid` in `context` for extraction; translate it later with `pgettext`."""
    return msgid


_ = gettext


@dataclass(frozen=True)
class Message:
    """A message id with its `{name}` fields, translated when shown; a field may itself be a
    Message (translated into the same language)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the current language)."""
        fields = {k: v.text(lang) if isinstance(v, Message) else v
                  for k, v in self.params.items()}
        return gettext(self.msgid, lang).format(**fields)

    def __str__(self) -> str:
        return self.text()

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form (`{"m": msgid, "p": fields}`), e.g. to store in the undo log."""
        return {"m": self.msgid, "p": {k: v.to_data() if isinstance(v, Message) else v
                                       for k, v in self.params.items()}}

    @classmethod
    def from_data(cls, data: Any) -> Message | None:
        """The message `to_data` stored, or None for anything else."""
        if not isinstance(data, dict) or not isinstance(data.get("m"), str):
            return None
        raw = data.get("p")
        params: dict[str, Any] = raw if isinstance(raw, dict) else {}
        return cls(data["m"], {k: cls.from_data(v) or v if isinstance(v, dict) else v
                               for k, v in params.items()})
