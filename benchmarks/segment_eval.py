"""Boundary precision and recall of segmentation on hand-labelled files (JSON to stdout).

    uv run python benchmarks/segment_eval.py                      # tests/data/segmentation
    uv run python benchmarks/segment_eval.py my-labelled/*.txt    # your own labelled files

A labelled file is the text with ``‖`` before every segment and ``¦`` after a segment that is
followed by text of no segment (a speaker label); see `qualcode.core.ingest.evaluate`. Each
file is imported as a source would be (speaker labels, structure, sentences) from a temporary
copy without the marks: `.txt` as text; a file in a `pdf/` folder as a generated text PDF with
one page per form-feed-separated part, its ``@@`` lines printed as running heads and page
numbers that the import must leave out (tests/unit/pdf_samples.py `labelled_pdf`).
Use --kind document to read files as documents.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "unit"))


def _evaluate(path: Path, kind: str | None, tmp: Path) -> dict[str, Any]:
    from pdf_samples import labelled_pdf

    from qualcode.core import ingest
    from qualcode.core.ingest.evaluate import boundary_scores, differences, read_labelled

    labelled = path.read_text(encoding="utf-8")
    if path.parent.name == "pdf":
        data, plain, gold = labelled_pdf(labelled)
        copy = tmp / (path.stem + ".pdf")
        copy.write_bytes(data)
    else:
        plain, gold = read_labelled(labelled)
        copy = tmp / path.name
        copy.write_text(plain, encoding="utf-8")
    parsed = ingest.assign_turns(ingest.read_source(copy, kind=kind), {"kind": kind})
    predicted = [(s.start, s.end) for s in ingest.segment_source(parsed, "id")]
    scores = boundary_scores(predicted, gold)
    return {"file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
            "gold_segments": len(gold), "segments": len(predicted),
            "precision": round(scores.precision, 4), "recall": round(scores.recall, 4),
            "differences": differences(plain, predicted, gold)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--kind", default=None, help="interview, observation or document")
    args = parser.parse_args()
    base = ROOT / "tests" / "data" / "segmentation"
    files = args.files or sorted([*base.glob("*.txt"), *base.glob("pdf/*.txt")])
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        results = [_evaluate(f.resolve(), args.kind, Path(tmp)) for f in files]
    gold = sum(r["gold_segments"] for r in results)
    json.dump({"files": results,
               "mean_precision": round(sum(r["precision"] for r in results) / len(results), 4),
               "mean_recall": round(sum(r["recall"] for r in results) / len(results), 4),
               "gold_segments": gold, "seconds": round(time.perf_counter() - start, 2),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
              sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
