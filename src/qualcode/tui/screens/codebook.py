"""The codebook screen: browse codebooks > codes > sub-codes; add, rename, recolour, merge.

Every change goes through the store (one undoable action each: the app's undo reverts it); the
screen reloads on `StoreChanged` and whenever it is shown again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static, Tree
from textual.widgets.tree import TreeNode

from qualcode.core.store import summary as store_summary
from qualcode.core.store.codebooks import PALETTE
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.form_dialog import ColourDialog, FormDialog, FormField, Values
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.screens.screen_base import QualcodeScreen
from qualcode.tui.widgets.code_picker import ChoiceDialog
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.models import Code, Codebook

NodeData = tuple[str, str]  # ("book" | "code", key)

def _bi(lang: str, id_text: str, en_text: str) -> str:
    """Text in `lang`, falling back to the other language."""
    return (en_text or id_text) if lang == "en" else (id_text or en_text)


class CodebookScreen(QualcodeScreen):
    """Codebooks, codes and their indicators; the researcher's own emergent codes."""

    CSS_PATH = "codebook.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("codebook")

    def __init__(self, code: str | None = None) -> None:
        """`code`: the key of a code to show first (e.g. the one under the coding cursor)."""
        super().__init__()
        self.codes_by_key: dict[str, Code] = {}
        self.books_by_key: dict[str, Codebook] = {}
        self.usage: dict[int, int] = {}
        self._select_key: str | None = code

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cb-body"):
            tree: Tree[NodeData | None] = Tree("codebooks", id="cb-tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with VerticalScroll(id="cb-detail-box"):
                yield Static(id="cb-detail")
        yield KeyBar()

    # ---- loading -------------------------------------------------------------------------
    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Codebooks")

    def refresh_data(self) -> None:
        tree: Tree[NodeData | None] = self.query_one("#cb-tree", Tree)
        node = tree.cursor_node
        keep = self._select_key or (node.data[1] if node is not None and node.data else None)
        books = self.project.codebooks()
        codes = self.project.codes()
        self.books_by_key = {b.key: b for b in books}
        self.codes_by_key = {c.key: c for c in codes}
        self.usage = store_summary.coding_counts(self.project)
        tree.clear()
        if not books:
            tree.root.add_leaf(Text(_("No codebooks yet. Add one with `qualcode codebook add`."),
                                    style="italic"), data=None)
        chosen: TreeNode[NodeData | None] | None = None
        first: TreeNode[NodeData | None] | None = None
        for book in books:
            own = [c for c in codes if c.codebook_id == book.id]
            label = Text(book.key, style="bold")
            label.append(f" ({len(own)})", style="dim")
            if not book.active:
                label.append(f" {_('inactive')}", style="dim italic")
            node = tree.root.add(label, data=("book", book.key), expand=book.active)
            first = first or (node if book.active else None)
            chosen = node if book.key == keep else chosen
            chosen = self._add_codes(node, own, None, keep) or chosen
        target = chosen or first or (tree.root.children[0] if tree.root.children else None)
        if target is not None and target.data is not None:
            self._expand_to(target)
            self._select_key = target.data[1]
            self._place_cursor()
        self._show_detail(target.data if target else None)

    def _place_cursor(self) -> None:
        """Move the tree cursor to the wanted key (`_select_key`)."""
        tree: Tree[NodeData | None] = self.query_one("#cb-tree", Tree)
        want, self._select_key = self._select_key, None
        _lines = tree._tree_lines  # lay out the lines now, so nodes know their line numbers
        stack = list(tree.root.children)
        while stack:
            node = stack.pop(0)
            if node.data is not None and node.data[1] == want:
                if node.line >= 0:
                    tree.move_cursor(node)
                return
            stack.extend(node.children)

    def _add_codes(self, parent: TreeNode[NodeData | None], codes: list[Code],
                   parent_id: int | None, keep: str | None) -> TreeNode[NodeData | None] | None:
        chosen = None
        ids = {c.id for c in codes}
        for code in codes:
            own_parent = code.parent_id if code.parent_id in ids else None
            if own_parent != parent_id:
                continue
            children = [c for c in codes if c.parent_id == code.id]
            label = self._code_label(code)
            if children:
                node = parent.add(label, data=("code", code.key), expand=True)
                chosen = self._add_codes(node, codes, code.id, keep) or chosen
            else:
                node = parent.add_leaf(label, data=("code", code.key))
            chosen = node if code.key == keep else chosen
        return chosen

    def select_code(self, key: str) -> None:
        """Put the tree cursor on a code (or codebook) by key."""
        self._select_key = key
        self.refresh_data()

    @staticmethod
    def _expand_to(node: TreeNode[NodeData | None]) -> None:
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent

    def _code_label(self, code: Code) -> Text:
        label = Text("■ ", style=code.colour or "")
        label.append(code.key, style="bold")
        if code.shortcut:
            label.append(f" [{code.shortcut}]", style="dim")
        label.append(f" {code.label(self.lang)}")
        n = self.usage.get(code.id or 0, 0)
        if n:
            label.append(f" ({n})", style="dim")
        return label

    # ---- detail pane ---------------------------------------------------------------------
    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData | None]) -> None:
        self._show_detail(event.node.data)

    def _show_detail(self, data: NodeData | None) -> None:
        detail = self.query_one("#cb-detail", Static)
        if data is None:
            detail.update("")
        elif data[0] == "book" and data[1] in self.books_by_key:
            detail.update(self._book_detail(self.books_by_key[data[1]]))
        elif data[0] == "code" and data[1] in self.codes_by_key:
            detail.update(self._code_detail(self.codes_by_key[data[1]]))

    def _heading(self, text: str) -> Text:
        return Text(f"\n{text}", style=f"bold {self.theme_colour('primary')}".strip())

    def _book_detail(self, book: Codebook) -> Group:
        lang = self.lang
        head = Text(_bi(lang, book.title_id, book.title_en), style="bold")
        meta = ", ".join(str(x) for x in (book.author, book.year) if x)
        n = sum(1 for c in self.codes_by_key.values() if c.codebook_id == book.id)
        info = Text(f"{book.key} · {meta} · {n} {_('codes')}", style="dim")
        if not book.active:
            info.append(f" · {_('inactive')}")
        parts: list[Text] = [head, info]
        focus = _bi(lang, book.focus_id, book.focus_en)
        if focus:
            parts.append(Text(focus, style="italic"))
        description = _bi(lang, book.description_id, book.description_en)
        if description:
            parts += [Text(""), Text(description.strip())]
        if book.scale:
            parts.append(self._heading(_("Assessment scale")))
            for level in book.scale:
                label = _bi(lang, str(level.get("label_id", "")), str(level.get("label_en", "")))
                parts.append(Text(f"  {level.get('value', '')}  {label}"))
        if book.citation:
            parts += [Text(""), Text(book.citation.strip(), style="dim")]
        return Group(*parts)

    def _code_detail(self, code: Code) -> Group:
        lang = self.lang
        head = Text("██ ", style=code.colour or "")
        head.append(f"{code.key}  {code.label(lang)}", style="bold")
        other = code.label("id" if lang == "en" else "en")
        info = Text(style="dim")
        if other and other != code.label(lang):
            info.append(f"{other}\n")
        info.append(f"{code.colour or '—'} · ")
        info.append(f"[{code.shortcut}]" if code.shortcut else _("no shortcut"))
        info.append(f" · {self.usage.get(code.id or 0, 0)} {_('codings')}")
        if code.is_emergent:
            info.append(f" · {_('emergent')}")
        parts: list[RenderableType] = [head, info]
        definition = code.definition(lang)
        if definition:
            parts += [self._heading(_("Definition")), Text(definition.strip())]
        indicators = self.store_call(self.project.indicators, code.key) or []
        if indicators:
            parts.append(self._heading(_("Indicators (parameters)")))
            for ind in indicators:
                line = Text(f"{ind.key}. ", style="bold")
                line.append(_bi(lang, ind.label_id, ind.label_en))
                parts.append(line)
                for plang, phrases in sorted(ind.phrases.items(), key=lambda kv: kv[0] != lang):
                    if phrases:
                        quoted = f"{plang}: " + ", ".join(f"“{p}”" for p in phrases)
                        parts.append(Padding(Text(quoted, style="dim"), (0, 0, 0, 3)))
        return Group(*parts)

    # ---- actions -------------------------------------------------------------------------
    def selected_code(self) -> Code | None:
        """The code under the tree cursor (notifies when a codebook is selected instead)."""
        node = self.query_one("#cb-tree", Tree).cursor_node
        if node is None or not node.data or node.data[0] != "code":
            self.notify(_("Choose a code first."), severity="warning")
            return None
        return self.codes_by_key.get(node.data[1])

    def _code_choices(self, exclude: str | None = None) -> list[tuple[str, str]]:
        return [(c.key, f"{c.key}  {c.label(self.lang)}") for c in self.codes_by_key.values()
                if c.key != exclude]

    def action_add_code(self) -> None:
        fields = [
            FormField("key", _("Key"), placeholder=_("e.g. EM-1"),
                      max_length=100),
            FormField("label_id", _("Label (id)"), max_length=300),
            FormField("label_en", _("Label (en)"), max_length=300),
            FormField("definition_id", _("Definition (id)"), multiline=True),
            FormField("definition_en", _("Definition (en)"), multiline=True),
            FormField("shortcut", _("Shortcut"), placeholder=_("one character (empty = none)"),
                      max_length=1),
            FormField("colour", _("Colour"), placeholder=_("#rrggbb (empty = automatic)"),
                      max_length=7),
            FormField("parent", _("Parent"), choices=self._code_choices()),
        ]

        def submit(v: Values) -> None:
            self._check_shortcut(v["shortcut"])
            self.project.add_code(
                v["key"], v["label_id"], v["label_en"], definition_id=v["definition_id"],
                definition_en=v["definition_en"], parent=v["parent"] or None,
                colour=v["colour"] or None, shortcut=v["shortcut"] or None)

        def done(values: Values | None) -> None:
            if values:
                self._select_key = values["key"]
                self.refresh_data()
                self.notify(_("Code {code} added").format(code=values["key"]))

        self.app.push_screen(FormDialog(_("New emergent code"), fields, submit), done)

    def action_rename(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        fields = [
            FormField("label_id", _("Label (id)"), code.label_id, max_length=300),
            FormField("label_en", _("Label (en)"), code.label_en, max_length=300),
            FormField("definition_id", _("Definition (id)"), code.definition_id,
                      multiline=True),
            FormField("definition_en", _("Definition (en)"), code.definition_en,
                      multiline=True),
        ]
        self._edit(code, _("Rename {code}").format(code=code.key), fields)

    def action_shortcut(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        fields = [FormField("shortcut", _("Shortcut"), code.shortcut or "",
                            placeholder=_("one character (empty = none)"), max_length=1)]
        self._edit(code, _("Shortcut key of {code}").format(code=code.key), fields)

    def _check_shortcut(self, char: str) -> None:
        """Refuse a shortcut the coding screen uses itself (it would never apply the code)."""
        from qualcode.tui.screens.coding import shortcut_is_reserved

        if char and shortcut_is_reserved(char):
            raise QualcodeError(N_("key {key} is used by the coding screen; choose another "
                                   "letter or digit"), key=char)

    def _edit(self, code: Code, title: str, fields: list[FormField]) -> None:
        key = code.key
        shown = {f.name: getattr(code, f.name) for f in fields}  # a colleague may change them

        def submit(values: Values) -> None:
            self._check_shortcut(values.get("shortcut", ""))
            self.project.update_code(key, expected=shown, **values)

        def done(values: Values | None) -> None:
            if values is not None:
                self._select_key = key
                self.refresh_data()
                self.notify(_("Code {code} updated").format(code=key))

        self.app.push_screen(FormDialog(title, fields, submit), done)

    def action_recolour(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        key = code.key

        def done(colour: str | None) -> None:
            if colour and self.store_call(self.project.update_code, key, colour=colour):
                self._select_key = key
                self.refresh_data()
                self.notify(_("Code {code} updated").format(code=key))

        dialog = ColourDialog(_("Colour of {code}").format(code=key), PALETTE, code.colour)
        self.app.push_screen(dialog, done)

    def action_merge(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        src = code.key

        def merge(dst: str) -> None:
            moved = self.store_call(self.project.merge_codes, src, dst)
            if moved is not None:
                self._select_key = dst
                self.refresh_data()
                self.notify(_("{src} merged into {dst}: {n} codings moved (ctrl+z undoes)")
                            .format(src=src, dst=dst, n=moved))

        def chosen(dst: str | None) -> None:
            if not dst:
                return
            n = len(self.project.codings(codes=[src]))
            question = _("Merge {src} into {dst}? {n} codings move to {dst} and {src} goes."
                         ).format(src=src, dst=dst, n=n)
            choices = [(1, _("Merge")), (0, _("Cancel"))]
            self.app.push_screen(ChoiceDialog(question, choices, selected=0),
                                 lambda answer: merge(dst) if answer == 1 else None)

        dialog = PickDialog(_("Merge {code} into…").format(code=src), self._code_choices(src))
        self.app.push_screen(dialog, chosen)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
