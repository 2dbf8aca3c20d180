"""Reading a .qdpx from any program into plain records (model.py), liberally and safely.

Variants read with a warning: an inner file named after the study (`MyStudy.qde`); `Sources/`
instead of `sources/`; source paths as `internal://x.txt`, bare `x.txt` or `relative:///x.txt`
(with a `basePath`: looked up inside the archive); a byte-order mark at the start of a text; a
file that does not follow Project.xsd. What qualcode cannot hold (pictures, audio, video, PDF
area selections, graphs, a source given only as .docx) is listed in `not_imported`.
Refused (ExchangeError): unsafe entries and sizes (safety.py), a DOCTYPE, invalid XML, a GUID
used twice, a source path that leaves the archive, selections without numeric positions.
"""

from __future__ import annotations

import re
from typing import Any

from qualcode.core.exchange.model import (
    XCase,
    XCoding,
    XLink,
    XNote,
    XProject,
    XSelection,
    XSource,
    XVariable,
)
from qualcode.core.exchange.qdc import (
    checked_guid,
    child,
    children,
    local,
    read_codes,
    read_sets,
    text_of,
)
from qualcode.core.exchange.safety import (
    ExchangeError,
    SafeArchive,
    entry_name_problem,
    norm_guid,
    parse_xml,
    schema_errors,
)
from qualcode.i18n import N_, Message, _

VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
              "DateTimeValue")
MEDIA = {"PictureSource": N_("picture"), "AudioSource": N_("audio"), "VideoSource": N_("video")}


def find_qde(archive: SafeArchive, warnings: list[str]) -> str:
    """The project XML inside the archive: project.qde, else the one .qde file there."""
    exact = archive.find("project.qde")
    if exact:
        return exact
    found = [name for name in archive.entries if name.lower().endswith(".qde")]
    top = [name for name in found if "/" not in name] or found
    if len(top) != 1:
        raise ExchangeError(N_("{path}: no project.qde inside (not a REFI-QDA project)")
                            if not top else N_("{path}: several .qde files inside ({names})"),
                            hint=N_("export the project again from the other program"),
                            path=archive.path, names=", ".join(sorted(top)))
    warnings.append(_("the project file inside is named {name!r}, not project.qde; read it")
                    .format(name=top[0]))
    return top[0]


def by_tag(el: Any) -> dict[str, list[Any]]:
    """An element's child elements by local name, in one pass (100,000s of selections)."""
    out: dict[str, list[Any]] = {}
    for c in el:
        tag = c.tag
        if isinstance(tag, str):
            out.setdefault(tag[tag.rfind("}") + 1:], []).append(c)
    return out


def nested(el: Any, name: str, tag: str | None) -> list[Any]:
    """The children called `tag` (all, with None) of `el`'s child `name`; [] without one."""
    inner = child(el, name)
    if inner is None:
        return []
    return [c for c in inner if isinstance(c.tag, str)] if tag is None else children(inner, tag)


class Reader:
    """Turns one archive's project.qde into an XProject."""

    def __init__(self, archive: SafeArchive) -> None:
        self.archive = archive
        self.seen: set[str] = set()
        self.where = str(archive.path)
        self.warned: set[str] = set()
        self.project = XProject(name="")

    def warn(self, text: str, once: str | None = None) -> None:
        if once is not None:
            if once in self.warned:
                return
            self.warned.add(once)
        self.project.warnings.append(text)

    def lost(self, text: str) -> None:
        self.project.not_imported.append(text)

    # ---- files inside the archive -------------------------------------------------------------
    def entry_for(self, path: str, what: str | Message) -> str | None:
        """The archive entry a source path names, or None (listed) when it is outside."""
        raw = path.strip()
        lower = raw.lower()
        if lower.startswith("internal://"):
            rel, kind = raw[len("internal://"):], "internal"
        elif lower.startswith("relative://"):
            rel, kind = raw[len("relative://"):].lstrip("/"), "relative"
        elif lower.startswith(("absolute://", "file://")) or re.match(r"^([A-Za-z]:|/|\\\\)",
                                                                      raw):
            self.lost(_("{what}: external file {path} (not read: only files inside the "
                        "archive are)").format(what=what, path=raw))
            return None
        else:
            rel, kind = raw, "bare"
        rel = rel.replace("\\", "/")
        problem = entry_name_problem(rel)
        if problem:
            raise ExchangeError(N_("{where}: refused: the path of {what} {problem}"),
                                hint=N_("nothing was imported; this file is damaged or unsafe"),
                                where=self.where, what=what, problem=problem)
        for candidate in (f"sources/{rel}", rel):
            name = self.archive.find(candidate)
            if name is None:
                continue
            if name.startswith("Sources/"):
                self.warn(_("sources are in a folder named Sources/ (as NVivo for Windows "
                            "writes it), not sources/"), once="Sources/")
            if kind == "bare":
                self.warn(_("source paths are bare file names ({path}), not internal://")
                          .format(path=raw), once="bare")
            elif kind == "relative":
                self.warn(_("source paths are relative:/// to a basePath ({base}); the files "
                            "were found inside the archive").format(
                                base=self.base_path or "-"), once="relative")
            return name
        self.lost(_("{what}: file {path} is missing from the archive").format(
            what=what, path=raw))
        return None

    def read_text(self, entry: str, what: str | Message) -> tuple[str, bool]:
        """A text file's content (BOM removed, reported) and whether it had a BOM."""
        data = self.archive.read(entry)
        bom = data.startswith(b"\xef\xbb\xbf")
        if bom:
            data = data[3:]
            self.warn(_("{what}: the text starts with a byte-order mark; removed").format(
                what=what))
        try:
            return data.decode("utf-8"), bom
        except UnicodeDecodeError:
            from qualcode.core.ingest.decoding import decode_bytes

            text, encoding = decode_bytes(data, str(what))
            self.warn(_("{what}: the text is not UTF-8; read as {encoding}").format(
                what=what, encoding=encoding))
            return text, False

    # ---- elements ------------------------------------------------------------------------------
    def read(self) -> XProject:
        warnings = self.project.warnings
        name = find_qde(self.archive, warnings)
        root = parse_xml(self.archive.read(name), f"{self.where}: {name}")
        if local(root.tag) != "Project":
            raise ExchangeError(N_("{where}: not a REFI-QDA project (the root is <{tag}>)"),
                                where=self.where, tag=local(root.tag))
        errors = schema_errors(root, "Project")
        if errors:
            self.warn(_("project.qde does not follow Project.xsd ({error}); read liberally")
                      .format(error=errors[0]))
        p = self.project
        p.name, p.origin = root.get("name") or "", root.get("origin") or ""
        self.base_path = root.get("basePath") or ""
        for user in nested(root, "Users", "User"):
            gid = checked_guid(user, self.seen, self.where)
            p.users[gid] = user.get("name") or user.get("id") or gid
        book = child(root, "CodeBook")
        p.codes = read_codes(child(book, "Codes") if book is not None else None, self.seen,
                             self.where)
        for var in nested(root, "Variables", "Variable"):
            gid = checked_guid(var, self.seen, self.where)
            p.variables[gid] = XVariable(gid, var.get("name") or gid,
                                         var.get("typeOfVariable") or "Text",
                                         text_of(var, "Description"))
        for case in nested(root, "Cases", "Case"):
            p.cases.append(XCase(checked_guid(case, self.seen, self.where),
                                 case.get("name") or "", text_of(case, "Description"),
                                 self.values(case), self.refs(case, "SourceRef")))
        for el in nested(root, "Sources", None):
            self.source(el)
        for note in nested(root, "Notes", "Note"):
            self.note(note)
        for link in nested(root, "Links", "Link"):
            p.links.append(XLink(checked_guid(link, self.seen, self.where),
                                 link.get("name") or "", norm_guid(link.get("originGUID")),
                                 norm_guid(link.get("targetGUID"))))
        p.sets = read_sets(child(root, "Sets"), self.seen, self.where)
        p.project_notes = self.refs(root, "NoteRef")
        self.read_structure()
        graphs = nested(root, "Graphs", "Graph")
        if graphs:
            self.lost(_("{n} graph(s): qualcode has no graphs").format(n=len(graphs)))
        return p

    def read_structure(self) -> None:
        """qualcode's own turns and segments (qdpx_write.STRUCTURE), when it wrote the file."""
        import json

        name = self.archive.find("qualcode/segments.json")
        if name is None or not self.project.from_qualcode:
            return
        try:
            data = json.loads(self.archive.read(name))
        except ValueError:
            self.warn(_("qualcode/segments.json is damaged; sources are segmented again"))
            return
        if isinstance(data, dict) and isinstance(data.get("sources"), dict):
            self.project.structure = {norm_guid(k): v for k, v in data["sources"].items()}

    @staticmethod
    def refs(el: Any, tag: str) -> list[str]:
        return [norm_guid(r.get("targetGUID")) for r in children(el, tag)]

    def values(self, el: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for vv in children(el, "VariableValue"):
            ref = child(vv, "VariableRef")
            value = next((c for c in vv if local(c.tag) in VALUE_TAGS), None)
            if ref is None or value is None:
                continue
            text = value.text or ""
            tag = local(value.tag)
            try:
                out[norm_guid(ref.get("targetGUID"))] = (
                    text.strip().lower() in ("true", "1") if tag == "BooleanValue" else
                    int(text) if tag == "IntegerValue" else
                    float(text) if tag == "FloatValue" else text)
            except ValueError:
                out[norm_guid(ref.get("targetGUID"))] = text
        return out

    def source(self, el: Any) -> None:
        tag = local(el.tag)
        name = el.get("name") or ""
        if tag in MEDIA:
            checked_guid(el, self.seen, self.where)
            self.lost(_("{kind} source {name!r}: qualcode holds text only").format(
                kind=_(MEDIA[tag]), name=name))
            return
        if tag == "PDFSource":
            checked_guid(el, self.seen, self.where)
            areas = children(el, "PDFSelection")
            if areas:
                self.lost(_("PDF source {name!r}: {n} area selection(s) on pages").format(
                    name=name, n=len(areas)))
            rep = child(el, "Representation")
            if rep is None:
                self.lost(_("PDF source {name!r}: no plain-text representation").format(
                    name=name))
                return
            self.text_source(rep, name or rep.get("name") or "")
            return
        if tag == "TextSource":
            self.text_source(el, name)

    def text_source(self, el: Any, name: str) -> None:
        gid = checked_guid(el, self.seen, self.where)
        path = el.get("plainTextPath") or ""
        name = name or el.get("name") or path.replace("\\", "/").rsplit("/", 1)[-1] or gid
        what = Message(N_("source {name!r}"), {"name": name})
        raw: str | None = None
        bom = False
        content = child(el, "PlainTextContent")
        if content is not None:
            raw = content.text or ""
            if raw.startswith("\ufeff"):
                raw, bom = raw[1:], True
        elif el.get("plainTextPath"):
            entry = self.entry_for(el.get("plainTextPath"), what)
            if entry is None:
                return
            raw, bom = self.read_text(entry, what)
        else:
            rich = el.get("richTextPath") or ""
            self.lost(_("{what}: given only as {path} without a plain-text version; add it as "
                        "a .docx with `qualcode import`").format(what=what, path=rich or "-"))
            return
        src = XSource(gid, name, raw, bom, text_of(el, "Description"),
                      notes=self.refs(el, "NoteRef"), values=self.values(el),
                      created=el.get("creationDateTime"))
        for sel in children(el, "PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                raise ExchangeError(N_("{where}: refused: a selection in {what} has no numeric "
                                       "positions (line {line})"),
                                    hint=N_("nothing was imported; the file is damaged"),
                                    where=self.where, what=what, line=sel.sourceline) from None
            parts = by_tag(sel)
            description = parts.get("Description")
            src.selections.append(XSelection(
                checked_guid(sel, self.seen, self.where), start, end,
                norm_guid(sel.get("creatingUser")) or None, sel.get("creationDateTime"),
                (description[0].text or "") if description else "",
                [self.coding(c) for c in parts.get("Coding", ())],
                [norm_guid(r.get("targetGUID")) for r in parts.get("NoteRef", ())]))
        src.codings = [self.coding(c) for c in children(el, "Coding")]
        self.project.sources.append(src)

    def coding(self, el: Any) -> XCoding:
        parts = by_tag(el)
        ref = parts.get("CodeRef")
        return XCoding(checked_guid(el, self.seen, self.where),
                       norm_guid(ref[0].get("targetGUID")) if ref else "",
                       norm_guid(el.get("creatingUser")) or None, el.get("creationDateTime"),
                       [norm_guid(r.get("targetGUID")) for r in parts.get("NoteRef", ())])

    def note(self, el: Any) -> None:
        gid = checked_guid(el, self.seen, self.where)
        text = text_of(el, "PlainTextContent")
        if not text and el.get("plainTextPath"):
            entry = self.entry_for(el.get("plainTextPath"), Message(
                N_("note {name!r}"), {"name": el.get("name") or gid}))
            if entry:
                text = self.read_text(entry, el.get("name") or gid)[0]
        self.project.notes[gid] = XNote(gid, el.get("name") or "", text,
                                        text_of(el, "Description"),
                                        norm_guid(el.get("creatingUser")) or None,
                                        el.get("creationDateTime"))


def read_project(archive: SafeArchive) -> XProject:
    """Everything in the archive's project.qde, with warnings and what was left out."""
    return Reader(archive).read()
