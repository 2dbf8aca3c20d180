"""Whose codings count: the coders named, else the consensus coder once it covers every coded
source, else the session's coder; blind coders see only their own (issue 12). Used by every
count through `select_codings`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from qualcode.core.analysis.shared_reads import fetch_rows
from qualcode.core.coders import CONSENSUS, SPECIAL_CODERS
from qualcode.core.models import Coding
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_, Message

CODING = Coding.__table__.c  # type: ignore[attr-defined]


def session_coder(project: Any) -> str:
    """The session's coder (or coders, comma-separated): the one the TUI set on the project
    object, else $QUALCODE_CODER, else the project's default coder (read.project_coder)."""
    from qualcode.core.store.read import DEFAULT_CODER

    return (getattr(project, "session_coder", None) or os.environ.get("QUALCODE_CODER")
            or project.get_meta("default_coder") or DEFAULT_CODER)


def resolve_coders(project: Any, coders: Iterable[str] = ()) -> tuple[str, ...]:
    """Whose codings count: the coders named (each value may list several, comma-separated),
    else the consensus coder once it has codings in every source a human coder coded (a review
    half done must not turn every count into the few decided places), else the session's
    coder. A name with no codings in the project raises NotFoundError (a typo must not print
    zeros)."""
    names = tuple(dict.fromkeys(n.strip() for c in coders for n in str(c).split(",")
                                if n.strip()))
    with project.engine.connect() as conn:  # asked once per export (shared_reads)
        pairs = [(str(r[0]), int(r[1])) for r in fetch_rows(
            conn, select(CODING.coder, CODING.source_id).distinct())]
    known = list(dict.fromkeys(coder for coder, _source in pairs))
    me = check_not_blind(project, names)
    if me is not None:
        return (me,)
    if not names:
        if consensus_complete(pairs):
            return (CONSENSUS,)
        return tuple(n.strip() for n in session_coder(project).split(",") if n.strip())
    missing = [n for n in names if n not in known]
    if missing:
        raise NotFoundError(N_("no codings by coder {missing!r} in this project"),
                            hint=N_("coders here: {coders}"),
                            coders=", ".join(sorted(known)) or Message(N_("none")),
                            missing=missing[0])
    return names


def consensus_complete(pairs: Iterable[tuple[str, int]]) -> bool:
    """True when the consensus coder has codings in every source some human coder coded
    (`pairs`: the distinct (coder, source id) of the project's codings)."""
    consensus: set[int] = set()
    human: set[int] = set()
    for coder, source in pairs:
        if coder == CONSENSUS:
            consensus.add(source)
        elif coder not in SPECIAL_CODERS:
            human.add(source)
    return bool(consensus) and human <= consensus


def check_not_blind(project: Any, names: Iterable[str] = ()) -> str | None:
    """The session's coder when they work blind (then only their own codings count), else
    None; naming another coder while blind raises a QualcodeError."""
    from qualcode.core.store.read import blind_coders

    me = session_coder(project)
    if "," in me or me not in blind_coders(project.reader):
        return None
    others = [n for n in names if n != me]
    if others:
        raise QualcodeError(N_("{me} codes blind: other coders' codings stay hidden"),
                            hint=N_("compare when you are ready: `qualcode blind {me} --off`"),
                            me=me)
    return me
