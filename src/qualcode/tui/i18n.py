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

# Textual's own key descriptions (app, screens, lists, trees, text fields), keyed by their
# English text, so the help screen and the command palette read in Indonesian too.
_TEXTUAL_ID = {
    "Quit": "Keluar", "Focus Next": "Fokus berikut", "Focus Previous": "Fokus sebelumnya",
    "Copy selected text": "Salin teks terpilih", "Copy": "Salin", "Cut": "Potong",
    "Cut selected text": "Potong teks terpilih", "Paste": "Tempel",
    "Paste text from the clipboard": "Tempel dari papan klip", "Select all": "Pilih semua",
    "Undo": "Urungkan", "Redo": "Ulangi", "Submit": "Kirim", "Select": "Pilih",
    "Toggle": "Buka/tutup", "Expand or collapse all": "Buka/tutup semua",
    "Cursor Up": "Kursor naik", "Cursor Down": "Kursor turun", "Cursor up": "Kursor naik",
    "Cursor down": "Kursor turun", "Cursor left": "Kursor ke kiri",
    "Cursor right": "Kursor ke kanan", "Cursor to parent": "Kursor ke induk",
    "Cursor to next sibling": "Kursor ke saudara berikut",
    "Cursor to previous sibling": "Kursor ke saudara sebelumnya",
    "Cursor to next ancestor": "Kursor ke leluhur berikut",
    "Cursor page up": "Kursor satu halaman naik", "Cursor page down": "Kursor satu halaman turun",
    "Page Up": "Halaman naik", "Page Down": "Halaman turun", "Page up": "Halaman naik",
    "Page down": "Halaman turun", "Page Left": "Halaman kiri", "Page Right": "Halaman kanan",
    "Scroll Up": "Gulir naik", "Scroll Down": "Gulir turun", "Scroll Left": "Gulir kiri",
    "Scroll Right": "Gulir kanan", "Scroll Home": "Gulir ke awal", "Scroll End": "Gulir ke akhir",
    "Home": "Awal", "End": "Akhir", "Top": "Paling atas", "Bottom": "Paling bawah",
    "First": "Pertama", "Last": "Terakhir", "Up": "Naik", "Down": "Turun",
    "Go to start": "Ke awal", "Go to end": "Ke akhir",
    "Delete character left": "Hapus karakter kiri",
    "Delete character right": "Hapus karakter kanan", "Delete line": "Hapus baris",
}
STRINGS.update({en: {"id": text, "en": en} for en, text in _TEXTUAL_ID.items()})


def t(key: str, lang: str = "id", /, **fmt: object) -> str:
    """The text for `key` in `lang` (falls back to English, then to the key itself)."""
    entry = STRINGS.get(key)
    text = key if entry is None else entry.get(lang) or entry.get("en") or key
    return text.format(**fmt) if fmt else text
