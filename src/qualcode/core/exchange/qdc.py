"""REFI-QDA codebooks (.qdc): qualcode codebooks to XML and back.

Each qualcode codebook becomes a Set of its codes (named after the codebook); codes keep their
hierarchy, colour and a Description holding the definition and the indicators, readable in any
program, with a last `qualcode:{json}` line that carries keys, both languages and the phrases.
Reading is liberal: a codebook from another program has no such line, so keys are made from
the names, definitions come from the descriptions, and sets become codebooks when every code
belongs to exactly one of them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.codebook_schema import CodebookSpec, CodeSpec, IndicatorSpec, ScaleLevel, Text
from qualcode.core.exchange.model import XCode, XSet, split_trailer, with_trailer
from qualcode.core.exchange.safety import (
    ExchangeError,
    guid,
    norm_guid,
    parse_xml,
    require_valid,
    schema_errors,
    xml_safe,
)
from qualcode.i18n import _

if TYPE_CHECKING:
    from qualcode.core.store import Project

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
DEFAULT_SCALE = (
    ScaleLevel("effective", 3, Text("Efektif", "Effective")),
    ScaleLevel("not_yet_optimal", 2, Text("Belum optimal", "Not yet optimal")),
    ScaleLevel("not_effective", 1, Text("Tidak efektif", "Not effective")),
)
_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


@cache
def code_guid(key: str) -> str:
    """The GUID qualcode gives a code in every export."""
    return guid("code", key)


def codebook_guid(key: str) -> str:
    """The GUID of the Set that stands for a codebook."""
    return guid("codebook", key)


# ---- qualcode -> XML ---------------------------------------------------------------------------
def specs_from_project(project: Project) -> list[CodebookSpec]:
    """The project's codebooks as specs (codes nested, colours and indicators included)."""
    specs = []
    for book in project.codebooks():
        codes = project.codes(book.key)
        indicators: dict[int, list[Any]] = {}
        for code in codes:
            indicators[code.id] = project.indicators(code.key)
        children: dict[int | None, list[Any]] = {}
        ids = {c.id for c in codes}
        for code in codes:
            parent = code.parent_id if code.parent_id in ids else None
            children.setdefault(parent, []).append(code)

        build = partial(_code_spec, indicators=indicators, children=children)
        scale = tuple(ScaleLevel(lv["key"], int(lv["value"]),
                                 Text(lv.get("label_id", ""), lv.get("label_en", "")))
                      for lv in book.scale or []) or DEFAULT_SCALE
        specs.append(CodebookSpec(
            key=book.key, title=Text(book.title_id, book.title_en), author=book.author,
            year=book.year, page=book.page, citation=book.citation, language=book.language,
            description=Text(book.description_id, book.description_en),
            focus=Text(book.focus_id, book.focus_en), scale=scale,
            codes=tuple(build(c) for c in children.get(None, []))))
    return specs


def _code_spec(code: Any, *, indicators: dict[int, list[Any]],
               children: dict[int | None, list[Any]]) -> CodeSpec:
    """A project code (with its indicators and sub-codes) as a spec."""
    return CodeSpec(
        key=code.key, label=Text(code.label_id, code.label_en),
        definition=Text(code.definition_id, code.definition_en),
        shortcut=code.shortcut, colour=code.colour,
        data_sources=tuple(code.data_sources or ()),
        informant_roles=tuple(code.informant_roles or ()),
        indicators=tuple(IndicatorSpec(i.key, Text(i.label_id, i.label_en),
                                       {k: tuple(v) for k, v in (i.phrases or {}).items()})
                         for i in indicators[code.id]),
        children=tuple(_code_spec(c, indicators=indicators, children=children)
                       for c in children.get(code.id, [])))


def _text(value: Text) -> dict[str, str]:
    return {k: v for k, v in (("id", value.id), ("en", value.en)) if v}


def code_description(code: CodeSpec, lang: str) -> str:
    """A code's Description: definition and indicators as text, then the qualcode line."""
    lines = [code.definition.get(lang)] if code.definition else []
    other = code.definition.en if lang != "en" else code.definition.id
    if other and other != code.definition.get(lang):
        lines.append(f"[{'en' if lang != 'en' else 'id'}] {other}")
    if code.indicators:
        lines.append(_("Indicators:", lang=lang) + "\n" + "\n".join(
            f"- {ind.label.get(lang)}" for ind in code.indicators))
    data: dict[str, Any] = {"key": code.key, "label": _text(code.label)}
    if code.definition:
        data["definition"] = _text(code.definition)
    for name in ("shortcut",):
        if getattr(code, name):
            data[name] = getattr(code, name)
    for name in ("data_sources", "informant_roles"):
        if getattr(code, name):
            data[name] = list(getattr(code, name))
    if code.indicators:
        data["indicators"] = [{"key": i.key, "label": _text(i.label),
                               "phrases": {k: list(v) for k, v in i.phrases.items()}}
                              for i in code.indicators]
    return with_trailer("\n\n".join(lines), data)


def codebook_description(spec: CodebookSpec) -> str:
    """A codebook Set's Description: the citation, then the qualcode line."""
    data = {"codebook": spec.key, "title": _text(spec.title), "author": spec.author,
            "year": spec.year, "page": spec.page, "citation": spec.citation,
            "language": spec.language, "description": _text(spec.description),
            "focus": _text(spec.focus),
            "scale": [{"key": s.key, "value": s.value, "label": _text(s.label)}
                      for s in spec.scale]}
    return with_trailer(spec.citation or spec.description.get(spec.language), data)


def codes_element(maker: Any, specs: Sequence[CodebookSpec],
                  notes: dict[str, list[str]] | None = None) -> Any:
    """The <Codes> element of all codebooks (`notes`: code key -> note GUIDs, project only)."""
    def element(code: CodeSpec, lang: str) -> Any:
        attrs = {"guid": code_guid(code.key),
                 "name": xml_safe(code.label.get(lang) or code.key)[0], "isCodable": "true"}
        if code.colour and _COLOUR.match(code.colour):
            attrs["color"] = code.colour
        el = maker.Code(maker.Description(xml_safe(code_description(code, lang))[0]), **attrs)
        for note in (notes or {}).get(code.key, []):
            el.append(maker.NoteRef(targetGUID=note))
        for child in code.children:
            el.append(element(child, lang))
        return el

    return maker.Codes(*[element(code, spec.language) for spec in specs for code in spec.codes])


def sets_elements(maker: Any, specs: Sequence[CodebookSpec], member: str = "guid") -> list[Any]:
    """One <Set> per codebook with codes (never an empty set); `member` is the attribute
    naming a member: `guid` in a .qdc, `targetGUID` in a project."""
    out = []
    for spec in specs:
        members = [maker.MemberCode(**{member: code_guid(c.key)}) for c, _p in spec.iter_codes()]
        if members:
            out.append(maker.Set(maker.Description(xml_safe(codebook_description(spec))[0]),
                                 *members, guid=codebook_guid(spec.key),
                                 name=xml_safe(spec.title.get(spec.language) or spec.key)[0]))
    return out


def qdc_tree(specs: Sequence[CodebookSpec]) -> Any:
    """The <CodeBook> tree of a .qdc file."""
    from lxml.builder import ElementMaker

    if not any(spec.codes for spec in specs):
        raise ExchangeError(_("the codebook has no codes; a .qdc needs at least one"))
    maker = ElementMaker(namespace=CODEBOOK_NS, nsmap={None: CODEBOOK_NS})
    root = maker.CodeBook(codes_element(maker, specs), origin=origin())
    sets = sets_elements(maker, specs)
    if sets:
        root.append(maker.Sets(*sets))
    return root


def origin() -> str:
    """The `origin` attribute: this program and its version."""
    from qualcode import __version__

    return f"qualcode {__version__}"


def write_qdc(specs: Sequence[CodebookSpec], path: Path) -> Path:
    """Write a .qdc that validates against Codebook.xsd (written whole, then renamed)."""
    from lxml import etree

    root = qdc_tree(specs)
    require_valid(root, "Codebook", str(path))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return write_atomic(path, [data])


def _file_mode() -> int:
    """The mode a new file gets here (0o666 less the umask), read once."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def write_atomic(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write bytes to a temporary file beside `path`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.chmod(tmp, FILE_MODE)   # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---- XML -> records ----------------------------------------------------------------------------
def local(tag: Any) -> str:
    """An element's tag without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child(el: Any, name: str) -> Any:
    """The first child element called `name` (any namespace, or none), or None."""
    return next(el.iterchildren(f"{{*}}{name}"), None)


def children(el: Any, name: str) -> list[Any]:
    """Child elements called `name` (any namespace, or none)."""
    return list(el.iterchildren(f"{{*}}{name}"))


def text_of(el: Any, name: str) -> str:
    """The text of the child called `name`, or ''."""
    found = child(el, name)
    return (found.text or "") if found is not None else ""


def read_codes(codes_el: Any, seen: set[str], what: str) -> list[XCode]:
    """The code tree under <Codes>; a GUID used twice is refused."""
    def read(el: Any) -> XCode:
        gid = checked_guid(el, seen, what)
        colour = (el.get("color") or "").strip().lower()
        if _COLOUR.match(colour) and len(colour) == 4:
            colour = "#" + "".join(ch * 2 for ch in colour[1:])
        return XCode(gid, (el.get("name") or "").strip(),
                     colour if _COLOUR.match(colour) else None,
                     text_of(el, "Description"),
                     (el.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                     [read(c) for c in children(el, "Code")],
                     [norm_guid(n.get("targetGUID")) for n in children(el, "NoteRef")])
    return [read(c) for c in children(codes_el, "Code")] if codes_el is not None else []


def read_sets(sets_el: Any, seen: set[str], what: str) -> list[XSet]:
    """The sets under <Sets>."""
    out = []
    for el in children(sets_el, "Set") if sets_el is not None else []:
        out.append(XSet(checked_guid(el, seen, what), el.get("name") or "",
                        text_of(el, "Description"),
                        [norm_guid(m.get("guid") or m.get("targetGUID"))
                         for m in children(el, "MemberCode")],
                        [norm_guid(m.get("targetGUID")) for m in children(el, "MemberSource")],
                        [norm_guid(m.get("targetGUID")) for m in children(el, "MemberNote")]))
    return out


def checked_guid(el: Any, seen: set[str], what: str) -> str:
    """An element's GUID, refused when missing or already used in the file."""
    gid = norm_guid(el.get("guid"))
    if not gid:
        raise ExchangeError(_("{what}: a {tag} has no guid (line {line})").format(
            what=what, tag=local(el.tag), line=el.sourceline))
    if gid in seen:
        raise ExchangeError(_("{what}: refused: GUID {guid} is used twice (line {line})")
                            .format(what=what, guid=gid, line=el.sourceline),
                            hint=_("nothing was imported; the file is damaged"))
    seen.add(gid)
    return gid


@dataclass
class CodebookRead:
    """Codebooks read from REFI-QDA codes and sets, with what the user should know."""

    specs: list[CodebookSpec]
    keys: dict[str, str] = field(default_factory=dict)     # code guid -> qualcode key
    warnings: list[str] = field(default_factory=list)
    foreign: set[str] = field(default_factory=set)       # keys of codes without qualcode's line


def read_qdc(path: Path, *, taken: set[str] | None = None,
             existing: dict[str, tuple[str, str]] | None = None) -> CodebookRead:
    """Read a .qdc file (checked like any untrusted file) into codebook specs."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ExchangeError(_("{path}: cannot read ({err})").format(
            path=path, err=exc.strerror or exc)) from None
    root = parse_xml(data, str(path))
    if local(root.tag) != "CodeBook":
        raise ExchangeError(_("{path}: not a REFI-QDA codebook (the root is <{tag}>)")
                            .format(path=path, tag=local(root.tag)))
    warnings = [_("{path} does not follow Codebook.xsd ({error}); read it anyway").format(
        path=path, error=e) for e in schema_errors(root, "Codebook")[:1]]
    seen: set[str] = set()
    codes = read_codes(child(root, "Codes"), seen, str(path))
    sets = read_sets(child(root, "Sets"), seen, str(path))
    if not codes:
        raise ExchangeError(_("{path}: the codebook has no codes").format(path=path))
    result = codebooks_from_codes(codes, sets, slug(Path(path).stem), taken, existing)
    result.warnings[:0] = warnings
    return result


def slug(name: str) -> str:
    """A code key from a name: no spaces, at most 60 characters."""
    key = re.sub(r"\s+", "-", name.strip())[:60].strip("-")
    return key or "code"


def unique(key: str, taken: set[str]) -> str:
    """`key`, or `key-2`, `key-3` ... when taken (case-insensitive)."""
    candidate, n = key, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{key}-{n}"
    taken.add(candidate.lower())
    return candidate


def _bitext(data: Any, fallback: str = "") -> Text:
    if isinstance(data, dict):
        return Text(str(data.get("id") or ""), str(data.get("en") or "")) or Text(fallback,
                                                                                  fallback)
    return Text(fallback, fallback)


def codebooks_from_codes(codes: list[XCode], sets: list[XSet], default_key: str,
                         taken: set[str] | None = None,
                         existing: dict[str, tuple[str, str]] | None = None
                         ) -> CodebookRead:
    """Codebook specs from a REFI-QDA code tree and its sets.

    `existing` maps a code's GUID or lower-cased `name|parent key` to (key, codebook key) of
    a code already in the project (GUIDs regenerated by another program still match by name
    and place); a matched code keeps its key and its codebook.
    """
    taken = set(taken or ())
    existing = existing or {}
    result = CodebookRead([])
    books = _books_from_sets(codes, sets, default_key, result)
    book_of: dict[str, str] = {}
    for book_key, _meta, members in books:
        for member in members:
            book_of.setdefault(member, book_key)

    def convert(code: XCode, parent_key: str | None, book: str) -> tuple[str, CodeSpec]:
        human, data = split_trailer(code.description)
        lang = books_meta.get(book, {}).get("language", "id")
        matched = existing.get(code.guid) or existing.get(f"{code.name.lower()}|{parent_key}")
        if data and isinstance(data.get("key"), str) and data["key"].strip() and not any(
                ch.isspace() for ch in data["key"]):
            key = data["key"]
            matched = existing.get(code_guid(key)) or matched
            taken.add(key.lower())
        elif matched:
            key = matched[0]
        else:
            key = unique(slug(code.name), taken)
        label = _bitext(data.get("label") if data else None, code.name or key)
        if data and code.name and code.name != label.get(lang):
            label = replace(label, **{lang: code.name})
            result.warnings.append(_("code {key}: renamed to {name!r} in the other program")
                                   .format(key=key, name=code.name))
        definition = _bitext(data.get("definition") if data else None, human.strip())
        if not data and not code.codable:
            result.warnings.append(_("code {name!r} was a folder (not codable); it is an "
                                     "ordinary code here").format(name=code.name))
        result.keys[code.guid] = key
        if not data:
            result.foreign.add(key)
        # a matched code keeps its codebook; a sub-code follows its parent's
        book_here = matched[1] if matched else book if parent_key else book_of.get(code.guid,
                                                                                  book)
        kids = [convert(c, key, book_here) for c in code.children]
        indicators = tuple(
            IndicatorSpec(str(i.get("key")), _bitext(i.get("label")),
                          {k: tuple(map(str, v)) for k, v in (i.get("phrases") or {}).items()})
            for i in (data or {}).get("indicators", []) if isinstance(i, dict) and i.get("key"))
        spec = CodeSpec(key=key, label=label, definition=definition,
                        shortcut=(data or {}).get("shortcut"), colour=code.colour,
                        data_sources=tuple((data or {}).get("data_sources", ())),
                        informant_roles=tuple((data or {}).get("informant_roles", ())),
                        indicators=indicators,
                        children=tuple(s for b, s in kids if b == book_here))
        for b, s in kids:
            if b != book_here:
                moved.append((b, s))
        return book_here, spec

    books_meta = {key: meta for key, meta, _m in books}
    moved: list[tuple[str, CodeSpec]] = []
    top: dict[str, list[CodeSpec]] = {key: [] for key, _meta, _m in books}
    for code in codes:
        book, spec = convert(code, None, book_of.get(code.guid, default_key))
        top.setdefault(book, []).append(spec)
    for book, spec in moved:
        top.setdefault(book, []).append(spec)
    for key, specs in top.items():
        if specs:
            result.specs.append(_codebook(key, books_meta.get(key, {}), specs))
    return result


def _books_from_sets(codes: list[XCode], sets: list[XSet], default_key: str,
                     result: CodebookRead) -> list[tuple[str, dict[str, Any], list[str]]]:
    """(codebook key, metadata, member GUIDs) per set that stands for a codebook."""
    all_guids: list[str] = []

    def walk(items: list[XCode]) -> None:
        for code in items:
            all_guids.append(code.guid)
            walk(code.children)
    walk(codes)
    code_sets = [s for s in sets if s.codes]
    ours = [(s, split_trailer(s.description)[1]) for s in code_sets]
    if ours and all(data and data.get("codebook") for _s, data in ours):
        return [(str(data["codebook"]), data, s.codes) for s, data in ours if data]
    counts: dict[str, int] = {}
    for s in code_sets:
        for member in s.codes:
            counts[member] = counts.get(member, 0) + 1
    if code_sets and all(counts.get(g) == 1 for g in all_guids):
        taken: set[str] = set()
        return [(unique(slug(s.name) or default_key, taken),
                 {"title": {"id": s.name, "en": s.name}}, s.codes) for s in code_sets]
    if code_sets:
        result.warnings.append(_("{n} code sets kept as one codebook ({key}): qualcode has "
                                 "one codebook per code").format(n=len(code_sets),
                                                                 key=default_key))
    return [(default_key, {}, all_guids)]


def _codebook(key: str, meta: dict[str, Any], codes: list[CodeSpec]) -> CodebookSpec:
    scale = tuple(ScaleLevel(str(s["key"]), int(s["value"]), _bitext(s.get("label"), s["key"]))
                  for s in meta.get("scale") or [] if isinstance(s, dict)) or DEFAULT_SCALE
    year = meta.get("year")
    return CodebookSpec(
        key=key, title=_bitext(meta.get("title"), key), author=str(meta.get("author") or ""),
        year=year if isinstance(year, int) else None, page=meta.get("page"),
        citation=str(meta.get("citation") or ""),
        language=str(meta["language"]) if meta.get("language") in ("id", "en") else "id",
        description=_bitext(meta.get("description")), focus=_bitext(meta.get("focus")),
        scale=scale, codes=tuple(codes))


def project_matches(project: Project) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """The project's code keys (lower case) and its codes by GUID and by `name|parent key`."""
    existing: dict[str, tuple[str, str]] = {}
    books = {b.id: b.key for b in project.codebooks()}
    codes = project.codes()
    by_id = {c.id: c for c in codes}
    for code in codes:
        parent = by_id.get(code.parent_id)
        entry = (code.key, books[code.codebook_id])
        existing[code_guid(code.key)] = entry
        for label in {code.label_id, code.label_en} - {""}:
            existing[f"{label.lower()}|{parent.key if parent else None}"] = entry
    return {c.key.lower() for c in codes}, existing


def import_qdc(project: Project, path: Path) -> CodebookRead:
    """Read a .qdc and add its codebooks to the project; codes already there (same GUID, or
    same name under the same parent) are updated, not duplicated."""
    taken, existing = project_matches(project)
    read = read_qdc(path, taken=taken, existing=existing)
    add_specs(project, read.specs, read.foreign)
    return read


def add_specs(project: Project, specs: Sequence[CodebookSpec],
              foreign: set[str] | None = None) -> None:
    """Add codebooks to a project; a codebook already there keeps its title, scale and
    citation unless the file gives its own; codes in `foreign` (from another program) that
    are already in the project keep what the other program cannot carry (see _keep_known)."""
    current = {spec.key: spec for spec in specs_from_project(project)}
    known = {code.key: (code, spec.language) for spec in current.values()
             for code, _p in spec.iter_codes()}
    for spec in specs:
        old = current.get(spec.key)
        if old is not None and spec.title == Text(spec.key, spec.key):
            spec = replace(old, codes=spec.codes)
        project.import_codebook(replace(spec, codes=tuple(_keep_known(c, known, foreign or set())
                                                          for c in spec.codes)))


def _keep_known(code: CodeSpec, known: dict[str, tuple[CodeSpec, str]],
                foreign: set[str]) -> CodeSpec:
    """A code from another program that matched one already in the project: its one-language
    name and description replace only the codebook language's text; the other language, the
    indicators, the shortcut and the rest stay as they were."""
    kids = tuple(_keep_known(c, known, foreign) for c in code.children)
    if code.key not in known or code.key not in foreign:
        return replace(code, children=kids)      # ours (with its qualcode line), or new
    old, lang = known[code.key]
    name = code.label.id
    label = old.label if name in (old.label.id, old.label.en) else replace(old.label,
                                                                           **{lang: name})
    definition = old.definition
    text = code.definition.id
    if text and text not in (old.definition.id, old.definition.en):
        definition = replace(old.definition, **{lang: text})
    return replace(old, label=label, definition=definition, colour=code.colour or old.colour,
                   children=kids)
