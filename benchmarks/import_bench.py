"""Import benchmark: `Project.import_files` against spaCy alone on the same text, one process.

    uv run python benchmarks/import_bench.py                  # 200 transcripts, 4M words
    uv run python benchmarks/import_bench.py --words 200000   # quick run
    uv run python benchmarks/import_bench.py --words 200000 --profile 10

Target (issues 2 and 11): import time <= 1.5 x the time spaCy needs to segment the same text
with the same pipeline. spaCy alone runs `nlp.pipe` over each turn's blank-line paragraphs (the
text without the importer's structure parsing, so that parsing is inside the measured import),
with the same batch size and disabled lemmatizer, consuming every sentence's offsets; it runs
before and after the import and the mean is the baseline. Pipeline build time is excluded
from both and reported apart. Wall and CPU seconds are both reported (the import's CPU
includes its worker processes: large batches are prepared in parallel).
JSON goes to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

from generate import DEFAULT_SEED, log, write_corpus  # noqa: E402

TARGET_RATIO = 1.5


class Clock:
    """Wall and CPU seconds of a block."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    @contextmanager
    def run(self) -> Iterator[Clock]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield self
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu


_BLANK_LINES_RE = re.compile(r"\n(?:[ \t]*\n)+")


def _paragraphs(parsed: Any) -> list[str]:
    """The text spaCy alone gets: each turn's blank-line paragraphs (no structure parsing)."""
    from qualcode.core.ingest.segment import MAX_CHUNK, _chunks

    out = []
    text = parsed.text
    for turn in parsed.turns:
        pos = turn.start
        for m in [*_BLANK_LINES_RE.finditer(text, turn.start, turn.end), None]:
            stop = m.start() if m else turn.end
            out.extend(text[a:b] for a, b in _chunks(text, pos, stop, MAX_CHUNK) if b > a)
            pos = m.end() if m else pos
    return out


def prepare(files: list[Path], manifest: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Parse every file as the importer does and collect spaCy's input texts per language."""
    from qualcode.core import ingest, nlp
    from qualcode.core.ingest.prepare import merge_meta as _merge_meta

    texts: dict[str, list[str]] = defaultdict(list)
    words = chars = 0
    for path in files:
        parsed = ingest.read_source(path)
        meta = _merge_meta(path, parsed.metadata, manifest, None)
        parsed = ingest.assign_turns(parsed, meta)
        lang = nlp.normalise_language(meta.get("language")
                                      or nlp.detect_language(parsed.text[:20000]))
        texts[lang].extend(_paragraphs(parsed))
        words += len(parsed.text.split())
        chars += len(parsed.text)
    return {"texts": dict(texts), "words": words, "characters": chars}


def spacy_alone(texts: dict[str, list[str]]) -> tuple[Clock, int]:
    """Segment the pieces with the cached pipelines exactly as segment_many calls them."""
    from qualcode.core.ingest.segment import BATCH_SIZE
    from qualcode.core.nlp import get_pipeline

    clock, sentences = Clock(), 0
    with clock.run():
        for lang, pieces in texts.items():
            nlp = get_pipeline(lang)
            for doc in nlp.pipe(pieces, batch_size=BATCH_SIZE, disable=["lemmatizer"]):
                for sent in doc.sents:
                    if sent.start_char < sent.end_char:
                        sentences += 1
    return clock, sentences


def fresh_project(path: Path) -> Any:
    from qualcode.core.store import Project

    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return Project.create(path)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(path: Path, files: list[Path],
               manifest: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Import into a fresh project; wall and CPU seconds."""
    project = fresh_project(path)
    clock = Clock()
    children = _children_cpu()
    with project, clock.run():
        report = project.import_files(files, manifest=manifest)
    return {"wall": clock.wall, "cpu": clock.cpu + _children_cpu() - children,
            "segments": sum(o.segments for o in report.outcomes),
            "imported": report.count("imported"),
            "errors": [o.message for o in report.errors]}


def profile_import(path: Path, files: list[Path], manifest: dict[str, dict[str, Any]],
                   top: int = 20) -> dict[str, list[dict[str, Any]]]:
    """cProfile an import of `files`: top functions by own time, qualcode's by cumulative."""
    project = fresh_project(path)
    profiler = cProfile.Profile()
    with project:
        profiler.enable()
        project.import_files(files, manifest=manifest)
        profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (file, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = file.split("site-packages/")[-1].split("/src/")[-1]
        rows.append({"function": f"{short}:{line}({name})", "calls": calls,
                     "tottime": round(tottime, 3), "cumtime": round(cumtime, 3)})
    rows.sort(key=lambda r: r["tottime"], reverse=True)
    ours = sorted((r for r in rows if r["function"].startswith("qualcode/")),
                  key=lambda r: r["cumtime"], reverse=True)
    return {"top_tottime": rows[:top], "qualcode_cumtime": ours[:top]}


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run both measurements, print the JSON report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transcripts", type=int, default=200)
    ap.add_argument("--words", type=int, default=4_000_000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/qualcode-bench"))
    ap.add_argument("--profile", type=int, default=0, metavar="FILES",
                    help="also cProfile an import of the first FILES files")
    args = ap.parse_args(argv)
    from qualcode.core.ingest.manifest import collect_files, load_manifest
    from qualcode.core.nlp import get_pipeline

    load_start = os.getloadavg()
    corpus = args.workdir / f"corpus-{args.transcripts}-{args.words}-{args.seed}"
    write_corpus(corpus, transcripts=args.transcripts, words=args.words, seed=args.seed)
    files = collect_files([corpus])
    manifest = load_manifest(corpus / "manifest.yaml")

    build: dict[str, float] = {}
    for lang in ("id", "en"):
        started = time.perf_counter()
        get_pipeline(lang)
        build[lang] = round(time.perf_counter() - started, 3)
    log("preparing: parsing the corpus as the importer does")
    prepared = prepare(files, manifest)
    texts = prepared["texts"]
    warm = {lang: pieces[:300] for lang, pieces in texts.items()}
    spacy_alone(warm)  # warm the vocabularies so neither side pays for first-seen strings

    log("spaCy alone (1/2)")
    before, sentences = spacy_alone(texts)
    log(f"  {before.wall:.1f} s; importing {len(files)} files")
    shipped = run_import(args.workdir / "import-bench.qualcode", files, manifest)
    log(f"  {shipped['wall']:.1f} s; spaCy alone (2/2)")
    after, _ = spacy_alone(texts)
    spacy_wall = (before.wall + after.wall) / 2
    spacy_cpu = (before.cpu + after.cpu) / 2

    def summary(run: dict[str, Any]) -> dict[str, Any]:
        return {"import_seconds": round(run["wall"], 3),
                "import_cpu_seconds": round(run["cpu"], 3),
                "ratio": round(run["wall"] / spacy_wall, 3),
                "ratio_cpu": round(run["cpu"] / spacy_cpu, 3),
                "passed": run["wall"] / spacy_wall <= TARGET_RATIO,
                "words_per_second": round(prepared["words"] / run["wall"])}

    result: dict[str, Any] = {
        "words": prepared["words"], "characters": prepared["characters"], "files": len(files),
        "imported": shipped["imported"], "errors": shipped["errors"][:5],
        "segments": shipped["segments"], "spacy_sentences": sentences,
        "spacy_pieces": {lang: len(p) for lang, p in texts.items()},
        "spacy_seconds": round(spacy_wall, 3),
        "spacy_seconds_runs": [round(before.wall, 3), round(after.wall, 3)],
        "spacy_cpu_seconds": round(spacy_cpu, 3),
        "spacy_words_per_second": round(prepared["words"] / spacy_wall),
        "target_ratio": TARGET_RATIO,
        "import": summary(shipped),
        "pipeline_build_seconds": build,
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
        "cpus": os.cpu_count(), "python": platform.python_version(),
    }
    if args.profile:
        log(f"profiling an import of {args.profile} files")
        result["profile_files"] = args.profile
        result["profile"] = profile_import(
            args.workdir / "import-profile.qualcode", files[: args.profile], manifest)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
