"""UI text in Indonesian and English: `t("key", lang)`; screens add their own keys here."""

from __future__ import annotations

LANGS = ("id", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"id": "qualcode", "en": "qualcode"},
    "quit": {"id": "Keluar", "en": "Quit"},
    "help": {"id": "Bantuan", "en": "Help"},
    "undo": {"id": "Urungkan", "en": "Undo"},
    "redo": {"id": "Ulangi", "en": "Redo"},
}


def t(key: str, lang: str = "id", /, **fmt: object) -> str:
    """The text for `key` in `lang` (falls back to English, then to the key itself)."""
    entry = STRINGS.get(key)
    text = key if entry is None else entry.get(lang) or entry.get("en") or key
    return text.format(**fmt) if fmt else text
