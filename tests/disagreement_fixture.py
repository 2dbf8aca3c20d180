"""A hand-built project where two coders differ in planned places (disagreement review):
which places exist is decided here by hand, never read back from the code under test."""

from __future__ import annotations

from pathlib import Path

from qualcode.core.store import Project

TEXT = ("Pegawai menguasai pekerjaannya. Mereka tahu seluk beluk tugas. "
        "Namun sebagian masih bergantung pada senior. Keputusan sering menunggu atasan. "
        "Disiplin kerja cukup baik. Mereka datang tepat waktu. Pelayanan ramah dan cepat. "
        "Keluhan dijawab pada hari yang sama. Ada inovasi antrean daring.\n")
OTHER = "Pegawai jujur dalam melayani. Antrean tertib.\n"
S = [s + "." for s in TEXT.strip().rstrip(".").split(". ")]


def span(k: int, last: int | None = None) -> tuple[int, int]:
    """Character span of sentence k (through sentence `last`)."""
    last = k if last is None else last
    return TEXT.index(S[k]), TEXT.index(S[last]) + len(S[last])


# (coder, code, sentences, valence); the places this makes, by hand:
PLAN = [
    ("ana", "SOB-1", (0,), "+"), ("budi", "SOB-1", (0,), "+"),    # agree: no place
    ("ana", "SOB-2", (1,), "0"),                                   # presence (budi absent)
    ("ana", "SOB-3", (2,), "+"), ("budi", "SOB-3", (2,), "-"),    # valence
    ("ana", "SOB-4", (3, 4), "0"), ("budi", "SOB-4", (3,), "0"),  # span
    ("ana", "SOB-5", (5,), "+"), ("budi", "SOB-5", (5, 6), "-"),  # span and valence
    ("budi", "SOB-1", (7,), "0"),                                  # presence (ana absent)
    ("ana", "SOB-6", (7,), "0"), ("budi", "SOB-6", (8,), "0"),    # touching: two places
]
EXPECTED = {
    ("SOB-2", span(1), ("presence",)),
    ("SOB-3", span(2), ("valence",)),
    ("SOB-4", span(3, 4), ("span",)),
    ("SOB-5", span(5, 6), ("span", "valence")),
    ("SOB-1", span(7), ("presence",)),
    ("SOB-6", span(7), ("presence",)),
    ("SOB-6", span(8), ("presence",)),
}


def code_plan(project: Project, folder: Path) -> Project:
    """a.txt coded by ana and budi (PLAN); b.txt by ana only (no places: budi never coded it)."""
    for name, text in (("a.txt", TEXT), ("b.txt", OTHER)):
        (folder / name).write_text(text, encoding="utf-8")
        project.import_files([folder / name])
    sid = project.get_source("a.txt").id
    assert sid is not None
    for coder, code, sentences, valence in PLAN:
        start, end = span(sentences[0], sentences[-1])
        project.apply_code(sid, start, end, code, coder=coder, valence=valence,
                           note=f"{coder} on {code}")
    other = project.get_source("b.txt").id
    assert other is not None
    project.apply_code(other, 0, 10, "SOB-2", coder="ana")
    return project
