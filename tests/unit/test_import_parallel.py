"""Large batches are prepared by worker processes; the result equals a one-process import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys
from pathlib import Path
from qualcode.core.ingest import prepare as import_prepare
from qualcode.core.store import Project

folder, parallel = Path(sys.argv[1]), sys.argv[2] == "1"
import_prepare.PARALLEL_MIN_BYTES = 0 if parallel else 1 << 62
files = sorted(folder.glob("*.txt"))
took_parallel = import_prepare._parallel_ok(files)
project = Project.create(folder / f"p{int(parallel)}.qualcode")
report = project.import_files(files)
rows = [(s.name, [(g.start, g.end, g.speaker) for g in project.segments(s.id)])
        for s in project.sources()]
print(json.dumps({"parallel": took_parallel, "statuses": [o.status for o in report.outcomes],
                  "rows": rows}))
"""


def _run(folder: Path, parallel: bool) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(folder), "1" if parallel else "0"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_parallel_import_matches_sequential(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / f"t{n}.txt").write_text(
            f"Peneliti: Pertanyaan {n}?\nInforman: Kami disiplin. Kami jujur sekali ({n}).\n"
            "Bu Sari: Drs. Hartono datang jam 8. Lalu rapat.\n" * (n + 1), encoding="utf-8")
    (tmp_path / "t9.txt").write_bytes(b"")  # a bad file is reported, not fatal, in workers too
    parallel = _run(tmp_path, parallel=True)
    sequential = _run(tmp_path, parallel=False)
    assert parallel["parallel"] is True
    assert sequential["parallel"] is False
    assert parallel["statuses"] == ["imported"] * 5 + ["error"]
    assert parallel["rows"] == sequential["rows"]
