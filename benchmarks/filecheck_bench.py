"""What checking a project file costs on open: the full check of a file never seen before
(schema, quick check, every row and span) and the check of a file that passed before.

    uv run python benchmarks/filecheck_bench.py --project /tmp/qualcode-bench/project.qualcode

The project is copied first (a new file: nothing cached about it). Prints JSON with the
median of --repeat runs and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from qualcode.core.store.filecheck import check_project_file


def _fresh_copy(source: Path, folder: Path, n: int) -> Path:
    target = folder / f"copy{n}.qualcode"
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--project", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qualcode-filecheck-"))
    try:
        full, cached = [], []
        for n in range(args.repeat):
            path = _fresh_copy(args.project, folder, n)
            started = time.perf_counter()
            check_project_file(path)
            full.append(time.perf_counter() - started)
            started = time.perf_counter()
            check_project_file(path)
            cached.append(time.perf_counter() - started)
        conn = sqlite3.connect(f"{args.project.resolve().as_uri()}?mode=ro", uri=True)
        rows = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in ("source", "segment", "coding")}
        conn.close()
        print(json.dumps({
            "project_mb": round(args.project.stat().st_size / 1e6, 1), "rows": rows,
            "full_check_s": round(statistics.median(full), 3),
            "checked_before_s": round(statistics.median(cached), 4),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }, indent=1))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
