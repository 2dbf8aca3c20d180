"""Disagreement review speed on the large synthetic project (3 coders, 100,000 codings).

    uv run python benchmarks/review_bench.py --project /tmp/i12r-bench/project.qualcode
    uv run python benchmarks/review_bench.py --out /tmp/i12r-bench   # generate, then measure

Works on a copy of the project (decisions are written). Measures:
- `scan_s`: finding every place where the three coders differ, and the agreed runs
  (`core.analysis.disagreements.scan`), median of --repeat runs after a cold first call;
- `resolve_s`: one decision (accept the first coder's codings at the first place), median of
  --repeat decisions on successive places, and `undo_s` for undoing one;
- `take_agreed_s`: copying every agreed passage to the consensus coder (one action).
Prints JSON with peak memory (tracemalloc peak during one more scan; the process's maximum
resident set) and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))


def seconds(func: Any) -> tuple[float, Any]:
    """(wall seconds, result) of one call."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, help="an existing synthetic project")
    parser.add_argument("--out", type=Path, default=Path("/tmp/qualcode-review-bench"),
                        help="where generate.py keeps the corpus and project")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = args.project
    if path is None:
        from generate import build_project, write_corpus

        write_corpus(args.out / "corpus", transcripts=200, words=4_000_000)
        path = build_project(args.out / "project.qualcode", args.out / "corpus",
                             codings=100_000, coders=3)
    work = Path(str(args.out)) / "review-copy.qualcode"
    work.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, work)

    from qualcode.core.adjudication import resolve, take_agreed
    from qualcode.core.analysis.disagreements import place_summary, scan
    from qualcode.core.store import Project

    out: dict[str, Any] = {"project": str(path), "load_before": os.getloadavg()}
    with Project.open(work) as project:
        project.acting_coder = "bench"
        cold, found = seconds(lambda: scan(project))
        warm = [seconds(lambda: scan(project))[0] for _ in range(args.repeat)]
        out.update(scan_cold_s=round(cold, 3), scan_s=round(statistics.median(warm), 3),
                   coders=found.coders, agreed_runs=len(found.agreed),
                   **place_summary(found.places))
        places = found.places
        times = [seconds(lambda p=p: resolve(project, p, "accept",
                                             accept=[p.compared[0]]))[0]
                 for p in places[:args.repeat]]
        out["resolve_s"] = round(statistics.median(times), 3)
        out["undo_s"] = round(seconds(project.undo)[0], 3)
        took, made = seconds(lambda: take_agreed(project))
        out.update(take_agreed_s=round(took, 3), agreed_codings_copied=made)
        tracemalloc.start()
        scan(project)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["peak_traced_mb"] = round(peak / 2**20, 1)
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["load_after"] = os.getloadavg()
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
