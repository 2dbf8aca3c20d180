"""Writing a planned .qdpx import into a fresh project file (see qdpx_build.py).

Codebooks through the store's own `import_codebook`; informants, sources (with speaker turns
and spaCy sentence segments, as `qualcode import` makes them), codings, memos, summaries,
conclusions and their evidence in one transaction, codings and segments by bulk insert.
"""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.exchange.model import split_trailer
from qualcode.core.exchange.qdpx_build import when
from qualcode.i18n import _

if TYPE_CHECKING:
    from qualcode.core.exchange.qdpx_build import Planner

CODING_COLUMNS = ("source_id", "start", "end", "code_id", "coder", "valence", "note",
                  "created_at", "updated_at")


def _case_values(planner: Planner, values: dict[str, Any]) -> tuple[dict[str, str], dict]:
    """(role / unit, attributes) of a case from its variable values."""
    fields: dict[str, str] = {}
    attributes: dict[str, Any] = {}
    for var_guid, value in values.items():
        var = planner.x.variables.get(var_guid)
        name = var.name if var else var_guid
        data = (split_trailer(var.description)[1] if var else None) or {}
        if data.get("field") in ("role", "unit"):
            fields[data["field"]] = str(value)
        elif "attribute" in data:
            if data.get("json") and isinstance(value, str):
                with suppress(ValueError):
                    value = json.loads(value)
            attributes[str(data["attribute"])] = value
        elif not data and name.strip().lower() in ("role", "unit") and name.strip().lower() \
                not in fields:
            fields[name.strip().lower()] = str(value)
        else:
            attributes[name] = value
    return fields, attributes


def carried(entry: Any, text: str) -> tuple[tuple[Any, ...], list[Any]] | None:
    """Turns and segments that qualcode exported with a source, if they fit its text."""
    from qualcode.core.ingest import SegmentSpan, content_hash
    from qualcode.core.ingest.turns import Turn

    if not isinstance(entry, dict) or entry.get("hash") != content_hash(text):
        return None
    size = len(text)
    try:
        turns = tuple(Turn(int(a), int(b), None if sp is None else str(sp), bool(iv),
                           None if ls is None else int(ls), None if bm is None else int(bm),
                           None if em is None else int(em))
                      for a, b, ls, sp, iv, bm, em in entry.get("turns", []))
        spans = [SegmentSpan(int(a), int(b), None if ti is None else int(ti),
                             turns[ti].speaker if ti is not None else None,
                             str(rest[0]) if rest and rest[0] else None)
                 for a, b, ti, *rest in entry.get("segments", [])]
    except (TypeError, ValueError, IndexError):
        return None
    if any(not 0 <= t.start <= t.end <= size for t in turns) or any(
            not 0 <= sp.start <= sp.end <= size for sp in spans):
        return None
    return turns, spans


def store_project(planner: Planner, path: Path, progress: Any = None) -> dict[str, int]:
    """Build the project at `path` (a new file); returns what it holds."""
    from sqlalchemy import select

    from qualcode.core import db, nlp
    from qualcode.core.ingest import content_hash, segment_many
    from qualcode.core.ingest.turns import ParsedSource, find_turns
    from qualcode.core.models import (
        SOURCE_KINDS,
        Code,
        Coding,
        Conclusion,
        ConclusionEvidence,
        Informant,
        Memo,
        Segment,
        Source,
        Summary,
        Turn,
    )
    from qualcode.core.store import Project
    from qualcode.core.store.sources import SEGMENT_COLUMNS, TURN_COLUMNS

    x = planner.x
    counts: dict[str, int] = defaultdict(int)
    project = Project.create(path)
    try:
        for spec in planner.codebooks.specs:
            project.import_codebook(spec)
        if x.name:
            project.set_meta("title", x.name)
        with project.transaction() as (s, _rec):
            code_ids = {row.key: row.id for row in s.execute(select(Code)).scalars()}
            informant_ids: dict[str, int] = {}
            for case in x.cases:
                name = planner.case_names[case.guid]
                fields, attributes = _case_values(planner, case.values)
                person = Informant(pseudonym=name, role=fields.get("role", ""),
                                   unit=fields.get("unit", ""), attributes=attributes)
                s.add(person)
                s.flush()
                assert person.id is not None
                informant_ids[case.guid] = person.id
            by_name = {planner.case_names[g]: i for g, i in informant_ids.items()}
            languages = []
            for planned in planner.sources:
                lang = planned.fields.get("language") or ""
                try:
                    lang = nlp.normalise_language(lang) if lang else nlp.detect_language(
                        planned.text[:20000])
                except Exception:
                    lang = nlp.detect_language(planned.text[:20000])
                languages.append(lang)
            given = [carried(x.structure.get(p.x.guid), p.text) for p in planner.sources]
            parsed = [ParsedSource(p.text, g[0] if g else find_turns(p.text)
                                   if p.text.strip() else ()) for p, g in zip(
                                       planner.sources, given, strict=True)]
            todo = [i for i, g in enumerate(given) if g is None]
            if progress and todo:
                progress(_("segmenting {n} sources").format(n=len(todo)))
            fresh = iter(segment_many([parsed[i] for i in todo], [languages[i] for i in todo]))
            spans_all = [g[1] if g else next(fresh) for g in given]
            conn = s.connection()
            source_ids: dict[str, int] = {}
            coding_rows: list[tuple[Any, ...]] = []
            selection_keys: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
            coding_keys: dict[str, tuple[Any, ...]] = {}
            seen: set[tuple[Any, ...]] = set()
            duplicates = 0
            for planned, lang, ps, spans in zip(planner.sources, languages, parsed, spans_all,
                                                strict=True):
                kind = planned.fields.get("kind", "interview")
                if kind not in SOURCE_KINDS:
                    planned.meta["kind"] = kind
                    kind = "interview"
                src = Source(name=planned.name, kind=kind,
                             informant_id=by_name.get(planned.informant or ""),
                             date=planned.fields.get("date") or None, language=lang,
                             fmt="txt", content_hash=content_hash(planned.text),
                             text=planned.text,
                             meta={k: v if isinstance(v, str | int | float | bool) else str(v)
                                   for k, v in planned.meta.items()})
                s.add(src)
                s.flush()
                sid = src.id
                source_ids[planned.x.guid] = sid  # type: ignore[assignment]
                db.bulk_insert(conn, Turn.__table__, TURN_COLUMNS, [
                    (sid, i, t.start, t.end, t.label_start, t.speaker, t.is_interviewer,
                     t.begin_ms, t.end_ms, None)  # informant: the source's (no speaker map)
                    for i, t in enumerate(ps.turns)])
                interviewer = {i for i, t in enumerate(ps.turns) if t.is_interviewer}
                db.bulk_insert(conn, Segment.__table__, SEGMENT_COLUMNS, [
                    (sid, i, sp.start, sp.end, sp.turn_index, sp.speaker,
                     sp.turn_index in interviewer, sp.block) for i, sp in enumerate(spans)])
                for start, end, key, coder, valence, text, created, sel, cg in planned.codings:
                    unique = (sid, start, end, code_ids[key], coder)
                    if unique in seen:
                        duplicates += 1
                    else:
                        seen.add(unique)
                        coding_rows.append((*unique, valence, text, created, created))
                    selection_keys[sel].append(unique)
                    coding_keys[cg] = unique
                counts["sources"] += 1
            if duplicates:
                x.warnings.append(_("{n} codings appeared twice (same text, code and coder); "
                                    "kept once").format(n=duplicates))
            db.bulk_insert(conn, Coding.__table__, CODING_COLUMNS, coding_rows)
            counts["codings"] = len(coding_rows)
            ids = {tuple(r[1:]): r[0] for r in conn.exec_driver_sql(
                'SELECT id, source_id, start, "end", code_id, coder FROM coding')}
            case_links: dict[str, list[int]] = defaultdict(list)
            evidence: dict[str, list[tuple[str, list[int], str]]] = defaultdict(list)
            for link in x.links:
                if link.target in informant_ids:
                    case_links[link.origin].append(informant_ids[link.target])
                elif link.target in selection_keys:
                    evidence[link.origin].append(
                        (link.name, [ids[k] for k in selection_keys[link.target]], link.target))
            for gid, note in x.notes.items():
                data = split_trailer(note.description)[1] or {}
                refs = planner.note_refs.get(gid, [])
                if any(kind == "used" for kind, _t in refs):
                    continue
                code_id = next((code_ids[t] for k, t in refs if k == "code"), None)
                who = case_links.get(gid, [None])[0]
                author = x.users.get(note.user, "imported") if note.user else "imported"
                created = when(note.created)
                kind = data.get("kind")
                if kind == "summary" and code_id is not None and who is not None:
                    s.add(Summary(code_id=code_id, informant_id=who, text=note.text,
                                  status=str(data.get("status")) if data.get("status") in (
                                      "draft", "accepted") else "accepted",
                                  author=author, updated_at=created))
                    counts["summaries"] += 1
                    continue
                if kind == "conclusion" and code_id is not None:
                    conclusion = Conclusion(code_id=code_id, statement=note.text,
                                     verdict=data.get("verdict"),
                                     proposed_verdict=data.get("proposed_verdict"),
                                     status=str(data.get("status")) if data.get("status") in (
                                         "tentative", "verified") else "tentative",
                                     decided_by=data.get("decided_by"), updated_at=created)
                    s.add(conclusion)
                    s.flush()
                    assert conclusion.id is not None
                    notes = data.get("evidence_notes")
                    notes = notes if isinstance(notes, dict) else {}
                    for stance, coding_ids, target in evidence.get(gid, []):
                        note_text = notes.get(target)
                        for cid in coding_ids:
                            s.add(ConclusionEvidence(
                                conclusion_id=conclusion.id, coding_id=cid,
                                stance=stance if stance in ("supports", "contradicts")
                                else "supports",
                                note=note_text if isinstance(note_text, str) else ""))
                    counts["conclusions"] += 1
                    continue
                title = data["title"] if isinstance(data.get("title"), str) else note.name
                memo = Memo(title=title[:300], body=note.text, author=author,
                            created_at=created, updated_at=created)
                for k, target in refs:
                    if k == "source" and target in source_ids:
                        memo.source_id = source_ids[target]
                    elif k == "code":
                        memo.code_id = code_ids[target]
                    elif k == "coding" and target in coding_keys:
                        memo.coding_id = ids[coding_keys[target]]
                memo.informant_id = who
                scope = data.get("scope")
                if scope not in ("project", "source", "code", "coding", "informant", "summary"):
                    scope = next((name for name, value in (
                        ("coding", memo.coding_id), ("source", memo.source_id),
                        ("code", memo.code_id), ("informant", memo.informant_id))
                        if value is not None), "project")
                memo.scope = scope
                s.add(memo)
                counts["memos"] += 1
        counts["informants"] = len(x.cases)
        counts["codes"] = len(planner.codebooks.keys)
        project.clear_history()
    finally:
        project.close()
    return dict(counts)
