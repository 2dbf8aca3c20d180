"""Deterministic generator of a large synthetic corpus and project for the benchmarks.

    uv run python benchmarks/generate.py --transcripts 200 --words 4000000 \\
        --codings 100000 --coders 3 --out /tmp/qualcode-bench

writes DIR/corpus/ (transcripts .txt/.md, manifest.yaml, corpus.json) and builds
DIR/project.qualcode by importing through `Project.import_files` (the real path), then adds
codings with bulk inserts. Both steps are cached: the corpus by corpus.json, the project by its
`benchmark_params` meta entry. Other benchmarks import `write_corpus` and `build_project`:

    sys.path.insert(0, "benchmarks"); from generate import build_project, write_corpus
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import vocabulary as vocab  # noqa: E402

GENERATOR_VERSION = 1
DEFAULT_SEED = 20260301
CODEBOOKS = ("sobandi-2008", "siagian-2014")
STAMP = "corpus.json"


def log(message: str) -> None:
    """Progress goes to stderr; stdout is reserved for JSON."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class FilePlan:
    """What one generated file holds."""

    name: str
    kind: str  # interview | observation | document
    language: str  # id | en
    informant: dict[str, str] | None
    target_words: int
    crlf: bool
    short_labels: bool


# ---- informants and the file plan ---------------------------------------------------------
def make_informants(rng: random.Random) -> list[dict[str, str]]:
    """About 40 informants (pseudonym, role, unit) across the five roles."""
    people: list[dict[str, str]] = []
    used: set[str] = set()
    for role, count in vocab.ROLE_COUNTS.items():
        for _ in range(count):
            name = ""
            while not name or name in used:
                name = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
            used.add(name)
            unit = {"public": "Masyarakat pengguna layanan", "head": "Pimpinan Badan",
                    "secretary": "Sekretariat"}.get(role) or rng.choice(vocab.UNITS)
            people.append({"informant": name, "role": role, "unit": unit})
    return people


def plan_files(transcripts: int, words: int, seed: int) -> list[FilePlan]:
    """Kinds, languages, formats, informants and word targets of every file."""
    rng = random.Random(f"plan-{seed}")
    people = make_informants(rng)
    order = rng.sample(people, len(people))
    weights = [rng.uniform(0.5, 1.5) for _ in range(transcripts)]
    total = sum(weights)
    plans = []
    interviews = 0
    for i, weight in enumerate(weights):
        r = {0: 0.5, 1: 0.5, 2: 0.03, 5: 0.09}.get(i, rng.random())
        kind = "observation" if r < 0.06 else "document" if r < 0.12 else "interview"
        english = kind == "interview" and (rng.random() < 0.07 or i == 1)
        informant = None
        if kind == "interview":
            # Round-robin first so every informant is interviewed, then follow-ups at random.
            informant = order[interviews] if interviews < len(order) else rng.choice(people)
            interviews += 1
        markdown = rng.random() < 0.05 or i % 50 == 3  # at least one .md in small corpora
        slug = {"observation": "observasi", "document": "dokumen"}.get(kind, "wawancara")
        if informant:
            slug += "-" + informant["informant"].lower().replace(" ", "-")
        name = f"{i + 1:03d}-{slug}{'-en' if english else ''}.{'md' if markdown else 'txt'}"
        plans.append(FilePlan(name, kind, "en" if english else "id", informant,
                              max(50, round(words * weight / total)),
                              crlf=not markdown and rng.random() < 0.05,
                              short_labels=rng.random() < 0.1))
    return plans


# ---- text -------------------------------------------------------------------------------
def _paragraph(rng: random.Random, english: bool, low: int, high: int) -> str:
    make = vocab.en_sentence if english else vocab.id_sentence
    return " ".join(make(rng) for _ in range(rng.randint(low, high)))


def _interview(rng: random.Random, plan: FilePlan) -> Iterator[str]:
    english = plan.language == "en"
    if english:
        asker, teller = "Interviewer", "Informant"
    elif plan.short_labels:
        asker, teller = "P", "I"
    else:
        asker, teller = "Peneliti", "Informan"
    if rng.random() < 0.5:
        yield ("Interview transcript" if english else "Transkrip wawancara") + "\n\n"
    while True:
        yield f"{asker}: {vocab.question(rng, english)}\n\n"
        paragraphs = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
        body = "\n\n".join(_paragraph(rng, english, 2, 7) for _ in range(paragraphs))
        yield f"{teller}: {body}\n\n"


def _notes(rng: random.Random, plan: FilePlan, markdown: bool) -> Iterator[str]:
    title = "Catatan observasi" if plan.kind == "observation" else "Kutipan dokumen"
    yield (f"# {title}\n\n" if markdown else f"{title}\n\n")
    section = 1
    while True:
        if markdown and rng.random() < 0.15:
            yield f"## Bagian {section}\n\n"
            section += 1
        prefix = f"Pukul {rng.randint(7, 15):02d}.{rng.randint(0, 59):02d} " \
            if plan.kind == "observation" and rng.random() < 0.3 else ""
        yield prefix + _paragraph(rng, False, 3, 8) + "\n\n"


def _front_matter(plan: FilePlan, when: str) -> str:
    lines = ["---"]
    if plan.informant:
        lines += [f"{k}: {v}" for k, v in plan.informant.items()]
    lines += [f"kind: {plan.kind}", f"date: {when}", f"language: {plan.language}", "---", ""]
    return "\n".join(lines)


def render_file(plan: FilePlan, seed: int, index: int) -> tuple[str, int]:
    """The file's text and its word count."""
    rng = random.Random(f"file-{seed}-{index}")
    markdown = plan.name.endswith(".md")
    pieces = _interview(rng, plan) if plan.kind == "interview" else _notes(rng, plan, markdown)
    out: list[str] = []
    words = 0
    for piece in pieces:
        out.append(piece)
        words += len(piece.split())
        if words >= plan.target_words:
            break
    text = "".join(out).rstrip("\n") + "\n"
    if markdown:
        text = _front_matter(plan, _date(index)) + text
    return text, words


def _date(index: int) -> str:
    return (date(2026, 1, 5) + timedelta(days=index % 300)).isoformat()


# ---- corpus -----------------------------------------------------------------------------
def write_corpus(out_dir: str | Path, *, transcripts: int = 200, words: int = 4_000_000,
                 seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Write the corpus into `out_dir` (reused when corpus.json shows the same parameters).

    Returns the stamp: parameters, file names, total words and bytes.
    """
    import yaml

    out = Path(out_dir)
    params = {"transcripts": transcripts, "words": words, "seed": seed,
              "version": GENERATOR_VERSION}
    stamp_path = out / STAMP
    if stamp_path.exists():
        stamp: dict[str, Any] = json.loads(stamp_path.read_text(encoding="utf-8"))
        if stamp.get("params") == params and all((out / f).exists() for f in stamp["files"]):
            log(f"corpus: reusing {out} ({stamp['words']} words)")
            return stamp
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.suffix in (".txt", ".md") or old.name in (STAMP, "manifest.yaml"):
            old.unlink()
    started = time.perf_counter()
    manifest: dict[str, dict[str, Any]] = {}
    total_words = total_bytes = 0
    plans = plan_files(transcripts, words, seed)
    for index, plan in enumerate(plans):
        text, count = render_file(plan, seed, index)
        data = text.replace("\n", "\r\n") if plan.crlf else text
        raw = data.encode("utf-8")
        (out / plan.name).write_bytes(raw)
        total_words += count
        total_bytes += len(raw)
        if not plan.name.endswith(".md"):  # .md files carry their own front matter
            entry: dict[str, Any] = dict(plan.informant or {})
            entry.update(kind=plan.kind, date=_date(index), language=plan.language)
            manifest[plan.name] = entry
        if (index + 1) % 20 == 0:
            log(f"corpus: {index + 1}/{len(plans)} files, {total_words} words")
    header = "# Synthetic benchmark corpus (generated by benchmarks/generate.py; fictional).\n"
    (out / "manifest.yaml").write_text(
        header + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    stamp = {"params": params, "files": [p.name for p in plans], "words": total_words,
             "bytes": total_bytes, "seconds": round(time.perf_counter() - started, 2)}
    stamp_path.write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    log(f"corpus: wrote {len(plans)} files, {total_words} words in {stamp['seconds']} s")
    return stamp


# ---- project ----------------------------------------------------------------------------
def build_project(path: str | Path, corpus_dir: str | Path, *, codings: int = 100_000,
                  coders: int = 3, seed: int = DEFAULT_SEED) -> Path:
    """Build (or reuse) a project from a written corpus; returns the project file's path.

    Sources are imported with `Project.import_files`; codings are bulk-inserted. A project whose
    `benchmark_params` meta matches is reused as it is.
    """
    from qualcode.core.codebooks import bundled_codebooks, load_codebook
    from qualcode.core.ingest.manifest import collect_files, load_manifest
    from qualcode.core.store import Project

    path, corpus = Path(path), Path(corpus_dir)
    stamp = json.loads((corpus / STAMP).read_text(encoding="utf-8"))
    params = json.dumps({"corpus": stamp["params"], "codings": codings, "coders": coders,
                         "seed": seed, "version": GENERATOR_VERSION}, sort_keys=True)
    if path.exists():
        with Project.open(path) as project:
            if project.get_meta("benchmark_params") == params:
                log(f"project: reusing {path}")
                return path
        log(f"project: {path} was built with other parameters; rebuilding")
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    with Project.create(partial) as project:
        for book in bundled_codebooks():
            spec = load_codebook(book)
            project.import_codebook(spec, active=spec.key in CODEBOOKS)
        files = collect_files([corpus])

        def progress(n: int, total: int, file: Path) -> None:
            if n % 10 == 0 or n == total:
                log(f"project: importing {n}/{total} ({time.perf_counter() - started:.0f} s)")

        report = project.import_files(files, manifest=load_manifest(corpus / "manifest.yaml"),
                                      progress=progress)
        if report.errors:
            raise RuntimeError("; ".join(o.message for o in report.errors[:5]))
        added = add_codings(project, codings, coders=coders, seed=seed)
        project.set_meta("benchmark_params", params)
    log(f"project: {len(files)} sources, {added} codings in {time.perf_counter() - started:.0f} s")
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(partial, path)
    return path


def add_codings(project: Any, total: int, *, coders: int = 3, seed: int = DEFAULT_SEED) -> int:
    """Bulk-insert `total` codings on informant segments, with overlaps between coders.

    Each coding unit is 1-3 consecutive segments of one turn; the first coder codes it, each
    other coder codes the same span with p=0.55 (same code 75 %, same valence 80 %, sometimes
    one segment longer), and with p=0.3 a second code lands on the span (co-occurrence).
    """
    from sqlalchemy import insert, select

    from qualcode.core.models import Code, Codebook, Coding, Segment, Source

    rng = random.Random(f"codings-{seed}")
    with project.session() as s:
        segs = s.execute(
            select(Segment.source_id, Segment.start, Segment.end, Segment.turn_index)
            .join(Source, Source.id == Segment.source_id)
            .where(Source.active == True, Segment.is_interviewer == False)  # noqa: E712
            .order_by(Segment.source_id, Segment.index)).all()
        codes = s.execute(select(Code.id, Code.parent_id).join(Codebook)
                          .where(Codebook.key.in_(CODEBOOKS))).all()  # type: ignore[attr-defined]
    if not segs or not codes:
        raise RuntimeError("no informant segments or no Sobandi/Siagian codes to code with")
    code_ids = [c.id for c in codes]
    code_weights = [3 if c.parent_id is None else 1 for c in codes]
    names = [f"coder{k}" for k in range(1, coders + 1)]
    valences, valence_weights = ("+", "-", "0"), (0.4, 0.4, 0.2)
    base = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    seen: set[tuple[int, int, int, int, str]] = set()
    rows: list[dict[str, Any]] = []

    def add(src: int, a: int, b: int, code: int, coder: str, valence: str) -> None:
        key = (src, a, b, code, coder)
        if key in seen:
            return
        seen.add(key)
        when = base + timedelta(seconds=len(rows) * 7)
        note = "perlu dicek ulang" if rng.random() < 0.02 else ""
        rows.append({"source_id": src, "start": a, "end": b, "code_id": code, "coder": coder,
                     "valence": valence, "note": note, "created_at": when, "updated_at": when})

    def same_turn(i: int, j: int) -> bool:
        return j < len(segs) and segs[i][0] == segs[j][0] and segs[i][3] == segs[j][3]

    while len(rows) < total:
        j = rng.randrange(len(segs))
        last = j
        for _ in range(rng.choices((0, 1, 2), (0.7, 0.2, 0.1))[0]):
            if same_turn(j, last + 1):
                last += 1
        src, a, b = segs[j][0], segs[j][1], segs[last][2]
        code = rng.choices(code_ids, code_weights)[0]
        valence = rng.choices(valences, valence_weights)[0]
        first = rng.choice(names)
        add(src, a, b, code, first, valence)
        if rng.random() < 0.3:
            add(src, a, b, rng.choice(code_ids), first, rng.choices(valences, valence_weights)[0])
        for other in names:
            if other == first or rng.random() >= 0.55:
                continue
            other_code = code if rng.random() < 0.75 else rng.choices(code_ids, code_weights)[0]
            other_valence = valence if rng.random() < 0.8 else rng.choice(valences)
            end = segs[last + 1][2] if rng.random() < 0.15 and same_turn(j, last + 1) else b
            add(src, a, end, other_code, other, other_valence)
    del rows[total:]
    with project.transaction() as (s, _):
        for k in range(0, len(rows), 20_000):
            s.execute(insert(Coding), rows[k:k + 20_000])
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    """Command line: write the corpus and build the project; print a JSON summary."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transcripts", type=int, default=200)
    ap.add_argument("--words", type=int, default=4_000_000)
    ap.add_argument("--codings", type=int, default=100_000)
    ap.add_argument("--coders", type=int, default=3)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=Path("/tmp/qualcode-bench"))
    ap.add_argument("--corpus-only", action="store_true", help="write the files, no project")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    corpus = args.out / "corpus"
    stamp = write_corpus(corpus, transcripts=args.transcripts, words=args.words, seed=args.seed)
    result: dict[str, Any] = {"corpus": str(corpus), "files": len(stamp["files"]),
                              "words": stamp["words"], "bytes": stamp["bytes"]}
    if not args.corpus_only:
        from qualcode.core.store import Project

        path = build_project(args.out / "project.qualcode", corpus, codings=args.codings,
                             coders=args.coders, seed=args.seed)
        with Project.open(path) as project:
            result.update(project=str(path), counts=project.counts())
    result["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

