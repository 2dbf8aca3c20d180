"""Data reduction: the summary grid (code x informant), draft summaries, quotes, frequencies.

A draft summary is extractive: it picks sentences from the cell's own excerpts, preferring
sentences that contain the code's indicator phrases and keeping the cell's +/− balance. It is
always marked with DRAFT_MARK and saved with status 'draft' until the researcher accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, select

from qualcode.core.analysis.base import (
    Display,
    check_choice,
    code_index,
    filter_notes,
    pivot_counts,
)
from qualcode.core.analysis.labels import (
    DRAFT_MARK,
    draft_mark,
    is_draft,
    kind_label,
    strip_draft,
    valence_cell,
    valence_label,
)
from qualcode.core.analysis.query import (
    CodeInfo,
    InformantInfo,
    Selection,
    add_excerpts,
    code_table,
    coding_counts,
    coding_frame,
    fetch_rows,
    informant_rows_select,
    informant_table,
    select_codings,
    table,
)
from qualcode.core.models import SOURCE_KINDS, VALENCES, ConclusionEvidence, Indicator, Summary
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, _

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def shorten(text: str, limit: int = 240) -> str:
    """One line of at most `limit` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


# ---- quotes ----------------------------------------------------------------------------------
def indicator_phrases(project: Any, code_ids: Sequence[int], lang: str) -> dict[int, list[str]]:
    """Each code's indicator phrases in `lang` (plus the other language's), case-folded."""
    if not code_ids:
        return {}
    ind = table(Indicator).c
    stmt = select(ind.code_id, ind.phrases).where(ind.code_id.in_(list(code_ids)))
    out: dict[int, list[str]] = {}
    with project.engine.connect() as conn:
        for code_id, phrases in conn.execute(stmt).all():
            phrases = phrases or {}
            words = list(phrases.get(lang, [])) + [
                p for key, ps in phrases.items() if key != lang for p in ps]
            out.setdefault(int(code_id), []).extend(w.casefold() for w in words if w)
    return out


def evidence_ids(project: Any) -> set[int]:
    """Codings linked as evidence to any conclusion."""
    with project.engine.connect() as conn:
        return set(conn.execute(select(table(ConclusionEvidence).c.coding_id)).scalars())


def phrase_hits(text: str, phrases: Sequence[str]) -> int:
    """How many of the phrases occur in `text` (case-insensitive)."""
    folded = text.casefold()
    return sum(1 for p in phrases if p in folded)


def quote_scores(frame: pd.DataFrame, phrases: dict[int, list[str]],
                 evidence: set[int]) -> pd.Series:
    """Rank excerpts as quotes: linked evidence +4, an indicator phrase +2, a +/− judgement +1,
    a readable length (60-400 characters) +1."""
    length = frame["end"] - frame["start"]
    score = (4 * frame["coding_id"].isin(list(evidence)).astype("int64")
             + (frame["valence"] != "0").astype("int64")
             + length.between(60, 400).astype("int64"))
    hits = pd.Series(False, index=frame.index)
    for code_id, words in phrases.items():
        rows = frame["code_id"] == code_id
        if words and rows.any():
            pattern = "|".join(re.escape(w) for w in words)
            hits[rows] = frame.loc[rows, "excerpt"].str.contains(pattern, case=False,
                                                                 regex=True)
    return (score + 2 * hits.astype("int64")).astype("int64")


def best_quotes(project: Any, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`frame` (rows of coding_frame) with excerpts and a `score`, best first per code."""
    if frame.empty:
        return frame.assign(excerpt=pd.Series(dtype=str), score=pd.Series(dtype="int64"))
    frame = add_excerpts(project, frame)
    phrases = indicator_phrases(project, sorted(frame["code_id"].unique()), lang)
    frame["score"] = quote_scores(frame, phrases, evidence_ids(project))
    return frame.sort_values(["score", "coding_id"], ascending=[False, True], kind="stable")


def quote_text(valence: str, excerpt: str, limit: int = 240, where: str = "") -> str:
    """A quote cell: the valence mark, the shortened excerpt in quotation marks, and where
    it stands (`(line 7, paragraph 2)`) when given."""
    from qualcode.core.export.labels import quoted

    mark = {"+": "+", "-": "−"}.get(valence, "0")
    return f"{mark} {quoted(shorten(excerpt, limit))}" + (f" ({where})" if where else "")


# ---- summary grid ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SummaryCell:
    """One cell of the reduction grid."""

    code: str
    informant: str
    text: str
    status: str
    codings: int


def summary_map(project: Any) -> dict[tuple[int, int], tuple[str, str]]:
    """(code_id, informant_id) -> (text, status) of every saved summary."""
    col = table(Summary).c
    stmt = select(col.code_id, col.informant_id, col.text, col.status)
    with project.engine.connect() as conn:
        return {(int(r[0]), int(r[1])): (r[2], r[3]) for r in conn.execute(stmt).all()}


def summary_cells(project: Any, *, codebook: str | None = None, coder: str | None = None,
                  lang: str = "id") -> list[SummaryCell]:
    """Every code x informant cell with its summary, status ('' when empty) and coding count."""
    sel = select_codings(project, codebook=codebook, coders=(coder,) if coder else ())
    codes = code_table(project, codebook, lang)
    people = informant_table(project)
    agg = coding_counts(project, ("code_id", "informant_id"), sel).dropna()
    counts = {(int(c), int(i)): int(n) for c, i, n in agg.itertuples(index=False)}
    saved = summary_map(project)
    return [SummaryCell(c.key, p.pseudonym, *saved.get((c.id, p.id), ("", "")),
                        counts.get((c.id, p.id), 0)) for c in codes for p in people]


def summary_table(project: Any, codebook: str | None = None, lang: str = "id",
                  selection: Selection | None = None) -> tuple[
        list[CodeInfo], list[InformantInfo], np.ndarray]:
    """Codes, informants (by pseudonym) and the summary text of every cell, as a
    codes x informants array ('' where no summary is saved): two queries."""
    codes = code_table(project, codebook, lang)
    row = {c.id: n for n, c in enumerate(codes)}
    people_q = informant_rows_select(selection).subquery()
    summ = table(Summary).c
    stmt = select(people_q.c.i_id, people_q.c.i_pseudonym, people_q.c.i_role, summ.code_id,
                  summ.text).select_from(people_q.outerjoin(table(Summary), and_(
                      summ.informant_id == people_q.c.i_id, summ.code_id.in_(list(row))))
                  ).order_by(people_q.c.i_pseudonym)
    with project.engine.connect() as conn:
        rows = fetch_rows(conn, stmt)
    people: dict[int, InformantInfo] = {}
    for informant_id, pseudonym, role, _code, _text in rows:
        if informant_id not in people:
            people[informant_id] = InformantInfo(informant_id, pseudonym, role or "")
    col = {i: n for n, i in enumerate(people)}
    texts = np.full((len(codes), len(people)), "", dtype=object)
    for informant_id, _name, _role, code_id, text in rows:
        if code_id is not None:
            texts[row[code_id], col[informant_id]] = text
    return codes, list(people.values()), texts


def summary_grid(project: Any, *, codebook: str | None = None, lang: str = "id",
                 **_options: Any) -> Display:
    """Codes x informants holding the researcher's condensed summaries."""
    codes, people, texts = summary_table(project, codebook, lang)
    frame = pd.DataFrame(texts, index=code_index(codes, lang),
                         columns=pd.Index([p.pseudonym for p in people],
                                          name=_("Informant", lang=lang)), dtype=object)
    return Display("summary_grid", _("Summary grid (codes × informants)", lang=lang),
                   frame, "text", [draft_note(lang)], lang, [c.key for c in codes],
                   [f"i:{p.pseudonym}" for p in people])


def draft_note(lang: str) -> str:
    """The footnote explaining the draft mark."""
    return _("Text marked {mark} is a draft the researcher has not accepted yet.",
             lang=lang).format(mark=draft_mark(lang))


def draft_summary(project: Any, code_key: str, informant: str, *, coder: str | None = None,
                  lang: str = "id", max_sentences: int = 3) -> str:
    """An extractive draft for one cell, marked DRAFT_MARK: the best sentences of the cell's
    excerpts, as many from + as from − codings in proportion to their counts."""
    frame = coding_frame(project, codes=[code_key], informants=[informant],
                         coders=(coder,) if coder else (), lang=lang)
    if frame.empty:
        by = f" by {coder}" if coder else ""
        raise QualcodeError(N_("{informant} has no codings of {code_key}{by}; nothing to "
                               "summarise"),
                            hint=N_("code some excerpts first, or write the summary yourself"),
                            informant=informant, code_key=code_key, by=by)
    frame = add_excerpts(project, frame)
    phrases = indicator_phrases(project, [int(frame["code_id"].iloc[0])], lang).get(
        int(frame["code_id"].iloc[0]), [])
    seen: set[str] = set()
    candidates: list[tuple[float, str, int, str]] = []  # (score, valence, order, sentence)
    for order, (valence, excerpt) in enumerate(zip(frame["valence"], frame["excerpt"],
                                                   strict=True)):
        for sentence in _SENTENCE_END.split(" ".join(str(excerpt).split())):
            key = sentence.casefold()
            if len(sentence) < 3 or key in seen:
                continue
            seen.add(key)
            words = len(sentence.split())
            score = 2 * phrase_hits(sentence, phrases) + (valence != "0") + (5 <= words <= 40)
            candidates.append((score, valence, order, sentence))
    n_plus = int((frame["valence"] == "+").sum())
    n_minus = int((frame["valence"] == "-").sum())
    quota = _quota(n_plus, n_minus, max_sentences)
    chosen: list[tuple[float, str, int, str]] = []
    for valence in ("+", "-", "0"):
        pool = sorted((c for c in candidates if c[1] == valence), key=lambda c: (-c[0], c[2]))
        chosen += pool[:quota[valence]]
    if len(chosen) < max_sentences:
        rest = sorted((c for c in candidates if c not in chosen), key=lambda c: (-c[0], c[2]))
        chosen += rest[:max_sentences - len(chosen)]
    chosen.sort(key=lambda c: c[2])
    balance = valence_cell(n_plus, n_minus, int((frame["valence"] == "0").sum()), lang)
    return f"{draft_mark(lang)} ({balance}) " + " … ".join(c[3] for c in chosen)


def _quota(n_plus: int, n_minus: int, k: int) -> dict[str, int]:
    """Sentences to take per valence: proportional to the +/− counts, at least one of each."""
    if n_plus and n_minus and k >= 2:
        k_plus = min(k - 1, max(1, round(k * n_plus / (n_plus + n_minus))))
        return {"+": k_plus, "-": k - k_plus, "0": 0}
    return {"+": k if n_plus else 0, "-": k if n_minus else 0, "0": k}


def save_draft(project: Any, code_key: str, informant: str, *, coder: str | None = None,
               lang: str = "id") -> Any:
    """Generate a draft for the cell and store it with status 'draft' (undoable)."""
    text = draft_summary(project, code_key, informant, coder=coder, lang=lang)
    return project.set_summary(code_key, informant, text, status="draft")


# ---- frequency tables ------------------------------------------------------------------------
FREQUENCY_BY = ("code", "kind", "valence")


def frequency_table(project: Any, by: str = "code", *, codebook: str | None = None,
                    coder: str | None = None, codes: Sequence[str] = (),
                    informants: Sequence[str] = (), kinds: Sequence[str] = (),
                    valence: str | None = None, lang: str = "id", **_options: Any) -> Display:
    """Codings and informants per code, per code x source kind, or per code x valence.

    'Informants' counts distinct informants; codings in sources without an informant
    (observation notes, documents) count as codings only."""
    check_choice("frequency by", by, FREQUENCY_BY)
    sel: Selection = select_codings(project, codebook=codebook, codes=codes,
                                    informants=informants, kinds=kinds,
                                    coders=(coder,) if coder else (), valence=valence)
    rows = code_table(project, codebook, lang)
    ids = [c.id for c in rows]
    extra = {"code": (), "kind": ("kind",), "valence": ("valence",)}[by]
    agg = coding_counts(project, ("code_id", "informant_id", *extra), sel)
    agg = agg[agg["code_id"].isin(ids)]
    measures = [_("Codings", lang=lang), _("Informants", lang=lang)]
    if by == "code":
        groups: list[tuple[str, str]] = [("", "")]
        agg = agg.assign(col="")
    elif by == "kind":
        groups = [(k, kind_label(k, lang)) for k in SOURCE_KINDS]
        agg = agg.assign(col=agg["kind"])
    else:
        groups = [(v, valence_label(v, lang)) for v in VALENCES]
        agg = agg.assign(col=agg["valence"])
    keys = [g for g, _group in groups]
    codings = pivot_counts(agg, ids, keys)
    people = agg.dropna(subset=["informant_id"]).drop_duplicates(["code_id", "col",
                                                                  "informant_id"])
    informant_n = pivot_counts(people.assign(n=1), ids, keys)
    if by == "code":
        frame = pd.DataFrame({measures[0]: codings[""].to_numpy(),
                              measures[1]: informant_n[""].to_numpy()},
                             index=code_index(rows, lang))
        col_keys = ["codings", "informants"]
    else:
        data = {}
        for key, label in groups:
            data[(label, measures[0])] = codings[key].to_numpy()
            data[(label, measures[1])] = informant_n[key].to_numpy()
        frame = pd.DataFrame(data, index=code_index(rows, lang))
        frame.columns = pd.MultiIndex.from_tuples(list(data), names=[
            _("Source kind", lang=lang) if by == "kind"
            else _("Valence", lang=lang), ""])
        col_keys = [f"{key}:{m}" for key, _ in groups for m in ("codings", "informants")]
    total_codings = int(agg["n"].sum())
    total_people = int(agg["informant_id"].dropna().nunique())
    notes = [_("Total: {total_codings} codings from {total_people} informants.",
               lang=lang).format(total_codings=total_codings, total_people=total_people),
             _("Informants = distinct informants; observation notes and documents without an "
               "informant count as codings only.", lang=lang),
             *filter_notes(lang, codebook=codebook, coders=sel.coders, codes=codes,
                           informants=informants, kinds=kinds, valence=valence)]
    title = {"code": _("Frequencies per code", lang=lang),
             "kind": _("Frequencies per code and source kind", lang=lang),
             "valence": _("Frequencies per code and valence", lang=lang)}[by]
    return Display(f"frequency_{by}", title, frame, "count", notes, lang,
                   [c.key for c in rows], col_keys)


__all__ = ["DRAFT_MARK", "FREQUENCY_BY", "SummaryCell", "best_quotes", "draft_summary",
           "frequency_table", "is_draft", "quote_text", "save_draft",
           "shorten", "strip_draft", "summary_cells", "summary_grid"]
