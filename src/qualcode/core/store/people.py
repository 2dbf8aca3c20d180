"""Store operations on who speaks: informants, the role list, source metadata, speaker maps
and attributions. Every change is one undoable action (core/store/history.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlmodel import Session

from qualcode.core.metadata import SpeakerTarget, check_attribute_key, check_date
from qualcode.core.models import (
    SOURCE_KINDS,
    Attribution,
    Informant,
    ProjectMeta,
    Segment,
    Source,
    Turn,
)
from qualcode.core.store.history import Recorder
from qualcode.core.store.sources import ROLES_KEY, SourceOps
from qualcode.errors import ConflictError, NotFoundError, QualcodeError
from qualcode.i18n import N_, Message


@dataclass(frozen=True)
class SpeakerInfo:
    """A speaker label of a source: how many turns it has and whom it stands for."""

    label: str
    turns: int
    interviewer: bool
    informant: str | None
    role: str | None


class PeopleOps(SourceOps):
    """Informants, roles, source metadata, speakers and attributions."""

    # ---- roles -----------------------------------------------------------------------------
    def add_role(self, role: str) -> list[str]:
        """Add a role to the project's list (undoable); adding a known role changes nothing."""
        role = role.strip()
        if not role or len(role) > 100:
            raise QualcodeError(N_("a role needs a name of 1-100 characters"))
        roles = self.roles()
        if role in roles:
            return roles
        with self.transaction("roles", Message(N_("add role {role}"), {"role": role})) as (s, rec):
            value = json.dumps([*roles, role], ensure_ascii=False)
            row = s.get(ProjectMeta, ROLES_KEY)
            if row is None:
                row = ProjectMeta(key=ROLES_KEY, value=value)
                s.add(row)
                s.flush()
                rec.created(row)
            else:
                rec.updating(row)
                row.value = value
                s.add(row)
        return [*roles, role]

    # ---- informants ------------------------------------------------------------------------
    def get_informant(self, ref: str | int) -> Informant:
        """An informant by pseudonym (exact, then case-insensitive) or id."""
        with self.session() as s:
            return self._find_informant(s, ref)

    @staticmethod
    def _find_informant(s: Session, ref: str | int) -> Informant:
        text = str(ref).strip()
        row = s.execute(select(Informant).where(Informant.pseudonym == text)).scalars().first()
        if row is None:
            row = s.execute(select(Informant).where(
                func.lower(Informant.pseudonym) == text.lower())).scalars().first()
        if row is None and text.isdigit():
            row = s.get(Informant, int(text))
        if row is None:
            raise NotFoundError(N_("no informant {name!r} in this project"),
                                hint=N_("see `qualcode informants`"),
                                name=text)
        return row

    def _informant_for(self, s: Session, rec: Recorder, name: str, role: str | None = None,
                       unit: str | None = None) -> Informant:
        """The informant called `name`, created (recorded) when new; role/unit fill gaps."""
        name = name.strip()
        if not name or len(name) > 200:
            raise QualcodeError(N_("an informant needs a pseudonym of 1-200 characters"))
        row = s.execute(select(Informant).where(Informant.pseudonym == name)).scalars().first()
        if row is None:
            row = Informant(pseudonym=name, role=self.check_role(role), unit=unit or "")
            s.add(row)
            s.flush()
            rec.created(row)
        elif (role and not row.role) or (unit and not row.unit):
            rec.updating(row)
            row.role = row.role or self.check_role(role)
            row.unit = row.unit or unit or ""
            s.add(row)
        return row

    def edit_informant(self, ref: str | int, *, pseudonym: str | None = None,
                       role: str | None = None, unit: str | None = None,
                       attributes: Mapping[str, str] | None = None,
                       remove: Iterable[str] = ()) -> Informant:
        """Change an informant's pseudonym, role, unit or attributes (an empty attribute
        value removes it); one undoable action."""
        with self.transaction("informant") as (s, rec):
            row = self._find_informant(s, ref)
            rec.updating(row)
            old = row.pseudonym
            if pseudonym is not None and pseudonym.strip() != row.pseudonym:
                new = pseudonym.strip()
                if not new or len(new) > 200:
                    raise QualcodeError(N_("an informant needs a pseudonym of 1-200 characters"))
                taken = s.execute(select(Informant.id).where(Informant.pseudonym == new)).first()
                if taken is not None:
                    raise ConflictError(N_("an informant {name!r} exists already"),
                                        hint=N_("choose another pseudonym"),
                                        name=new)
                row.pseudonym = new
            if role is not None:
                row.role = self.check_role(role)
            if unit is not None:
                row.unit = unit.strip()
            attrs = dict(row.attributes or {})
            for key, value in (attributes or {}).items():
                key = check_attribute_key(key)
                if str(value).strip():
                    attrs[key] = str(value).strip()
                else:
                    attrs.pop(key, None)
            for key in remove:
                attrs.pop(key.strip(), None)
            row.attributes = attrs
            s.add(row)
            rec.description = Message(N_("edit informant {name}"), {"name": old})
            return row

    def informant_sources(self) -> dict[int, int]:
        """Informant id -> how many active sources credit them (as the source's informant,
        through a speaker turn or an attribution)."""
        active = select(Source.id).where(Source.active == True)  # noqa: E712
        pairs = (select(Source.informant_id, Source.id).where(Source.active == True)  # noqa: E712
                 .union(select(Turn.informant_id, Turn.source_id).where(
                     Turn.source_id.in_(active), Turn.is_interviewer == False),  # noqa: E712
                     select(Attribution.informant_id, Attribution.source_id).where(
                         Attribution.source_id.in_(active))).subquery())
        cols = list(pairs.c)
        with self.session() as s:
            rows = s.execute(select(cols[0], func.count(func.distinct(cols[1])))
                             .where(cols[0].is_not(None)).group_by(cols[0])).all()
        return {int(i): int(n) for i, n in rows}

    def informant_attributes(self) -> list[str]:
        """The attribute names informants carry (gender, tenure ...), sorted."""
        names: set[str] = set()
        for inf in self.informants():
            names.update((inf.attributes or {}).keys())
        return sorted(names, key=str.lower)

    # ---- sources ---------------------------------------------------------------------------
    def edit_source(self, ref: str | int, *, kind: str | None = None,
                    informant: str | None = None, date: str | None = None,
                    language: str | None = None) -> Source:
        """Change a source's kind, informant ('' for none), date ('' for none) or language;
        one undoable action. The text and its codings are untouched."""
        from qualcode.core.nlp import normalise_language

        source_id = self.get_source(ref).id
        with self.transaction("source") as (s, rec):
            row = s.get(Source, source_id)
            assert row is not None
            rec.updating(row)
            if kind is not None:
                if kind not in SOURCE_KINDS:
                    raise QualcodeError(N_("source kind {kind!r} is not one of {kinds}"), kind=kind,
                                        kinds=", ".join(SOURCE_KINDS))
                row.kind = kind
            if informant is not None:
                row.informant_id = (self._informant_for(s, rec, informant).id
                                    if informant.strip() else None)
            if date is not None:
                row.date = check_date(date)
            if language is not None:
                row.language = normalise_language(language)
            s.add(row)
            rec.description = Message(N_("edit source {name}"), {"name": row.name})
            return row

    # ---- speakers --------------------------------------------------------------------------
    def speakers(self, ref: str | int) -> list[SpeakerInfo]:
        """The speaker labels of a source in order of first turn, with whom each stands for."""
        source_id = self.get_source(ref).id
        with self.session() as s:
            rows = s.execute(
                select(Turn.speaker, func.count(),  # PostgreSQL has no max(boolean)
                       func.max(cast(Turn.is_interviewer, Integer)),
                       func.min(Turn.index), func.max(Turn.informant_id))
                .where(Turn.source_id == source_id, Turn.speaker.is_not(None))  # type: ignore[union-attr]
                .group_by(Turn.speaker).order_by(func.min(Turn.index))).all()
            people = {i.id: i for i in s.execute(select(Informant)).scalars()}
        out = []
        for label, n, interviewer, _first, informant_id in rows:
            inf = people.get(informant_id) if informant_id else None
            out.append(SpeakerInfo(str(label), int(n), bool(interviewer),
                                   inf.pseudonym if inf else None, inf.role if inf else None))
        return out

    def map_speakers(self, ref: str | int, mapping: Mapping[str, SpeakerTarget]) -> int:
        """Credit each speaker label's turns to an informant (created when new), or mark the
        label as the interviewer; an empty target clears the mapping. One undoable action;
        returns how many turns changed."""
        source = self.get_source(ref)
        known = {sp.label for sp in self.speakers(source.id)}  # type: ignore[arg-type]
        unknown = [label for label in mapping if label not in known]
        if unknown:
            raise NotFoundError(N_("{source}: no speaker {label!r}"),
                                hint=N_("speakers found: {labels}"),
                                source=source.name, label=unknown[0],
                                labels=", ".join(sorted(known)) or "-")
        with self.transaction("speakers") as (s, rec):
            rec.description = Message(N_("map the speakers of {source}"),
                                      {"source": source.name})
            return self._apply_speakers(s, rec, source.id, mapping)  # type: ignore[arg-type]

    def _apply_speakers(self, s: Session, rec: Recorder, source_id: int,
                        mapping: Mapping[str, SpeakerTarget]) -> int:
        changed = 0
        for label, target in mapping.items():
            informant_id = None
            if target.pseudonym and not target.interviewer:
                informant_id = self._informant_for(s, rec, target.pseudonym, target.role,
                                                   target.unit).id
            turns = list(s.execute(select(Turn).where(Turn.source_id == source_id,
                                                      Turn.speaker == label)).scalars())
            flip = [t.index for t in turns if t.is_interviewer != target.interviewer]
            for turn in turns:
                if turn.informant_id == informant_id and turn.is_interviewer == target.interviewer:
                    continue
                rec.updating(turn)
                turn.informant_id, turn.is_interviewer = informant_id, target.interviewer
                s.add(turn)
                changed += 1
            if flip:
                for seg in s.execute(select(Segment).where(
                        Segment.source_id == source_id,
                        Segment.turn_index.in_(flip))).scalars():  # type: ignore[union-attr]
                    rec.updating(seg)
                    seg.is_interviewer = target.interviewer
                    s.add(seg)
        return changed

    # ---- attributions ----------------------------------------------------------------------
    def attribute_passage(self, source_id: int, start: int, end: int, informant: str, *,
                          author: str = "researcher") -> Attribution:
        """Credit the passage [start, end) to an informant (created when new): for text
        without speaker labels, e.g. a news article quoting officials. Undoable."""
        with self.transaction("attribute") as (s, rec):
            source = s.get(Source, source_id)
            if source is None:
                raise NotFoundError(N_("no source {id}"), id=source_id)
            if not 0 <= start < end <= len(source.text):
                raise QualcodeError(N_("span {start}-{end} is outside {name} (0-{size})"),
                                    start=start, end=end, name=source.name, size=len(source.text))
            person = self._informant_for(s, rec, informant)
            row = Attribution(source_id=source_id, start=start, end=end,
                              informant_id=person.id, author=author)  # type: ignore[arg-type]
            s.add(row)
            s.flush()
            rec.created(row)
            rec.description = Message(N_("attribute a passage of {source} to {informant}"),
                                      {"source": source.name, "informant": person.pseudonym})
            return row

    def remove_attribution(self, attribution_id: int) -> None:
        """Remove an attribution (undoable)."""
        with self.transaction("attribute", Message(N_("remove an attribution"))) as (s, rec):
            row = s.get(Attribution, attribution_id)
            if row is None:
                raise NotFoundError(N_("no attribution {id}"), id=attribution_id)
            rec.deleting(row)
            s.delete(row)

    def attributions(self, source_id: int) -> list[tuple[Attribution, str]]:
        """A source's attributions in text order, each with the informant's pseudonym."""
        with self.session() as s:
            rows = s.execute(select(Attribution, Informant.pseudonym).join(
                Informant, Informant.id == Attribution.informant_id).where(
                Attribution.source_id == source_id).order_by(Attribution.start)).all()
            return [(a, str(name)) for a, name in rows]

    def informant_at(self, source_id: int, offset: int) -> tuple[str | None, bool]:
        """(informant pseudonym, interviewer?) credited with the text at `offset`, by the
        same rule as the analysis: attribution, else speaker turn, else the source's."""
        with self.session() as s:
            attr = s.execute(select(Informant.pseudonym).join(
                Attribution, Attribution.informant_id == Informant.id).where(
                Attribution.source_id == source_id, Attribution.start <= offset,
                Attribution.end > offset).order_by(Attribution.start.desc())  # type: ignore[attr-defined]
                .limit(1)).first()
            if attr is not None:
                return str(attr[0]), False
            turn = s.execute(select(Turn).where(Turn.source_id == source_id,
                                                Turn.start <= offset)
                             .order_by(Turn.start.desc()).limit(1)).scalars().first()  # type: ignore[attr-defined]
            if turn is not None and offset < turn.end:
                if turn.is_interviewer:
                    return None, True
                if turn.informant_id is not None:
                    inf = s.get(Informant, turn.informant_id)
                    return (inf.pseudonym if inf else None), False
            source = s.get(Source, source_id)
            inf = s.get(Informant, source.informant_id) if source and source.informant_id else None
            return (inf.pseudonym if inf else None), False

