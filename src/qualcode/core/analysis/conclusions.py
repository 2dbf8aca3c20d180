"""Conclusion drawing and verification: per-code verdicts with evidence, the verification
checks, and the results report (per characteristic, a methods paragraph, a closing summary).

What a report covers: every code of every active codebook and of any codebook with codings
(the emergent codes included), unless narrowed to one codebook (`codebook=`, CLI `-c`).

Evidence: codings the researcher linked (ConclusionEvidence) come first and keep their stance;
the rest follow the verdict's direction: for a top-level verdict (e.g. effective) + codings
support and − codings contradict; for any lower verdict − codings support and + codings
contradict. Without a verdict the proposed one (verdict_rule.propose) sets the direction.
The checks are in conclusion_checks.py, the rule in verdict_rule.py, the sentences that carry
numbers (closing summary, methods) in results_text.py.

While the researcher has written no statement, the statement is an automatic draft that names
the verdict in force (the researcher's, else the proposed one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select

from qualcode.core.analysis.base import Display, code_index, coder_note
from qualcode.core.analysis.conclusion_checks import CheckItem, Evidence, run_checks
from qualcode.core.analysis.labels import (
    check_lang,
    draft_mark,
    is_draft,
    kind_label,
    role_label,
    valence_cell,
)
from qualcode.core.analysis.query import (
    CodeInfo,
    add_locations,
    code_table,
    coding_frame,
    informant_table,
    retrieve,
    select_codings,
    table,
)
from qualcode.core.analysis.reduction import best_quotes, shorten
from qualcode.core.analysis.results_text import CodebookRef, closing_summary, methods_paragraph
from qualcode.core.analysis.verdict_rule import Proposal, counts_text, propose, rule_text
from qualcode.core.analysis.verdicts import Level, find_level, is_top, scale_levels
from qualcode.core.location import Location
from qualcode.core.models import Code, Codebook, Conclusion, ConclusionEvidence, Memo
from qualcode.i18n import N_, _

__all__ = ["CheckItem", "CodeConclusion", "Quote", "ResultsReport", "build_report",
           "checklist_display", "closing_summary", "conclusions", "retrieval_display"]


@dataclass
class Quote:
    """An excerpt quoted as evidence: who said it (informant pseudonym and role, or the source
    for a source without an informant), the source kind, where a paper cites it, and, for a
    linked coding, its stance and the researcher's explanation."""

    coding_id: int
    excerpt: str
    informant: str | None
    role: str | None
    source: str
    kind: str
    valence: str
    location: Location | None = None  # line, paragraph (page) of the quote's start
    coder: str = ""
    linked: str | None = None          # supports | contradicts, when linked
    explanation: str = ""              # the researcher's note on the link


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
    proposal_rule: str = ""       # the verdict rule with this codebook's thresholds
    proposal_counts: str = ""     # informants / sources for and against, codings, levels
    parent_key: str | None = None
    number: str = ""              # "2" for a code, "2.1" for its first sub-code
    voices_for: int = 0           # informants or sources without one for the characteristic
    voices_against: int = 0
    against_ids: list[int] = field(default_factory=list)  # every coding against the verdict

    @property
    def decided(self) -> bool:
        """Whether the researcher decided a verdict (a proposal is not a decision)."""
        return self.verdict_key is not None


@dataclass
class ResultsReport:
    """The conclusions report: one section per characteristic, methods, closing summary."""

    title: str
    lang: str
    codebook_key: str            # the codebooks covered, comma-separated
    sections: list[CodeConclusion]
    closing_summary: str
    coder_note: str = ""         # whose codings the counts and quotes come from
    codebooks: list[CodebookRef] = field(default_factory=list)
    covers: str = ""             # "This chapter covers: …"
    methods: str = ""            # sources by kind, informants by role, coders, citations, rule


def _title(row: Any, lang: str) -> str:
    return (row.title_en or row.title_id) if lang == "en" else (row.title_id or row.title_en)


class _Context:
    """Everything the per-code computation needs, loaded once per report."""

    def __init__(self, project: Any, codebook: str | None, coder: str | None,
                 lang: str) -> None:
        self.project = project
        self.codes: list[CodeInfo] = code_table(project, codebook, lang)
        if not self.codes and codebook is None:
            _no_codebook(project)
        keys = list(dict.fromkeys(c.codebook for c in self.codes))
        sel = select_codings(project, codebook=codebook, coders=(coder,) if coder else ())
        self.coders = sel.coders
        self.coder_note = coder_note(lang, sel.coders)
        frame = coding_frame(project, selection=sel, lang=lang, ordered=False, columns=(
                                 "coding_id", "source_id", "source", "kind", "informant_id",
                                 "informant", "role", "code_id", "coder", "valence", "start",
                                 "end"))
        frame = add_locations(project, best_quotes(project, frame, lang))
        self.frame = _with_voices(frame, lang)
        cb, con, ev, code = (table(Codebook).c, table(Conclusion).c,
                             table(ConclusionEvidence).c, table(Code).c)
        ids = [c.id for c in self.codes]
        with project.session() as s:
            books = {b.key: b for b in s.execute(select(Codebook).where(cb.key.in_(keys)))
                     .scalars()}
            self.saved = {c.code_id: c for c in s.execute(
                select(Conclusion).where(con.code_id.in_(ids))).scalars()}
            self.links: dict[int, dict[int, tuple[str, str]]] = {}
            for code_id, coding_id, stance, note in s.execute(
                    select(con.code_id, ev.coding_id, ev.stance, ev.note).select_from(
                        table(ConclusionEvidence).join(table(Conclusion),
                                                       con.id == ev.conclusion_id))
                    .order_by(ev.id)).all():
                self.links.setdefault(int(code_id), {})[int(coding_id)] = (stance, note or "")
            self.coding_memos = frozenset(int(m) for m in s.execute(
                select(table(Memo).c.coding_id).where(table(Memo).c.coding_id.is_not(None)))
                .scalars())
            self.roles_of = {int(i): list(r or []) for i, r in s.execute(
                select(code.id, code.informant_roles).where(code.id.in_(ids))).all()}
        self.levels: dict[str, list[Level]] = {k: scale_levels(books[k].scale) for k in keys}
        self.books = [CodebookRef(k, _title(books[k], lang), books[k].citation,
                                  bool(books[k].is_emergent)) for k in keys]
        self.study_roles = sorted({i.role for i in informant_table(project) if i.role})
        self.numbers = _numbers(self.codes)


def _no_codebook(project: Any) -> None:
    from qualcode.errors import NotFoundError

    with project.session() as s:
        if s.execute(select(Codebook)).first() is None:
            raise NotFoundError(N_("this project has no codebook"),
                                hint=N_("add one with `qualcode codebook add`"))


def _with_voices(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add `voice` (i<informant id> or s<source id>) and `who` (its label) to coding rows."""
    frame = frame.copy()
    person = frame["informant_id"].notna()
    frame["voice"] = [f"i{int(i)}" if p else f"s{int(s)}" for p, i, s in zip(
        person, frame["informant_id"].fillna(0), frame["source_id"], strict=True)]
    frame["who"] = [
        (f"{n} ({role_label(r, lang)})" if isinstance(r, str) and r else str(n)) if p
        else f"{src} ({kind_label(str(k), lang)})"
        for p, n, r, src, k in zip(person, frame["informant"], frame["role"], frame["source"],
                                   frame["kind"], strict=True)]
    return frame


def _numbers(codes: list[CodeInfo]) -> dict[str, str]:
    """Section numbers: top-level codes 1, 2, …; sub-codes 1.1, 1.2 under their parent."""
    numbers: dict[str, str] = {}
    counts: dict[str | None, int] = {}
    for code in codes:
        parent = code.parent_key if code.parent_key in numbers else None
        counts[parent] = counts.get(parent, 0) + 1
        numbers[code.key] = (f"{numbers[parent]}.{counts[parent]}" if parent
                             else str(counts[parent]))
    return numbers


def _quote(row: Any, link: tuple[str, str] | None) -> Quote:
    return Quote(int(row.coding_id), shorten(str(row.excerpt), 400),
                 None if pd.isna(row.informant) else str(row.informant),
                 None if pd.isna(row.role) else str(row.role), str(row.source), str(row.kind),
                 str(row.valence), Location(int(row.line), int(row.paragraph),
                                            None if pd.isna(row.page) else int(row.page)),
                 str(row.coder), link[0] if link else None, link[1] if link else "")


def _conclude(ctx: _Context, code: CodeInfo, lang: str, max_quotes: int) -> CodeConclusion:
    rows = ctx.frame[ctx.frame["code_id"] == code.id]
    levels = ctx.levels.get(code.codebook, [])
    n_plus, n_minus = int((rows["valence"] == "+").sum()), int((rows["valence"] == "-").sum())
    proposal: Proposal = propose(rows, levels)
    proposed = proposal.level
    saved = ctx.saved.get(code.id)
    verdict = find_level(levels, saved.verdict if saved else None)
    direction = verdict or proposed
    links = ctx.links.get(code.id, {})
    if direction is None:
        pro, con = "", ""
    else:
        pro, con = ("+", "-") if is_top(levels, direction.key) else ("-", "+")
    linked_pro = [cid for cid, (stance, _n) in links.items() if stance == "supports"]
    linked_con = [cid for cid, (stance, _n) in links.items() if stance == "contradicts"]
    support = rows[rows["coding_id"].isin(linked_pro) | ((rows["valence"] == pro)
                                                        & ~rows["coding_id"].isin(linked_con))]
    against = rows[rows["coding_id"].isin(linked_con) | ((rows["valence"] == con)
                                                        & ~rows["coding_id"].isin(linked_pro))]
    written = saved.statement if saved and not is_draft(saved.statement) else ""
    statement = written or _draft_statement(code, n_plus, n_minus, verdict, proposed, lang)
    evidence = Evidence(links, ctx.coding_memos)
    expected = ctx.roles_of.get(code.id) or ctx.study_roles
    checks = run_checks(rows, support, against, evidence, expected, lang, direction is not None)
    return CodeConclusion(
        code.key, code.label, code.codebook, statement,
        verdict.key if verdict else None, verdict.label(lang) if verdict else None,
        proposed.key if proposed else None, proposed.label(lang) if proposed else None,
        saved.status if saved else "tentative", saved.decided_by if saved else None,
        n_plus, n_minus, len(rows) - n_plus - n_minus,
        _pick(support, linked_pro, links, max_quotes),
        _pick(against, linked_con, links, max_quotes), checks,
        rule_text(levels, lang), counts_text(proposal, lang), code.parent_key,
        ctx.numbers.get(code.key, ""), len(proposal.voices_for), len(proposal.voices_against),
        [int(c) for c in against["coding_id"]])


def _pick(rows: pd.DataFrame, linked: list[int], links: dict[int, tuple[str, str]],
          limit: int) -> list[Quote]:
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
    return [_quote(r, links.get(int(r.coding_id)))
            for r in pd.concat([first, rest]).itertuples(index=False)]


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


def conclusions(project: Any, *, codebook: str | None = None, coder: str | None = None,
                lang: str = "id", max_quotes: int = 3) -> list[CodeConclusion]:
    """The conclusion of every code covered (see the module docstring)."""
    check_lang(lang)
    ctx = _Context(project, codebook, coder, lang)
    return [_conclude(ctx, code, lang, max_quotes) for code in ctx.codes]


def code_proposal(project: Any, code_key: str) -> Level | None:
    """The level the verdict rule proposes for one code (whose codings: the default choice,
    as in the report); the store keeps it beside the researcher's verdict."""
    sel = select_codings(project, codes=(code_key,))
    rows = coding_frame(project, selection=sel, ordered=False, columns=(
        "informant_id", "informant", "role", "source_id", "source", "kind", "valence",
        "codebook"))
    if rows.empty:
        return None
    return propose(rows, scale_levels(project.get_codebook(str(rows["codebook"].iloc[0])).scale)
                   ).level


def build_report(project: Any, *, codebook: str | None = None, lang: str = "id",
                 coder: str | None = None, max_quotes: int = 3) -> ResultsReport:
    """The results chapter: which codebooks it covers, a methods paragraph, per characteristic
    the verdict (or undecided), the rule and counts behind the proposal, quotes for and
    against with informant, role, source kind and location, the checks; then the closing
    summary from decided verdicts."""
    check_lang(lang)
    ctx = _Context(project, codebook, coder, lang)
    sections = [_conclude(ctx, code, lang, max_quotes) for code in ctx.codes]
    books = [b for b in ctx.books if any(s.codebook_key == b.key for s in sections)]
    titles = {b.key: b.title for b in books}
    named = [b.title for b in books]
    title = _("Results: {title}", lang=lang).format(title=" · ".join(named))
    covers = _("This chapter covers: {books}.", lang=lang).format(books="; ".join(
        b.title if b.emergent else f"{b.title} ({b.key})" for b in books)) if books else ""
    rules = [rule_text(ctx.levels[b.key], lang) for b in books]
    return ResultsReport(
        title, lang, ",".join(b.key for b in books), sections,
        closing_summary(sections, ctx.levels, lang, titles), ctx.coder_note, books, covers,
        methods_paragraph(project, books, ctx.coder_note, rules, lang))


def _row_labels(codes: list[CodeInfo], lang: str) -> pd.MultiIndex:
    """(group, code) rows as every table has them: a parent code opens its sub-codes' group
    and writers show its own row as "(in general)", so no label is repeated."""
    return code_index(codes, lang)


def checklist_display(project: Any, *, codebook: str | None = None, coder: str | None = None,
                      lang: str = "id", **_options: Any) -> Display:
    """Codes x (verdict, proposed, status, informants and codings for / against, checks): the
    verification checklist matrix of every code a report covers."""
    from qualcode.core.export.labels import status_word

    check_lang(lang)
    ctx = _Context(project, codebook, coder, lang)
    sections = [_conclude(ctx, code, lang, 3) for code in ctx.codes]
    heads = [_("Verdict", lang=lang), _("Proposed", lang=lang), _("Status", lang=lang),
             _("Informants for / against", lang=lang), "+/−"]
    data = []
    for sec in sections:
        row = [sec.verdict_label or _("undecided", lang=lang), sec.proposed_verdict_label or "",
               status_word(sec.status, lang), f"{sec.voices_for} / {sec.voices_against}",
               valence_cell(sec.n_plus, sec.n_minus, sec.n_neutral, lang)]
        row += [f"{'✓' if c.ok else '✗'} {c.detail}" for c in sec.checklist]
        data.append(row)
    checks = [c.label for c in sections[0].checklist] if sections else []
    frame = pd.DataFrame(data, index=_row_labels(ctx.codes, lang), columns=heads + checks,
                         dtype=object)
    notes = [_("✓ met, ✗ needs attention.", lang=lang), ctx.coder_note,
             *dict.fromkeys(rule_text(ctx.levels[b.key], lang) for b in ctx.books)]
    return Display("checklist", _("Verification checklist", lang=lang),
                   frame, "text", notes, lang, [c.key for c in ctx.codes],
                   ["verdict", "proposed", "status", "voices", "balance",
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
