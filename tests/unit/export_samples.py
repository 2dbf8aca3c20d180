"""Small hand-made displays and a conclusions report for the export tests."""

from __future__ import annotations

import pandas as pd

from qualcode.core.analysis.conclusions import CheckItem, CodeConclusion, Quote, ResultsReport
from qualcode.core.analysis.display import Display
from qualcode.core.location import Location

SPECIALS = r"R&D 50% $5 #1 a_b {x} ~y ^z \q"
ESCAPED = (r"R\&D 50\% \$5 \#1 a\_b \{x\} \textasciitilde{}y \textasciicircum{}z "
           r"\textbackslash{}q")


def clustered() -> Display:
    """Counts: (group, code) rows x (role, informant) columns, one missing cell."""
    rows = pd.MultiIndex.from_tuples(
        [("Sobandi", "Harus ahli"), ("Sobandi", "Mampu mandiri"), ("Siagian", "Inovasi")],
        names=["Kelompok", "Kode"])
    cols = pd.MultiIndex.from_tuples(
        [("kepala", "Pak Ahmad"), ("kepala", "Bu Sari"), ("staf", "Dedi")],
        names=["Peran", "Informan"])
    frame = pd.DataFrame([[3, 1, 0], [0, 2, 5], [1, None, 4]], index=rows, columns=cols)
    frame = frame.astype("Int64")
    return Display("clustered", "Matriks berkelompok konseptual", frame, "count",
                   ["Angka = jumlah coding."], "id")


def valence() -> Display:
    """Text cells ("3+ / 1−"), a code label with LaTeX specials and a pipe."""
    frame = pd.DataFrame({"Pak Ahmad": ["3+ / 1−", "0+ / 2−"], "Dedi": ["1+ / 0−", ""]},
                         index=pd.Index([SPECIALS, "a | b"], name="Kode"))
    return Display("clustered_valence", "Valence matrix", frame, "valence",
                   ["+ carried out well, − shortfall"], "en")


def cooccurrence() -> Display:
    """A symmetric code x code matrix of c-coefficients (diagonal: 1)."""
    codes = ["Harus ahli", "Mampu mandiri", "Inovasi"]
    frame = pd.DataFrame([[1.0, 0.25, 0.0], [0.25, 1.0, 0.5], [0.0, 0.5, 1.0]],
                         index=pd.Index(codes, name="Kode"), columns=codes)
    return Display("cooccurrence", "Koefisien c", frame, "coefficient",
                   ["c = n12 / (n1 + n2 - n12)"], "id")


def operationalisation() -> Display:
    """The shape of the Sobandi study's operationalisation table: the focus written once."""
    frame = pd.DataFrame({
        "Fokus penelitian": ["Profesionalisme aparatur", "", ""],
        "Karakteristik": ["1. Harus ahli", "2. Mampu mandiri", "3. Bertanggung jawab"],
        "Parameter": ["a. Menguasai pekerjaan\nb. Mengetahui seluk beluk tugas",
                      "a. Tidak tergantung\nb. Pendirian tangguh",
                      "a. Kesungguhan\nb. Sepenuh kemampuan"],
        "Sumber data": ["Kepala, sekretaris; wawancara, observasi, dokumen"] * 3,
    }, index=pd.RangeIndex(1, 4))
    return Display("operationalisation", "Operasional parameter penelitian", frame, "text",
                   ["Sumber: Sobandi (2008)."], "id")


def summaries() -> Display:
    """Long text cells with line breaks."""
    text = ("Pegawai masih bergantung pada senior ketika menyusun dokumen mutasi.\n"
            "Draf — periksa sebelum dipakai.")
    frame = pd.DataFrame({"Pak Ahmad": [text, None], "Bu Sari": ["Cukup mandiri.", text]},
                         index=pd.Index(["Harus ahli", "Mampu mandiri"], name="Kode"))
    return Display("summary_grid", "Grid ringkasan", frame, "text", [], "id")


def frequency_valence() -> Display:
    """Codes x valence counts (the shape the valence chart reads)."""
    frame = pd.DataFrame({"+": [3, 1, 0], "0": [1, 0, 2], "-": [2, 4, 0]},
                         index=pd.Index(["Harus ahli", "Mampu mandiri", "Inovasi"], name="Kode"))
    return Display("frequency_valence", "Frekuensi menurut valensi", frame, "count", [], "id")


def frequency_by_valence() -> Display:
    """The frequency table by valence: (valence, measure) columns, (group, code) rows."""
    rows = pd.MultiIndex.from_tuples([("Sobandi", "Harus ahli"), ("Sobandi", "Mampu mandiri")],
                                     names=["Kelompok", "Kode"])
    cols = pd.MultiIndex.from_tuples(
        [(v, m) for v in ("+ (baik)", "− (kurang)", "0 (netral)") for m in ("Koding", "Informan")],
        names=["Valensi", ""])
    frame = pd.DataFrame([[3, 2, 1, 1, 0, 0], [0, 0, 4, 2, 1, 1]], index=rows, columns=cols)
    return Display("frequency_valence", "Frekuensi per kode dan valensi", frame, "count", [],
                   "id")


def all_displays() -> list[Display]:
    """Every sample display, in a fixed order."""
    return [clustered(), valence(), cooccurrence(), operationalisation(), summaries(),
            frequency_valence()]


def report(lang: str = "en") -> ResultsReport:
    """A two-code report: one verified with quotes both ways, one without evidence."""
    check = [CheckItem("triangulation", "Triangulation", True, "3 informants; interview, document"),
             CheckItem("contradicting", "Contradicting evidence addressed", False, "1 open"),
             CheckItem("representativeness", "More than one role", True, "head, staff")]
    first = CodeConclusion(
        "SOB-1", "Expertise", "sobandi-2008", "Expertise is not yet effective.",
        "not_yet_optimal", "Not yet optimal", "not_yet_optimal", "Not yet optimal",
        "verified", "rina", 1, 3, 0,
        [Quote(11, "Many staff *still* rely on\nseniors.", "Pak Ahmad", "head", "01.md",
               "interview", "-", Location(4, 2))],
        [Quote(12, "The new analyst masters the job.", "Dedi", "staff", "03.md",
               "interview", "+")],
        check)
    second = CodeConclusion(
        "SOB-2", "Autonomy", "sobandi-2008", "", None, None, "effective", "Effective",
        "tentative", None, 2, 0, 1, [], [], check[:1])
    return ResultsReport("Results: apparatus professionalism", lang, "sobandi-2008",
                         [first, second], "All characteristics are effective except expertise.")
