"""Fixed words of the exports (captions, report headings, chart legends) in Indonesian and English.

Titles and notes of the displays arrive already translated; only the words the exporters add
themselves live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qualcode.core.location import Location

_WORDS: dict[str, tuple[str, str]] = {
    "table": ("Tabel", "Table"),
    "figure": ("Gambar", "Figure"),
    "note": ("Catatan", "Note"),
    "code": ("Kode", "Code"),
    "group": ("Kelompok", "Group"),
    "verdict": ("Penilaian", "Verdict"),
    "proposed": ("Usulan dari imbangan +/−", "Proposed from the +/− balance"),
    "status": ("Status", "Status"),
    "decided_by": ("diputuskan oleh", "decided by"),
    "not_decided": ("belum diputuskan", "not decided yet"),
    "evidence": ("Bukti", "Evidence"),
    "supporting": ("Bukti pendukung", "Supporting evidence"),
    "contradicting": ("Bukti yang bertentangan", "Contradicting evidence"),
    "none": ("Tidak ada.", "None."),
    "checklist": ("Daftar periksa verifikasi", "Verification checklist"),
    "summary": ("Kesimpulan", "Summary"),
    "statement": ("Pernyataan kesimpulan", "Conclusion statement"),
    "no_statement": ("(belum ada pernyataan)", "(no statement yet)"),
    "codings": ("Jumlah coding", "Number of codings"),
    "positive": ("+ terlaksana baik", "+ carried out well"),
    "neutral": ("0 netral", "0 neutral"),
    "neutral_word": ("netral", "neutral"),
    "negative": ("− kekurangan", "− shortfall"),
    "valence_chart": ("Frekuensi kode menurut valensi", "Code frequencies by valence"),
    "network": ("Jaringan ko-okurensi kode", "Code co-occurrence network"),
    "ok": ("terpenuhi", "met"),
    "not_ok": ("belum terpenuhi", "not met"),
    "tentative": ("sementara", "tentative"),
    "verified": ("terverifikasi", "verified"),
    "informant": ("informan", "informant"),
    "written": ("ditulis", "written"),
    "no_data": ("Belum ada coding untuk ditampilkan.", "No codings to show yet."),
}


def word(key: str, lang: str = "id") -> str:
    """The fixed word `key` in `lang` ("id" or "en"; anything else falls back to Indonesian)."""
    ind, eng = _WORDS[key]
    return eng if lang == "en" else ind


def status_word(status: str, lang: str = "id") -> str:
    """A conclusion status (tentative / verified) in `lang`; unknown statuses pass through."""
    return word(status, lang) if status in ("tentative", "verified") else status


def balance_text(section: Any, lang: str = "id") -> str:
    """The +/−/neutral counts of a conclusion, e.g. "3+ / 1− / 2 netral"."""
    return (f"{section.n_plus}+ / {section.n_minus}− / "
            f"{section.n_neutral} {word('neutral_word', lang)}")


def quote_source(informant: str | None, role: str | None, source: str, lang: str = "id",
                 kind: str | None = None, location: Location | None = None) -> str:
    """Who said a quote and where a paper cites it: "Informant 3 (Head of division),
    interview, line 7, paragraph 2" (with the kind and location when known; the source's
    name when there is no informant); known role keys are shown in `lang`."""
    from qualcode.core.analysis.labels import kind_label, role_label
    from qualcode.core.location import citation

    role_text = role_label(role, lang) if role else role
    if kind is None and location is None:
        return citation(informant, role_text, source, None, lang)
    what = kind_label(kind, lang).lower() if kind else ""
    if not informant and not role_text:
        what = f"{what} {source}".strip()
    return citation(informant, role_text, what, location, lang)


def one_line(text: str) -> str:
    """Text with line breaks and runs of spaces collapsed (for quotes inside a paragraph)."""
    return " ".join(text.split())
