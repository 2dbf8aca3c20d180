"""Every key of the terminal UI, declared in one place with its scope, action and description.

Scopes: `global` (the app: active on every screen), one scope per screen or dialog, and, on the
coding screen, modes (`words` while a selection is narrowed to words, `search` while search
matches are shown) whose keys act only in that mode. Screens take their bindings from here:

    BINDINGS = keymap.bindings("codebook")

A screen key may reuse a global key only when it says so (`overrides=True`, e.g. `q` closes the
help screen). Code shortcuts (one character each, from the codebooks) are bound on the coding
screen only, and only when `shortcut_conflict` finds no key of the coding screen or the app
with that character. tests/tui/test_keymap.py enforces both rules.

Descriptions are English message ids, translated where they are shown (`describe`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding, BindingType
from textual.keys import _character_to_key

from qualcode.i18n import N_, gettext


@dataclass(frozen=True)
class Key:
    """One binding: Textual key names (comma-separated), action, description and where."""

    keys: str
    action: str
    description: str
    show: bool = True
    display: str | None = None
    priority: bool = False
    mode: str = ""  # "" = always; else the coding-screen mode in which the key acts
    overrides: bool = False  # deliberately replaces a global key on this screen

    def binding(self) -> Binding:
        """The Textual binding."""
        return Binding(self.keys, self.action, self.description, show=self.show,
                       key_display=self.display, priority=self.priority)

    @property
    def key_names(self) -> list[str]:
        """Each key of the binding (`j,down` -> ["j", "down"])."""
        return [k.strip() for k in self.keys.split(",")]

    @property
    def action_name(self) -> str:
        """The action without parameters or namespace (`app.undo` -> `undo`)."""
        return self.action.split("(")[0].removeprefix("app.")


# The go-to menu: every screen from everywhere (see QualcodeApp.action_goto).
GOTO: tuple[tuple[str, str, str], ...] = (
    ("h", "home", N_("Home")),
    ("t", "transcript", N_("Last transcript")),
    ("c", "codebook", N_("Codebook")),
    ("m", "memos", N_("Memos")),
    ("s", "search", N_("Search all sources")),
    ("a", "analysis", N_("Analysis")),
    ("r", "retrieval", N_("Retrieval")),
    ("u", "summaries", N_("Summary grid")),
    ("d", "displays", N_("Displays")),
    ("k", "conclusions", N_("Conclusions")),
    ("v", "review", N_("Disagreement review")),
)

# The analysis hub's menu (key, screen); the go-to menu reaches the same screens.
ANALYSIS_MENU: tuple[tuple[str, str], ...] = (
    ("r", "retrieval"), ("s", "summaries"), ("d", "displays"), ("c", "conclusions"),
    ("v", "review"), ("x", "export"))
ANALYSIS_TEXT = {"retrieval": N_("Retrieval"), "summaries": N_("Summary grid"),
                  "displays": N_("Displays"), "conclusions": N_("Conclusions"),
                  "review": N_("Disagreement review"), "export": N_("Export")}

_BACK = Key("escape", "back", N_("Back"))

KEYMAP: dict[str, tuple[Key, ...]] = {
    "global": (
        Key("question_mark,f1", "help", N_("Help"), display="?"),
        Key("ctrl+z", "undo", N_("Undo"), display="^z"),
        Key("ctrl+y", "redo", N_("Redo"), show=False, display="^y"),
        Key("q", "quit", N_("Quit")),
        # ctrl+g also works where a text field takes the letter (the search screen)
        Key("g,ctrl+g", "goto", N_("Go to…"), display="g"),
        # Declared here (Textual adds it in App.__init__) so that re-translating the bindings
        # keeps it.
        Key("ctrl+p", "command_palette", N_("Command palette"), show=False, display="^p",
            priority=True),
        Key("f2", "go('codebook')", N_("Codebook"), show=False),
        Key("f3", "go('memos')", N_("Memos"), show=False),
        Key("f4", "go('search')", N_("Search all sources"), show=False),
    ),
    "goto": (
        *(Key(key, f"go('{where}')", text, overrides=key == "g") for key, where, text in GOTO),
        Key("escape,g,ctrl+g", "go('')", N_("Cancel"), overrides=True),
    ),
    "help": (
        Key("escape,q,question_mark,f1", "close", N_("Close"), overrides=True),
    ),
    "home": (
        Key("c", "codebook", N_("Codebook")),
        Key("m", "memos", N_("Memos")),
        Key("a", "analysis", N_("Analysis")),
        Key("R", "review", N_("Disagreement review"), show=False),
        Key("b", "toggle_blind", N_("Blind coding"), show=False),
        Key("i", "import_files", N_("Import")),
        Key("s", "speakers", N_("Speakers")),
        Key("e", "edit_source", N_("Edit source"), show=False),
        Key("E", "edit_informant", N_("Edit informant"), show=False),
        Key("v", "toggle_grouping", N_("Group"), show=False),
        Key("l", "toggle_language", N_("Language")),
        Key("t", "toggle_theme", N_("Theme"), show=False),
    ),
    "coding": (
        Key("slash", "pick", N_("Pick code"), display="/"),
        Key("x", "remove", N_("Remove")),
        Key("n", "note_or_next", N_("Note")),
        Key("e", "words", N_("Words")),
        Key("u", "next_uncoded", N_("Next uncoded")),
        Key("ctrl+f", "find", N_("Find"), display="^f", priority=True),
        Key("j,down", "move(1)", N_("Next segment"), show=False),
        Key("k,up", "move(-1)", N_("Previous segment"), show=False),
        Key("shift+down", "move(1, True)", N_("Extend selection down"), show=False),
        Key("shift+up", "move(-1, True)", N_("Extend selection up"), show=False),
        Key("J,right_square_bracket", "turn(1)", N_("Next speaker turn"), show=False),
        Key("K,left_square_bracket", "turn(-1)", N_("Previous speaker turn"), show=False),
        Key("pagedown", "page(1)", N_("Page down"), show=False),
        Key("pageup", "page(-1)", N_("Page up"), show=False),
        Key("home", "edge(0)", N_("Start of transcript"), show=False),
        Key("end", "edge(1)", N_("End of transcript"), show=False),
        Key("plus", "valence('+')", N_("Valence + (done well)"), show=False),
        Key("minus", "valence('-')", N_("Valence − (shortfall)"), show=False),
        Key("0", "valence('0')", N_("Neutral valence"), show=False),
        Key("delete", "remove", N_("Remove"), show=False),
        Key("tab", "next_uncoded", N_("Next uncoded"), show=False),
        Key("o", "cycle_coding", N_("Focus next coding here"), show=False),
        Key("m", "memo", N_("Memos on this source"), show=False),
        Key("S", "suggest", N_("Suggest codes"), show=False),
        Key("F", "search_project", N_("Search all sources"), show=False),
        Key("A", "attribute", N_("Attribute to informant"), show=False),
        Key("escape", "escape", N_("Cancel / back"), show=False),
        Key("right", "word('start', 1)", N_("First word →"), display="→", mode="words"),
        Key("left", "word('start', -1)", N_("First word ←"), display="←", mode="words"),
        Key("shift+right", "word('end', 1)", N_("Last word →"), show=False, mode="words"),
        Key("shift+left", "word('end', -1)", N_("Last word ←"), show=False, mode="words"),
        Key("N", "next_match(-1)", N_("Previous match"), show=False, mode="search"),
    ),
    "codebook": (
        _BACK,
        Key("a", "add_code", N_("New code")),
        Key("r", "rename", N_("Rename")),
        Key("c", "recolour", N_("Colour")),
        Key("s", "shortcut", N_("Shortcut")),
        Key("m", "merge", N_("Merge")),
    ),
    "memos": (
        _BACK,
        Key("n", "new_memo", N_("New memo")),
        Key("e", "edit_memo", N_("Edit")),
        Key("f", "cycle_filter", N_("Filter")),
        Key("d,delete", "delete_memo", N_("Delete")),
    ),
    "memo_editor": (
        Key("ctrl+s", "save", N_("Save"), priority=True),
        Key("escape", "close", N_("Close")),
    ),
    "search": (
        _BACK,
        Key("ctrl+f,slash", "focus_input", N_("Edit the search"), display="/"),
        Key("down", "hits", N_("Go to the hits"), show=False),
    ),
    "analysis": (
        _BACK,
        *(Key(key, f"open('{what}')", ANALYSIS_TEXT[what]) for key, what in ANALYSIS_MENU),
    ),
    "review": (
        _BACK,
        Key("n,down", "next(1)", N_("Next place")),
        Key("p,up", "next(-1)", N_("Previous place"), show=False),
        Key("1", "accept(1)", N_("Accept coder N"), display="1-9"),
        *(Key(str(n), f"accept({n})", N_("Accept coder N"), show=False) for n in range(2, 10)),
        Key("b", "both", N_("Both")),
        Key("x", "neither", N_("Neither")),
        Key("e", "edit", N_("Edit")),
        Key("r", "recompute", N_("Recompute agreement")),
        Key("a", "take_agreed", N_("Copy agreed codings"), show=False),
        Key("s", "toggle_resolved", N_("Show resolved"), show=False),
        Key("o", "choose('coders')", N_("Coders")),
        Key("f", "choose('sources')", N_("Sources"), show=False),
        Key("c", "choose('codes')", N_("Codes"), show=False),
    ),
    "multi_pick": (
        Key("enter", "apply", N_("Apply"), priority=True),
        Key("escape", "close", N_("Close")),
    ),
    "retrieval": (
        _BACK,
        Key("c", "pick('codes')", N_("Codes")),
        Key("i", "pick('informants')", N_("Informants")),
        Key("k", "pick('kinds')", N_("Kinds")),
        Key("o", "pick('coders')", N_("Coders")),
        Key("v", "cycle_valence", N_("Valence")),
        Key("x", "clear", N_("Clear filters")),
        Key("e", "export", N_("Export")),
    ),
    "summaries": (
        _BACK,
        Key("e", "edit", N_("Edit")),
        Key("d", "draft", N_("Draft")),
        Key("a", "accept", N_("Accept")),
        Key("n", "memo", N_("Cell memo")),
        Key("r", "retrieve", N_("Excerpts")),
        Key("b", "codebook", N_("Codebook")),
        Key("o", "coder", N_("Coder")),
        Key("x", "export", N_("Export")),
        # the grid's table would take these keys before the app does
        Key("ctrl+z", "app.undo", N_("Undo"), display="^z"),
        Key("ctrl+y", "app.redo", N_("Redo"), display="^y"),
    ),
    "summary_editor": (
        Key("ctrl+s", "accept", N_("Accept"), priority=True),
        Key("ctrl+t", "keep_draft", N_("Keep as draft"), priority=True),
        Key("ctrl+g", "draft", N_("Draft"), priority=True, overrides=True),
        Key("ctrl+n", "memo", N_("Cell memo"), priority=True),
        Key("escape", "close", N_("Cancel")),
    ),
    "displays": (
        _BACK,
        Key("d", "choose", N_("Choose display")),
        Key("v", "toggle_chart", N_("Chart")),
        Key("r", "retrieve", N_("Cell excerpts")),
        Key("b", "codebook", N_("Codebook")),
        Key("o", "coder", N_("Coder")),
        Key("e", "export", N_("Export")),
    ),
    "conclusions": (
        _BACK,
        Key("s", "statement", N_("Statement")),
        Key("v", "verdict", N_("Verdict")),
        Key("p", "accept_proposed", N_("Accept proposal")),
        Key("t", "toggle_status", N_("Status")),
        Key("l", "link", N_("Link evidence")),
        Key("x", "explain", N_("Explain contradicting")),
        Key("u", "unlink", N_("Unlink")),
        Key("j", "jump", N_("Go to quote"), show=False),
        Key("b", "codebook", N_("Codebook"), show=False),
        Key("e", "export", N_("Export"), show=False),
    ),
    "export": (
        Key("ctrl+s", "export", N_("Export"), priority=True),
        Key("escape", "cancel", N_("Cancel")),
    ),
    "replace_file": (
        Key("y", "replace", N_("Replace")),
        Key("n,escape", "cancel", N_("Cancel")),
    ),
    "suggest": (
        Key("a", "accept", N_("Accept")),
        Key("s", "store", N_("Store as coder suggester")),
        Key("x", "dismiss_one", N_("Dismiss")),
        Key("escape", "close", N_("Close")),
    ),
    "form": (
        Key("ctrl+s", "save", N_("Save")),
        Key("escape", "cancel", N_("Cancel")),
    ),
    "colour": (Key("escape", "cancel", N_("Cancel")),),
    "pick": (Key("escape", "close", N_("Close")),),
    "list": (
        Key("escape", "close", N_("Close")),
        Key("down", "move(1)", N_("Choose"), show=False),
        Key("up", "move(-1)", N_("Choose"), show=False),
        Key("pagedown", "move(8)", "", show=False),
        Key("pageup", "move(-8)", "", show=False),
    ),
    "note": (
        Key("ctrl+s", "save", N_("Save")),
        Key("escape", "cancel", N_("Cancel")),
    ),
}

# Keys Textual or the terminal keep for themselves on every screen.
SYSTEM_KEYS = frozenset({"tab", "shift+tab", "ctrl+c", "ctrl+q"})
# Keys the key bar keeps even at 80 columns (help lists every other key).
ESSENTIAL_KEYS = frozenset({"question_mark", "q", "ctrl+z"})


def bindings(scope: str) -> list[BindingType]:
    """The Textual bindings of one scope (a screen's or dialog's BINDINGS)."""
    return [key.binding() for key in KEYMAP[scope]]


def keys_of(scope: str, mode: str | None = None) -> list[Key]:
    """The keys of a scope: with `mode=None` all of them, else the mode-less ones plus `mode`."""
    return [k for k in KEYMAP[scope] if mode is None or k.mode in ("", mode)]


def modes(scope: str) -> list[str]:
    """The modes a scope declares ("" is the plain state)."""
    return ["", *sorted({k.mode for k in KEYMAP[scope] if k.mode})]


def mode_of(scope: str, action_name: str) -> str:
    """The mode in which an action of `scope` acts ("" = always)."""
    for key in KEYMAP[scope]:
        if key.action.split("(")[0] == action_name and key.mode:
            return key.mode
    return ""


def shortcut_key(char: str) -> str:
    """The Textual key name of a one-character code shortcut (`+` -> `plus`)."""
    return _character_to_key(char)


def shortcut_conflict(char: str, scope: str = "coding") -> Key | None:
    """The app or screen key a code shortcut `char` would shadow, if any."""
    name = shortcut_key(char)
    if name in SYSTEM_KEYS:
        return Key(name, "", "")
    for key in (*KEYMAP["global"], *KEYMAP[scope]):
        if name in key.key_names:
            return key
    return None


def clashes(scope: str) -> list[str]:
    """Keys that mean two things on `scope` in one of its modes (empty when the map is sound).

    A key may appear twice only for the same action; a screen key may replace a global key
    only when it is declared `overrides`.
    """
    problems: list[str] = []
    global_keys = {name: key for key in KEYMAP["global"] for name in key.key_names}
    for mode in modes(scope):
        seen: dict[str, Key] = {}
        for key in keys_of(scope, mode):
            for name in key.key_names:
                other = seen.setdefault(name, key)
                if other.action_name != key.action_name:
                    problems.append(f"{scope}{'/' + mode if mode else ''}: {name} is "
                                    f"{other.action} and {key.action}")
                outer = global_keys.get(name)
                if (scope != "global" and outer is not None and not key.overrides
                        and outer.action_name != key.action_name):
                    problems.append(f"{scope}: {name} ({key.action}) hides the global "
                                    f"{outer.action}")
    return problems


@cache
def describe(description: str, lang: str) -> str:
    """A key's description in `lang` (also Textual's own English descriptions, marked in
    `qualcode.tui.textual_text`)."""
    return gettext(description, lang) if description else description


def all_scopes() -> Iterable[str]:
    """Every scope name."""
    return KEYMAP.keys()
