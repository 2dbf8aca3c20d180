"""Store and import errors in the interface language.

The core speaks English (the CLI prints its messages as they are); the terminal UI shows them
in Indonesian when that is the interface language. Each known message shape is a pattern with
an Indonesian template; the variable parts (file names, keys, numbers) are carried over as
they are. A message with no pattern is shown in English rather than guessed at.
"""

from __future__ import annotations

import re

from qualcode.errors import QualcodeError

_F = r"(?P<f>.+?)"  # a file or path that leads the message: "interview.txt: ..."

# (pattern matched against the whole message, Indonesian template)
_MESSAGES: list[tuple[str, str]] = [
    (_F + r": file is empty", "{f}: berkas kosong"),
    (_F + r": looks like a binary file, not a transcript",
     "{f}: tampaknya berkas biner, bukan transkrip"),
    (_F + r": cannot be decoded as (?P<e>\S+) \(byte (?P<b>\d+)\)",
     "{f}: tidak dapat dibaca sebagai {e} (bita ke-{b})"),
    (_F + r": damaged \.docx archive \((?P<x>.*)\)", "{f}: arsip .docx rusak ({x})"),
    (_F + r": not a Word \.docx file \(not a zip archive\)",
     "{f}: bukan berkas Word .docx (bukan arsip zip)"),
    (_F + r": archive has (?P<n>\d+) entries; not a Word document",
     "{f}: arsip berisi {n} entri; bukan dokumen Word"),
    (_F + r": archive unpacks to (?P<n>\d+) MB; refused as a possible decompression bomb",
     "{f}: arsip mengembang menjadi {n} MB; ditolak karena mungkin bom dekompresi"),
    (_F + r": cannot read the Word document \((?P<x>.*)\)",
     "{f}: dokumen Word tidak dapat dibaca ({x})"),
    (_F + r": unsupported file type '(?P<s>.*)'", "{f}: jenis berkas '{s}' tidak didukung"),
    (_F + r": file not found", "{f}: berkas tidak ditemukan"),
    (_F + r": no such file or folder", "{f}: berkas atau folder tidak ada"),
    (_F + r": is a directory, not a file", "{f}: ini folder, bukan berkas"),
    (_F + r": cannot read the file \((?P<x>.*)\)", "{f}: berkas tidak dapat dibaca ({x})"),
    (_F + r": no caption cues found", "{f}: tidak ada cue takarir"),
    (_F + r": the caption cues hold no text", "{f}: cue takarir tidak berisi teks"),
    (_F + r": changed since it was imported as (?P<n>.+); not imported",
     "{f}: berubah sejak diimpor sebagai {n}; tidak diimpor"),
    (_F + r": manifest not found", "{f}: manifest tidak ditemukan"),
    (_F + r": manifest is not valid YAML", "{f}: manifest bukan YAML yang sah"),
    (_F + r": folder (?P<d>.+) does not exist", "{f}: folder {d} tidak ada"),
    (_F + r": is a folder, not a file", "{f}: ini folder, bukan berkas"),
    (_F + r": (?P<d>.+) is a file, not a folder", "{f}: {d} adalah berkas, bukan folder"),
    (_F + r": no permission to write here", "{f}: tidak ada izin menulis di sini"),
    (_F + r": cannot write \((?P<x>.*)\)", "{f}: tidak dapat menulis ({x})"),
    (r"the project is busy: another program is writing to it",
     "proyek sedang sibuk: program lain sedang menulis ke dalamnya"),
    (r"cannot read the project database: (?P<x>.*)", "basis data proyek tidak terbaca: {x}"),
    (r"already imported", "sudah diimpor"),
    (r"code (?P<k>'.*') already exists", "kode {k} sudah ada"),
    (r"code key (?P<k>'.*') must be non-empty with no spaces",
     "kunci kode {k} harus diisi, tanpa spasi"),
    (r"code key (?P<k>'.*') already belongs to another codebook",
     "kunci kode {k} sudah dipakai buku kode lain"),
    (r"a code needs a label", "kode perlu label"),
    (r"shortcut (?P<s>'.*') must be a single character", "pintasan {s} harus satu karakter"),
    (r"shortcut (?P<s>'.*') is already used by (?P<k>.+)", "pintasan {s} sudah dipakai {k}"),
    (r"colour (?P<c>'.*') is not #rrggbb", "warna {c} bukan #rrggbb"),
    (r"cannot merge a code into itself", "kode tidak dapat digabung ke dirinya sendiri"),
    (r"no code (?P<k>'.*') in this project", "tidak ada kode {k} di proyek ini"),
    (r"memo scope (?P<s>'.*') is not one of (?P<l>.+)", "cakupan memo {s} bukan salah satu "
     "dari {l}"),
    (r"a memo on a (?P<s>\w+) needs the \w+'s id", "memo pada {s} perlu tahu {s} yang mana"),
]

_HINTS: dict[str, str] = {
    "The file may be truncated or mislabelled; re-save it as UTF-8 and import again.":
        "Berkas mungkin terpotong atau salah label; simpan ulang sebagai UTF-8 lalu impor lagi.",
    "Check that you picked the right file.": "Periksa apakah berkas yang dipilih sudah benar.",
    "Check that you picked the right file and that it was saved with its contents.":
        "Periksa apakah berkasnya benar dan tersimpan bersama isinya.",
    "Import plain text (.txt, .md), Word (.docx), PDF (.pdf) or captions (.vtt, .srt). Save "
    "other formats (.doc, .odt) as .docx or .txt first.":
        "Impor teks biasa (.txt, .md), Word (.docx), PDF (.pdf) atau takarir (.vtt, .srt). "
        "Simpan format lain (.doc, .odt) sebagai .docx atau .txt dulu.",
    "Check the path.": "Periksa jalurnya.",
    "check the path": "periksa jalurnya",
    "Check its permissions.": "Periksa izin aksesnya.",
    "Name a file.": "Sebutkan sebuah berkas.",
    "choose another key": "pilih kunci lain",
    "choose another key or clear that one first":
        "pilih tombol lain atau kosongkan yang itu dulu",
    "e.g. #e6194b": "mis. #e6194b",
    "use a key such as EM-1 or trust": "pakai kunci seperti EM-1 atau kepercayaan",
    "pass --replace to import the new version (codings are carried over)":
        "pakai --replace untuk mengimpor versi baru (koding ikut pindah)",
    "create the folder first or choose another path":
        "buat foldernya dulu atau pilih jalur lain",
    "give a file name": "beri nama berkas",
    "choose a path inside a folder": "pilih jalur di dalam sebuah folder",
    "choose a folder of your own, e.g. next to the project":
        "pilih folder milik Anda, mis. di samping proyek",
    "try again in a moment; nothing was changed":
        "coba lagi sebentar lagi; tidak ada yang berubah",
    "the file may be damaged; restore it from a backup":
        "berkas mungkin rusak; pulihkan dari cadangan",
}

_COMPILED = [(re.compile(pattern + r"\Z", re.DOTALL), template)
             for pattern, template in _MESSAGES]


def localise(text: str, lang: str) -> str:
    """`text` (a message or a hint from the core) in `lang`; unknown text stays as it is."""
    if lang != "id" or not text:
        return text
    if text in _HINTS:
        return _HINTS[text]
    for pattern, template in _COMPILED:
        match = pattern.match(text)
        if match:
            return template.format(**match.groupdict())
    return text


def error_text(exc: BaseException, lang: str, sep: str = " — ") -> str:
    """One line for an error: a QualcodeError's message and hint in `lang`, else its type."""
    if isinstance(exc, QualcodeError):
        hint = localise(exc.hint, lang) if exc.hint else ""
        return localise(exc.message, lang) + (f"{sep}{hint}" if hint else "")
    return f"{type(exc).__name__}: {exc}"
