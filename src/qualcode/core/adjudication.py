"""Resolving a place where coders differ into the consensus coder (disagreement review).

One decision is one undoable action: the consensus coder's earlier codings of the place are
removed, the decided ones written, and the decision recorded in `adjudication` (who decided,
when, which coders' codings were accepted, the consensus codings it made). Undo puts all of
it back. The coders' own codings are never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from qualcode.core.analysis.disagreements import Place
from qualcode.core.coders import CONSENSUS
from qualcode.core.models import Adjudication, Coding, Memo, Source, utcnow
from qualcode.core.store.listing import check_valence
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, Message

DECISIONS = ("accept", "neither", "edit")
DECISION_TEXT = {"accept": N_("accept {coders}"), "neither": N_("neither"),
                 "edit": N_("edited")}

Span = tuple[int, int, str, str]   # start, end, valence, note


def resolve(project: Any, place: Place, decision: str, *, accept: Sequence[str] = (),
            span: tuple[int, int] | None = None, valence: str = "0", note: str = "",
            decided_by: str | None = None) -> Adjudication:
    """Record a decision on `place` and write the consensus codings it makes.

    - `accept`: the codings of the coders named in `accept` (one coder, or several: both);
      identical spans are written once (the first coder's valence; the notes joined);
    - `neither`: no consensus coding here;
    - `edit`: one consensus coding over `span` with `valence` and `note`.
    The coders' codings are re-read here, so a place found a while ago is decided on the
    codings as they are now. Deciding a place again replaces the earlier decision."""
    from qualcode.core.analysis.coder_choice import session_coder

    if decision not in DECISIONS:
        raise QualcodeError(N_("unknown decision {decision!r}: use accept, neither or edit"),
                            decision=decision)
    who = decided_by or project.acting_coder or session_coder(project)
    with project.transaction("adjudicate", "adjudicate") as (s, rec):
        spans = _decided_spans(s, place, decision, accept, span, valence, note)
        made = _write(s, rec, place, spans, _earlier(s, place))
        row = s.execute(select(Adjudication).where(*_decision_at(place))).scalars().first()
        if row is None:
            row = Adjudication(source_id=place.source_id, code_id=place.code_id,
                               start=place.start, end=place.end, decision=decision)
            s.add(row)
            s.flush()
            rec.created(row)
        else:
            rec.updating(row)
        row.decision = decision
        row.accepted = list(accept) if decision == "accept" else []
        row.compared = place.compared
        row.coding_ids = [int(c.id or 0) for c in made]
        row.note = note if decision == "edit" else ""
        row.decided_by = who
        row.decided_at = utcnow()
        s.add(row)
        rec.description = Message(N_("decide {code} in {source} ({start}-{end}): {decision}"), {
            "code": place.code, "source": place.source, "start": place.start,
            "end": place.end, "decision": Message(DECISION_TEXT[decision],
                                                  {"coders": ", ".join(accept)})})
        return row


def _write(s: Session, rec: Any, place: Place, spans: list[Span],
           old: list[Coding]) -> list[Coding]:
    """Write the decided consensus codings: an earlier one with the same span is kept (its
    valence and note updated), new ones are added before the rest are removed (so no row id
    of this action is freed and taken again, which would confuse undo)."""
    keep = {(c.start, c.end): c for c in old}
    made, added = [], []
    for start, end, val, text in spans:
        coding = keep.pop((start, end), None)
        if coding is None:
            coding = Coding(source_id=place.source_id, start=start, end=end,
                            code_id=place.code_id, coder=CONSENSUS, valence=val, note=text)
            added.append(coding)
        else:
            rec.updating(coding)
            coding.valence, coding.note, coding.updated_at = val, text, utcnow()
        s.add(coding)
        made.append(coding)
    s.flush()
    for coding in added:
        rec.created(coding)
    for coding in keep.values():
        for memo in s.execute(select(Memo).where(col(Memo.coding_id) == coding.id)).scalars():
            rec.deleting(memo)
            s.delete(memo)
        s.flush()
        rec.deleting(coding)
        s.delete(coding)
    s.flush()
    return made


def _decided_spans(s: Session, place: Place, decision: str, accept: Sequence[str],
                   span: tuple[int, int] | None, valence: str, note: str) -> list[Span]:
    """The consensus codings the decision makes (checked before anything is written)."""
    if decision == "neither":
        return []
    if decision == "edit":
        if span is None:
            raise QualcodeError(N_("an edited decision needs a span"))
        source = s.get(Source, place.source_id)
        length = len(source.text) if source is not None else 0
        start, end = span
        if not 0 <= start < end <= length:
            raise QualcodeError(N_("span {start}-{end} is outside {name} (0-{n_text})"),
                                start=start, end=end, name=place.source, n_text=length)
        return [(start, end, check_valence(valence), note)]
    if not accept:
        raise QualcodeError(N_("name the coder (or coders) whose codings to accept"))
    strangers = [c for c in accept if c not in place.codings]
    if strangers:
        raise QualcodeError(N_("{coder} was not compared at this place"), coder=strangers[0])
    rows = s.execute(select(Coding).where(
        *_codings_of(place), col(Coding.coder).in_(list(accept)),
        col(Coding.start) < place.end, col(Coding.end) > place.start)).scalars().all()
    order = {c: k for k, c in enumerate(accept)}
    out: dict[tuple[int, int], Span] = {}
    for c in sorted(rows, key=lambda c: (order[c.coder], c.start, c.end)):
        if (c.start, c.end) in out:
            first = out[(c.start, c.end)]
            joined = " / ".join(n for n in dict.fromkeys([first[3], c.note]) if n)
            out[(c.start, c.end)] = (first[0], first[1], first[2], joined)
        else:
            out[(c.start, c.end)] = (c.start, c.end, c.valence, c.note)
    return sorted(out.values())


def _earlier(s: Session, place: Place) -> list[Coding]:
    """The consensus coder's codings this decision replaces: those an earlier decision on
    the place made, and any consensus coding of the code lying within the place."""
    row = s.execute(select(Adjudication).where(*_decision_at(place))).scalars().first()
    ids = set(row.coding_ids or []) if row is not None else set()
    inside = s.execute(select(Coding).where(
        *_codings_of(place), col(Coding.coder) == CONSENSUS,
        col(Coding.start) >= place.start, col(Coding.end) <= place.end)).scalars().all()
    rest = ids - {c.id for c in inside}
    extra = s.execute(select(Coding).where(
        col(Coding.id).in_(rest))).scalars().all() if rest else []
    return [*inside, *extra]


def take_agreed(project: Any, coders: Sequence[str] = (), *, sources: Sequence[str] = (),
                codes: Sequence[str] = ()) -> int:
    """Copy the codings every compared coder agrees on (same spans, same valences) to the
    consensus coder, where it has no coding of the code there yet; one undoable action.
    Without this, the consensus coder (which every count uses once it exists) would hold
    only the decided places. Returns how many consensus codings were written."""
    from qualcode.core.analysis.disagreements import scan

    found = scan(project, coders, sources=sources, codes=codes)
    todo: dict[tuple[int, int, int, int], Span] = {}
    for run in found.agreed:
        if run.consensus:
            continue
        first = run.codings[0].coder
        notes: dict[tuple[int, int], list[str]] = {}
        for c in run.codings:
            notes.setdefault((c.start, c.end), []).append(c.note)
        for c in run.codings:
            if c.coder == first:
                text = " / ".join(n for n in dict.fromkeys(notes[(c.start, c.end)]) if n)
                todo[(run.source_id, run.code_id, c.start, c.end)] = (
                    c.start, c.end, c.valence, text)
    if not todo:
        return 0
    with project.transaction("adjudicate", "take agreed codings") as (s, rec):
        made = [Coding(source_id=sid, start=start, end=end, code_id=code_id, coder=CONSENSUS,
                       valence=val, note=note)
                for (sid, code_id, *_span), (start, end, val, note) in todo.items()]
        s.add_all(made)
        s.flush()
        for coding in made:
            rec.created(coding)
        rec.description = Message(N_("{n} agreed codings of {coders} copied to the consensus "
                                     "coder"), {"n": len(made),
                                                "coders": ", ".join(found.coders)})
    return len(made)


def _decision_at(place: Place) -> list[Any]:
    """The conditions naming the decision on `place`."""
    return [col(Adjudication.source_id) == place.source_id,
            col(Adjudication.code_id) == place.code_id,
            col(Adjudication.start) == place.start, col(Adjudication.end) == place.end]


def _codings_of(place: Place) -> list[Any]:
    """The conditions naming the codings of the place's code in its source."""
    return [col(Coding.source_id) == place.source_id, col(Coding.code_id) == place.code_id]
