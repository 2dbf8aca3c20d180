"""The CPU-heavy half of an import: decode, parse, check, spaCy segmentation.

Preparing a file needs no database: it returns the parsed text, its metadata and its segment
spans, and the store writes them in one transaction per file. Big batches (4 MB or more) are
prepared by a pool of worker processes, so the database writes of one file overlap the
segmentation of the next. On a quiet 2-core machine that took 1M words from 4.2 s to 2.5-3.0 s.
The workers run at a lower priority (`lower_priority`): the process storing their results gets
the processor when it has work, instead of storing a backlog alone after they are done.

The workers come from a fork server (`multiprocessing`'s "forkserver" context): a fresh
process that imports spaCy and builds the segmenters once (`ingest.warm`), then forks each
worker from itself. Forking that single-threaded server is safe whatever threads the caller
runs (the command line's progress bar, the terminal UI's workers), so both use the workers; the
caller itself never loads spaCy for a parallel import.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from qualcode.core.inert import one_line
from qualcode.core.metadata import SOURCE_KINDS, check_date, speaker_map
from qualcode.errors import ConflictError, IngestError, QualcodeError
from qualcode.i18n import N_, Message

PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # below this, starting workers costs more than it saves
META_KEYS = ("informant", "role", "unit", "kind", "date", "language", "title", "speakers")


@dataclass(frozen=True)
class OneLine(Message):
    """A message shown on one line: line breaks inside its fields (e.g. in a file name) are
    escaped when it is rendered."""

    def text(self, lang: str | None = None) -> str:
        return one_line(super().text(lang))


def _one_line(message: Message) -> Message:
    return OneLine(message.msgid, message.params)


@dataclass
class Prepared:
    """One file ready to store, or why it cannot be (`error`), or that it is unchanged."""

    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    text_hash: str = ""
    parsed: Any = None  # ParsedSource, None when unchanged or failed
    spans: Any = None  # segment.PackedSpans
    error: Message | None = None
    unchanged: bool = False
    given: frozenset[str] = frozenset()  # metadata keys the user gave (not defaults)


def merge_meta(path: Path, own: dict[str, Any], manifest: dict[str, dict[str, Any]] | None,
               overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Metadata precedence: manifest entry < the file's own front matter < `overrides`."""
    meta: dict[str, Any] = {}
    if manifest and path.name in manifest:
        meta.update({k: v for k, v in manifest[path.name].items() if v is not None})
    meta.update({k: v for k, v in own.items() if v is not None and k in META_KEYS})
    if overrides:
        meta.update({k: v for k, v in overrides.items() if v not in (None, "")})
    return meta


def prepare(path: Path, manifest: dict[str, dict[str, Any]] | None,
            overrides: dict[str, Any] | None, known: dict[str, str],
            replace: bool) -> Prepared:
    """Read, check and segment one file; user errors come back in `error`, never raised."""
    from qualcode.core import ingest, nlp

    try:
        check_name(path)
        early = merge_meta(path, {}, manifest, overrides)
        parsed = ingest.read_source(path, kind=early.get("kind"))
        meta = merge_meta(path, parsed.metadata, manifest, overrides)
        given = frozenset(k for k, v in meta.items() if v not in (None, "", {}))
        parsed = ingest.assign_turns(parsed, meta)
        meta["language"] = nlp.normalise_language(
            str(meta.get("language") or nlp.detect_language(parsed.text[:20000])))
        kind = meta.get("kind") or "interview"
        if kind not in SOURCE_KINDS:
            raise IngestError(N_("{path}: kind {kind!r} is not one of {kinds}"), path=path,
                              kind=kind, kinds=', '.join(SOURCE_KINDS))
        meta["kind"] = kind
        meta["date"] = _checked(path, check_date, meta.get("date"))
        meta["speakers"] = _checked(path, speaker_map, meta.get("speakers"), str(path))
        text_hash = ingest.content_hash(parsed.text)
        previous = known.get(path.name)
        if previous == text_hash:
            return Prepared(path, meta, text_hash, unchanged=True, given=given)
        if previous is not None and not replace:
            raise ConflictError(N_("{path}: changed since it was imported as {name!r}; not "
                                   "imported"),
                                hint=N_("pass --replace to import the new version (codings are "
                                        "carried over)"), path=path, name=path.name)
        spans = ingest.segment_source(parsed, meta["language"])
        if not spans:
            raise IngestError(N_("{path}: no codable text (only speaker labels, headings or "
                                 "markup)"), path=path,
                              hint=N_("check that the transcript's words were saved in it"))
        return Prepared(path, meta, text_hash, parsed, ingest.PackedSpans.of(spans), given=given)
    except QualcodeError as exc:
        return Prepared(path, error=_one_line(exc.msg))
    except OSError as exc:
        return Prepared(path, error=_one_line(Message(
            N_("{path}: {reason}"), {"path": path, "reason": str(exc.strerror or exc)})))
    except Exception as exc:  # whatever a file holds, it stops only itself (file-level error)
        return Prepared(path, error=_one_line(file_failure(path, exc)))


def check_name(path: Path) -> None:
    """Refuse a file name that cannot be stored (bytes that are not UTF-8) or shown."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise IngestError(N_("{path}: the file name is not valid UTF-8 text"),
                          hint=N_("rename the file (e.g. in your file manager) and import it "
                                  "again"), path=path) from None


def file_failure(path: Path, exc: BaseException) -> Message:
    """The one line for a file that failed in a way no check foresaw."""
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return Message(N_("{path}: cannot be imported ({kind}{detail})"),
                   {"path": path, "kind": type(exc).__name__,
                    "detail": f": {detail}" if detail else ""})


def _checked(path: Path, check: Any, *args: Any) -> Any:
    """`check(*args)`, its error message prefixed with the file's path."""
    try:
        return check(*args)
    except QualcodeError as exc:
        raise QualcodeError(N_("{path}: {problem}"), hint=exc.hint_msg, path=path,
                            problem=exc.msg) from None


def _parallel_ok(paths: Sequence[Path]) -> bool:
    if (os.cpu_count() or 1) < 2 or len(paths) < 4:
        return False
    try:
        total = sum(p.stat().st_size for p in paths)
    except OSError:
        return False
    return total >= PARALLEL_MIN_BYTES


def worker_context() -> Any:
    """The multiprocessing context of the import workers: a fork server that has built the
    segmenters before it forks (safe to use from any thread)."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["qualcode.core.ingest.warm"])
    _start_helpers()
    return context


def _start_helpers() -> None:
    """Start multiprocessing's resource tracker and the fork server with a real stderr.

    Both hand `sys.stderr.fileno()` to the process they start; the terminal UI replaces
    sys.stderr with an object whose fileno() is -1, which would fail with "bad value(s) in
    fds_to_keep". The interpreter's own stderr stands in while they start.
    """
    from multiprocessing import forkserver, resource_tracker

    current = sys.stderr
    try:
        usable = current is not None and current.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if not usable:
        sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        sys.stderr = current


IMPORT_FLAGS = frozenset({"--replace", "--no-replace", "--help"})  # options without a value


def start_early(args: Sequence[str]) -> None:
    """`qualcode import ARGS`: start the workers' fork server before the command line is read
    (importing Typer and the store takes a few tenths of a second), when the files and folders
    named look big enough for workers, so spaCy loads meanwhile. Only a head start: the
    command decides again once its arguments are parsed, and stops the server when it is done;
    a server started for nothing (a mistyped option) ends with this process."""
    from qualcode.core.ingest.manifest import collect_files

    items: list[Path] = []
    value_next = False
    for n, token in enumerate(args):
        if token == "--":  # only paths follow
            items.extend(Path(t) for t in args[n + 1:])
            break
        if value_next:
            value_next = False
        elif token.startswith("-"):
            value_next = "=" not in token and token not in IMPORT_FLAGS
        else:
            items.append(Path(token))
    try:
        paths = collect_files(p for p in items if p.exists())
        if _parallel_ok(paths):
            worker_context()
    except (OSError, ValueError):
        return  # the command reports what is wrong with its arguments


@contextmanager
def workers_started(paths: Sequence[Path]) -> Iterator[None]:
    """Start the workers' fork server now when `paths` will be prepared in parallel, so it
    imports spaCy and builds the segmenters while the caller imports the rest and opens the
    project; it is stopped on the way out whatever happens."""
    if not _parallel_ok(paths):
        yield
        return
    worker_context()
    try:
        yield
    except BaseException:  # e.g. the project cannot be opened: don't wait for spaCy to load
        _stop_fork_server(at_once=True)
        raise
    _stop_fork_server()


def prepare_all(paths: Sequence[Path], manifest: dict[str, dict[str, Any]] | None,
                overrides: dict[str, Any] | None, known: dict[str, str],
                replace: bool) -> Iterator[Prepared]:
    """Prepared files in input order; big batches are prepared by worker processes."""
    work = partial(prepare, manifest=manifest, overrides=overrides, known=known,
                   replace=replace)
    if not _parallel_ok(paths):
        for path in paths:
            yield work(path)
        return
    workers = min(os.cpu_count() or 2, 4)
    try:
        with worker_context().Pool(workers, initializer=lower_priority) as pool:
            yield from pool.imap(work, paths, chunksize=1)
    finally:
        _stop_fork_server()


WORKER_NICENESS = 10


def lower_priority() -> None:
    """A worker's start: yield the processor to the process that stores and shows the results
    (the command line, or the terminal UI), so it keeps pace with the workers instead of
    storing a backlog alone once they are done; and the interface stays responsive."""
    with suppress(AttributeError, OSError):  # no os.nice (Windows), or not allowed
        os.nice(WORKER_NICENESS)


def _stop_fork_server(*, at_once: bool = False) -> None:
    """End the fork server once a batch is done (it holds spaCy's memory), and wait for it,
    so that its workers' CPU time and memory count as this process's children's. `at_once`:
    terminate it first rather than let it finish loading spaCy."""
    import signal
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    pid = getattr(server, "_forkserver_pid", None)
    if at_once and pid is not None:
        with suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    if stop is not None:
        stop()
