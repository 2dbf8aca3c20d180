"""Suggestion precision on the labelled files: a project of them, and the hand judgements.

`judged_suggestions(tmp)` imports the four labelled texts of tests/data/segmentation (the
report, the article and the news text as documents, the focus group as an interview) into a
project with five codebooks, runs `suggest_for_source` on each and pairs every suggestion with
its judgement from tests/data/suggestions/judgements.tsv (None when not judged).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = {"lkjip-laporan.txt": "document", "berita-kutipan.txt": "document",
         "artikel-terbungkus.txt": "document", "fgd-pelayanan.txt": "interview"}
CODEBOOKS = ("sobandi-2008", "siagian-2014", "apparatus-development", "berakhlak", "ipasn")


def judgements() -> dict[tuple[str, str, str], int]:
    out = {}
    for line in (DATA / "suggestions" / "judgements.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code, prefix, verdict, _note = line.split("\t")
            out[(name, code, prefix)] = int(verdict)
    return out


def judged_suggestions(tmp: Path, suggest: Any = None) -> list[dict[str, Any]]:
    """Each suggestion as {file, code, segment, phrase, score, verdict}."""
    from qualcode.core.codebooks import find_codebook, load_codebook
    from qualcode.core.ingest.evaluate import read_labelled
    from qualcode.core.store import Project
    from qualcode.core.suggest import suggest_for_source

    suggest = suggest or suggest_for_source
    paths = []
    for name in FILES:
        plain, _ = read_labelled((DATA / "segmentation" / name).read_text(encoding="utf-8"))
        path = tmp / name
        path.write_text(plain, encoding="utf-8")
        paths.append(path)
    manifest = {name: {"kind": kind, "language": "id"} for name, kind in FILES.items()}
    verdicts = judgements()
    out = []
    with Project.create(tmp / "suggest.qualcode") as project:
        for key in CODEBOOKS:
            project.import_codebook(load_codebook(find_codebook(key)))
        for outcome in project.import_files(paths, manifest=manifest).outcomes:
            assert outcome.source_id is not None, outcome.message
            text = project.get_source(outcome.source_id).text
            for s in suggest(project, outcome.source_id):
                prefix = text[s.start:s.end][:40].replace("\n", " ")
                out.append({"file": outcome.path.name, "code": s.code_key, "segment": prefix,
                            "phrase": s.phrase, "score": s.score,
                            "verdict": verdicts.get((outcome.path.name, s.code_key, prefix))})
    return out


def precision(rows: list[dict[str, Any]]) -> float:
    """Share of suggestions judged plausible; unjudged ones count as not plausible."""
    return sum(1 for r in rows if r["verdict"] == 1) / len(rows) if rows else 0.0
