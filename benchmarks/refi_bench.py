"""REFI-QDA exchange on the large synthetic project: .qdpx export, then import into a new project.

    uv run python benchmarks/generate.py --transcripts 200 --words 4000000 \\
        --codings 100000 --coders 3 --out /tmp/qualcode-bench
    uv run python benchmarks/refi_bench.py --project /tmp/qualcode-bench/project.qualcode

Prints one JSON object: seconds and peak memory (tracemalloc and the process's max RSS) of each
step, the sizes, what was exported and imported, and the load average. Target (issue 14):
export and import under 30 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any


def measure(step: Any) -> tuple[Any, float, float]:
    """(result, seconds, peak MB allocated by Python during the step)."""
    tracemalloc.start()
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024**2
    tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path,
                        default=Path("/tmp/qualcode-bench/project.qualcode"))
    parser.add_argument("--crlf", action="store_true", help="export CRLF text and positions")
    parser.add_argument("--no-trace", action="store_true",
                        help="skip tracemalloc (it slows Python down by about a third)")
    args = parser.parse_args()
    from qualcode.core.exchange.qdpx_build import import_qdpx
    from qualcode.core.exchange.qdpx_write import export_qdpx
    from qualcode.core.store import Project

    if not args.project.exists():
        sys.exit(f"{args.project}: no such project; run benchmarks/generate.py first")
    run = (lambda f: (f(), 0.0, 0.0)) if args.no_trace else measure
    with tempfile.TemporaryDirectory(prefix="refi-bench-") as tmp:
        out = Path(tmp) / "bench.qdpx"
        target = Path(tmp) / "imported.qualcode"
        load_before = os.getloadavg()
        with Project.open(args.project) as project:
            if args.no_trace:
                t = time.perf_counter()
                summary = export_qdpx(project, out, crlf=args.crlf)
                export_s, export_peak = time.perf_counter() - t, 0.0
            else:
                summary, export_s, export_peak = run(
                    lambda: export_qdpx(project, out, crlf=args.crlf))
        rss_after_export = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.no_trace:
            t = time.perf_counter()
            result = import_qdpx(out, target)
            import_s, import_peak = time.perf_counter() - t, 0.0
        else:
            result, import_s, import_peak = run(lambda: import_qdpx(out, target))
        print(json.dumps({
            "project": str(args.project), "crlf": args.crlf,
            "export_s": round(export_s, 2), "export_peak_mb": round(export_peak, 1),
            "qdpx_mb": round(out.stat().st_size / 1024**2, 1), "exported": summary.counts,
            "import_s": round(import_s, 2), "import_peak_mb": round(import_peak, 1),
            "imported": result.counts, "warnings": len(result.warnings),
            "not_imported": len(result.not_imported),
            "max_rss_mb_after_export": round(rss_after_export, 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "tracemalloc": not args.no_trace,
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        }, indent=2))


if __name__ == "__main__":
    main()
