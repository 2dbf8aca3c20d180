"""Code suggestions: segments whose words match the indicator phrases of the codebooks.

A phrase ("menguasai pekerjaan") matches a run of a segment's words on any of three keys:
lower-cased surface words, spaCy lookup lemmas ("menguasai pekerjaannya" -> "kuasa kerja"),
or, for Indonesian, stems from `qualcode.core.stemmer` (affix stripping after Nazief-Adriani /
ECS: "menguasai pekerjaan" meets "penguasaan kerja"). A one-word phrase matches on its surface
form or on its light stem (particles, possessives and loan affixes removed: "kompetensi" meets
"kompeten", "indisipliner" meets "disiplin"), never on a full stem or lemma: native derivation
changes meaning ("teliti" careful / "penelitian" research; "pendirian" / "berdiri"). A word
hyphenated at a line end ("pelak-\\nsanaan") is read as one word.

Rare phrases weigh more than common ones: a phrase's weight is its length in words times its
inverse document frequency over the suggestable segments of the project's active sources in
that language (an even sample of 5,000 in bigger projects), idf = ln((N + 1) / (df + 1)) + 1.
A phrase found in more than 5% of those segments (and more than 5 of them) is common: it adds
weight but never triggers a suggestion on its own. A code's score on a segment is the sum of
the weights of its distinct matched phrases. Words that are only part of a proper name
(Title-case words after the first word of the segment: "PT. Cipta Mandiri", "Badan ... Sumber
Daya Manusia", "Peraturan Pemerintah") match nothing. Headings, table rows, signature blocks
and interviewer turns get no suggestions.

Suggestions are hints for the researcher to accept or dismiss; nothing here writes to the store.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from qualcode.core.ingest.structure import NOT_SUGGESTED
from qualcode.core.models import Code, Codebook, Coding, Indicator, Segment
from qualcode.core.nlp import get_pipeline, normalise_language
from qualcode.i18n import N_, Message

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from qualcode.core.store import Project

BATCH_SIZE = 256
COMMON_SHARE = 0.05
COMMON_MIN_SEGMENTS = 5
IDF_SAMPLE = 5_000  # segments read for document frequencies at most
_WRAP_RE = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])|\n")


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
class _Words:
    """The words of a text (punctuation and spaces dropped) with their character spans."""

    lemmas: tuple[str, ...]
    lower: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    stems: tuple[str, ...] = ()
    light: tuple[str, ...] = ()
    named: tuple[bool, ...] = ()  # a Title-case word inside the text: part of a proper name


@dataclass(frozen=True)
class _Phrase:
    code_key: str
    indicator_key: str
    text: str
    lemmas: tuple[str, ...]
    lower: tuple[str, ...]
    stems: tuple[str, ...] = ()
    light: tuple[str, ...] = ()
    weight: float = 1.0
    common: bool = False


@dataclass
class _ProjectCache:
    """Per project: lemmatised phrases and, per source version, its word keys per segment."""

    phrases: dict[tuple[str, str], _Words] = field(default_factory=dict)
    sources: dict[tuple[int, str], list[frozenset[str]]] = field(default_factory=dict)


_CACHE: weakref.WeakKeyDictionary[object, _ProjectCache] = weakref.WeakKeyDictionary()


def _words(doc: Doc, lang: str) -> _Words:
    kept = [t for t in doc if not (t.is_punct or t.is_space)]
    lower = tuple(t.text.lower() for t in kept)
    lemmas = tuple((t.lemma_ or t.text).lower() for t in kept)
    if lang == "id":
        from qualcode.core.stemmer import light_stem, stem

        stems, light = tuple(stem(w) for w in lower), tuple(light_stem(w) for w in lower)
    else:
        stems, light = lemmas, lower
    named = tuple(i > 0 and t.text.istitle() and len(t.text) > 1 for i, t in enumerate(kept))
    return _Words(lemmas, lower, tuple((t.idx, t.idx + len(t.text)) for t in kept), stems,
                  light, named)


def _flatten(text: str) -> tuple[str, list[int] | None]:
    """`text` with line breaks as spaces and line-end hyphenation joined, and the offset map
    (flat index -> original index; None when nothing changed)."""
    if "\n" not in text:
        return text, None
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _WRAP_RE.finditer(text):
        parts.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        if m.group() == "\n":
            parts.append(" ")
            index.append(m.start())
        pos = m.end()
    parts.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(parts), index


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
    cache = _CACHE.setdefault(project, _ProjectCache()).phrases
    wanted_texts: list[tuple[str, str, str]] = []
    for code_key, ind_key, phrases in rows:
        for text in (phrases or {}).get(lang, []):
            if text.strip():
                wanted_texts.append((code_key, ind_key, text.strip()))
    missing = sorted({t for _, _, t in wanted_texts if (lang, t) not in cache})
    if missing:
        nlp = get_pipeline(lang)
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=BATCH_SIZE), strict=True):
            cache[(lang, text)] = _words(doc, lang)
    out = []
    for code_key, ind_key, text in wanted_texts:
        words = cache[(lang, text)]
        if words.lemmas:
            out.append(_Phrase(code_key, ind_key, text, words.lemmas, words.lower, words.stems,
                               words.light))
    return out


def _suggestable(segments: Iterable[Segment]) -> list[Segment]:
    """Informant segments outside headings, table rows and signature blocks."""
    return [g for g in segments if not g.is_interviewer and g.block not in NOT_SUGGESTED]


def _segment_words(lang: str, text: str, segments: Sequence[Segment]) -> list[_Words]:
    return _span_words(lang, text, [(g.start, g.end) for g in segments])


def _span_words(lang: str, text: str, spans: Sequence[tuple[int, int]]) -> list[_Words]:
    flat = [_flatten(text[a:b]) for a, b in spans]
    docs = get_pipeline(lang).pipe([f for f, _ in flat], batch_size=BATCH_SIZE)
    out = []
    for (_, index), doc in zip(flat, docs, strict=True):
        words = _words(doc, lang)
        if index is not None:
            offsets = tuple((index[a], index[b - 1] + 1) for a, b in words.spans)
            words = _Words(words.lemmas, words.lower, offsets, words.stems, words.light,
                           words.named)
        out.append(words)
    return out


def _keys(words: _Words) -> frozenset[str]:
    return (frozenset(words.lower) | frozenset(words.lemmas) | frozenset(words.stems)
            | frozenset(words.light))


_SAMPLE_SQL = f"""
    SELECT segment.start, segment."end" FROM segment
    WHERE segment.source_id = :sid AND NOT segment.is_interviewer
      AND (segment.block IS NULL
           OR segment.block NOT IN ({", ".join(f"'{k}'" for k in sorted(NOT_SUGGESTED))}))
      AND segment."index" % :stride = 0
    ORDER BY segment."index"
"""  # the segments `_suggestable` keeps, every stride-th


def _project_keys(project: Project, lang: str, current: tuple[int, list[frozenset[str]]]
                  ) -> list[frozenset[str]]:
    """Word keys of the suggestable segments of the active sources in `lang` (cached); in a
    project of more than IDF_SAMPLE segments, of every k-th segment (an even sample)."""
    cache = _CACHE.setdefault(project, _ProjectCache()).sources
    reader = project.reader
    active = "FROM source WHERE source.active AND source.language = :lang"
    sources = reader.rows(f"SELECT source.id, source.content_hash {active}", {"lang": lang})
    total = reader.rows(f"SELECT count(*) FROM segment WHERE segment.source_id IN "
                        f"(SELECT source.id {active})", {"lang": lang})[0][0]
    stride = max(1, math.ceil(total / IDF_SAMPLE))
    out: list[frozenset[str]] = []
    for source_id, content_hash in sources:
        if source_id == current[0]:
            out.extend(current[1][::stride])
            continue
        key = (source_id, f"{content_hash}/{stride}")
        if key not in cache:
            text = reader.rows("SELECT text FROM source WHERE id = :sid", {"sid": source_id})[0][0]
            spans = reader.rows(_SAMPLE_SQL, {"sid": source_id, "stride": stride})
            cache[key] = [_keys(w) for w in _span_words(lang, text, spans)]
        out.extend(cache[key])
    return out


def _weighted(phrases: list[_Phrase], keys: list[frozenset[str]]) -> list[_Phrase]:
    """Phrases with their idf weight and common flag over the segments' word keys."""
    postings: dict[str, set[int]] = {}
    for i, segment_keys in enumerate(keys):
        for k in segment_keys:
            postings.setdefault(k, set()).add(i)
    n = len(keys)
    limit = max(COMMON_MIN_SEGMENTS, COMMON_SHARE * n)
    out = []
    for phrase in phrases:
        hits: set[int] = set()
        variants = ({phrase.lower, phrase.lemmas, phrase.stems} if len(phrase.lower) > 1
                    else {phrase.lower, phrase.light})
        for variant in variants:
            lists = sorted((postings.get(k, set()) for k in variant), key=len)
            if lists:
                hits |= set.intersection(*lists)
        df = len(hits)
        idf = math.log((n + 1) / (df + 1)) + 1
        out.append(_Phrase(phrase.code_key, phrase.indicator_key, phrase.text, phrase.lemmas,
                           phrase.lower, phrase.stems, phrase.light, len(phrase.lower) * idf,
                           df > limit))
    return out


def _match(phrase: _Phrase, seg: _Words) -> tuple[int, int] | None:
    """The word range [i, j) of the segment that the phrase matches, or None.

    Several words match on surface words, lemmas or stems; one word on its surface form or its
    light stem (the lookup lemmas and stems of single words conflate too much: "pendirian"
    and "berdiri" both become "diri").
    """
    at = _find(phrase.lower, seg.lower)
    if at < 0 and len(phrase.lower) > 1:
        at = _find(phrase.lemmas, seg.lemmas)
        if at < 0 and seg.stems:
            at = _find(phrase.stems, seg.stems)
    elif at < 0 and phrase.light and seg.light:
        at = _find(phrase.light, seg.light)
    if at < 0 or (seg.named and all(seg.named[at:at + len(phrase.lower)])):
        return None  # no match, or only inside a proper name ("PT. Cipta Mandiri")
    return at, at + len(phrase.lower)


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
    # interviewer turns are never an informant's evidence: nothing to suggest there
    segments = [g for g in _suggestable(project.segments(source.id or 0))
                if not g.is_interviewer]
    words = _segment_words(lang, source.text, segments)
    cache = _CACHE.setdefault(project, _ProjectCache()).sources
    own = [_keys(w) for w in words]
    cache[(source.id or 0, source.content_hash)] = own
    phrases = _weighted(phrases, _project_keys(project, lang, (source.id or 0, own)))
    out: list[Suggestion] = []
    for seg, seg_words in zip(segments, words, strict=True):
        done = {key for a, b, key in coded if a < seg.end and b > seg.start}
        out.extend(_segment_suggestions(seg.id or 0, seg.start, seg.end, source.text, seg_words,
                                        phrases, done, limit_per_segment))
    return out


def _segment_suggestions(segment_id: int, start: int, end: int, text: str, words: _Words,
                         phrases: Iterable[_Phrase], done: set[str], limit: int
                         ) -> list[Suggestion]:
    best: dict[str, tuple[_Phrase, tuple[int, int]]] = {}
    scores: dict[str, float] = {}
    triggered: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for phrase in phrases:
        if phrase.code_key in done or (phrase.code_key, phrase.text.lower()) in seen:
            continue
        hit = _match(phrase, words)
        if hit is None:
            continue
        seen.add((phrase.code_key, phrase.text.lower()))
        scores[phrase.code_key] = scores.get(phrase.code_key, 0.0) + phrase.weight
        if not phrase.common:
            triggered.add(phrase.code_key)
        current = best.get(phrase.code_key)
        if current is None or phrase.weight > current[0].weight:
            best[phrase.code_key] = (phrase, hit)
    ranked = sorted(triggered, key=lambda k: (-scores[k], k))[:max(limit, 0)]
    out = []
    for key in ranked:
        phrase, (i, j) = best[key]
        a, b = words.spans[i][0] + start, words.spans[j - 1][1] + start
        out.append(Suggestion(segment_id, start, end, key, phrase.indicator_key, phrase.text,
                              text[a:b], round(scores[key], 3)))
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
    what = Message(N_("store {n} suggestions"), {"n": len(found)})
    with project.transaction("suggest", what) as (s, rec):
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
