"""Fuzzing what researchers import: transcripts with hostile front matter, captions, names and
archives; manifests; codebooks. Whatever a file holds, it is one file's one-line error (or it
imports), never a traceback, never a hang; a batch loses no good file.

Each test counts what it tried and records it (printed at the end of the run). The number of
examples is small by default; QUALCODE_FUZZ_EXAMPLES=2000 makes a long run.
"""

from __future__ import annotations

import io
import os
import random
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import fuzz_examples
from qualcode.core.codebooks import parse_codebook
from qualcode.core.ingest.manifest import load_manifest
from qualcode.core.ingest.prepare import prepare
from qualcode.core.store import Project
from qualcode.errors import QualcodeError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

HANG_SECONDS = 60  # a hang, not a slow machine
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {"deadline": None, "derandomize": False,
            "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow, HealthCheck.data_too_large]}

# ---- pieces of YAML ---------------------------------------------------------------------------
DATES = st.sampled_from(["2024-03-05", "2024-13-45", "0000-00-00", "2024-02-30", "99999-01-01",
                         "2024-03-05T25:61:00", "2024-03-05 10:00:00 +99:00", "'2024-03-05'"])
TAGS = st.sampled_from(["!!int abc", "!!float x", "!!binary @@@", "!!timestamp nonsense",
                        "!!bool maybe", "!!null x", "!!set {a, b}", "!!omap [a: 1]",
                        "!!python/object:os.system ls", "!!str", "!<tag:yaml.org,2002:int> 0x",
                        "!!int 99999999999999999999999999999999", "!!float 1e99999",
                        "!custom x"])
SCALARS = st.one_of(DATES, TAGS, st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["~", "null", "yes", "[]", "{}",
                                                           "interview", "observasi", "id", "xx"]))


def _aliases(levels: int, width: int) -> str:
    lines = ["l0: &l0 [" + ", ".join(["x"] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]")
    return "\n".join(lines)


YAML_BLOCK = st.one_of(
    st.lists(st.tuples(st.sampled_from(["informant", "role", "unit", "kind", "date", "language",
                                        "title", "extra", "Date", "'kind'", "? [a, b]", "~"]),
                       SCALARS), max_size=8).map(
        lambda kv: "\n".join(f"{k}: {v}" for k, v in kv)),
    st.builds(_aliases, st.integers(1, 9), st.integers(1, 12)),
    st.integers(1, 400).map(lambda n: "deep: " + "[" * n + "]" * n),
    st.integers(1, 400).map(lambda n: "deep:\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(n))),
    st.just("a: &a [1, *a]"), st.just("a: *undefined"), st.just("<<: *a"),
    st.integers(0, 30_000).map(lambda n: "\n".join(f"k{i}: v" for i in range(n))),
    st.text(max_size=200),
)

# ---- files ----------------------------------------------------------------------------------
BODY = st.one_of(
    st.sampled_from(["Informan: Kami melayani masyarakat dengan baik.\n",
                     "Peneliti:\nInforman:\n", "# Judul\n", "", "   \n",
                     "P: Apa?\nI: Ya. Tidak.\n", "\x1b[31mInforman: merah\x1b[0m.\n"]),
    st.text(max_size=300))
TIMING = st.tuples(st.integers(0, 25), st.integers(0, 25)).map(
    lambda d: f"{'9' * d[0]}:00:01.000 --> {'9' * d[1]}:00:02,5")
NAME = st.one_of(st.text(alphabet=st.characters(blacklist_characters="/\x00"), min_size=1,
                         max_size=20),
                 st.binary(min_size=1, max_size=12).map(
                     lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\x00", b"_"))))


@st.composite
def import_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, bytes) of one file a researcher might import."""
    kind = draw(st.sampled_from(["md", "md", "vtt", "srt", "txt", "docx", "bytes"]))
    if kind == "md":
        text = f"---\n{draw(YAML_BLOCK)}\n---\n{draw(BODY)}"
        return ".md", text.encode("utf-8", "surrogatepass")
    if kind in ("vtt", "srt"):
        cues = draw(st.lists(st.tuples(TIMING, BODY), min_size=1, max_size=4))
        head = "WEBVTT\n\n" if kind == "vtt" else ""
        text = head + "\n".join(f"{n}\n{t}\n{b}\n" for n, (t, b) in enumerate(cues, 1))
        return f".{kind}", text.encode("utf-8", "surrogatepass")
    if kind == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in draw(st.lists(st.sampled_from(["word/document.xml", "[Content_Types].xml",
                                                       "word/header1.xml", "docProps/core.xml"]),
                                      max_size=4)):
                archive.writestr(part, draw(st.binary(max_size=200))
                                 * draw(st.sampled_from([1, 1000, 200_000])))
        return ".docx", buffer.getvalue()
    if kind == "txt":
        return ".txt", draw(BODY).encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])),
                                         "replace")
    return draw(st.sampled_from([".txt", ".docx", ".md"])), draw(st.binary(max_size=500))


def _guarded(stats: Counter[str], failures: list[str], what: str,
             call: Callable[[], Any], allowed: tuple[type[BaseException], ...]) -> Any:
    """Run one input: count it, and count (never raise) a traceback or a hang."""
    stats["tried"] += 1
    started = time.monotonic()
    try:
        return call()
    except allowed:
        stats["refused"] += 1
    except Exception as exc:
        stats["tracebacks"] += 1
        failures.append(f"{what}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        if time.monotonic() - started > HANG_SECONDS:
            stats["hangs"] += 1
            failures.append(f"{what}: took {time.monotonic() - started:.0f} s")
    return None


def test_fuzz_import_files(tmp_path: Path, record_counts) -> None:  # type: ignore[no-untyped-def]
    stats: Counter[str] = Counter()
    failures: list[str] = []

    @settings(max_examples=fuzz_examples(40), **SETTINGS)
    @given(item=import_file(), name=NAME)
    def one(item: tuple[str, bytes], name: str) -> None:
        suffix, data = item
        folder = tmp_path / f"case{stats['tried']}"
        folder.mkdir()
        try:
            path = folder / (name.strip(".") or "x")[:40]
            path = path.with_name(path.name + suffix)
            path.write_bytes(data)
        except (OSError, UnicodeEncodeError, ValueError):
            path = folder / f"x{suffix}"
            path.write_bytes(data)
        result = _guarded(stats, failures, repr(path.name),
                          lambda: prepare(path, None, None, {}, False), ())
        if result is not None and result.error is not None:
            stats["file errors"] += 1
            if "\n" in result.error.text("en"):
                failures.append(f"{path.name!r}: error of several lines")

    one()
    record_counts("fuzz import files", inputs_tried=stats["tried"],
                  file_errors=stats["file errors"], tracebacks=stats["tracebacks"],
                  hangs=stats["hangs"])
    assert not failures, failures[:10]


def test_fuzz_manifests(tmp_path: Path, record_counts) -> None:  # type: ignore[no-untyped-def]
    stats: Counter[str] = Counter()
    failures: list[str] = []
    entry = st.tuples(NAME, YAML_BLOCK).map(
        lambda p: f"{p[0]!r}:\n" + "\n".join("  " + line for line in p[1].splitlines()))

    @settings(max_examples=fuzz_examples(50), **SETTINGS)
    @given(text=st.one_of(YAML_BLOCK, st.lists(entry, max_size=5).map("\n".join)))
    def one(text: str) -> None:
        path = tmp_path / "manifest.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        _guarded(stats, failures, repr(text[:60]), lambda: load_manifest(path), (QualcodeError,))

    one()
    record_counts("fuzz manifests", inputs_tried=stats["tried"], refused=stats["refused"],
                  tracebacks=stats["tracebacks"], hangs=stats["hangs"])
    assert not failures, failures[:10]


CODEBOOKS = sorted((ROOT / "codebooks").glob("*.yaml"))
SNIPPETS = ["&a", "*a", "!!int x", "2024-13-45", "[[[[", "{", "\t", "key: *undefined",
            "<<: *a", "? [x]", "- - -", "'", '"\\x', "year: !!float 1e9999", ": :", "~",
            "shortcut: [1, 2]", "colour: !!binary x", "codes: &c [*c]"]


@st.composite
def mutated_codebook(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(CODEBOOKS)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "append", "indent"]))
        if action == "delete" and lines:
            del lines[at: at + draw(st.integers(1, 5))]
        elif action == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif action == "insert":
            lines.insert(at, draw(st.sampled_from(SNIPPETS)))
        elif action == "append" and lines:
            lines[at] += " " + draw(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8)))
        elif lines:
            lines[at] = "  " + lines[at]
    return "\n".join(lines)


def test_fuzz_codebooks(record_counts) -> None:  # type: ignore[no-untyped-def]
    stats: Counter[str] = Counter()
    failures: list[str] = []

    @settings(max_examples=fuzz_examples(60), **SETTINGS)
    @given(text=mutated_codebook())
    def one(text: str) -> None:
        def parse() -> None:
            try:
                parse_codebook(text, "mutant.yaml")
            except QualcodeError as exc:
                if not exc.message.startswith("mutant.yaml:"):
                    failures.append(f"no file:line in {exc.message!r}")
                raise
        _guarded(stats, failures, "mutant", parse, (QualcodeError,))

    one()
    record_counts("fuzz codebooks", inputs_tried=stats["tried"], refused=stats["refused"],
                  tracebacks=stats["tracebacks"], hangs=stats["hangs"])
    assert not failures, failures[:10]


def test_fuzzed_batches_lose_no_good_file(tmp_path: Path, record_counts) -> None:  # type: ignore[no-untyped-def]
    """Good and hostile files mixed in one batch: every good file is in the project, whole."""
    stats: Counter[str] = Counter()
    failures: list[str] = []
    good = "Informan: Pegawai nomor {n} melayani masyarakat dengan baik. Antrean pendek.\n"

    @settings(max_examples=max(4, fuzz_examples(4) // 20), **SETTINGS)
    @given(files=st.lists(import_file(), min_size=3, max_size=10), seed=st.integers(0, 10**6))
    def one(files: list[tuple[str, bytes]], seed: int) -> None:
        folder = tmp_path / f"batch{stats['batches']}"
        folder.mkdir()
        stats["batches"] += 1
        paths = []
        for n, (suffix, data) in enumerate(files):
            paths.append(folder / f"bad{n:02d}{suffix}")
            paths[-1].write_bytes(data)
            paths.append(folder / f"good{n:02d}.txt")
            paths[-1].write_text(good.format(n=n), encoding="utf-8")
        random.Random(seed).shuffle(paths)
        stats["tried"] += len(paths)

        def run() -> None:
            with Project.create(folder / "p.qualcode") as project:
                report = project.import_files(paths)
                stored = {s.name: s for s in project.sources()}
                assert len(report.outcomes) == len(paths)
                for path in paths:
                    if path.name.startswith("good"):
                        source = stored.get(path.name)
                        if source is None or source.text != path.read_text(encoding="utf-8"):
                            stats["lost"] += 1
                for outcome in report.errors:
                    assert outcome.path.name not in stored  # nothing half written
        _guarded(stats, failures, f"batch of {len(paths)}", run, ())

    one()
    record_counts("fuzz import batches", inputs_tried=stats["tried"], batches=stats["batches"],
                  tracebacks=stats["tracebacks"], hangs=stats["hangs"], data_lost=stats["lost"])
    assert not failures, failures[:10]
    assert stats["lost"] == 0
