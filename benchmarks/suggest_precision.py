"""Precision of code suggestions on the hand-judged labelled files (JSON to stdout).

    uv run python benchmarks/suggest_precision.py
    uv run python benchmarks/suggest_precision.py --compare old_suggest.py   # another version

Imports the labelled texts of tests/data/segmentation into a temporary project with five
codebooks, runs the suggestions and scores them with tests/data/suggestions/judgements.tsv
(see tests/unit/suggest_samples.py). Unjudged suggestions count as not plausible and are listed.
With --compare, a second implementation (a copy of an older core/suggest.py) runs on the same
project files for a before/after figure.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "unit"))

from suggest_samples import judged_suggestions, precision


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_file: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_file.setdefault(r["file"], []).append(r)
    return {"suggestions": len(rows), "plausible": sum(r["verdict"] == 1 for r in rows),
            "precision": round(precision(rows), 4),
            "per_file": {f: {"suggestions": len(rs), "precision": round(precision(rs), 4)}
                         for f, rs in by_file.items()},
            "unjudged": [r for r in rows if r["verdict"] is None]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="another suggest.py to score as well")
    args = parser.parse_args()
    start = time.perf_counter()
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        result["current"] = _summary(judged_suggestions(Path(tmp)))
    if args.compare:
        spec = importlib.util.spec_from_file_location("compared_suggest", args.compare)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["compared_suggest"] = module
        spec.loader.exec_module(module)
        with tempfile.TemporaryDirectory() as tmp:
            result["compared"] = _summary(judged_suggestions(Path(tmp),
                                                             module.suggest_for_source))
    result["seconds"] = round(time.perf_counter() - start, 2)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
