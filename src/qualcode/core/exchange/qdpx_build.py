"""Importing a .qdpx into a NEW qualcode project, all or nothing.

Everything is read and checked first (qdpx_read.py: safety, variants); positions are mapped to
the stored LF text (positions.py) and a selection outside its text refuses the whole file. Only
then is the project built, in a temporary file beside the target that is renamed into place
at the very end: a failed import leaves nothing behind.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.core.exchange.model import XNote, XProject, XSource, split_trailer
from qualcode.core.exchange.positions import choose_reading
from qualcode.core.exchange.qdc_read import CodebookRead, codebooks_from_codes, slug
from qualcode.core.exchange.safety import ExchangeError, SafeArchive
from qualcode.i18n import N_, _

FIELDS = ("role", "unit")


@dataclass
class ProjectImport:
    """The outcome of an import: counts, warnings, and what qualcode could not hold."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)


@dataclass
class PlannedSource:
    """A source ready to store: LF text and its codings in stored positions."""

    x: XSource
    name: str
    text: str
    codings: list[tuple[int, int, str, str, str, str, Any, str, str]] = field(
        default_factory=list)
    # (start, end, code key, coder, valence, note, created, selection guid, coding guid)
    informant: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def when(value: str | None) -> datetime:
    """A creationDateTime as an aware datetime (now when absent or unreadable)."""
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


class Planner:
    """Resolves GUIDs, positions and notes of an XProject before anything is written."""

    def __init__(self, x: XProject) -> None:
        self.x = x
        self.codebooks: CodebookRead = codebooks_from_codes(
            x.codes, x.sets, slug(x.name) if x.name.strip() else "imported")
        x.warnings.extend(self.codebooks.warnings)
        self.note_refs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.sources: list[PlannedSource] = []
        self.case_of: dict[str, str] = {}     # source guid -> case name
        self.case_names: dict[str, str] = {}  # case guid -> informant pseudonym

    def coder(self, user: str | None) -> str:
        if not user:
            return "imported"
        name = self.x.users.get(user)
        if name is None:
            self.x.warnings.append(_("a coding names user {guid}, who is not in the user "
                                     "list; kept as that GUID").format(guid=user))
            self.x.users[user] = user
            return user
        return name

    def plan(self) -> None:
        taken: set[str] = set()
        for case in self.x.cases:
            name = case.name.strip() or _("case {n}").format(n=len(taken) + 1)
            base, n = name, 1
            while name.lower() in taken:
                n += 1
                name = f"{base} ({n})"
            taken.add(name.lower())
            self.case_names[case.guid] = name
            for sid in case.sources:
                if sid in self.case_of and self.case_of[sid] != name:
                    self.x.warnings.append(_("source {sid} belongs to several cases; kept "
                                             "with {name}").format(sid=sid, name=self.case_of[sid]))
                    continue
                self.case_of[sid] = name
        for key, refs in (("project", self.x.project_notes),):
            for ref in refs:
                self.note_refs[ref].append((key, ""))
        self._code_refs(self.x.codes)
        names: set[str] = set()
        for src in self.x.sources:
            self.sources.append(self._source(src, names))

    def _code_refs(self, codes: list[Any]) -> None:
        for code in codes:
            for ref in code.notes:
                self.note_refs[ref].append(("code", self.codebooks.keys[code.guid]))
            self._code_refs(code.children)

    def _source(self, src: XSource, names: set[str]) -> PlannedSource:
        raw = src.raw or ""
        spans = [(s.start, s.end) for s in src.selections]
        origin = self.x.origin.lower()
        prefer = "crlf1" if "atlas" in origin else "utf8" if "taguette" in origin else None
        reading, text = choose_reading(raw, spans, bom=src.bom, prefer=prefer,
                                       exact=self.x.from_qualcode)
        if reading is None:
            worst = max(spans, key=lambda sp: sp[1])
            raise ExchangeError(N_("{where}: refused: a selection at {start}-{end} lies outside "
                                   "the text of {name!r} ({n} characters)"),
                                hint=N_("nothing was imported; the file is damaged"),
                                where=self.x.name or "project", start=worst[0], end=worst[1],
                                name=src.name, n=len(raw))
        if reading.warning and spans:
            self.x.warnings.append(f"{src.name}: {reading.warning}")
        name, n = src.name, 1
        while name.lower() in names:
            n += 1
            name = f"{src.name} ({n})"
        names.add(name.lower())
        planned = PlannedSource(src, name, text, informant=self.case_of.get(src.guid))
        for ref in src.notes:
            self.note_refs[ref].append(("source", src.guid))
        for var_guid, value in src.values.items():
            var = self.x.variables.get(var_guid)
            data = split_trailer(var.description)[1] if var else None
            if data and data.get("source") in ("kind", "date", "language"):
                planned.fields[data["source"]] = str(value)
            else:
                planned.meta[var.name if var else var_guid] = value
        whole = [(0, len(text), c) for c in src.codings]
        for sel in src.selections:
            start, end = reading.mapper(sel.start), reading.mapper(sel.end)
            assert start is not None and end is not None
            valence = (split_trailer(sel.description)[1] or {}).get("valence", "0")
            for coding in sel.codings:
                self._coding(planned, start, end, coding, sel, valence)
        for start, end, coding in whole:
            self._coding(planned, start, end, coding, None, "0")
        return planned

    def _coding(self, planned: PlannedSource, start: int, end: int, coding: Any, sel: Any,
                valence: str) -> None:
        key = self.codebooks.keys.get(coding.code)
        if key is None:
            self.x.not_imported.append(_("a coding in {name!r} refers to code {guid}, which "
                                         "is not in the codebook").format(
                                             name=planned.name, guid=coding.code))
            return
        if start >= end:
            self.x.not_imported.append(_("an empty selection ({start}-{end}) in {name!r}")
                                       .format(start=start, end=end, name=planned.name))
            return
        notes, note_texts = list(coding.notes) + (sel.notes if sel else []), []
        for ref in notes:
            note = self.x.notes.get(ref)
            data = split_trailer(note.description)[1] if note else None
            if note and (data or {}).get("kind", "coding-note") == "coding-note":
                note_texts.append(note.text)
                self.note_refs[ref].append(("used", ""))
            else:
                self.note_refs[ref].append(("coding", coding.guid))
        planned.codings.append((start, end, key, self.coder(coding.user or (sel.user if sel
                                                                               else None)),
                                valence if valence in ("+", "-", "0") else "0",
                                "\n\n".join(note_texts), when(coding.created or (
                                    sel.created if sel else None)), sel.guid if sel else "",
                                coding.guid))

    def note_kind(self, note: XNote) -> dict[str, Any]:
        return split_trailer(note.description)[1] or {}


def _check_target(target: Path) -> None:
    if target.exists():
        raise ExchangeError(N_("{path}: already exists"),
                            hint=N_("import into a new project file"),
                            path=target)
    if not target.parent.is_dir():
        raise ExchangeError(N_("{path}: folder {folder} does not exist"), path=target,
                            folder=target.parent)


def import_qdpx(qdpx: Path, target: Path, *, progress: Any = None) -> ProjectImport:
    """Import `qdpx` into the new project `target`; nothing is written unless all succeeds."""
    from qualcode.core.exchange.qdpx_read import read_project
    from qualcode.core.exchange.qdpx_store import store_project

    qdpx, target = Path(qdpx), Path(target)
    _check_target(target)
    with SafeArchive(qdpx) as archive:
        x = read_project(archive)
    planner = Planner(x)
    planner.plan()
    tmp = target.with_name(f".{target.name}.importing-{os.getpid()}")
    try:
        counts = store_project(planner, tmp, progress)
        try:
            os.link(tmp, target)        # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise ExchangeError(N_("{path}: already exists"),
                                hint=N_("import into a new project file"),
                                path=target) from None
        except OSError:
            os.replace(tmp, target)     # file systems without hard links
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return ProjectImport(target, counts, x.warnings, x.not_imported)
