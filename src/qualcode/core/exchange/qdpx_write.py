"""Project export as REFI-QDA (.qdpx): project.qde plus every source as UTF-8 plain text.

- Users: every coder and memo / summary author.
- CodeBook: the codebooks (see qdc.py); each codebook is also a Set of its codes.
- Cases: informants, with role, unit and their attributes as Variables; SourceRef to their
  sources. Sources carry kind, date and language as variable values.
- Sources: `sources/<guid>.txt`, codings as PlainTextSelection (start inclusive, end exclusive,
  in characters: Unicode code points) with the coder as creatingUser and the coding note as a
  Note referenced from the Coding; valence in the selection's Description.
- Notes: memos (referenced from the project, source, code or coding they are about; memos on an
  informant are Links to its case), summaries and conclusions (referenced from their code,
  linked to the informant's case / to their evidence selections).
`crlf=True` writes the text with CRLF line endings and counts positions in that text (two
characters per line end), for programs that expect Windows text. Only active source versions
are written. The archive is written whole to a temporary file, then renamed.

Beside the standard files the archive holds `qualcode/segments.json`: each source's speaker
turns and sentence segments (offsets in the LF text), so that qualcode reading its own export
need not segment again; other programs ignore the file.
"""

from __future__ import annotations

import json
import re
import zipfile
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.exchange import qdc
from qualcode.core.exchange.model import with_trailer
from qualcode.core.exchange.positions import crlf_mapper, newline_positions, to_crlf
from qualcode.core.exchange.safety import guid, require_valid, xml_safe
from qualcode.i18n import _

if TYPE_CHECKING:
    from qualcode.core.store import Project

NS = qdc.PROJECT_NS
STRUCTURE = "qualcode/segments.json"
TAG = {name: f"{{{NS}}}{name}" for name in ("PlainTextSelection", "Description", "Coding",
                                            "CodeRef", "NoteRef")}
VALENCE_TEXT = {v: with_trailer("", {"valence": v}) for v in ("+", "-", "0")}
SOURCE_FIELDS = ("kind", "date", "language")


@dataclass
class ExportSummary:
    """What an export wrote."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    archived: int = 0
    replaced: int = 0      # characters XML cannot hold, written as U+FFFD


_PLAIN_UTC = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?$")


def stamp(value: Any) -> str | None:
    """xsd:dateTime in UTC (SQLite's naive UTC text is cut to shape without parsing)."""
    if value is None:
        return None
    if isinstance(value, str) and _PLAIN_UTC.match(value):
        return f"{value[:10]}T{value[11:19]}Z"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _decimal(value: float) -> str | None:
    try:
        text = format(Decimal(repr(value)), "f")
    except InvalidOperation:
        return None
    return text if text.lower() not in ("nan", "inf", "-inf", "infinity") else None


def variable_kind(values: list[Any]) -> tuple[str, bool]:
    """(REFI-QDA type, values stored as JSON text) for an attribute's values."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "Boolean", False
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "Integer", False
    if present and all(isinstance(v, int | float) and not isinstance(v, bool)
                       and _decimal(float(v)) is not None for v in present):
        return "Float", False
    return "Text", not all(isinstance(v, str) for v in values)


def _rows(project: Project, sql: str) -> list[Any]:
    """The rows of one statement as named tuples, through the driver's own cursor (hundreds
    of thousands of segment rows: SQLAlchemy's result objects cost seconds here)."""
    from collections import namedtuple

    conn = project.engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(sql)
        row = namedtuple("row", [d[0] for d in cursor.description])  # type: ignore[misc]
        return [row._make(r) for r in cursor.fetchall()]
    finally:
        conn.close()


class Writer:
    """Builds project.qde for one project."""

    def __init__(self, project: Project, crlf: bool) -> None:
        from lxml.builder import ElementMaker

        self.project, self.crlf = project, crlf
        self.E = ElementMaker(namespace=NS, nsmap={None: NS})
        self.users: dict[str, str] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.notes: list[Any] = []
        self.links: list[Any] = []
        self.code_notes: dict[str, list[str]] = defaultdict(list)
        self.source_notes: dict[int, list[str]] = defaultdict(list)
        self.coding_notes: dict[int, list[str]] = defaultdict(list)
        self.project_notes: list[str] = []
        self.note_sets: dict[str, list[str]] = defaultdict(list)
        self.replaced = 0

    def safe(self, text: str) -> str:
        """`text` as XML can hold it (see safety.xml_safe); replacements are counted."""
        clean, n = xml_safe(text)
        self.replaced += n
        return clean

    def user(self, name: str | None) -> str:
        name = name or "researcher"
        if name not in self.users:
            self.users[name] = guid("user", name)
        return self.users[name]

    def note(self, key: str, name: str, body: str, data: dict[str, Any], author: str | None,
             when: Any, group: str) -> str:
        gid = guid("note", key)
        attrs = {"guid": gid, "name": self.safe(name or group), "creatingUser": self.user(author)}
        if stamp(when):
            attrs["creationDateTime"] = stamp(when)  # type: ignore[assignment]
        self.notes.append(self.E.Note(self.E.Description(self.safe(with_trailer("", data))),
                                      self.E.PlainTextContent(self.safe(body)), **attrs))
        self.note_sets[group].append(gid)
        self.counts["notes"] += 1
        return gid

    def link(self, name: str, origin: str, target: str) -> None:
        self.links.append(self.E.Link(guid=guid("link", f"{origin}>{target}:{name}"), name=name,
                                      direction="OneWay", originGUID=origin, targetGUID=target))

    # ---- collecting ----------------------------------------------------------------------------
    def collect_notes(self, codes: dict[int, str], informants: dict[int, str]) -> None:
        p = self.project
        for m in _rows(p, "SELECT id, scope, source_id, code_id, coding_id, informant_id, "
                          "title, body, author, created_at FROM memo ORDER BY id"):
            data = {"kind": "memo", "scope": m.scope, "title": m.title}
            gid = self.note(f"memo:{m.id}", m.title, m.body, data, m.author, m.created_at,
                            "Memos")
            if m.source_id is not None:
                self.source_notes[m.source_id].append(gid)
            if m.code_id is not None and m.code_id in codes:
                self.code_notes[codes[m.code_id]].append(gid)
            if m.coding_id is not None:
                self.coding_notes[m.coding_id].append(gid)
            if m.informant_id is not None:
                self.link("memo", gid, guid("case", informants[m.informant_id]))
            if m.scope == "project":
                self.project_notes.append(gid)
        for s in _rows(p, "SELECT id, code_id, informant_id, text, status, author, updated_at "
                          "FROM summary ORDER BY id"):
            who = informants[s.informant_id]
            gid = self.note(f"summary:{s.id}", f"{codes[s.code_id]} × {who}", s.text,
                            {"kind": "summary", "status": s.status}, s.author, s.updated_at,
                            "Summaries")
            self.code_notes[codes[s.code_id]].append(gid)
            self.link("summary", gid, guid("case", who))
        for c in _rows(p, "SELECT id, code_id, statement, verdict, proposed_verdict, status, "
                          "decided_by, updated_at FROM conclusion ORDER BY id"):
            links = _rows(p, "SELECT coding_id, stance, note FROM conclusion_evidence "
                             f"WHERE conclusion_id = {int(c.id)} ORDER BY id")
            data = {"kind": "conclusion", "verdict": c.verdict, "status": c.status,
                    "proposed_verdict": c.proposed_verdict, "decided_by": c.decided_by}
            notes = {guid("coding", e.coding_id): e.note for e in links if e.note}
            if notes:  # the researcher's explanation of each linked coding
                data["evidence_notes"] = notes
            gid = self.note(f"conclusion:{c.id}", codes[c.code_id], c.statement, data,
                            c.decided_by, c.updated_at, "Conclusions")
            self.code_notes[codes[c.code_id]].append(gid)
            for e in links:
                self.link(e.stance, gid, guid("coding", e.coding_id))

    def variables(self, informants: list[Any]) -> tuple[Any, dict[str, tuple[str, str, bool]]]:
        """<Variables> and name -> (guid, type, as JSON) for roles, units, attributes, sources."""
        found: dict[str, tuple[str, str, bool]] = {}
        elements = []

        def add(name: str, kind: str, data: dict[str, Any], as_json: bool = False) -> None:
            gid = guid("variable", name)
            found[name] = (gid, kind, as_json)
            elements.append(self.E.Variable(self.E.Description(self.safe(with_trailer("", data))),
                                            guid=gid, name=self.safe(name), typeOfVariable=kind))
        add("Role", "Text", {"field": "role"})
        add("Unit", "Text", {"field": "unit"})
        values: dict[str, list[Any]] = defaultdict(list)
        for inf in informants:
            for key, value in (inf.attributes or {}).items():
                values[key].append(value)
        for key, vals in values.items():
            kind, as_json = variable_kind(vals)
            name = key if key not in ("Role", "Unit") and not key.startswith("Source ") \
                else f"{key} (attribute)"
            add(name, kind, {"attribute": key, **({"json": True} if as_json else {})}, as_json)
            found[f"attribute:{key}"] = found[name]
        for fld in SOURCE_FIELDS:
            add(f"Source {fld}", "Text", {"source": fld})
        return self.E.Variables(*elements), found

    def value(self, var: tuple[str, str, bool], value: Any) -> Any:
        gid, kind, as_json = var
        E = self.E
        if as_json:
            body = E.TextValue(self.safe(json.dumps(value, ensure_ascii=False)))
        elif kind == "Boolean":
            body = E.BooleanValue("true" if value else "false")
        elif kind == "Integer":
            body = E.IntegerValue(str(value))
        elif kind == "Float":
            body = E.FloatValue(_decimal(float(value)) or "0")
        else:
            body = E.TextValue(self.safe(str(value)))
        return E.VariableValue(E.VariableRef(targetGUID=gid), body)

    def structure(self, sources: list[Any], guids: dict[int, str]) -> str:
        """Turns and segments of the exported sources as JSON (see the module docstring)."""
        from qualcode.core.ingest import content_hash

        active = "(SELECT id FROM source WHERE active = 1)"
        turns: dict[int, list[list[Any]]] = defaultdict(list)
        for t in _rows(self.project, "SELECT source_id, start, \"end\", label_start, speaker, "
                                     f"is_interviewer, begin_ms, end_ms FROM turn WHERE "
                                     f"source_id IN {active} ORDER BY source_id, \"index\""):
            turns[t.source_id].append([t.start, t.end, t.label_start, t.speaker,
                                       bool(t.is_interviewer), t.begin_ms, t.end_ms])
        segments: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for sid, a, b, ti, block in _rows(
                self.project, "SELECT source_id, start, \"end\", turn_index, block "
                f"FROM segment WHERE source_id IN {active} ORDER BY source_id, \"index\""):
            segments[sid].append((a, b, ti, block))
        return json.dumps({"version": 1, "sources": {
            guids[src.id]: {"hash": content_hash(src.text), "turns": turns.get(src.id, []),
                            "segments": segments.get(src.id, [])} for src in sources}},
            ensure_ascii=False, separators=(",", ":"))

    def build(self) -> tuple[Any, list[tuple[str, str]]]:
        """(project root element, [(archive name, text)])."""
        E, p = self.E, self.project
        specs = qdc.specs_from_project(p)
        codes = {row.id: row.key for row in _rows(p, "SELECT id, key FROM code")}
        informants_rows = p.informants()
        informants = {i.id: i.pseudonym for i in informants_rows}
        default_coder = p.get_meta("default_coder")
        if default_coder:
            self.user(default_coder)
        self.collect_notes(codes, informants)
        variables, found = self.variables(informants_rows)
        sources = _rows(p, "SELECT id, name, kind, informant_id, date, language, text, "
                           "imported_at FROM source WHERE active = 1 ORDER BY name, id")
        by_informant: dict[int, list[str]] = defaultdict(list)
        guids = {src.id: guid("source", f"{src.name}:{src.id}") for src in sources}
        files: list[tuple[str, str]] = [(STRUCTURE, self.structure(sources, guids))]
        source_elements = []
        codings = defaultdict(list)
        for c in _rows(p, "SELECT id, source_id, start, \"end\", code_id, coder, valence, note, "
                          "created_at FROM coding ORDER BY source_id, start, \"end\", id"):
            codings[c.source_id].append(c)
        for src in sources:
            sid = guids[src.id]
            text = to_crlf(src.text) if self.crlf else src.text
            move = crlf_mapper(src.text) if self.crlf else (lambda pos: pos)
            files.append((f"sources/{sid}.txt", text))
            el = E.TextSource(guid=sid, name=self.safe(src.name),
                              plainTextPath=f"internal://{sid}.txt")
            if stamp(src.imported_at):
                el.set("creationDateTime", stamp(src.imported_at))
            lines = newline_positions(src.text)
            for c in codings.get(src.id, []):
                self.selection(el, c, codes[c.code_id], move, lines)
            for note in self.source_notes.get(src.id, []):
                el.append(E.NoteRef(targetGUID=note))
            for fld in SOURCE_FIELDS:
                if getattr(src, fld):
                    el.append(self.value(found[f"Source {fld}"], getattr(src, fld)))
            source_elements.append(el)
            if src.informant_id is not None:
                by_informant[src.informant_id].append(sid)
            self.counts["sources"] += 1
        cases = []
        for inf in informants_rows:
            el = E.Case(guid=guid("case", inf.pseudonym), name=self.safe(inf.pseudonym))
            if inf.role:
                el.append(self.value(found["Role"], inf.role))
            if inf.unit:
                el.append(self.value(found["Unit"], inf.unit))
            for key, val in (inf.attributes or {}).items():
                if val is not None or found[f"attribute:{key}"][2]:
                    el.append(self.value(found[f"attribute:{key}"], val))
            for sid in by_informant.get(inf.id, []):
                el.append(E.SourceRef(targetGUID=sid))
            cases.append(el)
        self.counts["cases"] = len(cases)
        root = E.Project(name=self.safe(p.get_meta("title") or Path(p.url).stem),
                         origin=qdc.origin(),
                         creationDateTime=stamp(datetime.now(UTC)) or "")
        users = E.Users(*[E.User(guid=g, name=self.safe(n), id=self.safe(n))
                          for n, g in self.users.items()])
        if self.users:
            root.append(users)
        if any(spec.codes for spec in specs):
            root.append(E.CodeBook(qdc.codes_element(E, specs, self.code_notes)))
        root.append(variables)
        if cases:
            root.append(E.Cases(*cases))
        if source_elements:
            root.append(E.Sources(*source_elements))
        if self.notes:
            root.append(E.Notes(*self.notes))
        if self.links:
            root.append(E.Links(*self.links))
        sets = qdc.sets_elements(E, specs, "targetGUID") + [
            E.Set(*[E.MemberNote(targetGUID=g) for g in members], guid=guid("set", group),
                  name=group) for group, members in self.note_sets.items() if members]
        if sets:
            root.append(E.Sets(*sets))
        for note in self.project_notes:
            root.append(E.NoteRef(targetGUID=note))
        self.counts["users"] = len(self.users)
        self.counts["codes"] = len(codes)
        return root, files

    def selection(self, parent: Any, c: Any, code_key: str, move: Any,
                  lines: list[int]) -> None:
        """A coding as <PlainTextSelection> with one <Coding> (SubElement: 100,000s of them).

        The selection is named `line:N` (N: the 0-based line where it starts), which is how
        qc places a selection on its line-based transcripts."""
        from lxml.etree import SubElement

        user = self.user(c.coder)
        when = stamp(c.created_at)
        attrs = {"guid": guid("coding", c.id), "name": f"line:{bisect_right(lines, c.start - 1)}",
                 "startPosition": str(move(c.start)),
                 "endPosition": str(move(c.end)), "creatingUser": user}
        if when:
            attrs["creationDateTime"] = when
        el = SubElement(parent, TAG["PlainTextSelection"], attrs)
        if c.valence and c.valence != "0":
            SubElement(el, TAG["Description"]).text = VALENCE_TEXT[c.valence]
        coding_attrs = {"guid": guid("coding-of", c.id), "creatingUser": user}
        if when:
            coding_attrs["creationDateTime"] = when
        coding = SubElement(el, TAG["Coding"], coding_attrs)
        SubElement(coding, TAG["CodeRef"], {"targetGUID": qdc.code_guid(code_key)})
        if c.note:
            note = self.note(f"coding-note:{c.id}", _("Coding note"), c.note,
                             {"kind": "coding-note"}, c.coder, c.created_at, "Coding notes")
            SubElement(coding, TAG["NoteRef"], {"targetGUID": note})
        for note in self.coding_notes.get(c.id, []):
            SubElement(coding, TAG["NoteRef"], {"targetGUID": note})
        self.counts["codings"] += 1


def export_qdpx(project: Project, path: Path, *, crlf: bool = False,
                force: bool = False) -> ExportSummary:
    """Write the project as a .qdpx whose project.qde validates against Project.xsd (an
    existing file only with `force`)."""
    from lxml import etree

    from qualcode.core.atomic import refuse_existing, write_chunks

    path = Path(path)
    refuse_existing(path, force)
    writer = Writer(project, crlf)
    root, files = writer.build()
    require_valid(root, "Project", str(path))
    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def chunks() -> Any:
        import io

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("project.qde", qde)
            for name, text in files:
                zf.writestr(name, text.encode("utf-8"))
        yield buffer.getvalue()

    write_chunks(path, chunks(), force=force)
    archived = _rows(project, "SELECT count(*) AS n FROM source WHERE active = 0")[0].n
    return ExportSummary(path, dict(writer.counts), archived, writer.replaced)
