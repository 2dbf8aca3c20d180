"""The one query layer of the analysis: codings x codes x sources x informants, filtered.

Every display, table, report and export is computed from these functions, so what the researcher
sees on screen is what gets printed. Rows come from one SQLAlchemy select (no ORM objects per row);
counts are aggregated by the database with the same joins and filters; excerpt text is added only
where it is needed (retrieval, quotes, drafts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select, union

from qualcode.core.analysis.coder_choice import (  # noqa: F401  (re-exported)
    check_not_blind,
    resolve_coders,
    session_coder,
)
from qualcode.core.analysis.labels import check_lang
from qualcode.core.analysis.shared_reads import answers, fetch, fetch_rows, rolled_up
from qualcode.core.location import Location
from qualcode.core.models import (
    SOURCE_KINDS,
    Attribution,
    Code,
    Codebook,
    Coding,
    Informant,
    Source,
    Turn,
)
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_


def table(model: Any) -> Any:
    """The Core table of a SQLModel table class (typed loosely: SQLModel fields confuse mypy)."""
    return model.__table__


CODING, CODE, CODEBOOK = table(Coding).c, table(Code).c, table(Codebook).c
SOURCE, INFORMANT = table(Source).c, table(Informant).c
PARENT = table(Code).alias("parent")  # a code's parent code
_OTHER = table(Code).alias("other")
_DUP = table(Coding).alias("dup")  # the same passage and code coded by another coder

# Who a coding speaks for: the researcher's attribution of the passage, else the speaker turn
# its start lies in (an interviewer turn: nobody), else the source's informant.
SPEAKER_TURN = table(Turn).alias("speaker_turn")
ATTRIBUTED = table(Attribution).alias("attributed")
_TURN2, _ATTR2 = table(Turn).alias("turn2"), table(Attribution).alias("attr2")
_TURN_OF_START = (select(_TURN2.c.id).where(_TURN2.c.source_id == CODING.source_id,
                                            _TURN2.c.start <= CODING.start)
                  .order_by(_TURN2.c.start.desc()).limit(1).scalar_subquery())
_ATTRIBUTION_OF_START = (select(_ATTR2.c.id).where(
    _ATTR2.c.source_id == CODING.source_id, _ATTR2.c.start <= CODING.start,
    _ATTR2.c.end > CODING.start).order_by(_ATTR2.c.start.desc(), _ATTR2.c.id.desc())
    .limit(1).scalar_subquery())
IS_INTERVIEWER: ColumnElement[bool] = and_(ATTRIBUTED.c.id.is_(None),
                                           SPEAKER_TURN.c.is_interviewer == True)  # noqa: E712
INFORMANT_ID: ColumnElement[int] = case(
    (ATTRIBUTED.c.id.is_not(None), ATTRIBUTED.c.informant_id),
    (SPEAKER_TURN.c.is_interviewer == True, None),  # noqa: E712
    else_=func.coalesce(SPEAKER_TURN.c.informant_id, SOURCE.informant_id))
SPEAKERS = ("informants", "interviewer", "all")

FRAME_COLUMNS = ("coding_id", "source_id", "source", "kind", "informant_id", "informant", "role",
                 "code_id", "code", "code_label", "code_order", "parent_code", "codebook",
                 "coder", "valence", "start", "end", "note", "interviewer", "speaker")


@dataclass(frozen=True)
class Selection:
    """A resolved filter: ids instead of names (None = no restriction).

    `coders`: whose codings count (() = every coder: only agreement and merging use that).
    With several coders, a passage coded with the same code by more than one of them counts
    once (the earliest of those codings, with its valence and note)."""

    code_ids: tuple[int, ...] | None = None
    informant_ids: tuple[int, ...] | None = None
    kinds: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    valence: str | None = None
    speakers: str = "informants"  # informants | interviewer (only) | all


def label_expr(columns: Any, lang: str, name: str = "label") -> ColumnElement[str]:
    """SQL for a bilingual column pair (`<name>_id`/`<name>_en`) in `lang`, with fallback."""
    own, other = (f"{name}_en", f"{name}_id") if lang == "en" else (f"{name}_id", f"{name}_en")
    return func.coalesce(func.nullif(columns[own], ""), columns[other])


def select_codings(project: Any, *, codebook: str | None = None, codes: Iterable[str] = (),
                   informants: Iterable[str] = (), kinds: Iterable[str] = (),
                   coders: Iterable[str] = (), valence: str | None = None,
                   speakers: str = "informants", all_coders: bool = False) -> Selection:
    """Resolve user-given names to a Selection; unknown names raise a QualcodeError.
    `speakers`: informants' codings (counts), the interviewer's only, or all (retrieval).
    `coders` go through resolve_coders; `all_coders` leaves every coder in (agreement)."""
    from qualcode.core.store.coding import check_valence

    code_ids: set[int] | None = None
    informant_ids: tuple[int, ...] | None = None
    names, given = list(informants), list(codes)
    with project.engine.connect() if codebook or names or given else nullcontext() as conn:
        if codebook:
            if conn.execute(select(CODEBOOK.id).where(CODEBOOK.key == codebook)).first() is None:
                raise NotFoundError(N_("no codebook {codebook!r} in this project"),
                                    hint=N_("see `qualcode codebook list`"), codebook=codebook)
            code_ids = set(conn.execute(select(CODE.id).where(CODE.codebook_id.in_(
                select(CODEBOOK.id).where(CODEBOOK.key == codebook)))).scalars())
        if given:
            found = {str(r[0]): int(r[1]) for r in conn.execute(select(
                func.lower(CODE.key), CODE.id).where(
                func.lower(CODE.key).in_([c.lower() for c in given]))).all()}
            missing = [c for c in given if c.lower() not in found]
            if missing:
                raise NotFoundError(N_("no code {missing!r} in this project"),
                                    hint=N_("see `qualcode codebook show KEY` for the code keys"),
                                    missing=missing[0])
            chosen = set(found.values())
            code_ids = chosen if code_ids is None else code_ids & chosen
        if names:
            rows = {str(r[0]): int(r[1]) for r in conn.execute(select(
                INFORMANT.pseudonym, INFORMANT.id).where(INFORMANT.pseudonym.in_(names))).all()}
            missing = [n for n in names if n not in rows]
            if missing:
                raise NotFoundError(N_("no informant {missing!r} in this project"),
                                    hint=N_("informant names are the pseudonyms given at import"),
                                    missing=missing[0])
            informant_ids = tuple(sorted(rows.values()))
    kinds = tuple(kinds)
    for kind in kinds:
        if kind not in SOURCE_KINDS:
            raise QualcodeError(N_("source kind {kind!r} is not one of {kinds}"), kind=kind,
                                kinds=', '.join(SOURCE_KINDS))
    if speakers not in SPEAKERS:
        raise QualcodeError(N_("speakers {speakers!r} is not one of {choices}"),
                            speakers=speakers, choices=', '.join(SPEAKERS))
    chosen = () if all_coders else resolve_coders(project, coders)
    return Selection(code_ids=None if code_ids is None else tuple(sorted(code_ids)),
                     informant_ids=informant_ids, kinds=kinds, coders=chosen,
                     valence=check_valence(valence) if valence else None, speakers=speakers)


def restrict(stmt: Select[Any], sel: Selection) -> Select[Any]:
    """Add the selection's conditions to a select over Coding joined with Source."""
    stmt = stmt.where(SOURCE.active == True)  # noqa: E712
    if sel.speakers == "informants":  # interviewer turns are never informant evidence
        stmt = stmt.where(~IS_INTERVIEWER)
    elif sel.speakers == "interviewer":
        stmt = stmt.where(IS_INTERVIEWER)
    if sel.code_ids is not None:
        stmt = stmt.where(CODING.code_id.in_(sel.code_ids))
    if sel.informant_ids is not None:
        stmt = stmt.where(INFORMANT_ID.in_(sel.informant_ids))
    if sel.kinds:
        stmt = stmt.where(SOURCE.kind.in_(sel.kinds))
    if sel.coders:
        stmt = stmt.where(CODING.coder.in_(sel.coders))
    if len(sel.coders) > 1:   # a passage coded alike by several chosen coders counts once
        stmt = stmt.where(CODING.id.in_(first_of_passages(sel.coders)))
    if sel.valence:
        stmt = stmt.where(CODING.valence == sel.valence)
    return stmt


def first_of_passages(coders: Sequence[str]) -> Select[Any]:
    """The first (lowest id) of the chosen coders' codings of each passage and code: one
    grouped pass the database runs once, not a lookup per coding (3x faster at 100k)."""
    return (select(func.min(_DUP.c.id)).where(_DUP.c.coder.in_(coders))
            .group_by(_DUP.c.source_id, _DUP.c.start, _DUP.c.end, _DUP.c.code_id))


def codings_from() -> Any:
    """FROM coding JOIN source, with the speaker turn and the attribution a coding's start lies
    in (for INFORMANT_ID / IS_INTERVIEWER): the base every aggregate query restricts."""
    return (table(Coding).join(table(Source), SOURCE.id == CODING.source_id)
            .outerjoin(SPEAKER_TURN, and_(SPEAKER_TURN.c.id == _TURN_OF_START,
                                          CODING.start < SPEAKER_TURN.c.end))
            .outerjoin(ATTRIBUTED, ATTRIBUTED.c.id == _ATTRIBUTION_OF_START))


def frame_select(sel: Selection, lang: str = "id", columns: Sequence[str] = FRAME_COLUMNS,
                 ordered: bool = True) -> Select[Any]:
    """The one row-level select: Coding join Code join Codebook join Source left join Informant
    (`columns`: a subset of FRAME_COLUMNS; `ordered`: in source / text order)."""
    parent = PARENT
    joined = (codings_from().join(table(Code), CODE.id == CODING.code_id)
              .join(table(Codebook), CODEBOOK.id == CODE.codebook_id)
              .outerjoin(table(Informant), INFORMANT.id == INFORMANT_ID)
              .outerjoin(parent, parent.c.id == CODE.parent_id))
    available = {
        "coding_id": CODING.id, "source_id": CODING.source_id, "source": SOURCE.name,
        "kind": SOURCE.kind, "informant_id": INFORMANT_ID,
        "informant": INFORMANT.pseudonym, "role": INFORMANT.role, "code_id": CODING.code_id,
        "code": CODE.key, "code_label": label_expr(CODE, lang), "code_order": CODE.order,
        "parent_code": parent.c.key, "codebook": CODEBOOK.key, "coder": CODING.coder,
        "valence": CODING.valence, "start": CODING.start, "end": CODING.end,
        "note": CODING.note, "interviewer": case((IS_INTERVIEWER, 1), else_=0),
        "speaker": SPEAKER_TURN.c.speaker}
    unknown = [c for c in columns if c not in available]
    if unknown:
        raise ValueError(f"unknown coding frame columns {unknown}")
    stmt = restrict(select(*(available[c].label(c) for c in columns)).select_from(joined), sel)
    return stmt.order_by(SOURCE.name, CODING.start, CODING.id) if ordered else stmt


def coding_frame(project: Any, *, codebook: str | None = None, codes: Sequence[str] = (),
                 informants: Sequence[str] = (), kinds: Sequence[str] = (),
                 coders: Sequence[str] = (), valence: str | None = None, lang: str = "id",
                 selection: Selection | None = None, columns: Sequence[str] = FRAME_COLUMNS,
                 ordered: bool = True) -> pd.DataFrame:
    """One row per coding (active sources only) with FRAME_COLUMNS (or the `columns` asked
    for), in source / text order unless `ordered` is False."""
    check_lang(lang)
    sel = selection or select_codings(project, codebook=codebook, codes=codes,
                                      informants=informants, kinds=kinds, coders=coders,
                                      valence=valence)
    with project.engine.connect() as conn:  # rows per coding: too many to keep for reuse
        rows = fetch(conn, frame_select(sel, lang, columns, ordered))
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    if "informant_id" in frame:
        frame["informant_id"] = frame["informant_id"].astype("Int64")
    return frame


COUNT_BY = ("code_id", "informant_id", "kind", "valence", "coder", "source_id")


def coding_counts(project: Any, by: Sequence[str], selection: Selection) -> pd.DataFrame:
    """Codings counted by the database, grouped by columns among COUNT_BY (code_id,
    informant_id, kind, valence, coder, source_id); returns the group columns plus `n`.
    Under shared_reads, every grouping is summed from one count grouped by all of COUNT_BY."""
    columns = {"code_id": CODING.code_id, "informant_id": INFORMANT_ID,
               "kind": SOURCE.kind, "valence": CODING.valence, "coder": CODING.coder,
               "source_id": CODING.source_id}
    unknown = [b for b in by if b not in columns]
    if unknown:
        raise ValueError(f"cannot group codings by {unknown}")
    if tuple(by) != COUNT_BY and answers(project.engine) is not None:
        rows = rolled_up(coding_counts(project, COUNT_BY, selection), by)
    else:
        group = [columns[b] for b in by]
        stmt = select(*group, func.count().label("n")).select_from(codings_from())
        stmt = restrict(stmt, selection).group_by(*group)
        with project.engine.connect() as conn:
            rows = fetch_rows(conn, stmt)
    frame = pd.DataFrame.from_records(rows, columns=[*by, "n"])
    if "informant_id" in frame:
        frame["informant_id"] = frame["informant_id"].astype("Int64")
    return frame


@dataclass(frozen=True)
class CodeInfo:
    """A code as displays need it."""

    id: int
    key: str
    label: str
    order: int
    parent_key: str | None
    codebook: str
    group: str
    colour: str | None


@lru_cache(maxsize=64)
def code_rows_select(codebook: str | None = None, lang: str = "id") -> Select[Any]:
    """The select behind code_table (labelled c_* columns plus cb_id), unordered; statements
    are immutable, so each (codebook, language) is built once."""
    parent = PARENT
    joined = table(Code).join(table(Codebook), CODEBOOK.id == CODE.codebook_id).outerjoin(
        parent, parent.c.id == CODE.parent_id)
    stmt = select(CODE.id.label("c_id"), CODE.key.label("c_key"),
                  label_expr(CODE, lang).label("c_label"), CODE.order.label("c_order"),
                  parent.c.key.label("c_parent_key"),
                  label_expr(parent.c, lang).label("c_parent_label"),
                  CODEBOOK.key.label("c_codebook"),
                  label_expr(CODEBOOK, lang, "title").label("c_title"),
                  CODE.colour.label("c_colour"), CODEBOOK.id.label("cb_id")).select_from(joined)
    if codebook:
        return stmt.where(CODEBOOK.key == codebook)
    used = select(_OTHER.c.codebook_id).where(  # one index probe per code, evaluated once
        exists().where(CODING.code_id == _OTHER.c.id))
    return stmt.where((CODEBOOK.active == True) | CODEBOOK.id.in_(used))  # noqa: E712


def code_info(row: Any) -> CodeInfo:
    """A CodeInfo from the first nine columns of a code_rows_select row."""
    return CodeInfo(row[0], row[1], row[2], row[3], row[4], row[6],
                    row[5] if row[4] else row[7], row[8])


def code_table(project: Any, codebook: str | None = None, lang: str = "id") -> list[CodeInfo]:
    """The display rows: the codebook's codes, or (without one) the codes of active codebooks
    and of any codebook with codings; ordered by codebook, then code order.

    `group` is the parent code's label for sub-codes, else the codebook title."""
    stmt = code_rows_select(codebook, lang).order_by(CODEBOOK.id, CODE.order, CODE.id)
    with project.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if codebook and not rows:
        project.get_codebook(codebook)  # raises NotFoundError for an unknown key
    return [code_info(r) for r in rows]


@dataclass(frozen=True)
class InformantInfo:
    """An informant (a case) as displays need it."""

    id: int
    pseudonym: str
    role: str
    attributes: tuple[tuple[str, str], ...] = ()  # (name, value) pairs: gender, tenure ...

    def attribute(self, name: str) -> str:
        """The value of attribute `name` ('' when the informant has none)."""
        return next((v for k, v in self.attributes if k.lower() == name.lower()), "")


@lru_cache(maxsize=64)
def informant_rows_select(selection: Selection | None = None) -> Select[Any]:
    """The select behind informant_table (i_id, i_pseudonym, i_role), unordered: informants
    a source, a speaker turn or an attribution of an active source credits."""
    active = select(SOURCE.id).where(SOURCE.active == True)  # noqa: E712
    turn, attr = table(Turn).c, table(Attribution).c
    credited = union(
        select(SOURCE.informant_id).where(SOURCE.active == True),  # noqa: E712
        select(turn.informant_id).where(turn.informant_id.is_not(None),
                                        turn.is_interviewer == False,  # noqa: E712
                                        turn.source_id.in_(active)),
        select(attr.informant_id).where(attr.source_id.in_(active)))
    stmt = select(INFORMANT.id.label("i_id"), INFORMANT.pseudonym.label("i_pseudonym"),
                  INFORMANT.role.label("i_role")).where(INFORMANT.id.in_(credited))
    if selection is not None and selection.informant_ids is not None:
        stmt = stmt.where(INFORMANT.id.in_(selection.informant_ids))
    return stmt


def informant_table(project: Any, selection: Selection | None = None) -> list[InformantInfo]:
    """Informants with at least one active source (the study's cases), by pseudonym."""
    stmt = informant_rows_select(selection).add_columns(INFORMANT.attributes).order_by(
        INFORMANT.pseudonym)
    with project.engine.connect() as conn:
        return [InformantInfo(r[0], r[1], r[2] or "", tuple(sorted(
            (str(k), str(v)) for k, v in (r[3] or {}).items()))) for r in conn.execute(stmt)]


def source_texts(project: Any, source_ids: Iterable[int]) -> dict[int, str]:
    """The full text of each source (one query)."""
    return {sid: text for sid, (text, _) in source_texts_meta(project, source_ids).items()}


def source_texts_meta(project: Any,
                      source_ids: Iterable[int]) -> dict[int, tuple[str, dict[str, Any]]]:
    """The full text and the meta (page starts ...) of each source (one query)."""
    ids = sorted({int(i) for i in source_ids})
    if not ids:
        return {}
    with project.engine.connect() as conn:
        stmt = select(SOURCE.id, SOURCE.text, SOURCE.meta).where(SOURCE.id.in_(ids))
        return {int(r[0]): (r[1], r[2] or {}) for r in conn.execute(stmt).all()}


def add_locations(project: Any, frame: pd.DataFrame,
                  texts: dict[int, tuple[str, dict[str, Any]]] | None = None) -> pd.DataFrame:
    """`frame` with `line`, `paragraph` and `page` columns (of each coding's start), as
    TextMap.at finds them, looked up for all codings of a source at once (`texts`: the
    sources' source_texts_meta, when already read)."""
    from qualcode.core.location import TextMap, page_starts

    texts = texts if texts is not None else source_texts_meta(project, frame["source_id"].unique())
    starts = np.maximum(frame["start"].to_numpy(dtype=np.int64), 0)
    line = np.zeros(len(frame), dtype=np.int64)
    paragraph = np.zeros(len(frame), dtype=np.int64)
    page = pd.array([None] * len(frame), dtype="Int64")
    for sid, rows in frame.groupby("source_id", sort=False).indices.items():
        text, meta = texts[int(sid)]
        found = TextMap(text, page_starts(meta))
        at = starts[rows]
        line[rows] = np.searchsorted(found.line_starts, at, side="right")
        paragraph[rows] = np.maximum(1, np.searchsorted(found.paragraph_starts, at,
                                                        side="right"))
        if found.page_starts:
            page[rows] = np.maximum(1, np.searchsorted(found.page_starts, at, side="right"))
    frame = frame.copy()
    frame["line"], frame["paragraph"], frame["page"] = line, paragraph, page
    return frame


def add_excerpts(project: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with an `excerpt` column (the coded text), fetched only for its sources."""
    texts = source_texts(project, frame["source_id"].unique())
    frame = frame.copy()
    frame["excerpt"] = [texts[s][a:b] for s, a, b in zip(
        frame["source_id"].tolist(), frame["start"].tolist(), frame["end"].tolist(),
        strict=True)]
    return frame


@dataclass(frozen=True)
class Excerpt:
    """A retrieved coding with its surrounding context; `link` jumps to the transcript."""

    coding_id: int
    source_id: int
    source: str
    kind: str
    informant: str | None
    role: str | None
    code: str
    code_label: str
    coder: str
    valence: str
    start: int
    end: int
    note: str
    text: str
    before: str
    after: str
    location: Location | None = None
    interviewer: bool = False  # coded on an interviewer turn: not informant evidence
    speaker: str | None = None  # the turn's speaker label

    @property
    def who(self) -> str | None:
        """The informant, or the interviewer's label for an interviewer turn."""
        if self.interviewer:
            from qualcode.i18n import _

            return _("Interviewer") + (f" ({self.speaker})" if self.speaker else "")
        return self.informant

    @property
    def link(self) -> tuple[int, int]:
        """(source_id, start): where the coding sits in its source."""
        return self.source_id, self.start


def context_window(text: str, start: int, end: int, chars: int) -> tuple[str, str]:
    """Up to `chars` characters before and after [start, end), cut at word boundaries."""
    if chars <= 0:
        return "", ""
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and not text[lo - 1].isspace() and " " in before:
        before = before[before.index(" ") + 1:]
    if hi < len(text) and not text[hi].isspace() and " " in after:
        after = after[:after.rindex(" ")]
    return before, after


def retrieve(project: Any, *, codebook: str | None = None, codes: Sequence[str] = (),
             informants: Sequence[str] = (), kinds: Sequence[str] = (),
             coders: Sequence[str] = (), valence: str | None = None, lang: str = "id",
             context_chars: int = 200, limit: int | None = None,
             speakers: str = "all", selection: Selection | None = None) -> list[Excerpt]:
    """Coded excerpts for any selection, with context, a citable location and a link back to
    the source position; codings on interviewer turns are included and marked (`speakers`
    "informants" leaves them out). A passage coded alike by several of the chosen coders is
    listed once."""
    sel = selection or select_codings(project, codebook=codebook, codes=codes,
                                      informants=informants, kinds=kinds, coders=coders,
                                      valence=valence, speakers=speakers)
    frame = coding_frame(project, selection=sel, lang=lang)
    if limit is not None:
        frame = frame.head(limit)
    texts = source_texts_meta(project, frame["source_id"].unique())
    where = add_locations(project, frame, texts)
    pages = [None if pd.isna(p) else int(p) for p in where["page"].tolist()]
    places = [Location(line, paragraph, page) for line, paragraph, page in zip(
        where["line"].tolist(), where["paragraph"].tolist(), pages, strict=True)]
    out = []
    for (coding_id, sid, source, kind, informant, role, code, code_label, coder, valence,
         start, end, note, interviewer, speaker), place in zip(zip(*(frame[c].tolist() for c in (
            "coding_id", "source_id", "source", "kind", "informant", "role", "code",
            "code_label", "coder", "valence", "start", "end", "note", "interviewer",
            "speaker")), strict=True), places, strict=True):
        text = texts[sid][0]
        before, after = context_window(text, start, end, context_chars)
        out.append(Excerpt(int(coding_id), int(sid), str(source), str(kind), _text(informant),
                           _text(role), str(code), str(code_label), str(coder), str(valence),
                           int(start), int(end), str(note), text[start:end], before, after,
                           place, bool(interviewer), _text(speaker)))
    return out


def _text(value: Any) -> str | None:
    """A text column's value, None where it is missing."""
    return value if type(value) is str else None if pd.isna(value) else str(value)
