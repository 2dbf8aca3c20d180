"""Import benchmark: `Project.import_files` against spaCy alone on the same text, one process.

    uv run python benchmarks/import_bench.py                  # 200 transcripts, 4M words
    uv run python benchmarks/import_bench.py --words 200000   # quick run
    uv run python benchmarks/import_bench.py --words 200000 --profile 10

Target (issue 2): import time <= 1.5 x the time spaCy needs to segment the same turn texts with
the same pipeline. spaCy alone runs `nlp.pipe` over exactly the pieces the importer feeds it
(`ingest.segment._pieces`), with the same batch size and disabled lemmatizer, consuming every
sentence's offsets; it runs before and after the import and the mean is the baseline. Pipeline
build time is excluded from both and reported apart. The import's phases are timed by wrapping
the module functions `import_files` calls (src/ is not modified). JSON goes to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import platform
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
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


def prepare(files: list[Path], manifest: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Parse every file as the importer does and collect spaCy's input texts per language."""
    from qualcode.core import ingest, nlp
    from qualcode.core.ingest.segment import _pieces
    from qualcode.core.store_sources import _merge_meta

    texts: dict[str, list[str]] = defaultdict(list)
    words = chars = 0
    for path in files:
        parsed = ingest.read_source(path)
        meta = _merge_meta(path, parsed.metadata, manifest, None)
        lang = nlp.normalise_language(meta.get("language")
                                      or nlp.detect_language(parsed.text[:20000]))
        texts[lang].extend(parsed.text[s:e] for s, e, _ in _pieces(parsed))
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


@contextmanager
def phase_timers() -> Iterator[dict[str, Clock]]:
    """Time the functions import_files calls, by wrapping their module attributes."""
    from qualcode.core import ingest, nlp
    from qualcode.core.store_sources import SourceOps

    clocks: dict[str, Clock] = defaultdict(Clock)
    targets: list[tuple[Any, str, str]] = [
        (ingest, "read_source", "decode_parse"), (nlp, "detect_language", "detect_language"),
        (ingest, "content_hash", "content_hash"), (ingest, "segment_source", "segment"),
        (SourceOps, "_import_one", "import_one"),
    ]
    originals = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in targets]

    def timed(fn: Callable[..., Any], phase: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with clocks[phase].run():
                return fn(*args, **kwargs)
        return wrapper

    for owner, attr, phase in targets:
        setattr(owner, attr, timed(getattr(owner, attr), phase))
    try:
        yield clocks
    finally:
        for owner, attr, fn in originals:
            setattr(owner, attr, fn)


@contextmanager
def prototype_patches() -> Iterator[None]:
    """The proposed src/ change, applied by monkeypatching for a comparison run.

    1. store_sources._import_one: bulk-insert Turn/Segment rows with one DBAPI executemany of
       tuples (statement compiled for the engine's dialect) instead of the ORM bulk INSERT
       (`s.execute(insert(Model), dicts)` runs SQLAlchemy's per-row ORM and bind processing).
    2. ingest.segment.SegmentSpan: a slots dataclass (frozen dataclasses pay for
       object.__setattr__ on every field; ~340,000 spans per 4M words).
    """
    from dataclasses import dataclass

    from sqlmodel import Session

    from qualcode.core import store_sources
    from qualcode.core.ingest import segment

    class Marker:
        def __init__(self, model: Any) -> None:
            self.model = model

    @dataclass(slots=True)
    class SlotSpan:
        start: int
        end: int
        turn_index: int | None
        speaker: str | None

    original = (store_sources.insert, Session.execute, segment.SegmentSpan)

    def execute(self: Session, statement: Any, params: Any = None, *a: Any, **k: Any) -> Any:
        if isinstance(statement, Marker):
            return bulk_insert(self, statement.model, params)
        return original[1](self, statement, params, *a, **k)

    store_sources.insert = Marker  # type: ignore[assignment]
    Session.execute = execute  # type: ignore[assignment,method-assign]
    segment.SegmentSpan = SlotSpan  # type: ignore[misc]
    try:
        yield
    finally:
        store_sources.insert, Session.execute, segment.SegmentSpan = original  # type: ignore[assignment,method-assign,misc]


def bulk_insert(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (int/str/bool/None values) with one DBAPI executemany."""
    if not rows:
        return
    conn = session.connection()
    compiled = model.__table__.insert().compile(dialect=conn.dialect, column_keys=list(rows[0]))
    params: Any = rows
    if compiled.positional:
        order = compiled.positiontup or []
        params = [tuple(row[key] for key in order) for row in rows]
    conn.exec_driver_sql(compiled.string, params)


def fresh_project(path: Path) -> Any:
    from qualcode.core.store import Project

    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return Project.create(path)


def run_import(path: Path, files: list[Path],
               manifest: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Import into a fresh project with phase timers; wall/CPU seconds and the breakdown."""
    project = fresh_project(path)
    clock = Clock()
    with project, phase_timers() as phases, clock.run():
        report = project.import_files(files, manifest=manifest)
    errors = [o.message for o in report.errors]

    def breakdown(p: dict[str, float], total: float) -> dict[str, float]:
        parts = {
            "decode_parse": p["decode_parse"],
            "detect_language": p.get("detect_language", 0.0),
            "segment": p["segment"],
            "content_hash": p["content_hash"],
            "db_insert": p["import_one"] - p["segment"] - p["content_hash"],
            "other": total - p["decode_parse"] - p.get("detect_language", 0.0)
            - p["import_one"],
        }
        return {k: round(v, 3) for k, v in parts.items()}

    return {"clock": clock, "segments": sum(o.segments for o in report.outcomes),
            "imported": report.count("imported"), "errors": errors,
            "breakdown": breakdown({k: v.wall for k, v in phases.items()}, clock.wall),
            "breakdown_cpu": breakdown({k: v.cpu for k, v in phases.items()}, clock.cpu)}


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
    ap.add_argument("--prototype", action="store_true",
                    help="also time an import with the proposed src/ change (monkeypatched)")
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
    imported = run_import(args.workdir / "import-bench.qualcode", files, manifest)
    log(f"  {imported['clock'].wall:.1f} s; spaCy alone (2/2)")
    after, _ = spacy_alone(texts)
    proto = None
    if args.prototype:
        log("importing again with the prototype patches")
        with prototype_patches():
            proto = run_import(args.workdir / "import-prototype.qualcode", files, manifest)
    spacy_wall = (before.wall + after.wall) / 2
    spacy_cpu = (before.cpu + after.cpu) / 2
    clock: Clock = imported["clock"]
    result: dict[str, Any] = {
        "words": prepared["words"], "characters": prepared["characters"], "files": len(files),
        "imported": imported["imported"], "errors": imported["errors"][:5],
        "segments": imported["segments"], "spacy_sentences": sentences,
        "spacy_pieces": {lang: len(p) for lang, p in texts.items()},
        "spacy_seconds": round(spacy_wall, 3),
        "spacy_seconds_runs": [round(before.wall, 3), round(after.wall, 3)],
        "import_seconds": round(clock.wall, 3),
        "ratio": round(clock.wall / spacy_wall, 3),
        "ratio_cpu": round(clock.cpu / spacy_cpu, 3),
        "target_ratio": TARGET_RATIO,
        "passed": clock.wall / spacy_wall <= TARGET_RATIO,
        "words_per_second": round(prepared["words"] / clock.wall),
        "spacy_words_per_second": round(prepared["words"] / spacy_wall),
        "spacy_cpu_seconds": round(spacy_cpu, 3), "import_cpu_seconds": round(clock.cpu, 3),
        "pipeline_build_seconds": build,
        "import_breakdown_seconds": imported["breakdown"],
        "import_breakdown_cpu_seconds": imported["breakdown_cpu"],
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
        "cpus": os.cpu_count(), "python": platform.python_version(),
    }
    if proto is not None:
        pclock: Clock = proto["clock"]
        result["prototype"] = {
            "import_seconds": round(pclock.wall, 3), "import_cpu_seconds": round(pclock.cpu, 3),
            "ratio": round(pclock.wall / spacy_wall, 3),
            "ratio_cpu": round(pclock.cpu / spacy_cpu, 3), "segments": proto["segments"],
            "import_breakdown_seconds": proto["breakdown"],
            "import_breakdown_cpu_seconds": proto["breakdown_cpu"]}
    if args.profile:
        log(f"profiling an import of {args.profile} files")
        result["profile_files"] = args.profile
        result["profile"] = profile_import(
            args.workdir / "import-profile.qualcode", files[: args.profile], manifest)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
