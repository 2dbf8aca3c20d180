"""The sentences of the results chapter that carry numbers: the closing summary (composed only
from decided verdicts) and the methods paragraph (sources by kind, informants by role, whose
codings count, the codebooks cited, the verdict rule).

A verdict is *decided* when the researcher set it (`Conclusion.verdict`, with `decided_by`);
a proposal is not a verdict. A decided verdict is *verified* when its status says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from qualcode.core.analysis.labels import join_names, kind_label, role_label, role_rank
from qualcode.core.analysis.verdicts import Level
from qualcode.i18n import _, ngettext

if TYPE_CHECKING:
    from qualcode.core.analysis.conclusions import CodeConclusion


@dataclass(frozen=True)
class CodebookRef:
    """A codebook the report covers: key, title in the report's language, citation."""

    key: str
    title: str
    citation: str
    emergent: bool = False


def _book_sentence(sections: list[CodeConclusion], levels: list[Level], lang: str) -> str:
    """The sentence about one codebook's decided verdicts ('' when none is decided)."""
    decided = [s for s in sections if s.verdict_key]
    if not decided or not levels:
        return ""
    top = levels[0]
    good = top.label(lang).lower()
    fine = [s.code_label for s in decided if s.verdict_key == top.key]
    short = [f"{s.code_label} ({s.verdict_label})" for s in decided if s.verdict_key != top.key]
    if len(decided) == len(sections):
        if not short:
            return _("All characteristics were carried out well ({good}).",
                     lang=lang).format(good=good)
        if len(fine) >= len(short):
            return ngettext(
                "All characteristics were carried out well, except {short}, which is not "
                "yet {good}.", "All characteristics were carried out well, except {short}, "
                "which are not yet {good}.", len(short), lang=lang
            ).format(short=join_names(short, lang), good=good)
        if fine:
            return ngettext(
                "Most characteristics are not yet {good}: {short}; only {fine} is {good}.",
                "Most characteristics are not yet {good}: {short}; only {fine} are {good}.",
                len(fine), lang=lang,
            ).format(good=good, short=join_names(short, lang), fine=join_names(fine, lang))
        return _("No characteristic is {good} yet: {short}.", lang=lang).format(
            good=good, short=join_names(short, lang))
    if fine and short:
        return ngettext("Decided so far: {fine} is {good}; not yet {good}: {short}.",
                        "Decided so far: {fine} are {good}; not yet {good}: {short}.",
                        len(fine), lang=lang).format(
            fine=join_names(fine, lang), good=good, short=join_names(short, lang))
    if fine:
        return ngettext("Decided so far: {fine} is {good}.", "Decided so far: {fine} are {good}.",
                        len(fine), lang=lang).format(fine=join_names(fine, lang), good=good)
    return _("Decided so far: not yet {good}: {short}.", lang=lang).format(
        good=good, short=join_names(short, lang))


def closing_summary(sections: Sequence[CodeConclusion], levels: dict[str, list[Level]],
                    lang: str, titles: dict[str, str] | None = None) -> str:
    """'All characteristics were carried out well, except X, which is not yet effective.' from
    decided verdicts only (per codebook, each with its scale); then the characteristics without
    a decided verdict, named, and the decided verdicts not yet verified, named."""
    if not sections:
        return ""
    books = list(dict.fromkeys(s.codebook_key for s in sections))
    parts = []
    for book in books:
        sentence = _book_sentence([s for s in sections if s.codebook_key == book],
                                  levels.get(book, []), lang)
        if sentence and len(books) > 1 and titles:
            sentence = f"{titles.get(book, book)}: {sentence}"
        if sentence:
            parts.append(sentence)
    undecided = [s.code_label for s in sections if not s.verdict_key]
    if undecided:
        parts.append(ngettext(
            "{n} characteristic has no decided verdict yet: {names}.",
            "{n} characteristics have no decided verdict yet: {names}.", len(undecided),
            lang=lang).format(n=len(undecided), names=join_names(undecided, lang)))
    unverified = [s.code_label for s in sections if s.verdict_key and s.status != "verified"]
    if unverified:
        parts.append(ngettext(
            "{n} decided verdict is not yet verified: {names}.",
            "{n} decided verdicts are not yet verified: {names}.", len(unverified),
            lang=lang).format(n=len(unverified), names=join_names(unverified, lang)))
    return " ".join(parts)


def _counted(counts: Counter[str], label: Any, order: Any, lang: str) -> str:
    return ", ".join(f"{label(k, lang)} {n}" for k, n in sorted(counts.items(),
                                                                  key=lambda kv: order(kv[0])))


def methods_paragraph(project: Any, books: Sequence[CodebookRef], coder_note: str,
                      rules: Sequence[str], lang: str) -> str:
    """Sources by kind, informants by role, whose codings count, the codebooks cited and the
    verdict rule(s), as the methods section of a paper states them."""
    from qualcode.core.analysis.query import SOURCE, informant_table

    with project.engine.connect() as conn:
        kinds = Counter({str(k): int(n) for k, n in conn.execute(
            select(SOURCE.kind, func.count()).where(SOURCE.active == True)  # noqa: E712
            .group_by(SOURCE.kind)).all()})
    roles = Counter(i.role for i in informant_table(project))
    from qualcode.core.models import SOURCE_KINDS

    def kind_order(k: str) -> tuple[int, str]:
        return (SOURCE_KINDS.index(k) if k in SOURCE_KINDS else len(SOURCE_KINDS), k)

    n_sources, n_people = sum(kinds.values()), sum(roles.values())
    text = ngettext("The material is {n} source ({kinds})", "The material is {n} sources "
                    "({kinds})", n_sources, lang=lang).format(
        n=n_sources, kinds=_counted(kinds, kind_label, kind_order, lang) or "—")
    text += " " + ngettext("with {n} informant ({roles}).", "with {n} informants ({roles}).",
                           n_people, lang=lang).format(
        n=n_people, roles=_counted(roles, role_label, role_rank, lang) or "—")
    if coder_note:
        text += " " + coder_note
    cited = [" ".join((b.citation or b.title).split()).rstrip(".") for b in books
             if not b.emergent]
    if cited:
        text += " " + _("Codebooks: {books}.", lang=lang).format(books="; ".join(cited))
    if any(b.emergent for b in books):
        text += " " + _("Emergent codes are included beside them.", lang=lang)
    for rule in dict.fromkeys(rules):
        if rule:
            text += " " + rule
    return text
