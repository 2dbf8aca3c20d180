"""Import a generated 100-page text PDF: in-process (pipelines built) and cold through the CLI.

    uv run python benchmarks/pdf_import_bench.py
    uv run python benchmarks/pdf_import_bench.py --pages 300

The PDF (tests/unit/pdf_samples.py) holds a hard-wrapped Indonesian report: per page a heading
line, paragraphs of about 80-character lines and a numbered list, about 45 lines a page.
Target (issue 11): a 100-page text PDF imports in under 5 s. Reported: the warm import
(`Project.import_files`, spaCy pipelines already built), the same with the PDF text reading
alone, and a cold `qualcode import` in a new process (Python start, imports and pipeline build
included). JSON to stdout, with peak memory and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from pdf_samples import text_pdf  # noqa: E402

TARGET_SECONDS = 5.0
_VOCABULARY = """
    pegawai kinerja pelayanan laporan kegiatan anggaran pelatihan kompetensi pimpinan bidang
    kepegawaian mutasi berkas aplikasi disiplin capaian sasaran program target realisasi
    evaluasi penilaian pengembangan jabatan fungsional struktural daerah dinas badan kecamatan
    masyarakat tahun bulan hari kerja waktu proses data
"""
_WORDS = tuple(_VOCABULARY.split())


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def _wrap(text: str, width: int = 80) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def report_pages(pages: int, seed: int = 11) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for number in range(pages):
        lines = [f"{number // 10 + 1}.{number % 10 + 1} Capaian Kinerja Bagian {number + 1}"]
        while len(lines) < 38:
            lines += _wrap(" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))))
        lines += [f"{i}. {_sentence(rng)}" for i in range(1, 4)]
        out.append(lines[:45])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    from qualcode.core.ingest import read_source
    from qualcode.core.nlp import get_pipeline
    from qualcode.core.store import Project

    load_start = os.getloadavg()
    result: dict[str, Any] = {"pages": args.pages, "target_seconds": TARGET_SECONDS}
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp, "laporan.pdf")
        pdf.write_bytes(text_pdf(report_pages(args.pages)))
        result["pdf_bytes"] = pdf.stat().st_size
        get_pipeline("id")
        start = time.perf_counter()
        parsed = read_source(pdf)
        result["read_seconds"] = round(time.perf_counter() - start, 3)
        result["characters"] = len(parsed.text)
        result["words"] = len(parsed.text.split())
        with Project.create(Path(tmp, "warm.qualcode")) as project:
            start = time.perf_counter()
            report = project.import_files([pdf], overrides={"kind": "document"})
            result["warm_import_seconds"] = round(time.perf_counter() - start, 3)
            result["segments"] = report.outcomes[0].segments
            assert report.outcomes[0].status == "imported", report.outcomes[0].message
        cli = [str(Path(sys.executable).with_name("qualcode"))]
        subprocess.run([*cli, "init", str(Path(tmp, "cold.qualcode"))], check=True,
                       capture_output=True)
        start = time.perf_counter()
        subprocess.run([*cli, "import", "-p", str(Path(tmp, "cold.qualcode")), str(pdf),
                        "--kind", "document"], check=True, capture_output=True)
        result["cold_cli_import_seconds"] = round(time.perf_counter() - start, 3)
    result["passed"] = result["warm_import_seconds"] < TARGET_SECONDS
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["load_average"] = {"start": load_start, "end": os.getloadavg()}
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
