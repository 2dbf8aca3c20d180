"""Conclusion drawing and verification: per-code verdicts with evidence, the verification
checklist, and the results report (per characteristic, then a closing summary).

Evidence: codings the researcher linked (ConclusionEvidence) come first; the rest follow the
verdict's direction — for a top-level verdict (e.g. effective) + codings support and − codings
contradict; for any lower verdict − codings support and + codings contradict. Without a verdict
the proposed one (verdicts.propose_level) sets the direction.

Checklist (computed from the data). An informant (or a source kind) supports the verdict when
more of its codings support it than contradict it, and goes against it when more contradict it;
both checks use the verdict in force, so no informant is counted on both sides:
- triangulation: >= 2 informants or >= 2 source kinds support the verdict;
- contradicting evidence: none, or every contradicting coding is addressed — linked as evidence,
  given a memo (on the coding or on its summary-grid cell) — or the statement / a memo on the
  code concedes it (namun, meskipun, walaupun, tetapi, kecuali, masih, sebagian; however,
  although, but, except, still, some ...);
- representativeness: informants of >= 2 roles speak to the code (any valence);
- outliers: no informant goes against the verdict.

While the researcher has written no statement, the statement is an automatic draft that names
the verdict in force (the researcher's, else the proposed one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select

from qualcode.core.analysis.base import Display, code_index, coder_note
from qualcode.core.analysis.labels import (
    check_lang,
    draft_mark,
    is_draft,
    join_names,
    kind_label,
    role_label,
    role_rank,
    valence_cell,
)
from qualcode.core.analysis.query import (
    CodeInfo,
    Selection,
    add_locations,
    code_table,
    coding_counts,
    coding_frame,
    retrieve,
    select_codings,
    table,
)
from qualcode.core.analysis.reduction import best_quotes, shorten
from qualcode.core.analysis.verdicts import Level, find_level, is_top, propose_level, scale_levels
from qualcode.core.location import Location
from qualcode.core.models import Codebook, Conclusion, ConclusionEvidence, Memo
from qualcode.i18n import N_, _, ngettext

CONCESSION = re.compile(
    r"\b(namun|meskipun|walaupun|walau|tetapi|kendati|kecuali|masih|sebagian|however|although|"
    r"though|but|except|despite|still|some)\b", re.IGNORECASE)


@dataclass
class Quote:
    """An excerpt quoted as evidence, with who said it and where."""

    coding_id: int
    excerpt: str
    informant: str | None
    role: str | None
    source: str
    kind: str
    valence: str
    location: Location | None = None  # line, paragraph (page) of the quote's start


@dataclass
class CheckItem:
    """One verification check beside a conclusion."""

    key: str
    label: str
    ok: bool
    detail: str


@dataclass
class CodeConclusion:
    """A characteristic's conclusion as the results section presents it."""

    code_key: str
    code_label: str
    codebook_key: str
    statement: str
    verdict_key: str | None
    verdict_label: str | None
    proposed_verdict_key: str | None
    proposed_verdict_label: str | None
    status: str
    decided_by: str | None
    n_plus: int
    n_minus: int
    n_neutral: int
    supporting: list[Quote] = field(default_factory=list)
    contradicting: list[Quote] = field(default_factory=list)
    checklist: list[CheckItem] = field(default_factory=list)


@dataclass
class ResultsReport:
    """The conclusions report: one section per characteristic and the closing summary."""

    title: str
    lang: str
    codebook_key: str
    sections: list[CodeConclusion]
    closing_summary: str
    coder_note: str = ""       # whose codings the counts and quotes come from


def default_codebook(project: Any) -> str:
    """The codebook a report is about: the active theory codebook with the most codings
    (the first one when none has codings)."""
    with project.session() as s:
        books = list(s.execute(select(Codebook).order_by(table(Codebook).c.id)).scalars())
    if not books:
        from qualcode.errors import NotFoundError

        raise NotFoundError(N_("this project has no codebook"),
                            hint=N_("add one with `qualcode codebook add`"))
    theory = [b for b in books if b.active and not b.is_emergent] or books
    book_of = {c.id: c.codebook for c in code_table(project)}
    used: dict[str, int] = {}
    for code_id, n in coding_counts(project, ("code_id",), Selection()).itertuples(index=False):
        key = book_of.get(int(code_id))
        if key is not None:
            used[key] = used.get(key, 0) + int(n)
    return max(theory, key=lambda b: used.get(b.key, 0)).key


def _quote(row: Any) -> Quote:
    return Quote(int(row.coding_id), shorten(str(row.excerpt), 400),
                 None if pd.isna(row.informant) else str(row.informant),
                 None if pd.isna(row.role) else str(row.role), str(row.source), str(row.kind),
                 str(row.valence), Location(int(row.line), int(row.paragraph),
                                            None if pd.isna(row.page) else int(row.page)))


class _Context:
    """Everything the per-code computation needs, loaded once per report."""

    def __init__(self, project: Any, codebook: str, coder: str | None, lang: str) -> None:
        self.codes: list[CodeInfo] = code_table(project, codebook, lang)
        sel = select_codings(project, codebook=codebook, coders=(coder,) if coder else ())
        self.coder_note = coder_note(lang, sel.coders)
        frame = coding_frame(project, selection=sel, lang=lang, ordered=False, columns=(
                                 "coding_id", "source_id", "source", "kind", "informant_id",
                                 "informant", "role", "code_id", "valence", "start", "end"))
        self.frame = add_locations(project, best_quotes(project, frame, lang))
        book = project.get_codebook(codebook)
        self.levels: list[Level] = scale_levels(book.scale)
        self.title = (book.title_en or book.title_id) if lang == "en" else (
            book.title_id or book.title_en)
        ids = [c.id for c in self.codes]
        con, ev = table(Conclusion).c, table(ConclusionEvidence).c
        with project.session() as s:
            self.saved = {c.code_id: c for c in s.execute(
                select(Conclusion).where(con.code_id.in_(ids))).scalars()}
            self.links: dict[int, dict[int, str]] = {}
            for code_id, coding_id, stance in s.execute(
                    select(con.code_id, ev.coding_id, ev.stance).select_from(
                        table(ConclusionEvidence).join(table(Conclusion),
                                                       con.id == ev.conclusion_id))
                    .order_by(ev.id)).all():
                self.links.setdefault(int(code_id), {})[int(coding_id)] = stance
            memos = list(s.execute(select(Memo)).scalars())
        self.coding_memos = {m.coding_id for m in memos if m.coding_id is not None}
        self.cell_memos = {(m.code_id, m.informant_id) for m in memos
                           if m.code_id is not None and m.informant_id is not None}
        self.code_memos: dict[int, str] = {}
        for m in memos:
            if m.code_id is not None and m.informant_id is None:
                self.code_memos[m.code_id] = self.code_memos.get(m.code_id, "") + " " + m.body


def _conclude(ctx: _Context, code: CodeInfo, lang: str, max_quotes: int) -> CodeConclusion:
    rows = ctx.frame[ctx.frame["code_id"] == code.id]
    n_plus, n_minus = int((rows["valence"] == "+").sum()), int((rows["valence"] == "-").sum())
    n_neutral = len(rows) - n_plus - n_minus
    proposed = propose_level(n_plus, n_minus, ctx.levels)
    saved = ctx.saved.get(code.id)
    verdict = find_level(ctx.levels, saved.verdict if saved else None)
    direction = verdict or proposed
    links = ctx.links.get(code.id, {})
    if direction is None:
        pro, con = "", ""
    else:
        pro, con = ("+", "-") if is_top(ctx.levels, direction.key) else ("-", "+")
    linked_pro = [cid for cid, stance in links.items() if stance == "supports"]
    linked_con = [cid for cid, stance in links.items() if stance == "contradicts"]
    support = rows[rows["coding_id"].isin(linked_pro) | ((rows["valence"] == pro)
                                                        & ~rows["coding_id"].isin(linked_con))]
    against = rows[rows["coding_id"].isin(linked_con) | ((rows["valence"] == con)
                                                        & ~rows["coding_id"].isin(linked_pro))]
    written = saved.statement if saved and not is_draft(saved.statement) else ""
    statement = written or _draft_statement(code, n_plus, n_minus, verdict, proposed, lang)
    stance = _stances(support, against)
    checks = [_triangulation(support, against, stance, lang),
              _contradicting(ctx, code, against, links, written, lang),
              _representativeness(rows, lang), _outliers(rows, stance, lang)]
    return CodeConclusion(
        code.key, code.label, code.codebook, statement,
        verdict.key if verdict else None, verdict.label(lang) if verdict else None,
        proposed.key if proposed else None, proposed.label(lang) if proposed else None,
        saved.status if saved else "tentative", saved.decided_by if saved else None,
        n_plus, n_minus, n_neutral, _pick(support, linked_pro, max_quotes),
        _pick(against, linked_con, max_quotes), checks)


def _pick(rows: pd.DataFrame, linked: list[int], limit: int) -> list[Quote]:
    """Linked codings first (all of them), then the best-scored others up to `limit`.

    A passage coded by several coders is quoted once.
    """
    span = ["source_id", "start", "end"]
    first = rows[rows["coding_id"].isin(linked)].drop_duplicates(span)
    rest = rows[~rows["coding_id"].isin(linked)].drop_duplicates(span)
    seen = set(zip(first["source_id"], first["start"], first["end"], strict=True))
    keep = [key not in seen
            for key in zip(rest["source_id"], rest["start"], rest["end"], strict=True)]
    rest = rest[keep].head(max(0, limit - len(first)))
    return [_quote(r) for r in pd.concat([first, rest]).itertuples(index=False)]


def _draft_statement(code: CodeInfo, n_plus: int, n_minus: int, verdict: Level | None,
                     proposed: Level | None, lang: str) -> str:
    """The automatic draft; it names the researcher's verdict if any, else the proposed one."""
    if verdict is not None:
        named = _("verdict: {verdict}", lang=lang).format(verdict=verdict.label(lang))
    else:
        label = proposed.label(lang) if proposed else _("none can be proposed yet", lang=lang)
        named = _("proposed verdict: {label}", lang=lang).format(label=label)
    return _(
        "{mark} {label}: {n_plus} codings show it carried out well and {n_minus} show "
        "shortfalls; {named}.",
        lang=lang,
    ).format(mark=draft_mark(lang), label=code.label, n_plus=n_plus, n_minus=n_minus, named=named)


def _balance(support: pd.DataFrame, against: pd.DataFrame, column: str) -> dict[str, int]:
    """Per value of `column`: supporting minus contradicting codings (> 0 supports the verdict,
    < 0 goes against it)."""
    score: dict[str, int] = {}
    for frame, sign in ((support, 1), (against, -1)):
        for value in frame[column].dropna():
            score[str(value)] = score.get(str(value), 0) + sign
    return score


def _stances(support: pd.DataFrame, against: pd.DataFrame) -> dict[str, int]:
    """Per informant: +1 supports the verdict, -1 goes against it, 0 evenly split."""
    return {name: (n > 0) - (n < 0)
            for name, n in _balance(support, against, "informant").items()}


def _triangulation(support: pd.DataFrame, against: pd.DataFrame, stance: dict[str, int],
                   lang: str) -> CheckItem:
    people = sorted(name for name, side in stance.items() if side > 0)
    by_kind = _balance(support, against, "kind")
    kinds = [k for k in ("interview", "observation", "document") if by_kind.get(k, 0) > 0]
    ok = len(people) >= 2 or len(kinds) >= 2
    detail = ngettext("{n} informant supporting the verdict",
                      "{n} informants supporting the verdict", len(people), lang=lang
                      ).format(n=len(people))
    if people:
        detail += f" ({', '.join(people)})"
    detail += "; " + _("source kinds: ", lang=lang) + (
        ", ".join(kind_label(k, lang) for k in kinds) or "—")
    return CheckItem("triangulation", _("Triangulation", lang=lang), ok, detail)


def _contradicting(ctx: _Context, code: CodeInfo, against: pd.DataFrame, links: dict[int, str],
                   statement: str, lang: str) -> CheckItem:
    label = _("Contradicting evidence", lang=lang)
    if against.empty:
        return CheckItem("contradicting", label, True,
                         _("none found", lang=lang))
    conceded = bool(CONCESSION.search(statement + " " + ctx.code_memos.get(code.id, "")))
    addressed = sum(1 for cid, inf in zip(against["coding_id"], against["informant_id"],
                                          strict=True)
                    if conceded or int(cid) in links or int(cid) in ctx.coding_memos
                    or (code.id, None if pd.isna(inf) else int(inf)) in ctx.cell_memos)
    n = len(against)
    detail = ngettext("{n} contradicting coding; {addressed} addressed (linked, memo, or "
                      "acknowledged in the statement)",
                      "{n} contradicting codings; {addressed} addressed (linked, memo, or "
                      "acknowledged in the statement)", n, lang=lang
                      ).format(n=n, addressed=addressed)
    return CheckItem("contradicting", label, addressed == n, detail)


def _representativeness(rows: pd.DataFrame, lang: str) -> CheckItem:
    label = _("Representativeness (roles)", lang=lang)
    roles = sorted({str(r) for r in rows["role"].dropna() if str(r)}, key=role_rank)
    names = [role_label(r, lang) for r in roles]
    if not roles:
        return CheckItem("representativeness", label, False,
                         _("no informant speaks to it", lang=lang))
    if len(roles) == 1:
        return CheckItem("representativeness", label, False,
                         _("only {name} speaks to it", lang=lang).format(name=names[0]))
    return CheckItem("representativeness", label, True,
                     _("roles: ", lang=lang) + join_names(names, lang))


def _outliers(rows: pd.DataFrame, stance: dict[str, int], lang: str) -> CheckItem:
    label = _("Outliers", lang=lang)
    found = []
    people = rows.dropna(subset=["informant"])
    for name, group in people.groupby("informant", sort=True):
        if stance.get(str(name), 0) >= 0:
            continue
        p, m = int((group["valence"] == "+").sum()), int((group["valence"] == "-").sum())
        n0 = len(group) - p - m
        role = group["role"].iloc[0]
        who = f"{name!s} ({role_label(role, lang)})" if isinstance(role, str) and role \
            else str(name)
        found.append(f"{who}: {valence_cell(p, m, n0, lang)}")
    detail = "; ".join(found) if found else _("none", lang=lang)
    return CheckItem("outliers", label, not found, detail)


def conclusions(project: Any, *, codebook: str | None = None, coder: str | None = None,
                lang: str = "id", max_quotes: int = 3) -> list[CodeConclusion]:
    """The conclusion of every code of a codebook (default: see default_codebook)."""
    check_lang(lang)
    ctx = _Context(project, codebook or default_codebook(project), coder, lang)
    return [_conclude(ctx, code, lang, max_quotes) for code in ctx.codes]


def closing_summary(sections: list[CodeConclusion], levels: list[Level], lang: str) -> str:
    """'All characteristics were carried out well, except X, which is not yet effective.'"""
    if not sections or not levels:
        return ""
    top = levels[0]
    good = (top.label_en if lang == "en" else top.label_id).lower()
    decided = [(s, s.verdict_key or s.proposed_verdict_key) for s in sections]
    fine = [s.code_label for s, key in decided if key == top.key]
    short = [f"{s.code_label} ({s.verdict_label or s.proposed_verdict_label})"
             for s, key in decided if key and key != top.key]
    pending = [s.code_label for s, key in decided if not key]
    if fine and not short:
        text = _("All characteristics were carried out well ({good}).", lang=lang).format(good=good)
    elif short and len(fine) >= len(short):
        text = ngettext("All characteristics were carried out well, except {short}, which is not "
                        "yet {good}.", "All characteristics were carried out well, except {short}, "
                        "which are not yet {good}.", len(short), lang=lang
                        ).format(short=join_names(short, lang), good=good)
    elif short and fine:
        text = ngettext(
            "Most characteristics are not yet {good}: {short}; only {fine} is {good}.",
            "Most characteristics are not yet {good}: {short}; only {fine} are {good}.",
            len(fine),
            lang=lang,
        ).format(good=good, short=join_names(short, lang), fine=join_names(fine, lang))
    elif short:
        text = _("No characteristic is {good} yet: {short}.", lang=lang).format(
            good=good, short=join_names(short, lang)
        )
    else:
        text = ""
    if pending:
        text += " " + _("No verdict yet for {names}.", lang=lang).format(
            names=join_names(pending, lang)
        )
    tentative = sum(1 for s, key in decided if key and s.status != "verified")
    if tentative:
        text += " " + ngettext("{n} conclusion is still tentative (not verified).",
                                "{n} conclusions are still tentative (not verified).",
                                tentative, lang=lang).format(n=tentative)
    return text.strip()


def build_report(project: Any, *, codebook: str | None = None, lang: str = "id",
                 coder: str | None = None, max_quotes: int = 3) -> ResultsReport:
    """The results section: per characteristic verdict, quotes with informant roles,
    contradicting evidence and checklist; then the closing summary."""
    check_lang(lang)
    key = codebook or default_codebook(project)
    ctx = _Context(project, key, coder, lang)
    sections = [_conclude(ctx, code, lang, max_quotes) for code in ctx.codes]
    title = _("Results: {title}", lang=lang).format(title=ctx.title)
    return ResultsReport(title, lang, key, sections, closing_summary(sections, ctx.levels, lang),
                         ctx.coder_note)


def checklist_display(project: Any, *, codebook: str | None = None, coder: str | None = None,
                      lang: str = "id", **_options: Any) -> Display:
    """Codes x (verdict, proposed, status, checks): the verification checklist matrix."""
    check_lang(lang)
    key = codebook or default_codebook(project)
    ctx = _Context(project, key, coder, lang)
    sections = [_conclude(ctx, code, lang, 3) for code in ctx.codes]
    heads = [_("Verdict", lang=lang), _("Proposed", lang=lang),
             _("Status", lang=lang), "+/−"]
    data = []
    for sec in sections:
        row = [sec.verdict_label or "", sec.proposed_verdict_label or "", sec.status,
               valence_cell(sec.n_plus, sec.n_minus, sec.n_neutral, lang)]
        row += [f"{'✓' if c.ok else '✗'} {c.detail}" for c in sec.checklist]
        data.append(row)
    checks = [c.label for c in sections[0].checklist] if sections else []
    frame = pd.DataFrame(data, index=code_index(ctx.codes, lang), columns=heads + checks,
                         dtype=object)
    notes = [_("✓ met, ✗ needs attention.", lang=lang), ctx.coder_note]
    return Display("checklist", _("Verification checklist", lang=lang),
                   frame, "text", notes, lang, [c.key for c in ctx.codes],
                   ["verdict", "proposed", "status", "balance",
                    *(c.key for c in (sections[0].checklist if sections else []))])


def retrieval_display(project: Any, *, codebook: str | None = None, coder: str | None = None,
                      codes: tuple[str, ...] = (), informants: tuple[str, ...] = (),
                      kinds: tuple[str, ...] = (), valence: str | None = None,
                      lang: str = "id", context_chars: int = 80, limit: int | None = None,
                      **_options: Any) -> Display:
    """Retrieved excerpts, one row each, with context and the source position."""
    sel = select_codings(project, codebook=codebook, codes=codes, informants=informants,
                         kinds=kinds, coders=(coder,) if coder else (), valence=valence)
    found = retrieve(project, selection=sel, lang=lang, context_chars=context_chars,
                     limit=limit)
    heads = [_("Key", lang=lang), _("Code", lang=lang), _("Informant", lang=lang),
             _("Role", lang=lang), _("Source kind", lang=lang),
             _("Valence", lang=lang), _("Coder", lang=lang),
             _("Excerpt in context", lang=lang),
             _("Note", lang=lang), _("Position", lang=lang)]
    data = [[e.code, e.code_label, e.who or "",
             role_label(e.role, lang) if e.role else "", kind_label(e.kind, lang), e.valence,
             e.coder, " ".join(f"{e.before}«{e.text}»{e.after}".split()),
             " ".join(e.note.split()),
             f"{e.source}, {e.location.text(lang)}" if e.location else e.source]
            for e in found]
    frame = pd.DataFrame(data, columns=heads, dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    notes = [_("«…» = the coded text; around it, its context.", lang=lang),
             coder_note(lang, sel.coders)]
    return Display("retrieval", _("Coded excerpts", lang=lang), frame, "text",
                   notes, lang, [e.code for e in found],
                   ["key", "code", "informant", "role", "kind", "valence", "coder", "excerpt",
                    "note", "position"])
