"""Merge a coder's separate project file into the team project.

    report = merge_projects(team, Path("ani.qualcode"))

- sources are matched by content hash (never by name); a source the team lacks is added with
  its turns and segments (and its informant, matched by pseudonym or added);
- codes are matched by codebook key and code key; a code of the other file's emergent codes
  that the team lacks is added (with its parent where the team has it); a matched code whose
  definition differs is reported (the team's stays); codings of a code whose codebook the
  team lacks, or whose key the team uses in another codebook, are refused;
- codings keep their coder, valence and note; memos keep their author;
- merging the same file twice changes nothing (codings by their span, code and coder; memos
  by scope, target, title, body and author);
- everything is written in one transaction after the whole file has been read and planned:
  when the file cannot be merged (not a project, a newer schema, the team file itself),
  nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from qualcode.core.analysis.query import table
from qualcode.core.models import (
    Code,
    Codebook,
    Coding,
    Informant,
    Memo,
    Segment,
    Source,
    Turn,
)
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, Message

KINDS = ("sources", "informants", "codes", "codings", "memos")


@dataclass
class MergeReport:
    """What a merge added, matched and refused, with the reasons."""

    added: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # in English; `details` in any language
    details: list[Message] = field(default_factory=list)
    written: bool = False

    def counts(self) -> dict[str, dict[str, int]]:
        """{kind: {added, matched, refused}} for every kind."""
        return {k: {"added": self.added[k], "matched": self.matched[k],
                    "refused": self.refused[k]} for k in KINDS}

    def note(self, detail: Message) -> None:
        """Record a reason once."""
        text = detail.text("en")
        if text not in self.notes:
            self.notes.append(text)
            self.details.append(detail)


def _rows(conn: Any, model: Any, *where: Any) -> list[dict[str, Any]]:
    stmt = select(table(model))
    for condition in where:
        stmt = stmt.where(condition)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def _same_file(team: Any, other: Path) -> bool:
    url = str(team.url)
    if not url.startswith("sqlite:///"):
        return False
    try:
        return Path(url.removeprefix("sqlite:///")).resolve() == other.resolve()
    except OSError:
        return False


def merge_projects(team: Any, other_path: Path, *, dry_run: bool = False) -> MergeReport:
    """Merge the project file `other_path` into `team` (see the module docstring)."""
    from qualcode.core.store import Project

    other_path = Path(other_path)
    if _same_file(team, other_path):
        raise QualcodeError(N_("{other_path}: is the project itself"),
                            hint=N_("merge another coder's project file into this one"),
                            other_path=other_path)
    if not other_path.is_file():
        raise QualcodeError(N_("{other_path}: no such project file"), other_path=other_path)
    with Project.open(other_path) as other, other.engine.connect() as conn:
        theirs = {name: _rows(conn, model) for name, model in (
            ("codebooks", Codebook), ("codes", Code), ("informants", Informant),
            ("codings", Coding), ("memos", Memo))}
        theirs["sources"] = _rows(conn, Source, table(Source).c.active == True)  # noqa: E712
        used = {c["source_id"] for c in theirs["codings"]} | {
            m["source_id"] for m in theirs["memos"] if m["source_id"]}
        plan = _Plan(team, theirs)
        missing = [s["id"] for s in theirs["sources"] if s["content_hash"] not in plan.by_hash
                   and s["id"] in used]
        children = {"turns": _rows(conn, Turn, table(Turn).c.source_id.in_(missing)),
                    "segments": _rows(conn, Segment, table(Segment).c.source_id.in_(missing))}
    return plan.apply(children, set(missing), dry_run)


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that it rolls back."""


class _Plan:
    """The team's keys, and what the other file's rows map to."""

    def __init__(self, team: Any, theirs: dict[str, list[dict[str, Any]]]) -> None:
        self.team, self.theirs, self.report = team, theirs, MergeReport()
        with team.engine.connect() as conn:
            self.by_hash = {r["content_hash"]: r["id"] for r in _rows(
                conn, Source, table(Source).c.active == True)}  # noqa: E712
            self.books = {r["key"]: r for r in _rows(conn, Codebook)}
            self.codes = {r["key"]: r for r in _rows(conn, Code)}
            self.people = {r["pseudonym"]: r["id"] for r in _rows(conn, Informant)}
            self.spans = {(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(select(
                *(table(Coding).c[k] for k in ("source_id", "start", "end", "code_id",
                                                 "coder"))))}
            self.memos = {_memo_key(m) for m in _rows(conn, Memo)}

    def apply(self, children: dict[str, list[dict[str, Any]]], needed: set[int],
              dry_run: bool) -> MergeReport:
        """Write the plan in one transaction (rolled back for a dry run)."""
        report = self.report
        try:
            with self.team.engine.begin() as conn:
                people = self._informants(conn)
                sources = self._sources(conn, people, children, needed)
                codes = self._codes(conn)
                codings = self._codings(conn, sources, codes)
                self._memos(conn, sources, codes, codings, people)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        report.written = not dry_run and any(report.added.values())
        return report

    # ---- informants and sources --------------------------------------------------------------
    def _informants(self, conn: Any) -> dict[int, int]:
        mapping = {}
        for row in self.theirs["informants"]:
            if row["pseudonym"] in self.people:
                self.report.matched["informants"] += 1
            else:
                values = {k: v for k, v in row.items() if k != "id"}
                new = conn.execute(insert(table(Informant)).values(**values)).inserted_primary_key
                self.people[row["pseudonym"]] = int(new[0])
                self.report.added["informants"] += 1
            mapping[row["id"]] = self.people[row["pseudonym"]]
        return mapping

    def _sources(self, conn: Any, people: dict[int, int],
                 children: dict[str, list[dict[str, Any]]], needed: set[int]) -> dict[int, int]:
        mapping = {}
        names = {r[0] for r in conn.execute(select(table(Source).c.name))}
        for row in self.theirs["sources"]:
            found = self.by_hash.get(row["content_hash"])
            if found is not None:
                mapping[row["id"]] = found
                self.report.matched["sources"] += 1
                continue
            if row["id"] not in needed:
                continue   # nothing of theirs refers to it: not copied
            if row["name"] in names:
                self.report.refused["sources"] += 1
                self.report.note(Message(N_("source {name!r}: the team has another text under "
                                            "this name (import the new version with --replace "
                                            "first)"), {"name": row["name"]}))
                continue
            values = {k: v for k, v in row.items() if k != "id"}
            values["informant_id"] = people.get(row["informant_id"]) if row["informant_id"] \
                else None
            new = int(conn.execute(insert(table(Source)).values(**values))
                      .inserted_primary_key[0])
            for kind, model in (("turns", Turn), ("segments", Segment)):
                rows = [{**{k: v for k, v in r.items() if k != "id"}, "source_id": new}
                        for r in children[kind] if r["source_id"] == row["id"]]
                if rows:
                    conn.execute(insert(table(model)), rows)
            mapping[row["id"]] = self.by_hash[row["content_hash"]] = new
            self.report.added["sources"] += 1
        return mapping

    # ---- codes -------------------------------------------------------------------------------
    def _codes(self, conn: Any) -> dict[int, int]:
        books = {b["id"]: b for b in self.theirs["codebooks"]}
        mapping: dict[int, int] = {}
        pending = sorted(self.theirs["codes"], key=lambda c: c["parent_id"] is not None)
        keys = {c["id"]: c["key"] for c in self.theirs["codes"]}
        for code in pending:
            book = books[code["codebook_id"]]
            mine = self.codes.get(code["key"])
            team_book = self.books.get(book["key"])
            if mine is not None:
                if team_book is None or mine["codebook_id"] != team_book["id"]:
                    self.report.refused["codes"] += 1
                    self.report.note(Message(N_("code {key}: the team uses this key in another "
                                                "codebook; its codings are refused"),
                                             {"key": code["key"]}))
                    continue
                mapping[code["id"]] = mine["id"]
                self.report.matched["codes"] += 1
                if _definition(mine) != _definition(code):
                    self.report.note(Message(N_("code {key}: the definitions differ; the team's "
                                                "is kept"), {"key": code["key"]}))
                continue
            if not (code["is_emergent"] or book["is_emergent"]):
                self.report.refused["codes"] += 1
                self.report.note(Message(N_("code {key} ({codebook}): not in the team's "
                                            "codebook; import the codebook first"),
                                         {"key": code["key"], "codebook": book["key"]}))
                continue
            if team_book is None:
                values = {k: v for k, v in book.items() if k != "id"}
                new_book = conn.execute(insert(table(Codebook)).values(**values))
                team_book = {**values, "id": int(new_book.inserted_primary_key[0])}
                self.books[book["key"]] = team_book
            values = {k: v for k, v in code.items() if k != "id"}
            parent = self.codes.get(keys.get(code["parent_id"], ""))
            values.update(codebook_id=team_book["id"], parent_id=parent["id"] if parent else None,
                          shortcut=None)
            new = int(conn.execute(insert(table(Code)).values(**values)).inserted_primary_key[0])
            self.codes[code["key"]] = {**values, "id": new}
            mapping[code["id"]] = new
            self.report.added["codes"] += 1
        return mapping

    # ---- codings and memos -------------------------------------------------------------------
    def _codings(self, conn: Any, sources: dict[int, int],
                 codes: dict[int, int]) -> dict[int, int]:
        rows = []
        for c in self.theirs["codings"]:
            source, code = sources.get(c["source_id"]), codes.get(c["code_id"])
            if source is None or code is None:
                self.report.refused["codings"] += 1
                continue
            key = (source, c["start"], c["end"], code, c["coder"])
            if key in self.spans:
                self.report.matched["codings"] += 1
                continue
            self.spans.add(key)
            rows.append({**{k: v for k, v in c.items() if k != "id"},
                         "source_id": source, "code_id": code, "_theirs": c["id"]})
        if rows:
            conn.execute(insert(table(Coding)),
                         [{k: v for k, v in r.items() if k != "_theirs"} for r in rows])
            self.report.added["codings"] += len(rows)
        if not any(m["coding_id"] for m in self.theirs["memos"]):
            return {}
        coding = table(Coding).c
        ids = {(r[1], r[2], r[3], r[4], r[5]): int(r[0]) for r in conn.execute(select(
            coding.id, coding.source_id, coding.start, coding.end, coding.code_id,
            coding.coder))}
        out = {}
        for c in self.theirs["codings"]:
            found = ids.get((sources.get(c["source_id"]), c["start"], c["end"],
                             codes.get(c["code_id"]), c["coder"]))
            if found is not None:
                out[c["id"]] = found
        return out

    def _memos(self, conn: Any, sources: dict[int, int], codes: dict[int, int],
               codings: dict[int, int], people: dict[int, int]) -> None:
        targets = {"source": sources, "code": codes, "coding": codings, "informant": people}
        for memo in self.theirs["memos"]:
            values = {k: v for k, v in memo.items() if k != "id"}
            lost = False
            for scope, mapping in targets.items():
                old = memo[f"{scope}_id"]
                values[f"{scope}_id"] = mapping.get(old) if old is not None else None
                lost = lost or (old is not None and values[f"{scope}_id"] is None)
            if lost:
                self.report.refused["memos"] += 1
                continue
            if _memo_key(values) in self.memos:
                self.report.matched["memos"] += 1
                continue
            conn.execute(insert(table(Memo)).values(**values))
            self.memos.add(_memo_key(values))
            self.report.added["memos"] += 1


def _definition(code: dict[str, Any]) -> tuple[str, str]:
    return (" ".join(str(code["definition_id"] or "").split()),
            " ".join(str(code["definition_en"] or "").split()))


def _memo_key(memo: dict[str, Any]) -> tuple[Any, ...]:
    return (memo["scope"], memo["source_id"], memo["code_id"], memo["coding_id"],
            memo["informant_id"], memo["title"], memo["body"], memo["author"])
