"""A focus group of four named speakers and a moderator, and a news text, as a real project.

`tests/data/people/fgd-bidang-mutasi.txt` (written for these tests) is imported with the
manifest beside it, which maps Bu Rina, Pak Dedi, Bu Sari and Mas Yoga to Informan 1-4 and the
Moderator to the interviewer. Codings (Sobandi codebook), by speaker:

  Bu Rina   "Pembagian tugas sudah jelas ..."         SOB-1 +    (line 2)
  Pak Dedi  "Saya setuju, tetapi pegawai baru ..."    SOB-2 -    (line 3)
  Moderator "Saya kira mereka sudah cukup mandiri."   SOB-2 +    (line 4: interviewer)
  Pak Dedi  "Mereka masih bergantung pada senior ..." SOB-2 -    (line 5)
  Bu Sari   "Kami sudah mengadakan bimbingan ..."     SOB-1 +    (line 6)
  Mas Yoga  "Sekarang saya bisa memeriksa ..."        SOB-2 +    (line 7)
  Bu Rina   "Layanan mutasi selesai ..."              SOB-4 +    (line 9)
  Bu Sari   "Kadang terlambat kalau berkas ..."       SOB-4 -    (line 10)

By hand: SOB-1 Informan 1: 1, Informan 3: 1; SOB-2 Informan 2: 2 (−), Informan 4: 1 (+);
SOB-4 Informan 1: 1 (+), Informan 3: 1 (−); the moderator's SOB-2 + is counted nowhere.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.core.ingest.manifest import load_manifest
from qualcode.core.store import Project

DATA = Path(__file__).resolve().parent / "data" / "people"
FGD = "fgd-bidang-mutasi.txt"
NEWS = "berita-pelantikan.txt"
CODINGS = [
    ("Pembagian tugas sudah jelas sejak ada peta jabatan.", "SOB-1", "+"),
    ("Saya setuju, tetapi pegawai baru masih sering bertanya", "SOB-2", "-"),
    ("Saya kira mereka sudah cukup mandiri.", "SOB-2", "+"),
    ("Mereka masih bergantung pada senior untuk kasus yang tidak biasa.", "SOB-2", "-"),
    ("Kami sudah mengadakan bimbingan teknis", "SOB-1", "+"),
    ("Sekarang saya bisa memeriksa kelengkapan berkas tanpa menunggu arahan.", "SOB-2", "+"),
    ("Layanan mutasi selesai paling lama lima hari kerja", "SOB-4", "+"),
    ("Kadang terlambat kalau berkas dari instansi lain belum lengkap.", "SOB-4", "-"),
]
INTERVIEWER_QUOTE = "Saya kira mereka sudah cukup mandiri."


def import_people(project: Project, *names: str) -> dict[str, int]:
    """Import the files (default: both) with the manifest; name -> source id."""
    files = [DATA / n for n in (names or (FGD, NEWS))]
    report = project.import_files(files, manifest=load_manifest(DATA / "manifest.yaml"),
                                  overrides={"language": "id"})
    assert not report.errors, [o.message for o in report.errors]
    return {o.path.name: o.source_id for o in report.outcomes if o.source_id is not None}


def code_focus_group(project: Project) -> dict[str, int]:
    """Import and code the focus group as the module docstring says; phrase -> coding id."""
    sid = import_people(project, FGD)[FGD]
    text = project.get_source(sid).text
    out = {}
    for phrase, code, valence in CODINGS:
        start = text.index(phrase)
        coding = project.apply_code(sid, start, start + len(phrase), code, valence=valence)
        assert coding.id is not None
        out[phrase] = coding.id
    return out
