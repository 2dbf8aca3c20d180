"""Store operations on sources: importing files, informants, segments, and re-import carry-over."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from qualcode.core import db
from qualcode.core.inert import one_line
from qualcode.core.ingest.prepare import Prepared, file_failure
from qualcode.core.ingest.segment import PackedSpans
from qualcode.core.metadata import SpeakerTarget, check_role
from qualcode.core.models import Attribution, Coding, Informant, Segment, Source, Turn, utcnow
from qualcode.core.store import read as store_read
from qualcode.core.store.base import StoreBase
from qualcode.core.textmap import map_span
from qualcode.errors import ConflictError, NotFoundError, QualcodeError, database_damage
from qualcode.i18n import N_, Message

ROLES_KEY = "roles"


def default_roles() -> list[str]:
    """The role list a project starts with (the role-ordered matrix's order)."""
    from qualcode.core.analysis.labels import ROLE_ORDER

    return list(ROLE_ORDER)


@dataclass
class ImportOutcome:
    """What happened to one file of an import."""

    path: Path
    status: str  # imported | unchanged | replaced | error
    message: str = ""  # in English; `text()` gives it in the interface language
    source_id: int | None = None
    segments: int = 0
    carried: int = 0
    orphaned: int = 0
    speakers: list[tuple[str, int, bool]] = field(default_factory=list)  # label, turns, interviewer
    detail: Message | None = None

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the current language), on one line."""
        return one_line(self.detail.text(lang)) if self.detail else self.message

    def say(self, detail: Message) -> None:
        """Set the message to `detail` (kept in English in `message`)."""
        self.message, self.detail = one_line(detail.text("en")), detail

    @classmethod
    def of(cls, path: Path, status: str, detail: Message, source_id: int | None = None,
           ) -> ImportOutcome:
        """An outcome whose message is `detail` (kept in English in `message`)."""
        outcome = cls(path, status, "", source_id)
        outcome.say(detail)
        return outcome


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
                "begin_ms", "end_ms", "informant_id")
SEGMENT_COLUMNS = ("source_id", "index", "start", "end", "turn_index", "speaker",
                   "is_interviewer", "block")


class SourceOps(StoreBase):
    """Sources, turns, segments and informants."""

    def roles(self) -> list[str]:
        """The project's role list (the default list until a role is added)."""
        import json

        raw = self.get_meta(ROLES_KEY)
        return [str(r) for r in json.loads(raw)] if raw else default_roles()

    def check_role(self, role: str | None, roles: list[str] | None = None) -> str:
        """`role` as the project knows it; an unknown role is refused with the nearest one.
        `roles`: the project's role list when the caller has read it already."""
        if not (role or "").strip():
            return ""  # no role: no need to read the list
        return check_role(role, self.roles() if roles is None else roles)

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
        roles = self.roles()  # read once: an import adds no roles
        for n, prepared in enumerate(prepare_all(paths, manifest, overrides, known, replace),
                                     start=1):
            if progress:
                progress(n, len(paths), prepared.path)
            if prepared.error is not None:
                report.outcomes.append(ImportOutcome.of(prepared.path, "error", prepared.error))
                continue
            try:
                report.outcomes.append(self._store_prepared(prepared, replace=replace,
                                                            roles=roles))
            except QualcodeError as exc:
                report.outcomes.append(ImportOutcome.of(prepared.path, "error", exc.msg))
            except Exception as exc:
                if database_damage(exc) is not None:  # the project, not the file: stop
                    raise
                # a value the database cannot hold; the file's transaction was rolled back
                report.outcomes.append(ImportOutcome.of(prepared.path, "error",
                                                        file_failure(prepared.path, exc)))
        return report

    def _store_prepared(self, prepared: Prepared, *, replace: bool,
                        roles: list[str]) -> ImportOutcome:
        path, meta, parsed = prepared.path, prepared.meta, prepared.parsed
        name = path.name
        with self.session() as s:
            current = self._active_source(s, name)
        if current is not None and current.content_hash == prepared.text_hash:
            return ImportOutcome.of(path, "unchanged",
                                    self._metadata_news(current, meta, prepared.given), current.id)
        if prepared.unchanged or (current is not None and not replace):
            raise ConflictError(N_("{path}: changed since it was imported as {name!r}; not "
                                   "imported"),
                                hint=N_("pass --replace to import the new version (codings are "
                                        "carried over)"), path=path, name=name)
        spans: PackedSpans = prepared.spans
        speakers: dict[str, SpeakerTarget] = meta.pop("speakers", None) or {}
        labels = {t.speaker for t in parsed.turns if t.speaker}
        missing = [label for label in speakers if label not in labels]
        with self.transaction() as (s, _rec):
            informant_id = self._informant_id(s, meta, roles)
            turn_people = self._speaker_ids(s, speakers, roles)
            kept: dict[str, tuple[int | None, bool]] = {}
            if current is not None:  # a new version keeps the speakers the researcher mapped
                kept = self._speaker_choices(s, current.id)  # type: ignore[arg-type]
                turn_people = {**{k: v[0] for k, v in kept.items() if v[0] is not None},
                               **turn_people}
            version = 1
            if current is not None:
                version = current.version + 1
                old = s.get(Source, current.id)
                assert old is not None
                old.active = False
                s.add(old)
            conn = s.connection()
            # Core statements, not ORM objects: an import stores hundreds of files
            sid = conn.execute(insert(Source.__table__).values(
                name=name, version=version, active=True, kind=meta["kind"],
                informant_id=informant_id, date=meta.get("date") or None,
                language=meta["language"], fmt=parsed.fmt, encoding=parsed.encoding,
                content_hash=prepared.text_hash, text=parsed.text,
                meta={**{k: _str(v) for k, v in meta.items()},
                      "page_starts": list(getattr(parsed, "page_starts", []))},
                imported_at=utcnow())).inserted_primary_key[0]
            flags = [speakers[t.speaker].interviewer if t.speaker in speakers
                     else kept[t.speaker][1] if t.speaker in kept else t.is_interviewer
                     for t in parsed.turns]
            db.bulk_insert(conn, Turn.__table__, TURN_COLUMNS, [
                (sid, i, t.start, t.end, t.label_start, t.speaker, flags[i],
                 t.begin_ms, t.end_ms, turn_people.get(t.speaker or ""))
                for i, t in enumerate(parsed.turns)])
            rows = spans.rows(sid, [t.speaker for t in parsed.turns], flags)
            db.bulk_insert(conn, Segment.__table__, SEGMENT_COLUMNS, rows)
            outcome = ImportOutcome(path, "imported", "", sid, len(spans),
                                    speakers=parsed.speakers())
            if missing:
                outcome.say(Message(N_("the speaker map names {labels}, not found in the file"),
                                    {"labels": ", ".join(repr(m) for m in missing)}))
            if current is not None:
                outcome.status = "replaced"
                source = s.get(Source, sid)
                assert source is not None
                outcome.carried, outcome.orphaned = self._carry_codings(s, current, source)
                self._carry_attributions(s, current, source)
                outcome.say(Message(
                    N_("version {version}; {carried} codings carried over, {orphaned} kept on "
                       "version {previous} (their text changed)") if outcome.orphaned else
                    N_("version {version}; {carried} codings carried over"),
                    {"version": version, "carried": outcome.carried,
                     "orphaned": outcome.orphaned, "previous": current.version}))
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
    def _speaker_choices(s: Session, source_id: int) -> dict[str, tuple[int | None, bool]]:
        """Speaker label -> (informant id, interviewer?) as the old version's turns hold it."""
        rows = s.execute(select(Turn.speaker, Turn.informant_id, Turn.is_interviewer).where(
            Turn.source_id == source_id, Turn.speaker.is_not(None))).all()  # type: ignore[union-attr]
        return {str(label): (informant, bool(interviewer))
                for label, informant, interviewer in rows}

    @staticmethod
    def _carry_attributions(s: Session, old: Source, new: Source) -> None:
        for row in s.execute(select(Attribution).where(
                Attribution.source_id == old.id)).scalars():
            span = map_span(old.text, new.text, row.start, row.end)
            if span is not None:
                s.add(Attribution(source_id=new.id, start=span[0], end=span[1],  # type: ignore[arg-type]
                                  informant_id=row.informant_id, author=row.author,
                                  created_at=row.created_at))

    @staticmethod
    def _active_source(s: Session, name: str) -> Source | None:
        """The active version of source `name` (its text is read only when there is one)."""
        found = s.execute(select(Source.id).where(Source.name == name,
                                                  Source.active == True)).first()  # noqa: E712
        return None if found is None else s.get(Source, found[0])

    def _informant_id(self, s: Session, meta: dict[str, Any], roles: list[str]) -> int | None:
        name = _str(meta.get("informant"))
        if not name:
            return None
        role = self.check_role(_str(meta.get("role")), roles)
        return self._informant_row(s, name, role, _str(meta.get("unit")), overwrite=True)

    def _informant_row(self, s: Session, name: str, role: str, unit: str, *,
                       overwrite: bool) -> int:
        """The id of informant `name`, created when new; role / unit set (or only filled in
        where empty, without `overwrite`). Core statements: called once per imported file."""
        table = Informant.__table__
        row = s.execute(select(Informant.id, Informant.role, Informant.unit).where(
            Informant.pseudonym == name)).first()
        if row is None:
            return int(s.execute(insert(table).values(
                pseudonym=name, role=role or "", unit=unit or "", attributes={})
            ).inserted_primary_key[0])
        now_role = (role or row.role) if overwrite else (row.role or role)
        now_unit = (unit or row.unit) if overwrite else (row.unit or unit)
        if (now_role, now_unit) != (row.role, row.unit):
            s.execute(update(table).where(table.c.id == row.id).values(role=now_role,
                                                                        unit=now_unit))
        return int(row.id)

    def _speaker_ids(self, s: Session, speakers: dict[str, SpeakerTarget],
                     roles: list[str]) -> dict[str, int]:
        """Speaker label -> informant id for a `speakers:` map (informants created)."""
        return {label: self._informant_row(s, target.pseudonym,
                                           self.check_role(target.role, roles),
                                           target.unit or "", overwrite=False)
                for label, target in speakers.items()
                if target.pseudonym and not target.interviewer}

    def _metadata_news(self, current: Source, meta: dict[str, Any],
                       given_keys: frozenset[str]) -> Message:
        """'already imported', plus what the new metadata would change and how to change it
        (re-importing never rewrites the metadata of a source that may already be coded)."""
        with self.session() as s:
            inf = s.get(Informant, current.informant_id) if current.informant_id else None
        now = {"kind": current.kind, "date": current.date or "", "language": current.language,
               "informant": inf.pseudonym if inf else "", "role": inf.role if inf else "",
               "unit": inf.unit if inf else ""}
        given = {k: _str(meta.get(k)) for k in now if k in given_keys and _str(meta.get(k))}
        diff = [f"{k} {now[k] or '-'} -> {v}" for k, v in given.items() if v != now[k]]
        changes: str | Message = "; ".join(diff)
        if meta.get("speakers"):
            changes = (Message(N_("{changes}; speakers map"), {"changes": changes}) if diff
                       else Message(N_("speakers map")))
        elif not diff:
            return Message(N_("already imported"))
        return Message(N_("already imported with the same text; metadata not changed ({diff}): "
                          "use `qualcode source edit {name}`, `qualcode informant edit` or "
                          "`qualcode speakers {name} --map ...`"),
                       {"diff": changes, "name": current.name})

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
                raise NotFoundError(N_("no segment {segment_id}"),
                                    hint=N_("see `qualcode segments SOURCE`"),
                                    segment_id=segment_id)
            return row

    def turns(self, source_id: int) -> list[Turn]:
        """A source's speaker turns in order."""
        with self.session() as s:
            stmt = select(Turn).where(Turn.source_id == source_id).order_by(Turn.index)
            return list(s.execute(stmt).scalars())

    def counts(self) -> dict[str, int]:
        """Row counts for the project summary."""
        from qualcode.core.coders import SUGGESTER
        from qualcode.core.models import Code, Codebook

        with self.session() as s:
            def n(model: Any, *where: Any) -> int:
                stmt = select(func.count()).select_from(model).where(*where)
                return int(s.execute(stmt).scalar_one())
            active = Source.active == True  # noqa: E712
            return {"sources": n(Source, active), "informants": n(Informant),
                    "segments": n(Segment, Segment.source_id.in_(select(Source.id).where(active))),  # type: ignore[union-attr]
                    "codebooks": n(Codebook), "codes": n(Code),
                    "codings": n(Coding, Coding.coder != SUGGESTER)}  # not the proposals


def _str(value: Any) -> str:
    return "" if value is None else str(value)
