"""Side by side with `qc` (PyPI `qualitative-coding`): the same corpus and codings in both tools.

    python3 -m uv venv /tmp/qc-env
    python3 -m uv pip install --python /tmp/qc-env/bin/python qualitative-coding
    uv run python benchmarks/generate.py --out /tmp/qualcode-bench --corpus-only
    uv run python benchmarks/qc_bench.py --qc /tmp/qc-env/bin/qc \\
        --corpus /tmp/qualcode-bench/corpus --codings 10000 --runs 3

qc is not a dependency of this project, not even a dev one: qualitative-coding 1.7.8 requires
rich < 14 and Textual 8 requires rich >= 14, so uv can only resolve it by falling back to
qualitative-coding 1.3.2 and downgrading numpy and pandas. It runs from its own environment.

Both projects are built from the same corpus folder through each tool's import command (timed
once each, qualcode first): `qualcode import CORPUS --manifest ...` and `qc corpus import -r
-i verbatim CORPUS`. The same codings are then written into both (not timed): qualcode's with
`generate.add_codings` (spans of 1-3 sentences, 3 coders), qc's through qc's own
`Corpus.update_coded_lines` as the lines each span covers (qc codes lines). Then each pair of
commands runs --runs times, alternating qualcode and qc, each run a subprocess measured with
measure.py (wall, CPU, peak memory):

- listing sources: `qualcode sources` / `qc corpus list`
- code frequencies: `qualcode matrix frequency` / `qc codes stats`
- co-occurrence: `qualcode matrix cooccurrence` / `qc codes crosstab`

`ratio` is qualcode's median seconds over qc's (below 1: qualcode is faster). The load average
is printed beside every figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import add_codings, log
from measure import load, measure_once, measure_runs, qualcode_exe

PAIRS = {
    "import": None,
    "list sources": (["sources"], ["corpus", "list"]),
    "code frequencies": (["matrix", "frequency"], ["codes", "stats"]),
    "co-occurrence": (["matrix", "cooccurrence"], ["codes", "crosstab"]),
}
# Writes qc codings with qc's own API, from a JSON file of [document, coder, line, code] rows.
_QC_CODE = """
import json, sys
from collections import defaultdict
from qualitative_coding.corpus import QCCorpus
rows = json.load(open(sys.argv[1]))
corpus = QCCorpus("settings.yaml")
grouped = defaultdict(list)
for document, coder, line, code in rows:
    grouped[(document, coder)].append({"line": line, "code_id": code})
with corpus.session():
    for (document, coder), lines in grouped.items():
        corpus.update_coded_lines(document, coder, lines)
print(len(rows))
"""


def build_qualcode(workdir: Path, corpus: Path, codings: int) -> tuple[Path, dict[str, Any]]:
    """A fresh qualcode project: init, the timed import command, then bulk codings."""
    from qualcode.core.store import Project

    path = workdir / "qualcode" / "bench.qualcode"
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir(parents=True)
    subprocess.run([qualcode_exe(), "init", str(path), "-c", "sobandi-2008", "-c",
                    "siagian-2014"], check=True, capture_output=True)
    log("qualcode import")
    timed = measure_once([qualcode_exe(), "import", str(corpus), "--manifest",
                          str(corpus / "manifest.yaml"), "-p", str(path)], stdout="pty")
    with Project.open(path) as project:
        add_codings(project, codings, coders=3)
    return path, {**timed, "load": load()}


def qc_rows(project: Path) -> list[tuple[str, str, int, str]]:
    """Every qualcode coding as qc coded lines: (document, coder, line, code) per line the
    span covers, in the document qc makes of the same file (NAME.txt)."""
    from qualcode.core.store import Project

    out: set[tuple[str, str, int, str]] = set()
    with Project.open(project) as proj:
        texts: dict[int, str] = {}
        for row in proj.iter_codings():
            text = texts.setdefault(row.source_id, proj.get_source(row.source_id).text)
            document = str(Path(row.source).with_suffix(".txt"))
            first = text.count("\n", 0, row.start)
            last = first + text.count("\n", row.start, max(row.start, row.end - 1))
            for line in range(first, last + 1):
                out.add((document, row.coder, line, row.code))
    return sorted(out)


def build_qc(qc: str, workdir: Path, corpus: Path, rows: list[Any]) -> tuple[Path, dict[str, Any]]:
    """A fresh qc project: init, the timed import command, then the same codings."""
    folder = workdir / "qc"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run([qc, "init"], cwd=folder, check=True, capture_output=True)
    log("qc corpus import")
    staged = workdir / "qc-corpus"  # qc imports every file it finds: leave out our metadata
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir()
    for file in corpus.iterdir():
        if file.suffix in (".txt", ".md"):
            shutil.copy(file, staged / file.name)
    timed = measure_once([qc, "corpus", "import", "-r", "-i", "verbatim", str(staged)],
                         cwd=folder)
    data = workdir / "qc-codings.json"
    data.write_text(json.dumps(rows), encoding="utf-8")
    python = str(Path(qc).resolve().parent / "python")
    log(f"qc: writing {len(rows)} coded lines")
    subprocess.run([python, "-c", _QC_CODE, str(data)], cwd=folder, check=True,
                   capture_output=True)
    return folder, {**timed, "load": load()}


def main(argv: list[str] | None = None) -> None:
    """Build both projects, time each pair alternately, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qc", required=True, help="the qc executable (its own environment)")
    ap.add_argument("--corpus", type=Path, required=True, help="a generate.py corpus folder")
    ap.add_argument("--codings", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/qualcode-qc-bench"))
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    project, qualcode_import = build_qualcode(args.workdir, args.corpus, args.codings)
    rows = qc_rows(project)
    qc_folder, qc_import = build_qc(args.qc, args.workdir, args.corpus, rows)
    result: dict[str, Any] = {
        "codings": args.codings, "qc_coded_lines": len(rows), "corpus": str(args.corpus),
        "rows": {"import": {"qualcode": qualcode_import, "qc": qc_import,
                            "ratio": round(qualcode_import["seconds"] / qc_import["seconds"],
                                           3)}}}
    exe = qualcode_exe()
    for name, pair in PAIRS.items():
        if pair is None:
            continue
        ours, theirs = pair
        log(name)
        mine: list[dict[str, Any]] = []
        other: list[dict[str, Any]] = []
        for _ in range(args.runs):  # alternate, so load changes hit both alike
            mine.append(measure_runs([exe, *ours, "-p", str(project)], runs=1, warmup=not mine))
            other.append(measure_runs([args.qc, *theirs], runs=1, warmup=not other,
                                      cwd=qc_folder))
        a = sorted(r["seconds"] for r in mine)[len(mine) // 2]
        b = sorted(r["seconds"] for r in other)[len(other) // 2]
        result["rows"][name] = {
            "qualcode": {"command": "qualcode " + " ".join(ours), "seconds": a,
                         "peak_mb": max(r["peak_mb"] for r in mine),
                         "cpu_seconds": sorted(r["cpu_seconds"] for r in mine)[len(mine) // 2]},
            "qc": {"command": "qc " + " ".join(theirs), "seconds": b,
                   "peak_mb": max(r["peak_mb"] for r in other),
                   "cpu_seconds": sorted(r["cpu_seconds"] for r in other)[len(other) // 2]},
            "ratio": round(a / b, 3), "load": load()}
    result["qualcode_faster_on_every_row"] = all(r["ratio"] < 1 for r in result["rows"].values())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
