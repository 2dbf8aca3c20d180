"""Store operations on sources: importing files, informants, segments, and re-import carry-over."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from qualcode.core import db
from qualcode.core.inert import one_line
from qualcode.core.ingest.prepare import Prepared, file_failure
from qualcode.core.models import Coding, Informant, Segment, Source, Turn
from qualcode.core.store import read as store_read
from qualcode.core.store.base import StoreBase
from qualcode.core.textmap import map_span
from qualcode.errors import ConflictError, NotFoundError, QualcodeError, database_damage


@dataclass
class ImportOutcome:
    """What happened to one file of an import."""

    path: Path
    status: str  # imported | unchanged | replaced | error
    message: str = ""
    source_id: int | None = None
    segments: int = 0
    carried: int = 0
    orphaned: int = 0


@dataclass
class ImportReport:
    """The outcome of a batch import."""

    outcomes: list[ImportOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many files ended with `status`."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def errors(self) -> list[ImportOutcome]:
        """The files that could not be imported."""
        return [o for o in self.outcomes if o.status == "error"]


ProgressFn = Callable[[int, int, Path], None]
TURN_COLUMNS = ("source_id", "index", "start", "end", "label_start", "speaker", "is_interviewer",
                "begin_ms", "end_ms")
SEGMENT_COLUMNS = ("source_id", "index", "start", "end", "turn_index", "speaker",
                   "is_interviewer")


class SourceOps(StoreBase):
    """Sources, turns, segments and informants."""

    def import_files(self, paths: Sequence[Path], *,
                     manifest: dict[str, dict[str, Any]] | None = None,
                     overrides: dict[str, Any] | None = None, replace: bool = False,
                     progress: ProgressFn | None = None) -> ImportReport:
        """Import files; each file is one transaction and a bad file never stops the batch.

        Metadata precedence: manifest entry < the file's own front matter < `overrides`.
        """
        from qualcode.core.ingest.prepare import prepare_all

        report = ImportReport()
        with self.session() as s:
            known = {row.name: row.content_hash for row in s.execute(
                select(Source).where(Source.active == True)).scalars()}  # noqa: E712
        for n, prepared in enumerate(prepare_all(paths, manifest, overrides, known, replace),
                                     start=1):
            if progress:
                progress(n, len(paths), prepared.path)
            if prepared.error is not None:
                report.outcomes.append(ImportOutcome(prepared.path, "error", prepared.error))
                continue
            try:
                report.outcomes.append(self._store_prepared(prepared, replace=replace))
            except QualcodeError as exc:
                report.outcomes.append(ImportOutcome(prepared.path, "error",
                                                     one_line(exc.message)))
            except Exception as exc:
                if database_damage(exc) is not None:  # the project, not the file: stop
                    raise
                # a value the database cannot hold; the file's transaction was rolled back
                report.outcomes.append(ImportOutcome(prepared.path, "error",
                                                     file_failure(prepared.path, exc)))
        return report

    def _store_prepared(self, prepared: Prepared, *, replace: bool) -> ImportOutcome:
        path, meta, parsed = prepared.path, prepared.meta, prepared.parsed
        name = path.name
        with self.session() as s:
            current = self._active_source(s, name)
        if current is not None and current.content_hash == prepared.text_hash:
            return ImportOutcome(path, "unchanged", "already imported", current.id)
        if prepared.unchanged or (current is not None and not replace):
            raise ConflictError(
                f"{path}: changed since it was imported as {name!r}; not imported",
                hint="pass --replace to import the new version (codings are carried over)")
        spans = prepared.spans or []
        with self.transaction() as (s, _):
            informant_id = self._informant_id(s, meta)
            version = 1
            if current is not None:
                version = current.version + 1
                old = s.get(Source, current.id)
                assert old is not None
                old.active = False
                s.add(old)
            source = Source(name=name, version=version, kind=meta["kind"],
                            informant_id=informant_id, date=_str(meta.get("date")),
                            language=meta["language"], fmt=parsed.fmt, encoding=parsed.encoding,
                            content_hash=prepared.text_hash, text=parsed.text,
                            meta={k: _str(v) for k, v in meta.items()})
            s.add(source)
            s.flush()
            sid = source.id
            conn = s.connection()
            db.bulk_insert(conn, Turn.__table__, TURN_COLUMNS, [
                (sid, i, t.start, t.end, t.label_start, t.speaker, t.is_interviewer,
                 t.begin_ms, t.end_ms) for i, t in enumerate(parsed.turns)])
            interviewer = {i for i, t in enumerate(parsed.turns) if t.is_interviewer}
            rows = [(sid, i, sp.start, sp.end, sp.turn_index, sp.speaker,
                     sp.turn_index in interviewer) for i, sp in enumerate(spans)]
            db.bulk_insert(conn, Segment.__table__, SEGMENT_COLUMNS, rows)
            outcome = ImportOutcome(path, "imported", "", sid, len(rows))
            if current is not None:
                outcome.status = "replaced"
                outcome.carried, outcome.orphaned = self._carry_codings(s, current, source)
                outcome.message = (f"version {version}; {outcome.carried} codings carried over"
                                   + (f", {outcome.orphaned} kept on version {current.version} "
                                      "(their text changed)" if outcome.orphaned else ""))
            return outcome

    def _carry_codings(self, s: Session, old: Source, new: Source) -> tuple[int, int]:
        carried = orphaned = 0
        for coding in s.execute(select(Coding).where(Coding.source_id == old.id)).scalars():
            span = map_span(old.text, new.text, coding.start, coding.end)
            if span is None:
                orphaned += 1
                continue
            s.add(Coding(source_id=new.id, start=span[0], end=span[1], code_id=coding.code_id,  # type: ignore[arg-type]
                         coder=coding.coder, valence=coding.valence, note=coding.note,
                         created_at=coding.created_at))
            carried += 1
        return carried, orphaned

    @staticmethod
    def _active_source(s: Session, name: str) -> Source | None:
        stmt = select(Source).where(Source.name == name, Source.active == True)  # noqa: E712
        return s.execute(stmt).scalars().first()

    def _informant_id(self, s: Session, meta: dict[str, Any]) -> int | None:
        name = _str(meta.get("informant"))
        if not name:
            return None
        row = s.execute(select(Informant).where(Informant.pseudonym == name)).scalars().first()
        if row is None:
            row = Informant(pseudonym=name)
        row.role = _str(meta.get("role")) or row.role
        row.unit = _str(meta.get("unit")) or row.unit
        s.add(row)
        s.flush()
        return row.id

    # ---- queries ---------------------------------------------------------------------------
    def sources(self, *, include_archived: bool = False) -> list[Source]:
        """Sources in import order (active versions unless asked)."""
        with self.session() as s:
            stmt = select(Source).order_by(Source.name, Source.version)
            if not include_archived:
                stmt = stmt.where(Source.active == True)  # noqa: E712
            return list(s.execute(stmt).scalars())

    def get_source(self, ref: str | int) -> Source:
        """A source by id, or by (unique prefix of) name."""
        source_id = store_read.find_source_id(self.reader, ref)
        with self.session() as s:
            row = s.get(Source, source_id)
            assert row is not None
            return row

    def informants(self) -> list[Informant]:
        """Informants by pseudonym."""
        with self.session() as s:
            return list(s.execute(select(Informant).order_by(Informant.pseudonym)).scalars())

    def segments(self, source_id: int, start: int = 0, limit: int | None = None) -> list[Segment]:
        """A source's segments in order (a window of them with start/limit)."""
        with self.session() as s:
            stmt = select(Segment).where(Segment.source_id == source_id,
                                         Segment.index >= start).order_by(Segment.index)
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(s.execute(stmt).scalars())

    def get_segment(self, segment_id: int) -> Segment:
        """A segment by id."""
        with self.session() as s:
            row = s.get(Segment, segment_id)
            if row is None:
                raise NotFoundError(f"no segment {segment_id}",
                                    hint="see `qualcode segments SOURCE`")
            return row

    def turns(self, source_id: int) -> list[Turn]:
        """A source's speaker turns in order."""
        with self.session() as s:
            stmt = select(Turn).where(Turn.source_id == source_id).order_by(Turn.index)
            return list(s.execute(stmt).scalars())

    def counts(self) -> dict[str, int]:
        """Row counts for the project summary."""
        from qualcode.core.models import Code, Codebook

        with self.session() as s:
            def n(model: Any, *where: Any) -> int:
                stmt = select(func.count()).select_from(model).where(*where)
                return int(s.execute(stmt).scalar_one())
            active = Source.active == True  # noqa: E712
            return {"sources": n(Source, active), "informants": n(Informant),
                    "segments": n(Segment, Segment.source_id.in_(select(Source.id).where(active))),  # type: ignore[union-attr]
                    "codebooks": n(Codebook), "codes": n(Code), "codings": n(Coding)}


def _str(value: Any) -> str:
    return "" if value is None else str(value)
