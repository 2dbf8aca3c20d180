"""Analysis speed on a large synthetic project: every matrix vs its raw SQL aggregation.

    uv run python benchmarks/analysis_bench.py                  # generate 100,000 codings
    uv run python benchmarks/analysis_bench.py --project big.qualcode   # reuse a project
    uv run python benchmarks/analysis_bench.py --keep big.qualcode      # generate and keep

The generated project (deterministic for a seed) has 200 sources (160 interviews of 40
informants in five roles, 25 observation notes, 15 documents), ~300 sentence segments each,
3 codebooks of 10 codes (one with sub-codes), 3 coders, and codings of 1-3 whole sentences.
Interviews have speaker turns of 5 sentences, the interviewer's and the informant's in turn
(every 8th interview a group: its informant turns credited to two other informants), so the
counts credit each coding to its turn's informant and leave interviewer turns out.
Each builder is timed (median of --repeat runs after one warm-up, alternating with its twin)
beside the raw SQL GROUP BY that computes the same cells, on the same project in the same
process. Prints JSON; exit status 1 when a target is missed.
Targets (issue 4): every matrix < 1 s and <= 2x its SQL; co-occurrence < 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from qualcode.core.models import (
    Code,
    Codebook,
    Coding,
    Informant,
    Segment,
    Source,
    Summary,
    Turn,
    utcnow,
)
from qualcode.core.store import Project

ROLES = ["head"] * 2 + ["secretary"] * 2 + ["section_head"] * 8 + ["staff"] * 20 + ["public"] * 8
WORDS = ["pegawai", "kepala", "bidang", "tugas", "pelayanan", "laporan", "disiplin", "kinerja",
         "keahlian", "mandiri", "tanggung", "jawab", "etika", "hubungan", "masyarakat",
         "inovasi", "aturan", "sistem", "data", "anggaran", "pelatihan", "mutasi", "jabatan",
         "kompetensi", "integritas", "waktu", "target", "program", "kegiatan"]
SCALE = [{"key": "effective", "value": 3, "label_id": "Efektif", "label_en": "Effective"},
         {"key": "not_yet_optimal", "value": 2, "label_id": "Belum optimal",
          "label_en": "Not yet optimal"},
         {"key": "not_effective", "value": 1, "label_id": "Tidak efektif",
          "label_en": "Not effective"}]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    return " ".join(words).capitalize() + "."


def generate(path: Path, *, codings: int = 100_000, sources: int = 200, seed: int = 4) -> float:
    """Write the synthetic project with bulk inserts; returns the seconds it took."""
    began = time.perf_counter()
    rng = random.Random(seed)
    project = Project.create(path)
    now = utcnow()
    with project.engine.begin() as conn:
        for b in range(3):
            conn.execute(insert(Codebook), [{
                "id": b + 1, "key": f"bench-{b + 1}", "title_id": f"Buku kode {b + 1}",
                "title_en": f"Codebook {b + 1}", "author": "", "citation": "", "language": "id",
                "focus_id": "Profesionalisme", "focus_en": "Professionalism",
                "description_id": "", "description_en": "", "scale": SCALE, "active": True,
                "is_emergent": False, "created_at": now}])
        codes = []
        for n in range(30):
            book, pos = n // 10 + 1, n % 10
            parent = (n - pos + (0 if pos < 5 else 5) + 1) if book == 1 and pos not in (0, 5) \
                else None
            codes.append({"id": n + 1, "codebook_id": book, "key": f"B{book}-{pos + 1}",
                          "label_id": f"Kode {book}.{pos + 1}",
                          "label_en": f"Code {book}.{pos + 1}",
                          "definition_id": "", "definition_en": "", "parent_id": parent,
                          "order": pos, "data_sources": [], "informant_roles": [],
                          "is_emergent": False})
        conn.execute(insert(Code), codes)
        conn.execute(insert(Informant), [{"id": i + 1, "pseudonym": f"Informan {i + 1:02d}",
                                          "role": ROLES[i % len(ROLES)], "unit": "",
                                          "attributes": {}} for i in range(40)])
        segment_rows, spans_by_source, turn_rows = [], [], []
        for s in range(sources):
            kind = "interview" if s < 160 else "observation" if s < 185 else "document"
            sentences = [_sentence(rng) for _ in range(300)]
            body, spans, at = [], [], 0
            for sentence in sentences:
                spans.append((at, at + len(sentence)))
                body.append(sentence)
                at += len(sentence) + 1
            full = " ".join(body)
            conn.execute(insert(Source), [{
                "id": s + 1, "name": f"source-{s + 1:03d}.txt", "version": 1, "active": True,
                "kind": kind, "informant_id": (s % 40) + 1 if kind == "interview" else None,
                "language": "id", "fmt": "txt", "encoding": "utf-8",
                "content_hash": hashlib.sha256(full.encode()).hexdigest(), "text": full,
                "meta": {}, "imported_at": now}])
            per_turn = 5 if kind == "interview" else len(spans)
            for t in range(0, len(spans), per_turn):
                n = t // per_turn
                interviewer = kind == "interview" and n % 2 == 0
                group = kind == "interview" and s % 8 == 0 and not interviewer
                turn_rows.append({
                    "source_id": s + 1, "index": n, "start": spans[t][0],
                    "end": spans[min(t + per_turn, len(spans)) - 1][1],
                    "speaker": None if kind != "interview" else (
                        "Peneliti" if interviewer else f"Bu {n % 4 // 2}" if group
                        else "Informan"),
                    "is_interviewer": interviewer,
                    "informant_id": ((s + n % 4 // 2 + 1) % 40) + 1 if group else None})
            segment_rows += [{"source_id": s + 1, "index": i, "start": a, "end": b,
                              "turn_index": i // per_turn,
                              "is_interviewer": kind == "interview" and (i // per_turn) % 2 == 0}
                             for i, (a, b) in enumerate(spans)]
            spans_by_source.append(spans)
        conn.execute(insert(Segment), segment_rows)
        conn.execute(insert(Turn), turn_rows)
        seen: set[tuple[int, int, int, int, str]] = set()
        rows: list[dict[str, Any]] = []
        coders = ("r1", "r2", "r3")
        while len(rows) < codings:
            s = rng.randrange(sources)
            spans = spans_by_source[s]
            i = rng.randrange(len(spans) - 2)
            start, end = spans[i][0], spans[i + rng.randint(0, 2)][1]
            key = (s + 1, start, end, rng.randint(1, 30), rng.choice(coders))
            if key in seen:
                continue
            seen.add(key)
            rows.append({"source_id": key[0], "start": start, "end": end, "code_id": key[3],
                         "coder": key[4], "valence": rng.choices("+-0", (45, 40, 15))[0],
                         "note": "", "created_at": now, "updated_at": now})
        conn.execute(insert(Coding), rows)
        conn.execute(insert(Summary), [{"code_id": c, "informant_id": i, "text": "Ringkasan.",
                                        "status": "accepted", "author": "bench",
                                        "updated_at": now}
                                       for c in range(1, 31) for i in range(1, 41)
                                       if (c + i) % 3 == 0])
    project.close()
    return time.perf_counter() - began


def _time(fn: Callable[[], Any], repeat: int) -> float:
    """Median seconds of `repeat` runs after a warm-up."""
    fn()
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def _pair(build: Callable[[], Any], raw: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median seconds of a builder and of its SQL, run alternately so that both see the same
    machine load."""
    began = time.perf_counter()
    build(), raw()
    if time.perf_counter() - began < 0.05:  # millisecond builders: more runs against noise
        repeat = max(repeat, 31)
    built: list[float] = []
    sql: list[float] = []
    for _ in range(repeat):
        for fn, runs in ((build, built), (raw, sql)):
            began = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - began)
    return statistics.median(built), statistics.median(sql)


# A coding speaks for the informant of the turn its start lies in (the researcher's
# attribution first, the source's informant when the turn has none); interviewer turns count
# for nobody. Written by hand, as the analysis query computes it.
_CREDIT_FROM = (
    "FROM coding c JOIN source s ON s.id = c.source_id "
    "LEFT JOIN turn t ON t.id = (SELECT t2.id FROM turn t2 WHERE t2.source_id = c.source_id "
    "AND t2.start <= c.start ORDER BY t2.start DESC LIMIT 1) AND c.start < t.\"end\" "
    "LEFT JOIN attribution a ON a.id = (SELECT a2.id FROM attribution a2 WHERE "
    "a2.source_id = c.source_id AND a2.start <= c.start AND a2.\"end\" > c.start "
    "ORDER BY a2.start DESC, a2.id DESC LIMIT 1)")
BASE = (f"{_CREDIT_FROM} WHERE s.active = 1 "
        "AND NOT (a.id IS NULL AND coalesce(t.is_interviewer, 0) = 1)")
INF = ("CASE WHEN a.id IS NOT NULL THEN a.informant_id WHEN t.is_interviewer = 1 THEN NULL "
       "ELSE coalesce(t.informant_id, s.informant_id) END")
SQL = {
    "cells": f"SELECT c.code_id, {INF}, s.kind, COUNT(*) {BASE} GROUP BY 1, 2, 3",
    "cells_by_source_informant": (  # before speakers were informants (for the credit's cost)
        "SELECT c.code_id, s.informant_id, s.kind, COUNT(*) FROM coding c JOIN source s "
        "ON s.id = c.source_id WHERE s.active = 1 GROUP BY 1, 2, 3"),
    "valence": f"SELECT c.code_id, {INF}, s.kind, c.valence, COUNT(*) {BASE} GROUP BY 1, 2, 3, 4",
    "kind": f"SELECT c.code_id, s.kind, COUNT(*) {BASE} GROUP BY 1, 2",
    "frequency": (f"SELECT c.code_id, COUNT(*), COUNT(DISTINCT {INF}) {BASE} "
                  "GROUP BY 1"),
    "frequency_kind": (f"SELECT c.code_id, s.kind, COUNT(*), COUNT(DISTINCT {INF}) "
                       f"{BASE} GROUP BY 1, 2"),
    "frequency_valence": (f"SELECT c.code_id, c.valence, COUNT(*), "
                          f"COUNT(DISTINCT {INF}) {BASE} GROUP BY 1, 2"),
    "summaries": (  # every cell of the grid with the labels it shows (a text grid: no counts)
        "SELECT b.title_id, p.label_id, c.label_id, i.pseudonym, m.text FROM code c "
        "JOIN codebook b ON b.id = c.codebook_id LEFT JOIN code p ON p.id = c.parent_id "
        "CROSS JOIN informant i LEFT JOIN summary m ON m.code_id = c.id "
        "AND m.informant_id = i.id WHERE b.active = 1 "
        "AND i.id IN (SELECT informant_id FROM source WHERE active = 1) "
        "ORDER BY b.id, c.\"order\", c.id, i.pseudonym"),
    "cooccurrence_selfjoin": (
        "SELECT a.code_id, b.code_id, COUNT(*) FROM coding a JOIN coding b "
        "ON b.source_id = a.source_id AND b.coder = a.coder AND b.id <> a.id "
        "AND b.start < a.\"end\" AND a.start < b.\"end\" AND b.code_id <> a.code_id "
        "JOIN source s ON s.id = a.source_id WHERE s.active = 1 GROUP BY 1, 2"),
}


def run(project_path: Path, repeat: int, selfjoin: bool) -> dict[str, Any]:
    """Time every builder beside its SQL; returns the JSON-ready results."""
    from qualcode.core.analysis import display as d
    from qualcode.core.analysis.conclusions import build_report
    from qualcode.core.analysis.cooccurrence import cooccurrence

    project = Project.open(project_path)

    def sql(name: str) -> Callable[[], Any]:
        def go() -> Any:
            with project.engine.connect() as conn:
                return conn.execute(text(SQL[name])).all()
        return go

    matrices: dict[str, tuple[Callable[[], Any], str]] = {
        "clustered_counts": (lambda: d.clustered_matrix(project), "cells"),
        "clustered_presence": (lambda: d.clustered_matrix(project, cell="presence"), "cells"),
        "clustered_valence": (lambda: d.clustered_matrix(project, cell="valence"), "valence"),
        "clustered_summaries": (lambda: d.clustered_matrix(project, cell="summaries"),
                                "summaries"),
        "role_ordered_counts": (lambda: d.role_ordered_matrix(project), "cells"),
        "role_ordered_valence": (lambda: d.role_ordered_matrix(project, cell="valence"),
                                 "valence"),
        "triangulation_kind": (lambda: d.triangulation_matrix(project, "kind"), "kind"),
        "triangulation_informant": (lambda: d.triangulation_matrix(project, "informant"),
                                    "cells"),
        "frequency_code": (lambda: d.frequency_table(project, "code"), "frequency"),
        "frequency_kind": (lambda: d.frequency_table(project, "kind"), "frequency_kind"),
        "frequency_valence": (lambda: d.frequency_table(project, "valence"),
                              "frequency_valence"),
        "summary_grid": (lambda: d.summary_grid(project), "summaries"),
    }
    results: dict[str, Any] = {}
    credited, by_source = _pair(sql("cells"), sql("cells_by_source_informant"), repeat)
    results["credit_cost"] = {"sql_credited_s": round(credited, 4),
                              "sql_source_informant_s": round(by_source, 4),
                              "ratio": round(credited / by_source, 2)}
    for name, (build, baseline) in matrices.items():
        built, raw = _pair(build, sql(baseline), repeat)
        results[name] = {"builder_s": round(built, 4), "sql_s": round(raw, 4), "sql": baseline,
                         "ratio": round(built / raw, 2), "under_1s": built < 1.0,
                         "within_2x": built <= 2 * raw}
    row_level = {}
    for name, fn in (("clustered_quotes", lambda: d.clustered_matrix(project, cell="quotes")),
                     ("checklist", lambda: d.DISPLAYS["checklist"](project)),
                     ("conclusions_report", lambda: build_report(project))):
        row_level[name] = {"builder_s": round(_time(fn, max(1, repeat // 2)), 4)}
    co: dict[str, Any] = {}
    for mode in ("overlap", "segment"):
        for measure in ("count", "c"):
            took = _time(lambda m=mode, k=measure: cooccurrence(project, mode=m, measure=k),  # type: ignore[misc]
                         repeat)
            co[f"{mode}_{measure}"] = {"builder_s": round(took, 4), "under_2s": took < 2.0}
    if selfjoin:
        began = time.perf_counter()
        sql("cooccurrence_selfjoin")()
        co["sql_self_join_overlap_s"] = round(time.perf_counter() - began, 3)
    counts = project.counts()
    project.close()
    return {"project": str(project_path), "counts": counts, "repeat": repeat,
            "load_average_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
            "matrices": results, "cooccurrence": co,
            "row_level": {"note": "read every coding's text or evidence; no SQL twin",
                          **row_level},
            "all_matrices_under_1s": all(r.get("under_1s", True) for r in results.values()),
            "all_matrices_within_2x_sql": all(r.get("within_2x", True)
                                              for r in results.values()),
            "cooccurrence_under_2s": all(v["under_2s"] for v in co.values()
                                         if isinstance(v, dict))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, help="an existing project to measure")
    parser.add_argument("--keep", type=Path,
                        help="generate into this path and keep it (reused if it exists)")
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-selfjoin", action="store_true",
                        help="skip timing the naive SQL self-join for co-occurrence")
    args = parser.parse_args(argv)
    generated = None
    with tempfile.TemporaryDirectory() as tmp:
        path = args.project
        if path is None:
            path = args.keep or Path(tmp) / "bench.qualcode"
            if not path.exists():  # --keep an existing file: reuse it
                generated = round(generate(path, codings=args.codings, seed=args.seed), 2)
        out = run(path, args.repeat, not args.no_selfjoin)
        out["generate_s"] = generated
        json.dump(out, sys.stdout, indent=2)
        print()
    ok = out["all_matrices_under_1s"] and out["all_matrices_within_2x_sql"] \
        and out["cooccurrence_under_2s"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
