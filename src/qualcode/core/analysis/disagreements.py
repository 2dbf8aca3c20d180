"""The places where coders differ, for disagreement review (issue 12).

A place is one code in one source where the chosen coders' codings of that code overlap
(a run of spans each overlapping the next; spans that only touch are separate places), or
where one coder coded a span no other coder's coding of the code overlaps. It differs by:
- `presence`: a compared coder has no coding of the code there;
- `span`: every compared coder coded it, with different spans;
- `valence`: the coders gave different valences (+, -, 0).
Coders are compared in a source only when they coded that source at all (any code): a coder
who never opened a transcript gave no judgement there, as in the agreement statistics. A
place with a recorded decision (table `adjudication`, same source, code and span) is resolved.
Pure data: no Textual; the review screen and `qualcode review --list` read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from qualcode.core.analysis.agreement import compared_coders
from qualcode.core.coders import CONSENSUS
from qualcode.core.models import Adjudication, Code, Coding, Source
from qualcode.i18n import N_

KINDS = ("presence", "span", "valence")
PRESENCE, SPAN, VALENCE = KINDS
KIND_TEXT = {"presence": N_("coded by some coders only"), "span": N_("different spans"),
             "valence": N_("different valence")}


@dataclass(frozen=True)
class CoderCoding:
    """One coder's coding at a place."""

    id: int
    coder: str
    start: int
    end: int
    valence: str
    note: str


@dataclass
class Place:
    """One code in one source where the compared coders differ."""

    source_id: int
    source: str
    code_id: int
    code: str
    start: int
    end: int
    kinds: tuple[str, ...]
    codings: dict[str, list[CoderCoding]]   # every compared coder; [] = did not code it
    decision: Adjudication | None = None
    consensus: list[CoderCoding] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        """A decision on this place is recorded."""
        return self.decision is not None

    @property
    def key(self) -> tuple[int, int, int, int]:
        """(source id, code id, start, end): how a decision names its place."""
        return self.source_id, self.code_id, self.start, self.end

    @property
    def compared(self) -> list[str]:
        """The coders compared here, in the order chosen."""
        return list(self.codings)


def choose_coders(project: Any, coders: Sequence[str] = ()) -> list[str]:
    """The coders to compare: the ones named, else every human coder; at least two."""
    return compared_coders(project, coders,
                           N_("disagreement review needs at least two coders"))


@dataclass
class Agreed:
    """A run of codings of one code on which every compared coder agrees (same spans and
    valences): what the consensus coder takes over without a decision."""

    source_id: int
    code_id: int
    codings: list[CoderCoding]
    consensus: list[CoderCoding]


@dataclass
class Scan:
    """The places where the coders differ and the runs where they agree."""

    coders: list[str]
    places: list[Place]
    agreed: list[Agreed]


def find_places(project: Any, coders: Sequence[str] = (), *, sources: Sequence[str] = (),
                codes: Sequence[str] = ()) -> list[Place]:
    """Every place where the chosen coders differ, on the chosen active sources (names,
    prefixes or ids; default all) and codes (keys; default all), in source and text order.
    Resolved places are included (`Place.resolved`)."""
    return scan(project, coders, sources=sources, codes=codes).places


def scan(project: Any, coders: Sequence[str] = (), *, sources: Sequence[str] = (),
         codes: Sequence[str] = ()) -> Scan:
    """The places where the chosen coders differ and the runs where they agree."""
    chosen = choose_coders(project, coders)
    source_ids = [project.get_source(s).id for s in sources]
    code_ids = [project.get_code(c).id for c in codes]
    stmt = (select(Coding.id, Coding.source_id, Source.name, Coding.code_id, Code.key,
                   Coding.start, Coding.end, Coding.coder, Coding.valence, Coding.note)
            .join(Source, Source.id == Coding.source_id).join(Code, Code.id == Coding.code_id)
            .where(Source.active == True)  # noqa: E712
            .where(Coding.coder.in_([*chosen, CONSENSUS])))  # type: ignore[attr-defined]
    if source_ids:
        stmt = stmt.where(Coding.source_id.in_(source_ids))  # type: ignore[attr-defined]
    with project.session() as s:
        rows = s.execute(stmt).all()
        decided = {(a.source_id, a.code_id, a.start, a.end): a
                   for a in s.execute(select(Adjudication)).scalars()}
    touched: dict[int, set[str]] = defaultdict(set)
    groups: dict[tuple[int, str, int, str], list[CoderCoding]] = defaultdict(list)
    held: dict[tuple[int, int], list[CoderCoding]] = defaultdict(list)
    for cid, sid, sname, code_id, key, start, end, coder, valence, note in rows:
        item = CoderCoding(int(cid), str(coder), int(start), int(end), str(valence), str(note))
        if coder == CONSENSUS:
            held[(sid, code_id)].append(item)
            continue
        touched[sid].add(str(coder))
        if not code_ids or code_id in code_ids:
            groups[(sid, str(sname), code_id, str(key))].append(item)
    out = Scan(chosen, [], [])
    for (sid, sname, code_id, key), items in sorted(groups.items()):
        compared = [c for c in chosen if c in touched[sid]]
        if len(compared) < 2:
            continue
        for run in overlap_runs(items):
            lo, hi = min(i.start for i in run), max(i.end for i in run)
            consensus = [c for c in held[(sid, code_id)] if c.start < hi and c.end > lo]
            place = compare(sid, sname, code_id, key, run, compared)
            if place is None:
                out.agreed.append(Agreed(sid, code_id, run, consensus))
                continue
            place.decision = decided.get(place.key)
            place.consensus = consensus
            out.places.append(place)
    out.places.sort(key=lambda p: (p.source_id, p.start, p.code, p.end))
    return out


def overlap_runs(items: Iterable[CoderCoding]) -> list[list[CoderCoding]]:
    """Codings grouped into runs of overlapping spans (touching spans do not overlap)."""
    runs: list[list[CoderCoding]] = []
    reach = -1
    for item in sorted(items, key=lambda c: (c.start, c.end, c.coder)):
        if runs and item.start < reach:
            runs[-1].append(item)
            reach = max(reach, item.end)
        else:
            runs.append([item])
            reach = item.end
    return runs


def compare(source_id: int, source: str, code_id: int, code: str,
            run: list[CoderCoding], compared: Sequence[str]) -> Place | None:
    """The place a run of overlapping codings makes, or None where the coders agree."""
    by_coder: dict[str, list[CoderCoding]] = {c: [] for c in compared}
    for item in run:
        if item.coder in by_coder:
            by_coder[item.coder].append(item)
    present = [c for c in compared if by_coder[c]]
    if not present:
        return None
    kinds = []
    if len(present) < len(compared):
        kinds.append(PRESENCE)
    spans = {frozenset((i.start, i.end) for i in by_coder[c]) for c in present}
    valences = {frozenset(i.valence for i in by_coder[c]) for c in present}
    if len(spans) > 1:
        kinds.append(SPAN)
    if len(valences) > 1:
        kinds.append(VALENCE)
    if not kinds:
        return None
    return Place(source_id, source, code_id, code, min(i.start for i in run),
                 max(i.end for i in run), tuple(kinds), by_coder)


def place_summary(places: Sequence[Place]) -> dict[str, int]:
    """How many places there are, resolved, and of each kind."""
    out = {"places": len(places), "resolved": sum(p.resolved for p in places)}
    for kind in KINDS:
        out[kind] = sum(kind in p.kinds for p in places)
    return out


def review_agreement(project: Any, coders: Sequence[str] = (), *, sources: Sequence[str] = (),
                     codes: Sequence[str] = (), lang: str = "id") -> list[str]:
    """The overall agreement figures for the review screen, one line each, saying whose
    codings each counts: the chosen coders among themselves, then each of them against the
    consensus coder (once it has codings). Segments, percent, kappa, alpha, uα as in
    `qualcode agreement` (all codes pooled over the chosen sources)."""
    from qualcode.core.analysis.agreement import agreement
    from qualcode.core.analysis.agreement_report import short_row
    from qualcode.i18n import _

    chosen = choose_coders(project, coders)
    pairs = [(_("{coders} (each their own codings)", lang=lang).format(
        coders=", ".join(chosen)), chosen)]
    if CONSENSUS in project.coders():
        pairs += [(_("{coder} against the consensus coder", lang=lang).format(coder=c),
                   [c, CONSENSUS]) for c in chosen]
    lines = []
    for title, names in pairs:
        overall = agreement(project, coders=names, codes=codes, sources=sources,
                            lang=lang).overall
        _code, segments, percent, kappa, alpha, _char, u_alpha = short_row(overall, lang)
        lines.append(_("{title}: {segments} segments · {percent}% · κ {kappa} · α {alpha} · "
                       "uα {u_alpha}", lang=lang).format(
            title=title, segments=segments, percent=percent, kappa=kappa, alpha=alpha,
            u_alpha=u_alpha))
    return lines
