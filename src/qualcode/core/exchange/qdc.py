"""REFI-QDA codebooks (.qdc): qualcode codebooks to XML and back.

Each qualcode codebook becomes a Set of its codes (named after the codebook); codes keep their
hierarchy, colour and a Description holding the definition and the indicators, readable in any
program, with a last `qualcode:{json}` line that carries keys, both languages and the phrases.
Reading them back (liberally, from any program) is in qdc_read.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.atomic import write_chunks
from qualcode.core.codebook_schema import CodebookSpec, CodeSpec, IndicatorSpec, ScaleLevel, Text
from qualcode.core.exchange.model import XCode, XSet, with_trailer
from qualcode.core.exchange.safety import (
    ExchangeError,
    guid,
    norm_guid,
    require_valid,
    xml_safe,
)
from qualcode.i18n import N_, _

if TYPE_CHECKING:
    from qualcode.core.store import Project

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
DEFAULT_SCALE = (
    ScaleLevel("effective", 3, Text(_("Effective", lang="id"), "Effective")),
    ScaleLevel("not_yet_optimal", 2, Text(_("Not yet optimal", lang="id"), "Not yet optimal")),
    ScaleLevel("not_effective", 1, Text(_("Not effective", lang="id"), "Not effective")),
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
                                 Text(lv.get("label_id", ""), lv.get("label_en", "")),
                                 lv.get("min_share"), lv.get("min_informants"))
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
            "scale": [{"key": s.key, "value": s.value, "label": _text(s.label),
                       **({"min_share": s.min_share} if s.min_share is not None else {}),
                       **({"min_informants": s.min_informants}
                          if s.min_informants is not None else {})}
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
        raise ExchangeError(N_("the codebook has no codes; a .qdc needs at least one"))
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


def write_qdc(specs: Sequence[CodebookSpec], path: Path, *, force: bool = False) -> Path:
    """Write a .qdc that validates against Codebook.xsd (written whole, then renamed)."""
    from lxml import etree

    root = qdc_tree(specs)
    require_valid(root, "Codebook", str(path))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return write_chunks(path, [data], force=force)


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
        raise ExchangeError(N_("{what}: a {tag} has no guid (line {line})"), what=what,
                            tag=local(el.tag), line=el.sourceline)
    if gid in seen:
        raise ExchangeError(N_("{what}: refused: GUID {guid} is used twice (line {line})"),
                            hint=N_("nothing was imported; the file is damaged"),
                            what=what, guid=gid, line=el.sourceline)
    seen.add(gid)
    return gid
