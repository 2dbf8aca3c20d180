"""YAML from untrusted files (manifests, front matter, codebooks) with bounded work.

PyYAML's safe loader builds no objects of arbitrary classes, but it still expands aliases
(a "billion laughs" document of a few hundred bytes names 10^9 nodes), follows recursive
anchors, recurses once per nesting level, and raises ValueError / OverflowError for values
such as `2024-13-45` or `!!int abc`. `BoundedLoader` counts what aliases expand to and how deep
the document nests while composing, and turns every bad value into a `yaml.MarkedYAMLError`
with its line, so callers need one `except yaml.YAMLError`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 50          # nesting levels: a codebook needs about 8
MAX_NODES = 200_000     # nodes after alias expansion: a large codebook has about 20,000
MAX_YAML_CHARS = 5 * 1024 * 1024


class YAMLLimitError(yaml.MarkedYAMLError):
    """A YAML document beyond the bounds (depth, expansion, size) or with an unreadable value."""


class BoundedLoader(yaml.SafeLoader):
    """A safe loader that bounds nesting depth and alias expansion, and marks bad values."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._expanded = 0
        self._sizes: dict[int, int] = {}
        self._open: set[str] = set()  # anchors of the nodes being composed

    def _fail(self, problem: str, node_or_mark: Any = None) -> None:
        mark = getattr(node_or_mark, "start_mark", None) or self.peek_event().start_mark
        raise YAMLLimitError(problem=problem, problem_mark=mark)

    def _size(self, node: Node, active: set[int]) -> int:
        """How many nodes `node` stands for once every alias is expanded (cycles refused)."""
        key = id(node)
        if key in self._sizes:
            return self._sizes[key]
        if key in active:
            self._fail("a recursive alias (an anchor used inside itself)", node)
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += self._size(child, active)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += self._size(k, active) + self._size(v, active)
        active.discard(key)
        self._sizes[key] = total
        return total

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open:
                self._fail("a recursive alias (an anchor used inside itself)")
            target = self.anchors.get(event.anchor)
            if target is not None:
                self._expanded += self._size(target, set())
                if self._expanded > MAX_NODES:
                    self._fail(f"aliases expand to more than {MAX_NODES:,} values")
            return super().compose_node(parent, index)  # type: ignore[no-any-return,return-value]
        anchor = getattr(self.peek_event(), "anchor", None)
        self._depth += 1
        if anchor is not None:
            self._open.add(anchor)
        try:
            if self._depth > MAX_DEPTH:
                self._fail(f"nested more than {MAX_DEPTH} levels deep")
            node: Node = super().compose_node(parent, index)  # type: ignore[assignment]
            self._expanded += 1
            if self._expanded > MAX_NODES:
                self._fail(f"more than {MAX_NODES:,} values", node)
            return node
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.discard(anchor)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # PyYAML's constructors raise ValueError, AttributeError ...
            shown = str(getattr(node, "value", ""))[:40] if not isinstance(
                getattr(node, "value", None), list) else ""
            raise YAMLLimitError(problem=f"cannot read the value {shown!r} ({exc})",
                                 problem_mark=node.start_mark) from None


def check_size(text: str) -> None:
    """Refuse a YAML text longer than MAX_YAML_CHARS."""
    if len(text) > MAX_YAML_CHARS:
        raise YAMLLimitError(problem=f"the YAML text is longer than {MAX_YAML_CHARS:,} "
                                     "characters")


def compose(text: str) -> Node | None:
    """The node tree of one YAML document, within the bounds."""
    check_size(text)
    loader = BoundedLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def load(text: str) -> Any:
    """The Python value of one YAML document, within the bounds."""
    value, _lines = load_with_lines(text)
    return value


def load_with_lines(text: str) -> tuple[Any, dict[str, int]]:
    """(value, {top-level key: 0-based line}) of one YAML document, within the bounds."""
    check_size(text)
    loader = BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[str, int] = {}
        if isinstance(node, MappingNode):
            for key, _value in node.value:
                lines.setdefault(str(key.value), key.start_mark.line)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()
