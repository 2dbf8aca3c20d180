"""REFI-QDA exchange on the large synthetic project: .qdpx export, then import into a new project.

    uv run python benchmarks/generate.py --transcripts 200 --words 4000000 \\
        --codings 100000 --coders 3 --out /tmp/qualcode-bench
    uv run python benchmarks/refi_bench.py --project /tmp/qualcode-bench/project.qualcode

Prints one JSON object: wall and CPU seconds and peak memory (tracemalloc, and the process's
max RSS) of each step, the sizes, what was exported and imported, and the load average.
Target (issue 14): export and import under 30 s each. `--resegment` also imports the archive
without qualcode's own segments, the way a file from another program arrives.
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


def measure(step: Any, trace: bool) -> tuple[Any, dict[str, float]]:
    """(result, {seconds, CPU seconds, peak MB allocated by Python during the step})."""
    if trace:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = step()
    figures = {"s": round(time.perf_counter() - start, 2),
               "cpu_s": round(time.process_time() - cpu, 2)}
    if trace:
        figures["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024**2, 1)
        tracemalloc.stop()
    return result, figures


def without_segments(archive: Path, out: Path) -> Path:
    """A copy of the archive without qualcode's turns and segments (as another program would
    write it), so that the import segments every source with spaCy."""
    import zipfile

    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                          compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename != "qualcode/segments.json":
                dst.writestr(info, src.read(info))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path,
                        default=Path("/tmp/qualcode-bench/project.qualcode"))
    parser.add_argument("--crlf", action="store_true", help="export CRLF text and positions")
    parser.add_argument("--no-trace", action="store_true",
                        help="skip tracemalloc (it slows Python down by about a third)")
    parser.add_argument("--resegment", action="store_true",
                        help="also import the archive without qualcode's segments, as a file "
                             "from another program (spaCy segments every source)")
    args = parser.parse_args()
    from qualcode.core.exchange.qdpx_build import import_qdpx
    from qualcode.core.exchange.qdpx_write import export_qdpx
    from qualcode.core.store import Project

    if not args.project.exists():
        sys.exit(f"{args.project}: no such project; run benchmarks/generate.py first")
    trace = not args.no_trace
    with tempfile.TemporaryDirectory(prefix="refi-bench-") as tmp:
        out = Path(tmp) / "bench.qdpx"
        load_before = os.getloadavg()
        with Project.open(args.project) as project:
            summary, export = measure(lambda: export_qdpx(project, out, crlf=args.crlf), trace)
        result, imported = measure(lambda: import_qdpx(out, Path(tmp) / "a.qualcode"), trace)
        report: dict[str, Any] = {
            "project": str(args.project), "crlf": args.crlf, "tracemalloc": trace,
            "export": export, "qdpx_mb": round(out.stat().st_size / 1024**2, 1),
            "exported": summary.counts, "import": imported, "imported": result.counts,
            "warnings": len(result.warnings), "not_imported": len(result.not_imported)}
        if args.resegment:
            bare = without_segments(out, Path(tmp) / "bare.qdpx")
            again, resegmented = measure(lambda: import_qdpx(bare, Path(tmp) / "b.qualcode"),
                                         trace)
            report["import_resegmenting"] = resegmented
            report["imported_resegmenting"] = again.counts
        report["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                     1)
        report["loadavg_before"] = [round(x, 2) for x in load_before]
        report["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
