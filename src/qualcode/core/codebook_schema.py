"""Codebook specs (frozen dataclasses) and the validator that builds them from YAML.

The YAML is composed into nodes first, so every error can name `FILE:LINE` (1-based) of the
offending key or value. All problems raise `CodebookError(message, hint)`.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qualcode.errors import CodebookError
from qualcode.i18n import N_, Message

LANGUAGES = ("id", "en")
TOP_FIELDS = ("key", "title", "author", "year", "page", "citation", "language",
              "description", "focus", "scale", "codes")
TOP_REQUIRED = ("key", "title", "scale", "codes")
CODE_FIELDS = ("key", "label", "definition", "shortcut", "colour", "data_sources",
               "informant_roles", "indicators", "children")
INDICATOR_FIELDS = ("key", "label", "phrases")
SCALE_FIELDS = ("key", "value", "label", "min_share", "min_informants")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Text:
    """A bilingual text; an empty string means "not given in that language"."""

    id: str = ""
    en: str = ""

    def get(self, lang: str = "id") -> str:
        """The text in `lang` ("id" or "en"), falling back to the other language."""
        first, other = (self.en, self.id) if lang == "en" else (self.id, self.en)
        return first or other

    def __bool__(self) -> bool:
        return bool(self.id or self.en)


@dataclass(frozen=True)
class ScaleLevel:
    """One level of a codebook's assessment scale (e.g. effective = 3)."""

    key: str
    value: int
    label: Text
    min_share: float | None = None       # verdict rule: least share "for" proposing this level
    min_informants: int | None = None    # verdict rule: informants that must take a side


@dataclass(frozen=True)
class IndicatorSpec:
    """An observable parameter of a code, with search phrases per language."""

    key: str
    label: Text
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CodeSpec:
    """A code (characteristic / aspect) of a codebook; may nest sub-codes in `children`."""

    key: str
    label: Text
    definition: Text = Text()
    shortcut: str | None = None
    colour: str | None = None
    data_sources: tuple[str, ...] = ()
    informant_roles: tuple[str, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
    children: tuple[CodeSpec, ...] = ()


@dataclass(frozen=True)
class CodebookSpec:
    """A whole codebook (theory framework) as read from one YAML file."""

    key: str
    title: Text
    author: str
    year: int | None
    page: str | None
    citation: str
    language: str
    description: Text
    focus: Text
    scale: tuple[ScaleLevel, ...]
    codes: tuple[CodeSpec, ...]
    path: str | None = None

    def iter_codes(self) -> Iterator[tuple[CodeSpec, str | None]]:
        """Every code depth-first, parents before children, as (code, parent_key)."""

        def walk(codes: tuple[CodeSpec, ...], parent: str | None) -> Iterator[
            tuple[CodeSpec, str | None]
        ]:
            for code in codes:
                yield code, parent
                yield from walk(code.children, code.key)

        return walk(self.codes, None)

    def get_code(self, key: str) -> CodeSpec | None:
        """The code with this key at any depth, or None."""
        return next((code for code, _ in self.iter_codes() if code.key == key), None)


def line_of(node: Node) -> int:
    """1-based line where a node starts."""
    return int(node.start_mark.line) + 1


class _Fields(dict[str, tuple[ScalarNode, Node]]):
    """The fields of one mapping: name -> (key node, value node)."""

    def __init__(self, node: MappingNode) -> None:
        super().__init__()
        self.node = node


class CodebookValidator:
    """Turns the composed YAML node tree of one file into a CodebookSpec, or fails with a line."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._constructor = SafeConstructor()
        self._code_lines: dict[str, int] = {}
        self._indicator_lines: dict[str, int] = {}
        self._shortcut_lines: dict[str, tuple[int, str]] = {}
        self._language = "id"

    # -- failure and small readers ------------------------------------------------------------
    def fail(self, where: Node | int, message: str, hint: str, **params: object) -> NoReturn:
        """Raise a CodebookError at `where`'s line; `message` and `hint` are message ids."""
        line = where if isinstance(where, int) else line_of(where)
        raise CodebookError(N_("{filename}:{line}: {detail}"), hint=Message(hint, params),
                            filename=self.filename, line=line, detail=Message(message, params))

    def value(self, node: Node) -> object:
        """The Python value of a scalar node (null, bool, int, float, str, date)."""
        if not isinstance(node, ScalarNode):
            return node
        try:
            return self._constructor.construct_object(node, deep=True)
        except Exception as exc:  # PyYAML's constructors raise ValueError, AttributeError ...
            self.fail(node, N_("cannot read value {value!r}: {exc}"), N_("put the value in quotes"),
                      value=str(node.value)[:60], exc=exc)

    def fields(self, node: Node, allowed: tuple[str, ...], what: str) -> _Fields:
        """Check a mapping: no duplicate keys, no unknown keys (with a close-match hint)."""
        if not isinstance(node, MappingNode):
            self.fail(node, N_("{what} must be a mapping of fields (name: value)"),
                      N_("allowed fields: {allowed}"), what=what, allowed=', '.join(allowed))
        result = _Fields(node)
        for key_node, value_node in node.value:
            name = self.value(key_node)
            if not isinstance(key_node, ScalarNode) or not isinstance(name, str):
                self.fail(key_node, N_("field names in {what} must be plain words"),
                          N_("allowed fields: {allowed}"), what=what, allowed=', '.join(allowed))
            if name in result:
                first = line_of(result[name][0])
                self.fail(key_node,
                          N_("duplicate field '{name}' in {what} (first on line {first})"),
                          N_("keep one of the two lines"), name=name, what=what, first=first)
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                suggestion = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail(key_node, N_("unknown field '{name}' in {what}{suggestion}"),
                          N_("allowed fields: {allowed}"), name=name, what=what,
                          suggestion=suggestion, allowed=', '.join(allowed))
            result[name] = (key_node, value_node)
        return result

    def require(self, fields: _Fields, name: str, what: str) -> Node:
        """The value node of a required field; missing or empty is an error."""
        if name not in fields:
            self.fail(fields.node, N_("{what} has no {name}"),
                      N_("add a '{name}:' field to {what}"), what=what, name=name)
        if self.value(fields[name][1]) is None:
            self.fail(fields[name][0], N_("{name} of {what} is empty"),
                      N_("write a value after '{name}:'"), name=name, what=what)
        return fields[name][1]

    def string(self, node: Node, what: str) -> str:
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(node, N_("{what} must be text"),
                      N_("write a word or sentence, e.g. \"Ahli\""), what=what)
        return str(value).strip()

    def optional_string(self, fields: _Fields, name: str, what: str) -> str | None:
        if name not in fields or self.value(fields[name][1]) is None:
            return None
        return self.string(fields[name][1], f"{name} of {what}") or None

    def key(self, node: Node, what: str) -> str:
        value = self.value(node)
        if not isinstance(value, str):
            self.fail(node, N_("key of {what} must be text, not {value!r}"),
                      N_("quote it, e.g. key: \"SOB-1\""), what=what, value=value)
        key = value.strip()
        if not key or any(ch.isspace() for ch in key):
            self.fail(node, N_("key of {what} must be non-empty and contain no spaces: {value!r}"),
                      N_("use letters, digits, '-', '.' or '_', e.g. SOB-1"), what=what,
                      value=value)
        return key

    def text(self, node: Node, what: str) -> Text:
        """A bilingual text: a mapping {id, en}, or a plain string used for both languages."""
        if isinstance(node, ScalarNode):
            plain = self.string(node, what)
            if not plain:
                self.fail(node, N_("{what} is empty"), N_("write the text, or remove the line"),
                          what=what)
            return Text(id=plain, en=plain)
        fields = self.fields(node, LANGUAGES, what)
        parts = {lang: self.string(value_node, f"{what} ({lang})")
                 for lang, (_, value_node) in fields.items() if self.value(value_node) is not None}
        if not any(parts.values()):
            self.fail(node, N_("{what} has neither 'id' nor 'en' text"),
                      N_("write e.g. {{id: \"Harus ahli\", en: \"Expertise\"}}"), what=what)
        return Text(id=parts.get("id", ""), en=parts.get("en", ""))

    def optional_text(self, fields: _Fields, name: str, what: str) -> Text:
        if name not in fields or self.value(fields[name][1]) is None:
            return Text()
        return self.text(fields[name][1], f"{name} of {what}")

    def sequence(self, node: Node, what: str) -> list[Node]:
        if self.value(node) is None:
            return []
        if not isinstance(node, SequenceNode):
            self.fail(node, N_("{what} must be a list"),
                      N_("write one entry per line starting with '- ', or [a, b] on one line"),
                      what=what)
        return list(node.value)

    def words(self, node: Node, what: str) -> tuple[str, ...]:
        """A list of non-empty strings (e.g. data sources, phrases)."""
        items: list[str] = []
        for item in self.sequence(node, what):
            word = self.string(item, f"an entry of {what}")
            if not word:
                self.fail(item, N_("empty entry in {what}"), N_("remove the empty entry"),
                          what=what)
            items.append(word)
        return tuple(items)

    # -- the document ---------------------------------------------------------------------------
    def codebook(self, root: Node, path: str | None) -> CodebookSpec:
        if not isinstance(root, MappingNode):
            self.fail(root, N_("a codebook must be a mapping of fields at the top level"),
                      N_("start with lines like 'key: my-codebook' and 'title: ...'"))
        top = self.fields(root, TOP_FIELDS, "the codebook")
        for name in TOP_REQUIRED:
            if name not in top:
                self.require(top, name, "the codebook")
        key = self.key(self.require(top, "key", "the codebook"), "the codebook")
        title = self.text(self.require(top, "title", "the codebook"), "title of the codebook")
        language = self.optional_string(top, "language", "the codebook") or "id"
        if language not in LANGUAGES:
            self.fail(top["language"][1], N_("language must be 'id' or 'en', not '{language}'"),
                      N_("use id for Indonesian or en for English"), language=language)
        self._language = language
        year: int | None = None
        if "year" in top and self.value(top["year"][1]) is not None:
            raw_year = self.value(top["year"][1])
            if isinstance(raw_year, bool) or not isinstance(raw_year, int):
                self.fail(top["year"][1], N_("year must be a whole number, not {raw_year!r}"),
                          N_("e.g. year: 2008"), raw_year=raw_year)
            year = raw_year
        scale = self.scale(top["scale"][1])
        code_nodes = self.sequence(top["codes"][1], "codes")
        if not code_nodes:
            self.fail(top["codes"][1], N_("the codebook has no codes (codes list is empty)"),
                      N_("add at least one code under 'codes:'"))
        return CodebookSpec(
            key=key,
            title=title,
            author=self.optional_string(top, "author", "the codebook") or "",
            year=year,
            page=self.optional_string(top, "page", "the codebook"),
            citation=self.optional_string(top, "citation", "the codebook") or "",
            language=language,
            description=self.optional_text(top, "description", "the codebook"),
            focus=self.optional_text(top, "focus", "the codebook"),
            scale=scale,
            codes=tuple(self.code(node, "codes") for node in code_nodes),
            path=path,
        )

    def scale(self, node: Node) -> tuple[ScaleLevel, ...]:
        items = self.sequence(node, "scale")
        if not items:
            self.fail(node, N_("the scale is empty"), N_("list its levels, best first"))
        levels: list[ScaleLevel] = []
        seen_values: dict[int, int] = {}
        seen_keys: dict[str, int] = {}
        share_lines: dict[str, int] = {}
        for item in items:
            fields = self.fields(item, SCALE_FIELDS, "a scale level")
            key = self.key(self.require(fields, "key", "a scale level"), "a scale level")
            what = f"scale level '{key}'"
            value_node = self.require(fields, "value", what)
            value = self.value(value_node)
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(value_node, N_("value of {what} must be a whole number, not {value!r}"),
                          N_("scale values are unique whole numbers, best highest, e.g. 3, 2, 1"),
                          what=what, value=value)
            if key in seen_keys:
                self.fail(fields["key"][1],
                          N_("duplicate scale key '{key}' (first on line {first})"),
                          N_("each scale level needs its own key"), key=key,
                          first=seen_keys[key])
            if value in seen_values:
                self.fail(value_node,
                          N_("duplicate scale value {value} in {what} (first on line "
                             "{first})"),
                          N_("scale values must be unique whole numbers, e.g. 3, 2, 1"),
                          value=value, what=what, first=seen_values[value])
            seen_keys[key] = line_of(fields["key"][1])
            seen_values[value] = line_of(value_node)
            label_text = self.text(self.require(fields, "label", what), f"label of {what}")
            levels.append(ScaleLevel(key=key, value=value, label=label_text,
                                     min_share=self.share(fields, what),
                                     min_informants=self.informants(fields, what)))
            if levels[-1].min_share is not None:
                share_lines[key] = line_of(fields["min_share"][1])
        ranked = sorted((lv for lv in levels if lv.min_share is not None), key=lambda lv: -lv.value)
        for better, worse in itertools.pairwise(ranked):
            if worse.min_share >= better.min_share:  # type: ignore[operator]
                self.fail(share_lines[worse.key],
                          N_("min_share of scale level '{worse}' must be below that of the "
                             "better level '{better}'"),
                          N_("shares fall from the best level down, e.g. 0.75, 0.5"),
                          worse=worse.key, better=better.key)
        return tuple(levels)

    def share(self, fields: _Fields, what: str) -> float | None:
        """A level's `min_share`: a number above 0 and at most 1 (or absent)."""
        if "min_share" not in fields or self.value(fields["min_share"][1]) is None:
            return None
        node = fields["min_share"][1]
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            self.fail(node, N_("min_share of {what} must be a number above 0 and at most 1, "
                               "not {value!r}"),
                      N_("the least share for this level, e.g. min_share: 0.75"),
                      what=what, value=value)
        return float(value)

    def informants(self, fields: _Fields, what: str) -> int | None:
        """A level's `min_informants`: a whole number of at least 1 (or absent)."""
        if "min_informants" not in fields or self.value(fields["min_informants"][1]) is None:
            return None
        node = fields["min_informants"][1]
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(node, N_("min_informants of {what} must be a whole number of at least 1, "
                               "not {value!r}"),
                      N_("how many informants must take a side, e.g. min_informants: 2"),
                      what=what, value=value)
        return value

    @staticmethod
    def describe(node: Node, kind: str, where: str) -> str:
        """ "code 'SOB-1'" when the mapping has a usable key, else "a code in codes"."""
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if (isinstance(key_node, ScalarNode) and key_node.value == "key"
                        and isinstance(value_node, ScalarNode) and value_node.value.strip()):
                    return f"{kind} '{value_node.value.strip()}'"
        return f"a {kind} in {where}"

    def code(self, node: Node, where: str) -> CodeSpec:
        fields = self.fields(node, CODE_FIELDS, self.describe(node, "code", where))
        key_node = self.require(fields, "key", f"a code in {where}")
        key = self.key(key_node, f"a code in {where}")
        if key in self._code_lines:
            self.fail(key_node,
                      N_("duplicate code key '{key}' on line {line} (first defined on line "
                         "{first})"), N_("every code needs its own key"), key=key,
                      line=line_of(key_node), first=self._code_lines[key])
        self._code_lines[key] = line_of(key_node)
        what = f"code '{key}'"
        label = self.text(self.require(fields, "label", what), f"label of {what}")
        indicators = tuple(self.indicator(item, key) for item in
                           self.sequence(fields["indicators"][1], f"indicators of {what}")
                           ) if "indicators" in fields else ()
        children = tuple(self.code(item, f"children of {what}") for item in
                         self.sequence(fields["children"][1], f"children of {what}")
                         ) if "children" in fields else ()
        return CodeSpec(
            key=key,
            label=label,
            definition=self.optional_text(fields, "definition", what),
            shortcut=self.shortcut(fields, key),
            colour=self.colour(fields, what),
            data_sources=self.list_field(fields, "data_sources", what),
            informant_roles=self.list_field(fields, "informant_roles", what),
            indicators=indicators,
            children=children,
        )

    def list_field(self, fields: _Fields, name: str, what: str) -> tuple[str, ...]:
        return self.words(fields[name][1], f"{name} of {what}") if name in fields else ()

    def shortcut(self, fields: _Fields, code_key: str) -> str | None:
        what = f"code '{code_key}'"
        if "shortcut" not in fields or self.value(fields["shortcut"][1]) is None:
            return None
        node = fields["shortcut"][1]
        raw = self.value(node)
        shortcut = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
        if len(shortcut) != 1 or shortcut.isspace():
            self.fail(node, N_("shortcut of {what} must be a single character, not {raw!r}"),
                      N_("e.g. shortcut: \"1\" or shortcut: \"c\""), what=what, raw=raw)
        if shortcut in self._shortcut_lines:
            first_line, first_code = self._shortcut_lines[shortcut]
            self.fail(node,
                      N_("shortcut '{shortcut}' of {what} is already used by code "
                         "'{first_code}' on line {first_line}"),
                      N_("give each code its own shortcut"), shortcut=shortcut, what=what,
                      first_code=first_code, first_line=first_line)
        self._shortcut_lines[shortcut] = (line_of(node), code_key)
        return shortcut

    def colour(self, fields: _Fields, what: str) -> str | None:
        if "colour" not in fields:
            return None
        node = fields["colour"][1]
        raw = self.value(node)
        if raw is None:
            self.fail(node, N_("colour of {what} is empty"),
                      N_("quote hex colours: colour: \"#e6194b\" (an unquoted # starts a comment)"),
                      what=what)
        if not isinstance(raw, str) or not _COLOUR.fullmatch(raw.strip()):
            self.fail(node, N_("colour of {what} must be #rrggbb, not {raw!r}"),
                      N_("e.g. colour: \"#e6194b\""), what=what, raw=raw)
        return raw.strip().lower()

    def indicator(self, node: Node, code_key: str) -> IndicatorSpec:
        where = f"indicators of code '{code_key}'"
        fields = self.fields(node, INDICATOR_FIELDS, self.describe(node, "indicator", where))
        key_node = self.require(fields, "key", f"an indicator in {where}")
        key = self.key(key_node, f"an indicator in {where}")
        if key in self._indicator_lines:
            self.fail(key_node,
                      N_("duplicate indicator key '{key}' on line {line} (first defined on line "
                         "{first})"), N_("every indicator needs its own key"), key=key,
                      line=line_of(key_node), first=self._indicator_lines[key])
        self._indicator_lines[key] = line_of(key_node)
        what = f"indicator '{key}'"
        label = self.text(self.require(fields, "label", what), f"label of {what}")
        phrases: dict[str, tuple[str, ...]] = {}
        if "phrases" in fields and self.value(fields["phrases"][1]) is not None:
            phrase_node = fields["phrases"][1]
            if isinstance(phrase_node, SequenceNode):  # plain list: the codebook's language
                phrases[self._language] = self.words(phrase_node, f"phrases of {what}")
            else:
                by_lang = self.fields(phrase_node, LANGUAGES, f"phrases of {what}")
                for lang, (_, list_node) in by_lang.items():
                    phrases[lang] = self.words(list_node, f"phrases of {what} ({lang})")
        return IndicatorSpec(key=key, label=label, phrases=phrases)
