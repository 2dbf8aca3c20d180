"""Agreement speed on the large synthetic project (3 coders, 100,000 codings).

    uv run python benchmarks/agreement_bench.py --project /tmp/i12-bench/project.qualcode
    uv run python benchmarks/agreement_bench.py --out /tmp/i12-bench   # generate, then measure

Measures, in one process, after one warm-up call (imports and caches excluded; the cold first
call is reported too):
- `all_statistics_s`: `agreement()` for every code and overall (segment percent, Cohen's
  kappa for the first two coders, Fleiss' kappa and Krippendorff's alpha for all three;
  character percent and kappa; uα), median of --repeat runs;
- `characters_s`: the character-level part alone (merged spans, interval coverage, percent and
  kappa for every code) over the sources every coder coded; `characters` is how many;
- `merge_s`: `qualcode merge` of a project file holding --merge-codings codings into a copy of
  a project with the same sources (skipped with --no-merge, or until merge exists).
Each figure also as process CPU seconds (`*_cpu_s`), which depend less on other load.
Prints JSON with peak memory (tracemalloc peak of Python and numpy allocations during one
more `agreement()` run, timed runs are untraced; and the process's maximum resident set)
and the load average. Targets (issue 12): statistics < 3 s, characters < 2 s, merge < 10 s;
exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))


CPU: dict[str, float] = {}   # median process CPU seconds per measurement (less load-bound)


def timed(func: Any, repeat: int, name: str = "") -> tuple[float, float, Any]:
    """(cold seconds, median warm seconds, last result); CPU[name] = median CPU seconds."""
    start = time.perf_counter()
    result = func()
    cold = time.perf_counter() - start
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[name] = round(statistics.median(cpu), 3)
    return cold, statistics.median(runs), result


def character_level(project: Any) -> tuple[int, int]:
    """Every code's character percent and kappa (the interval path); returns (chars, codes)."""
    import numpy as np

    from qualcode.core.analysis.agreement import _coder_spans, default_coders
    from qualcode.core.analysis.agreement_data import load_codings
    from qualcode.core.analysis.agreement_stats import (
        cohen_kappa,
        confusion_from_pairs,
        fleiss_kappa,
        percent_agreement,
    )
    from qualcode.core.analysis.query import Selection
    from qualcode.core.analysis.unitizing import coverage

    data = load_codings(project, default_coders(project), Selection(), None)
    m = len(data.coders)
    codes = np.unique(data.code)
    for code in codes:
        coded, lengths = coverage(data.complete.bounds, _coder_spans(data, data.code == code))
        k = coded.sum(axis=1)
        percent_agreement(np.column_stack([m - k, k]), lengths)
        fleiss_kappa(np.column_stack([m - k, k]), lengths)
        cohen_kappa(confusion_from_pairs(coded[:, 0], coded[:, 1], 2, lengths))
    return data.complete.length, len(codes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, help="an existing synthetic project")
    parser.add_argument("--out", type=Path, default=Path("/tmp/qualcode-bench"),
                        help="where generate.py keeps the corpus and project")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--merge-codings", type=int, default=30_000)
    parser.add_argument("--no-merge", action="store_true")
    args = parser.parse_args(argv)
    path = args.project
    if path is None:
        from generate import build_project, write_corpus

        write_corpus(args.out / "corpus", transcripts=200, words=4_000_000)
        path = build_project(args.out, codings=100_000, coders=3)

    from qualcode.core.analysis.agreement import agreement
    from qualcode.core.store import Project

    out: dict[str, Any] = {"project": str(path), "load_before": os.getloadavg()}
    with Project.open(path) as project:
        cold, warm, result = timed(lambda: agreement(project), args.repeat,
                                    "all_statistics_cpu_s")
        out.update(all_statistics_cold_s=round(cold, 3), all_statistics_s=round(warm, 3),
                   coders=list(result.coders), codes=len(result.codes),
                   segment_units=result.overall.segments,
                   sources=result.sources, complete_sources=result.complete_sources,
                   overall={"percent": result.overall.percent, "fleiss": result.overall.fleiss,
                            "alpha": result.overall.alpha, "u_alpha": result.overall.u_alpha})
        cold, warm, (chars, codes) = timed(lambda: character_level(project), args.repeat,
                                             "characters_cpu_s")
        out.update(characters_cold_s=round(cold, 3), characters_s=round(warm, 3),
                   characters=chars, character_codes=codes)
        tracemalloc.start()   # a separate run: tracing slows allocation-heavy code a lot
        agreement(project)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["peak_traced_mb"] = round(peak / 2**20, 1)
    if not args.no_merge:
        out.update(merge_figures(path, args.merge_codings, Path(str(args.out))))
    out.update(CPU)
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["load_after"] = os.getloadavg()
    out["targets_met"] = (out["all_statistics_s"] < 3 and out["characters_s"] < 2
                          and out.get("merge_s", 0) < 10)
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0 if out["targets_met"] else 1


def merge_figures(path: Path, codings: int, work: Path) -> dict[str, Any]:
    """Time merging a copy holding `codings` codings of one coder into a team copy."""
    try:
        from qualcode.core.merge import merge_projects
    except ImportError:
        return {"merge_s": None, "merge_note": "merge not available"}
    from merge_fixture import make_merge_pair

    team, other = make_merge_pair(path, codings, work)
    from qualcode.core.store import Project

    with Project.open(team) as project:
        start, start_cpu = time.perf_counter(), time.process_time()
        report = merge_projects(project, other)
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {"merge_s": round(seconds, 3), "merge_cpu_s": round(cpu, 3),
            "merge_codings": codings,
            "merge_report": report.counts()}


if __name__ == "__main__":
    raise SystemExit(main())
