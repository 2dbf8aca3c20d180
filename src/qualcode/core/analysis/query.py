"""The one query layer of the analysis: codings x codes x sources x informants, filtered.

Every display, table, report and export is computed from these functions, so what the researcher
sees on screen is what gets printed. Rows come from one SQLAlchemy select (no ORM objects per row);
counts are aggregated by the database with the same joins and filters; excerpt text is added only
where it is needed (retrieval, quotes, drafts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from qualcode.core.analysis.labels import check_lang
from qualcode.core.models import SOURCE_KINDS, Code, Codebook, Coding, Informant, Source
from qualcode.errors import NotFoundError, QualcodeError

FRAME_COLUMNS = ("coding_id", "source_id", "source", "kind", "informant_id", "informant", "role",
                 "code_id", "code", "code_label", "code_order", "parent_code", "codebook",
                 "coder", "valence", "start", "end", "note")


@dataclass(frozen=True)
class Selection:
    """A resolved filter: ids instead of names (None = no restriction)."""

    code_ids: tuple[int, ...] | None = None
    informant_ids: tuple[int, ...] | None = None
    kinds: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    valence: str | None = None


def label_expr(model: Any, lang: str) -> ColumnElement[str]:
    """SQL for a bilingual label column pair (`label_id`/`label_en`) in `lang`, with fallback."""
    first, second = (model.label_en, model.label_id) if lang == "en" else (
        model.label_id, model.label_en)
    return func.coalesce(func.nullif(first, ""), second)


def select_codings(project: Any, *, codebook: str | None = None, codes: Iterable[str] = (),
                   informants: Iterable[str] = (), kinds: Iterable[str] = (),
                   coders: Iterable[str] = (), valence: str | None = None) -> Selection:
    """Resolve user-given names to a Selection; unknown names raise a QualcodeError."""
    from qualcode.core.store_coding import check_valence

    code_ids: set[int] | None = None
    with project.engine.connect() as conn:
        if codebook:
            if conn.execute(select(Codebook.id).where(Codebook.key == codebook)).first() is None:
                raise NotFoundError(f"no codebook {codebook!r} in this project",
                                    hint="see `qualcode codebook list`")
            code_ids = set(conn.execute(select(Code.id).join(
                Codebook, Codebook.id == Code.codebook_id).where(
                Codebook.key == codebook)).scalars())
        wanted = [c.lower() for c in codes]
        if wanted:
            found = dict(conn.execute(select(func.lower(Code.key), Code.id).where(
                func.lower(Code.key).in_(wanted))).tuples().all())
            missing = [c for c in wanted if c not in found]
            if missing:
                raise NotFoundError(f"no code {missing[0]!r} in this project",
                                    hint="see `qualcode codebook show KEY` for the code keys")
            chosen = set(found.values())
            code_ids = chosen if code_ids is None else code_ids & chosen
        names = list(informants)
        informant_ids: tuple[int, ...] | None = None
        if names:
            rows = dict(conn.execute(select(Informant.pseudonym, Informant.id).where(
                Informant.pseudonym.in_(names))).tuples().all())  # type: ignore[attr-defined]
            missing = [n for n in names if n not in rows]
            if missing:
                raise NotFoundError(f"no informant {missing[0]!r} in this project",
                                    hint="informant names are the pseudonyms given at import")
            informant_ids = tuple(sorted(rows.values()))
    kinds = tuple(kinds)
    for kind in kinds:
        if kind not in SOURCE_KINDS:
            raise QualcodeError(f"source kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    return Selection(code_ids=None if code_ids is None else tuple(sorted(code_ids)),
                     informant_ids=informant_ids, kinds=kinds, coders=tuple(coders),
                     valence=check_valence(valence) if valence else None)


def restrict(stmt: Select[Any], sel: Selection) -> Select[Any]:
    """Add the selection's conditions to a select over Coding joined with Source."""
    stmt = stmt.where(Source.active == True)  # noqa: E712
    if sel.code_ids is not None:
        stmt = stmt.where(Coding.code_id.in_(sel.code_ids))  # type: ignore[attr-defined]
    if sel.informant_ids is not None:
        stmt = stmt.where(Source.informant_id.in_(sel.informant_ids))  # type: ignore[union-attr]
    if sel.kinds:
        stmt = stmt.where(Source.kind.in_(sel.kinds))  # type: ignore[attr-defined]
    if sel.coders:
        stmt = stmt.where(Coding.coder.in_(sel.coders))  # type: ignore[attr-defined]
    if sel.valence:
        stmt = stmt.where(Coding.valence == sel.valence)
    return stmt


def frame_select(sel: Selection, lang: str = "id") -> Select[Any]:
    """The one row-level select: Coding join Code join Codebook join Source left join Informant."""
    parent = aliased(Code)
    stmt = (select(Coding.id.label("coding_id"), Coding.source_id, Source.name.label("source"),  # type: ignore[union-attr]
                   Source.kind, Source.informant_id, Informant.pseudonym.label("informant"),  # type: ignore[attr-defined]
                   Informant.role, Coding.code_id, Code.key.label("code"),  # type: ignore[attr-defined]
                   label_expr(Code, lang).label("code_label"), Code.order.label("code_order"),
                   parent.key.label("parent_code"), Codebook.key.label("codebook"),  # type: ignore[attr-defined]
                   Coding.coder, Coding.valence, Coding.start, Coding.end, Coding.note)
            .select_from(Coding)
            .join(Code, Code.id == Coding.code_id)
            .join(Codebook, Codebook.id == Code.codebook_id)
            .join(Source, Source.id == Coding.source_id)
            .outerjoin(Informant, Informant.id == Source.informant_id)
            .outerjoin(parent, parent.id == Code.parent_id))
    return restrict(stmt, sel).order_by(Source.name, Coding.start, Coding.id)


def coding_frame(project: Any, *, codebook: str | None = None, codes: Sequence[str] = (),
                 informants: Sequence[str] = (), kinds: Sequence[str] = (),
                 coders: Sequence[str] = (), valence: str | None = None, lang: str = "id",
                 selection: Selection | None = None) -> pd.DataFrame:
    """One row per coding (active sources only) with FRAME_COLUMNS, in source/text order."""
    check_lang(lang)
    sel = selection or select_codings(project, codebook=codebook, codes=codes,
                                      informants=informants, kinds=kinds, coders=coders,
                                      valence=valence)
    with project.engine.connect() as conn:
        rows = conn.execute(frame_select(sel, lang)).all()
    frame = pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))
    frame["informant_id"] = frame["informant_id"].astype("Int64")
    return frame


def coding_counts(project: Any, by: Sequence[str], selection: Selection) -> pd.DataFrame:
    """Codings counted by the database, grouped by columns among code_id, informant_id, kind,
    valence, coder, source_id; returns the group columns plus `n`."""
    columns = {"code_id": Coding.code_id, "informant_id": Source.informant_id,
               "kind": Source.kind, "valence": Coding.valence, "coder": Coding.coder,
               "source_id": Coding.source_id}
    unknown = [b for b in by if b not in columns]
    if unknown:
        raise ValueError(f"cannot group codings by {unknown}")
    group = [columns[b] for b in by]
    stmt = (select(*group, func.count().label("n"))
            .select_from(Coding).join(Source, Source.id == Coding.source_id))
    stmt = restrict(stmt, selection).group_by(*group)
    with project.engine.connect() as conn:
        rows = conn.execute(stmt).all()
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


def code_table(project: Any, codebook: str | None = None, lang: str = "id") -> list[CodeInfo]:
    """The display rows: the codebook's codes, or (without one) the codes of active codebooks
    and of any codebook with codings; ordered by codebook, then code order.

    `group` is the parent code's label for sub-codes, else the codebook title."""
    parent = aliased(Code)
    title = (func.coalesce(func.nullif(Codebook.title_en, ""), Codebook.title_id) if lang == "en"
             else func.coalesce(func.nullif(Codebook.title_id, ""), Codebook.title_en))
    stmt = (select(Code.id, Code.key, label_expr(Code, lang), Code.order, parent.key,  # type: ignore[attr-defined]
                   label_expr(parent, lang), Codebook.key, title, Code.colour)
            .join(Codebook, Codebook.id == Code.codebook_id)
            .outerjoin(parent, parent.id == Code.parent_id))
    if codebook:
        stmt = stmt.where(Codebook.key == codebook)
    else:
        used = select(Code.codebook_id).join(Coding, Coding.code_id == Code.id).distinct()
        stmt = stmt.where((Codebook.active == True) | Codebook.id.in_(used))  # type: ignore[union-attr]  # noqa: E712
    stmt = stmt.order_by(Codebook.id, Code.order, Code.id)
    with project.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if codebook and not rows:
        project.get_codebook(codebook)  # raises NotFoundError for an unknown key
    return [CodeInfo(r[0], r[1], r[2], r[3], r[4], r[6], r[5] if r[4] else r[7], r[8])
            for r in rows]


@dataclass(frozen=True)
class InformantInfo:
    """An informant (a case) as displays need it."""

    id: int
    pseudonym: str
    role: str


def informant_table(project: Any, selection: Selection | None = None) -> list[InformantInfo]:
    """Informants with at least one active source (the study's cases), by pseudonym."""
    stmt = (select(Informant.id, Informant.pseudonym, Informant.role)
            .where(Informant.id.in_(select(Source.informant_id).where(Source.active == True)))  # type: ignore[union-attr]  # noqa: E712
            .order_by(Informant.pseudonym))
    if selection is not None and selection.informant_ids is not None:
        stmt = stmt.where(Informant.id.in_(selection.informant_ids))  # type: ignore[union-attr]
    with project.engine.connect() as conn:
        return [InformantInfo(r[0], r[1], r[2] or "") for r in conn.execute(stmt).all()]


def source_texts(project: Any, source_ids: Iterable[int]) -> dict[int, str]:
    """The full text of each source (one query)."""
    ids = sorted({int(i) for i in source_ids})
    if not ids:
        return {}
    with project.engine.connect() as conn:
        stmt = select(Source.id, Source.text).where(Source.id.in_(ids))  # type: ignore[union-attr]
        return {int(r[0]): r[1] for r in conn.execute(stmt).all()}


def add_excerpts(project: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with an `excerpt` column (the coded text), fetched only for its sources."""
    texts = source_texts(project, frame["source_id"].unique())
    frame = frame.copy()
    frame["excerpt"] = [texts[int(s)][int(a):int(b)] for s, a, b in
                        zip(frame["source_id"], frame["start"], frame["end"], strict=True)]
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
             context_chars: int = 200, limit: int | None = None) -> list[Excerpt]:
    """Coded excerpts for any selection, with context and a link back to the source position."""
    frame = coding_frame(project, codebook=codebook, codes=codes, informants=informants,
                         kinds=kinds, coders=coders, valence=valence, lang=lang)
    if limit is not None:
        frame = frame.head(limit)
    texts = source_texts(project, frame["source_id"].unique())
    out = []
    for row in frame.itertuples(index=False):
        text = texts[int(row.source_id)]
        start, end = int(row.start), int(row.end)
        before, after = context_window(text, start, end, context_chars)
        informant = None if pd.isna(row.informant) else str(row.informant)
        role = None if pd.isna(row.role) else str(row.role)
        out.append(Excerpt(int(row.coding_id), int(row.source_id), str(row.source),
                           str(row.kind), informant, role, str(row.code), str(row.code_label),
                           str(row.coder), str(row.valence), start, end, str(row.note),
                           text[start:end], before, after))
    return out
