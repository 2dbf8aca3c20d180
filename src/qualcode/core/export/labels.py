"""Fixed words of the exports (captions, report headings, chart legends) in Indonesian and English.

Titles and notes of the displays arrive already translated; only the words the exporters add
themselves live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qualcode.core.analysis.conclusions import Quote
    from qualcode.core.location import Location

from qualcode.i18n import LANGS, N_, _

_WORDS: dict[str, str] = {
    "table": N_("Table"),
    "figure": N_("Figure"),
    "note": N_("Note"),
    "code": N_("Code"),
    "group": N_("Group"),
    "verdict": N_("Verdict"),
    "proposed": N_("Proposed verdict"),
    "status": N_("Status"),
    "decided_by": N_("decided by"),
    "not_decided": N_("not decided yet"),
    "evidence": N_("Evidence"),
    "supporting": N_("Supporting evidence"),
    "contradicting": N_("Contradicting evidence"),
    "none": N_("None."),
    "checklist": N_("Verification checklist"),
    "summary": N_("Summary"),
    "statement": N_("Conclusion statement"),
    "no_statement": N_("(no statement yet)"),
    "codings": N_("Number of codings"),
    "positive": N_("+ carried out well"),
    "neutral": N_("0 neutral"),
    "neutral_word": N_("neutral"),
    "negative": N_("− shortfall"),
    "valence_chart": N_("Code frequencies by valence"),
    "network": N_("Code co-occurrence network"),
    "ok": N_("met"),
    "not_ok": N_("not met"),
    "tentative": N_("tentative"),
    "verified": N_("verified"),
    "informant": N_("informant"),
    "written": N_("written"),
    "no_data": N_("No codings to show yet."),
    "basis": N_("Basis of the proposal"),
    "explanation": N_("Explanation"),
    "methods": N_("Method"),
    "in_general": N_("(in general)"),
    "more_plus": N_("more + than −"),
    "more_minus": N_("more − than + (hatched)"),
    "balanced": N_("as many + as − (dotted)"),
}


def word(key: str, lang: str = "id") -> str:
    """The fixed word `key` in `lang` ("id" or "en"; anything else falls back to Indonesian)."""
    return _(_WORDS[key], lang=lang if lang in LANGS else "id")


def status_word(status: str, lang: str = "id") -> str:
    """A conclusion status (tentative / verified) in `lang`; unknown statuses pass through."""
    return word(status, lang) if status in ("tentative", "verified") else status


def verdict_text(section: Any, lang: str = "id") -> str:
    """A conclusion's verdict with its status and who decided: "Belum optimal (verified;
    decided by ani)", or "not decided yet"."""
    verdict = section.verdict_label or word("not_decided", lang)
    extra = [status_word(section.status, lang)] if section.status else []
    if section.decided_by:
        extra.append(f"{word('decided_by', lang)} {section.decided_by}")
    return verdict + (f" ({'; '.join(extra)})" if extra else "")


def balance_text(section: Any, lang: str = "id") -> str:
    """The +/−/neutral counts of a conclusion, e.g. "3+ / 1− / 2 netral"."""
    return (f"{section.n_plus}+ / {section.n_minus}− / "
            f"{section.n_neutral} {word('neutral_word', lang)}")


def quote_source(informant: str | None, role: str | None, source: str, lang: str = "id",
                 kind: str | None = None, location: Location | None = None) -> str:
    """Who said a quote and where a paper cites it: "Informant 3 (Head of division),
    interview, line 7, paragraph 2" (with the kind and location when known; the source's
    name when there is no informant); known role keys are shown in `lang`."""
    from qualcode.core.analysis.labels import kind_label, role_label
    from qualcode.core.location import citation

    role_text = role_label(role, lang) if role else role
    if kind is None and location is None:
        return citation(informant, role_text, source, None, lang)
    what = kind_label(kind, lang).lower() if kind else ""
    if not informant and not role_text:
        what = f"{what} {source}".strip()
    return citation(informant, role_text, what, location, lang)


def quote_where(quote: Quote, lang: str = "id") -> str:
    """`quote_source` of a conclusion's quote (who said it, and where it stands)."""
    return quote_source(quote.informant, quote.role, quote.source, lang, quote.kind,
                        quote.location)


_QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›「」"
_OPEN_CLOSE = {"id": ("“", "”"), "en": ("“", "”")}


def quoted(excerpt: str, lang: str = "id") -> str:
    """An excerpt set once in quotation marks: marks it already starts or ends with (from the
    transcript) are dropped first, so no quote reads ““...””."""
    text = one_line(excerpt).strip(_QUOTE_MARKS + " ")
    opening, closing = _OPEN_CLOSE.get(lang, _OPEN_CLOSE["id"])
    return f"{opening}{text}{closing}"


def localise_drafts(text: str, lang: str = "id") -> str:
    """`text` with a draft mark of any language ([DRAFT], [DRAF]) shown in `lang`."""
    from qualcode.core.analysis.labels import DRAFT_MARK, draft_mark
    from qualcode.i18n import LANGS

    if not text:
        return text
    marks = {_(DRAFT_MARK, lang=other) for other in LANGS} | {DRAFT_MARK}
    wanted = draft_mark(lang if lang in LANGS else "id")
    for mark in sorted(marks - {wanted}, key=len, reverse=True):
        text = text.replace(mark, wanted)
    return text


def one_line(text: str) -> str:
    """Text with line breaks and runs of spaces collapsed (for quotes inside a paragraph)."""
    return " ".join(text.split())
