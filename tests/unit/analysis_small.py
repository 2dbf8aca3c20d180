"""A small hand-made project for the analysis tests, small enough to count every cell by hand.

Codebook 'tiny' (scale effective > not_yet_optimal > not_effective):
  T-1 Ahli / Expertise (indicator phrase 'menguasai'), T-2 Mandiri / Autonomy.
Informants: Zainal (head), Budi (staff), Citra (staff); plus one document without an informant.
Coders r1 and r2. Sentences (segments) and codings:

  Zainal (interview)  s1 "Pegawai menguasai pekerjaan."     a1 T-1 + r1
                      s2 "Mereka bekerja mandiri."           a2 T-2 + r1
                      s3 "Ada yang bergantung pada senior."  a3 T-2 - r1
                      s1+s2                                  a4 T-1 + r2
                      s2                                     a5 T-2 + r2
  Budi (interview)    s1 "Keahlian masih kurang."            b1 T-1 - r1
                      s2 "Pegawai baru belum paham tugas."   b2 T-1 - r1
                      "belum paham tugas" (inside s2)        b3 T-2 - r1
  Citra (interview)   s1 "Semua pegawai ahli di bidangnya dan bekerja mandiri."
                      "Semua pegawai ahli di bidangnya"      c1 T-1 + r1
                      "bekerja mandiri"                      c2 T-2 0 r1
  laporan (document)  s1 "Laporan kinerja menunjukkan keahlian meningkat."
                                                             d1 T-1 + r1
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.core.codebooks import parse_codebook
from qualcode.core.store import Project

CODEBOOK = """
key: tiny
title: {id: "Buku kode kecil", en: "Tiny codebook"}
language: id
focus: {id: "Profesionalisme", en: "Professionalism"}
scale:
  - {key: effective, value: 3, label: {id: "Efektif", en: "Effective"}}
  - {key: not_yet_optimal, value: 2, label: {id: "Belum optimal", en: "Not yet optimal"}}
  - {key: not_effective, value: 1, label: {id: "Tidak efektif", en: "Not effective"}}
codes:
  - key: T-1
    label: {id: "Ahli", en: "Expertise"}
    data_sources: [interview, document]
    informant_roles: [head, staff]
    indicators:
      - key: T-1a
        label: {id: "Menguasai pekerjaan", en: "Masters the job"}
        phrases: {id: ["menguasai"], en: ["masters"]}
      - key: T-1b
        label: {id: "Paham tugas", en: "Knows the task"}
  - key: T-2
    label: {id: "Mandiri", en: "Autonomy"}
"""

TEXTS = {
    "zainal.txt": ("Pegawai menguasai pekerjaan. Mereka bekerja mandiri. "
                   "Ada yang bergantung pada senior.\n"),
    "budi.txt": "Keahlian masih kurang. Pegawai baru belum paham tugas.\n",
    "citra.txt": "Semua pegawai ahli di bidangnya dan bekerja mandiri.\n",
    "laporan.txt": "Laporan kinerja menunjukkan keahlian meningkat.\n",
}
META = {
    "zainal.txt": {"informant": "Zainal", "role": "head", "kind": "interview"},
    "budi.txt": {"informant": "Budi", "role": "staff", "kind": "interview"},
    "citra.txt": {"informant": "Citra", "role": "staff", "kind": "interview"},
    "laporan.txt": {"kind": "document"},
}


@dataclass
class Small:
    """The project and the ids of its codings and sources by the names in the docstring."""

    project: Project
    ids: dict[str, int]
    sources: dict[str, int]


def _span(text: str, phrase: str, to: str | None = None) -> tuple[int, int]:
    start = text.index(phrase)
    end = (text.index(to) + len(to)) if to else start + len(phrase)
    return start, end


def build_small(tmp_path: Path) -> Small:
    """Create the project described in the module docstring."""
    project = Project.create(tmp_path / "small.qualcode")
    project.import_codebook(parse_codebook(CODEBOOK, "tiny.yaml"))
    sources: dict[str, int] = {}
    for name, text in TEXTS.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        report = project.import_files([path], overrides={**META[name], "language": "id"})
        assert not report.errors, report.errors
        sid = report.outcomes[0].source_id
        assert sid is not None
        sources[name.removesuffix(".txt")] = sid
    z, b, c, d = (TEXTS[f"{n}.txt"] for n in ("zainal", "budi", "citra", "laporan"))
    plan = [
        ("a1", "zainal", _span(z, "Pegawai menguasai pekerjaan."), "T-1", "+", "r1"),
        ("a2", "zainal", _span(z, "Mereka bekerja mandiri."), "T-2", "+", "r1"),
        ("a3", "zainal", _span(z, "Ada yang bergantung pada senior."), "T-2", "-", "r1"),
        ("a4", "zainal", _span(z, "Pegawai", "mandiri."), "T-1", "+", "r2"),
        ("a5", "zainal", _span(z, "Mereka bekerja mandiri."), "T-2", "+", "r2"),
        ("b1", "budi", _span(b, "Keahlian masih kurang."), "T-1", "-", "r1"),
        ("b2", "budi", _span(b, "Pegawai baru belum paham tugas."), "T-1", "-", "r1"),
        ("b3", "budi", _span(b, "belum paham tugas"), "T-2", "-", "r1"),
        ("c1", "citra", _span(c, "Semua pegawai ahli di bidangnya"), "T-1", "+", "r1"),
        ("c2", "citra", _span(c, "bekerja mandiri"), "T-2", "0", "r1"),
        ("d1", "laporan", _span(d, "Laporan kinerja menunjukkan keahlian meningkat."), "T-1",
         "+", "r1"),
    ]
    ids = {}
    for name, source, (start, end), code, valence, coder in plan:
        coding = project.apply_code(sources[source], start, end, code, valence=valence,
                                    coder=coder)
        assert coding.id is not None
        ids[name] = coding.id
    project.clear_history()
    project.session_coder = "r1,r2"   # the displays count both coders (a passage coded
    return Small(project, ids, sources)  # alike by both counts once); see test_coder_choice
