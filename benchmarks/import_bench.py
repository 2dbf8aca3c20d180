"""Import benchmark: the `qualcode import` command a user runs against spaCy alone.

    uv run python benchmarks/import_bench.py                  # 200 transcripts, 4M words
    uv run python benchmarks/import_bench.py --words 200000   # quick run
    uv run python benchmarks/import_bench.py --words 200000 --api --profile 10
    uv run python benchmarks/import_bench.py --workers-only   # + the workers without the database

Target (issues 2, 9 and 11): import time <= 1.5 x the time spaCy needs to segment the same turn
texts with the same pipeline. The import is `.venv/bin/qualcode import CORPUS --manifest ...
-p NEW.qualcode` in a subprocess on a 120x40 pseudo-terminal, progress bar and all, from
process start to exit (see measure.py: wall and CPU seconds of the command and its workers,
and their peak memory). spaCy alone runs `nlp.pipe` in this process over exactly the pieces the
importer feeds it (`ingest.segment._pieces`), with the same segmenter and batch size, consuming
every sentence's offsets; it runs before and after the import and the mean is the baseline,
without pipeline build time (which the command pays: it is measured apart, in fresh processes,
as `pipeline_build_seconds`). `--api` also times `Project.import_files` in this process.
qualcode's own modules are byte-compiled before timing, as an installed package's are
(`--no-compile`: as found).
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
from measure import measure_once, qualcode_exe  # noqa: E402

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
    from qualcode.core.nlp import get_segmenter

    clock, sentences = Clock(), 0
    with clock.run():
        for lang, pieces in texts.items():
            nlp = get_segmenter(lang)
            for doc in nlp.pipe(pieces, batch_size=BATCH_SIZE):
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


def compile_qualcode() -> float:
    """Byte-compile qualcode's own modules in place (untimed set-up); seconds it took.

    `uv sync --compile-bytecode` compiles site-packages, but qualcode is installed editable, so
    its modules stay in src/ without bytecode, and where PYTHONDONTWRITEBYTECODE is set (this
    machine) every process of the import (the command, the fork server) would recompile them
    on every run. A user's installed package, or a checkout where Python may write its cache,
    has that bytecode: this gives the command the same."""
    import compileall

    import qualcode

    started = time.perf_counter()
    compileall.compile_dir(str(Path(qualcode.__file__).parent), quiet=1, workers=1)
    return time.perf_counter() - started


def run_command(path: Path, corpus: Path) -> dict[str, Any]:
    """`qualcode import` into a fresh project, as a user runs it (on a pseudo-terminal)."""
    fresh_project(path).close()
    run = measure_once([qualcode_exe(), "import", str(corpus), "--manifest",
                        str(corpus / "manifest.yaml"), "-p", str(path)], stdout="pty")
    from qualcode.core.store import Project

    with Project.open(path) as project:
        counts = project.counts()
    return {"wall": run["seconds"], "cpu": run["cpu_seconds"], "peak_mb": run["peak_mb"],
            "segments": counts["segments"], "imported": counts["sources"], "errors": []}


_BUILD = """
import json, sys, time
started, cpu = time.perf_counter(), time.process_time()
from qualcode.core import nlp
build = nlp.get_segmenter if sys.argv[1] == "segmenter" else nlp.get_pipeline
for language in sys.argv[2:]:
    build(language)
print(json.dumps([time.perf_counter() - started, time.process_time() - cpu]))
"""


def pipeline_build(runs: int = 3) -> dict[str, Any]:
    """Seconds to import spaCy and build pipelines in a fresh process (median of `runs`): what
    an import pays now (segmenters only) beside the full pipelines it used to build."""
    import statistics
    import subprocess

    def median(*args: str) -> dict[str, float]:
        times = [json.loads(subprocess.run([sys.executable, "-c", _BUILD, *args], check=True,
                                           capture_output=True, text=True).stdout)
                 for _ in range(runs)]
        return {"seconds": round(statistics.median(t[0] for t in times), 3),
                "cpu_seconds": round(statistics.median(t[1] for t in times), 3)}

    return {"segmenters_id_en": median("segmenter", "id", "en"),
            "segmenter_id": median("segmenter", "id"),
            "full_pipelines_id_en": median("pipeline", "id", "en"), "runs": runs}


_WORKERS_ONLY = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from qualcode.core.ingest.manifest import collect_files, load_manifest
from qualcode.core.ingest.prepare import prepare_all, workers_started
corpus = Path(sys.argv[1])
paths = collect_files([corpus])
with workers_started(paths):
    manifest = load_manifest(corpus / "manifest.yaml")
    segments = sum(len(p.spans or ()) for p in prepare_all(paths, manifest, None, {}, False))
print(json.dumps({"segments": segments}))
"""


def workers_only(corpus: Path) -> dict[str, Any]:
    """The import's worker side alone (fork server, read, parse, structure, sentences; no
    project, no database), in a fresh process as the command starts it: what the command
    cannot go below on this machine without changing the segmentation work itself."""
    run = measure_once([sys.executable, "-c", _WORKERS_ONLY, str(corpus)])
    return {"seconds": run["seconds"], "cpu_seconds": run["cpu_seconds"],
            "peak_mb": run["peak_mb"]}


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
    ap.add_argument("--api", action="store_true",
                    help="also time Project.import_files in this process")
    ap.add_argument("--no-compile", action="store_true",
                    help="do not byte-compile qualcode's own modules before timing")
    ap.add_argument("--workers-only", action="store_true",
                    help="also time the import's workers alone (no project, no database)")
    args = ap.parse_args(argv)
    from qualcode.core.ingest.manifest import collect_files, load_manifest
    from qualcode.core.nlp import get_segmenter

    load_start = os.getloadavg()
    corpus = args.workdir / f"corpus-{args.transcripts}-{args.words}-{args.seed}"
    write_corpus(corpus, transcripts=args.transcripts, words=args.words, seed=args.seed)
    files = collect_files([corpus])
    manifest = load_manifest(corpus / "manifest.yaml")

    compiled = None if args.no_compile else round(compile_qualcode(), 3)
    log("pipeline build in fresh processes")
    build = pipeline_build()
    for lang in ("id", "en"):
        get_segmenter(lang)
    log("preparing: parsing the corpus as the importer does")
    prepared = prepare(files, manifest)
    texts = prepared["texts"]
    warm = {lang: pieces[:300] for lang, pieces in texts.items()}
    spacy_alone(warm)  # warm the vocabularies so neither side pays for first-seen strings

    log("spaCy alone (1/2)")
    before, sentences = spacy_alone(texts)
    log(f"  {before.wall:.1f} s; `qualcode import` of {len(files)} files")
    shipped = run_command(args.workdir / "import-bench.qualcode", corpus)
    api = None
    if args.api:
        log(f"  {shipped['wall']:.1f} s; Project.import_files")
        api = run_import(args.workdir / "import-bench-api.qualcode", files, manifest)
    floor = None
    if args.workers_only:
        log(f"  {shipped['wall']:.1f} s; the workers alone")
        floor = workers_only(corpus)
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
        "import": {**summary(shipped), "peak_mb": shipped["peak_mb"],
                   "command": "qualcode import CORPUS --manifest CORPUS/manifest.yaml -p NEW"},
        "pipeline_build_seconds": build,
        "qualcode_bytecode": ("as found (--no-compile)" if compiled is None
                              else f"compiled before timing ({compiled} s)"),
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
        "cpus": os.cpu_count(), "python": platform.python_version(),
    }
    if api is not None:
        result["api_import"] = summary(api)
    if floor is not None:
        result["workers_only"] = {**floor, "ratio": round(floor["seconds"] / spacy_wall, 3),
                                  "ratio_cpu": round(floor["cpu_seconds"] / spacy_cpu, 3)}
    if args.profile:
        log(f"profiling an import of {args.profile} files")
        result["profile_files"] = args.profile
        result["profile"] = profile_import(
            args.workdir / "import-profile.qualcode", files[: args.profile], manifest)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
