"""Code suggestions: segments whose words match the indicator phrases of the codebooks.

Each indicator phrase ("menguasai pekerjaan") and each segment is lemmatised with the source
language's lookup lemmatiser, so "pegawai belum menguasai pekerjaannya" matches the phrase
through the lemmas "kuasa kerja". A phrase also matches on lowercased surface words. The score
of a code on a segment is the sum of the lengths (in words) of its distinct matched phrases.

Suggestions are hints for the researcher to accept or dismiss; nothing here writes to the store.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from qualcode.core.models import Code, Codebook, Coding, Indicator
from qualcode.core.nlp import get_pipeline, normalise_language

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from qualcode.core.store import Project

BATCH_SIZE = 256


@dataclass(frozen=True)
class Suggestion:
    """A code proposed for a segment, with the phrase that triggered it."""

    segment_id: int
    start: int
    end: int
    code_key: str
    indicator_key: str
    phrase: str
    matched_text: str
    score: float


@dataclass(frozen=True)
class _Phrase:
    code_key: str
    indicator_key: str
    text: str
    lemmas: tuple[str, ...]
    lower: tuple[str, ...]


@dataclass(frozen=True)
class _Words:
    """The words of a text (punctuation and spaces dropped) with their character spans."""

    lemmas: tuple[str, ...]
    lower: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


# Lemmatised phrases per project and language: {(lang, phrase): words}.
_CACHE: weakref.WeakKeyDictionary[object, dict[tuple[str, str], _Words]] = (
    weakref.WeakKeyDictionary())


def _words(doc: Doc) -> _Words:
    kept = [t for t in doc if not (t.is_punct or t.is_space)]
    return _Words(tuple((t.lemma_ or t.text).lower() for t in kept),
                  tuple(t.text.lower() for t in kept),
                  tuple((t.idx, t.idx + len(t.text)) for t in kept))


def _find(needle: tuple[str, ...], hay: tuple[str, ...]) -> int:
    """Index where `needle` occurs contiguously in `hay`, or -1."""
    n = len(needle)
    if not n or n > len(hay):
        return -1
    first = needle[0]
    for i in range(len(hay) - n + 1):
        if hay[i] == first and hay[i:i + n] == needle:
            return i
    return -1


def _phrases(project: Project, lang: str, codes: Sequence[str] | None) -> list[_Phrase]:
    """The indicator phrases in `lang` of the chosen codes (default: active codebooks)."""
    with project.session() as s:
        stmt = (select(Code, Indicator)
                .join(Code, col(Code.id) == col(Indicator.code_id))
                .join(Codebook, col(Codebook.id) == col(Code.codebook_id)))
        if codes is None:
            stmt = stmt.where(col(Codebook.active).is_(True))
        pairs = sorted(s.execute(stmt).all(), key=lambda p: (
            p[0].codebook_id, p[0].order, p[0].id or 0, p[1].order))
    rows = [(code.key, ind.key, ind.phrases) for code, ind in pairs]
    if codes is not None:
        wanted = {k.lower() for k in codes}
        rows = [r for r in rows if r[0].lower() in wanted]
    cache = _CACHE.setdefault(project, {})
    wanted_texts: list[tuple[str, str, str]] = []
    for code_key, ind_key, phrases in rows:
        for text in (phrases or {}).get(lang, []):
            if text.strip():
                wanted_texts.append((code_key, ind_key, text.strip()))
    missing = sorted({t for _, _, t in wanted_texts if (lang, t) not in cache})
    if missing:
        nlp = get_pipeline(lang)
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=BATCH_SIZE), strict=True):
            cache[(lang, text)] = _words(doc)
    out = []
    for code_key, ind_key, text in wanted_texts:
        words = cache[(lang, text)]
        if words.lemmas:
            out.append(_Phrase(code_key, ind_key, text, words.lemmas, words.lower))
    return out


def _match(phrase: _Phrase, seg: _Words) -> tuple[int, int] | None:
    """The word range [i, j) of the segment that the phrase matches, or None.

    One-word phrases must match a surface word: on a single word, the lookup lemmas conflate
    too much ("pendirian" and "berdiri" both lemmatise to "diri").
    """
    at = _find(phrase.lemmas, seg.lemmas) if len(phrase.lemmas) > 1 else -1
    if at >= 0:
        return at, at + len(phrase.lemmas)
    at = _find(phrase.lower, seg.lower)
    if at >= 0:
        return at, at + len(phrase.lower)
    return None


def suggest_for_source(project: Project, source_id: int, *, codes: Sequence[str] | None = None,
                       limit_per_segment: int = 3, coder: str | None = None,
                       skip_coded: bool = True) -> list[Suggestion]:
    """Suggested codes for the informant segments of a source, in text order, best first.

    `codes` limits the codes considered (default: every code of the active codebooks); a
    segment already coded with a code (by `coder`, or by anyone when None) is not suggested
    that code again; `skip_coded=False` ignores every existing coding (the proposals then
    depend on the text alone, as agreement with a researcher's coding needs).
    """
    source = project.get_source(source_id)
    lang = normalise_language(source.language or "id")
    phrases = _phrases(project, lang, codes)
    if not phrases:
        return []
    key_of = {c.id: c.key for c in project.codes()}
    coded: list[tuple[int, int, str]] = [
        (c.start, c.end, key_of.get(c.code_id, "")) for c in project.codings_in(source.id or 0)
        if skip_coded and (coder is None or c.coder == coder)]
    segments = [g for g in project.segments(source.id or 0) if not g.is_interviewer]
    texts = [source.text[g.start:g.end] for g in segments]
    nlp = get_pipeline(lang)
    out: list[Suggestion] = []
    for seg, doc in zip(segments, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
        words = _words(doc)
        done = {key for a, b, key in coded if a < seg.end and b > seg.start}
        out.extend(_segment_suggestions(seg.id or 0, seg.start, seg.end, source.text, words,
                                        phrases, done, limit_per_segment))
    return out


def _segment_suggestions(segment_id: int, start: int, end: int, text: str, words: _Words,
                         phrases: Iterable[_Phrase], done: set[str], limit: int
                         ) -> list[Suggestion]:
    best: dict[str, tuple[_Phrase, tuple[int, int]]] = {}
    scores: dict[str, float] = {}
    seen: set[tuple[str, str]] = set()
    for phrase in phrases:
        if phrase.code_key in done or (phrase.code_key, phrase.text.lower()) in seen:
            continue
        hit = _match(phrase, words)
        if hit is None:
            continue
        seen.add((phrase.code_key, phrase.text.lower()))
        length = hit[1] - hit[0]
        scores[phrase.code_key] = scores.get(phrase.code_key, 0.0) + length
        current = best.get(phrase.code_key)
        if current is None or length > current[1][1] - current[1][0]:
            best[phrase.code_key] = (phrase, hit)
    ranked = sorted(scores, key=lambda k: (-scores[k], k))[:max(limit, 0)]
    out = []
    for key in ranked:
        phrase, (i, j) = best[key]
        a, b = words.spans[i][0] + start, words.spans[j - 1][1] + start
        out.append(Suggestion(segment_id, start, end, key, phrase.indicator_key, phrase.text,
                              text[a:b], scores[key]))
    return out


def store_suggestions(project: Project, sources: Sequence[int | str] = (), *,
                      codes: Sequence[str] | None = None,
                      limit_per_segment: int = 1) -> tuple[int, int]:
    """Store the suggestions for `sources` (default: every active source) as codings of the
    coder `suggester` (valence 0, the triggering phrase in the note), in one undoable action.
    Proposals depend on the text alone (existing codings are ignored, so storing again adds
    nothing). Left out of every count unless chosen by name, so `qualcode agreement --coders
    suggester,NAME` compares the machine's proposals with a researcher's coding.
    Returns (codings added, suggestions already stored)."""
    from qualcode.core.coders import SUGGESTER

    ids = [project.get_source(s).id or 0 for s in sources] or [
        s.id or 0 for s in project.sources()]
    found = [(sid, s) for sid in ids for s in suggest_for_source(
        project, sid, codes=codes, limit_per_segment=limit_per_segment, skip_coded=False)]
    if not found:
        return 0, 0
    with project.transaction("suggest", f"store {len(found)} suggestions") as (s, rec):
        code_ids = {c.key: c.id for c in s.execute(select(Code)).scalars()}
        have = {(c.source_id, c.start, c.end, c.code_id) for c in s.execute(
            select(Coding).where(col(Coding.coder) == SUGGESTER)).scalars()}
        added = []
        for sid, hit in found:
            key = (sid, hit.start, hit.end, code_ids[hit.code_key])
            if key in have:
                continue
            have.add(key)
            coding = Coding(source_id=sid, start=hit.start, end=hit.end,
                            code_id=code_ids[hit.code_key], coder=SUGGESTER, valence="0",
                            note=f"suggested: “{hit.matched_text}” ({hit.indicator_key})")
            s.add(coding)
            added.append(coding)
        s.flush()
        for coding in added:
            rec.created(coding)
    return len(added), len(found) - len(added)
