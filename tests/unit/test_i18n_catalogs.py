"""The message catalogs: every user-facing string is in them, translated, and compiled.

- an AST scan of src/qualcode fails on text handed to the screen or the terminal (notify,
  Static, Label, print, Table titles, errors ...) that is not wrapped in `_()` / `N_()`;
- the catalogs must hold exactly the message ids the code marks (the failure lists them and
  names the one command that updates the catalogs), each with an Indonesian translation;
- each compiled `.mo` must be what its `.po` compiles to now.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from qualcode import i18n
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import LANGS, Message, _, ngettext, pgettext

catalogs = pytest.importorskip("qualcode.i18n.catalogs")

SRC = Path(__file__).resolve().parents[2] / "src" / "qualcode"
UPDATE = "uv run --frozen python -m qualcode.i18n.catalogs"

# Calls whose string arguments reach the user, and the keywords that carry text.
SHOWN_CALLS = {"notify", "Static", "Label", "Button", "print", "echo", "Table", "add_column",
               "ChoiceDialog", "MultiPickDialog", "FormField", "Option", "Text", "append",
               "update", "show_error", "_status", "add_leaf", "SystemCommand", "Binding",
               "ProgressBar", "Select", "Input", "add_task", "Exit", "exit"}
TEXT_KEYWORDS = {"title", "placeholder", "description", "tooltip", "label", "message",
                 "hint", "caption"}
ERRORS = {"QualcodeError", "ProjectError", "CodebookError", "IngestError", "NotFoundError",
          "ConflictError", "ExportError"}
MARKERS = {"_", "N_", "NP_", "gettext", "ngettext", "pgettext", "Message"}
WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are the same in every language: the program's name, keys, file suffixes, markup.
ALLOWED = re.compile(r"^(qualcode|[a-z]+\+[a-z0-9]+|bold|dim|italic|red|green|yellow|cyan|"
                     r"strike|reverse|underline|b|i|on|docx|xlsx|csv|md|tex|png|svg|pdf|"
                     r"json|yaml|txt|vtt|srt|SOB|SIA|EM)$")
ASSIGNED = {"title", "sub_title", "border_title", "border_subtitle", "tooltip", "placeholder"}
IGNORED_FILES = {"i18n/catalogs.py"}  # the maintainers' tool speaks English on purpose
# Developer checks whose text only tests read (tests/tui/test_keymap.py), English on purpose.
IGNORED_FUNCTIONS = {("tui/keymap.py", "clashes")}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _words(node: ast.expr) -> list[str]:
    """The words of a literal (or of an f-string's literal parts) that would be shown."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values
                 if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    else:
        return []
    text = re.sub(r"\[/?[a-z #0-9]*\]", " ", " ".join(parts))  # rich markup tags
    if text.startswith(("-", "\\")):  # a command-line option's name, LaTeX source
        return []
    text = re.sub(r"\\[A-Za-z]+", " ", text)  # LaTeX commands
    return [w for w in WORD.findall(text) if not ALLOWED.match(w)]


def unmarked_text(path: Path) -> list[str]:
    """`file:line: text` for every user-facing literal in `path` outside the catalogs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = [range(f.lineno, (f.end_lineno or f.lineno) + 1) for f in ast.walk(tree)
               if isinstance(f, ast.FunctionDef)
               and (str(path.relative_to(SRC)), f.name) in IGNORED_FUNCTIONS]
    found = []
    for node in ast.walk(tree):
        if any(getattr(node, "lineno", 0) in lines for lines in skipped):
            continue
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr in ASSIGNED for t in node.targets):
            texts: list[ast.expr] = [node.value]
        elif not isinstance(node, ast.Call):
            continue
        else:
            texts = _call_texts(node)
        for text in texts:
            if _words(text):
                shown = ast.get_source_segment(path.read_text(encoding="utf-8"), text) or ""
                found.append(f"{path.relative_to(SRC)}:{text.lineno}: {shown[:70]}")
    return found


def _call_texts(node: ast.Call) -> list[ast.expr]:
    """The arguments of a call that carry text to the user (none for other calls)."""
    name = _name(node.func)
    if name in MARKERS or (isinstance(node.func, ast.Attribute)
                           and isinstance(node.func.value, ast.Name)
                           and node.func.value.id == "typer"):
        return []
    keywords = [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
    if name in ERRORS or name == "fail":
        return [*(node.args[1:3] if name == "fail" else node.args[:2]),
                *(k.value for k in node.keywords if k.arg == "hint")]
    if name == "Binding":
        return [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "description")]
    if name == "FormField":  # (name, label, ...)
        return [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "label")]
    if name in ("Text", "append", "update", "Option", "Select", "Input"):
        return [*node.args[:1], *keywords]
    if name in SHOWN_CALLS:
        return [*node.args, *keywords]
    return []


def test_no_user_facing_text_outside_the_catalogs() -> None:
    problems = [line for path in sorted(SRC.rglob("*.py"))
                if "migrations" not in path.parts
                and str(path.relative_to(SRC)) not in IGNORED_FILES
                for line in unmarked_text(path)]
    assert not problems, ("text shown to the user must go through _() or N_() "
                          "(qualcode.i18n):\n" + "\n".join(problems))


def test_the_scan_finds_unmarked_text(tmp_path: Path) -> None:
    """The scan is not vacuous: plain, f-string and error texts are found; marked ones not."""
    sample = tmp_path / "screen.py"
    sample.write_text(
        'self.notify("Saved")\n'
        'self.notify(_("Saved"))\n'
        'Label(f"{n} codes")\n'
        'raise QualcodeError("no such code", hint=N_("check the key"))\n'
        'Binding("q", "quit", "Quit")\n'
        'Binding("q", "quit", N_("Quit"))\n'
        'text.append(" · ", style="dim")\n', encoding="utf-8")
    found = [line.split(": ", 1)[1] for line in _scan_outside(sample)]
    assert found == ['"Saved"', 'f"{n} codes"', '"no such code"', '"Quit"']


def _scan_outside(path: Path) -> list[str]:
    global SRC
    saved, SRC = SRC, path.parent
    try:
        return unmarked_text(path)
    finally:
        SRC = saved


def _ids(catalog: object) -> set[str | tuple[str, str]]:
    out: set[str | tuple[str, str]] = set()
    for message in catalog:  # type: ignore[attr-defined]
        if message.id:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            out.add((message.context, msgid) if message.context else msgid)
    return out


def test_catalogs_hold_exactly_the_marked_message_ids() -> None:
    marked = catalogs.extracted_ids()
    for lang in LANGS:
        held = {m if isinstance(m, str) else m[1] for m in _ids(catalogs.read_catalog(lang))}
        missing = sorted(set(marked) - held)
        unused = sorted(held - set(marked))
        assert not missing, (f"message ids not in the {lang} catalog (run `{UPDATE}`, then "
                             "translate):\n" + "\n".join(map(repr, missing)))
        assert not unused, (f"unused entries in the {lang} catalog (run `{UPDATE}`):\n"
                            + "\n".join(map(repr, unused)))


def test_every_message_id_has_an_indonesian_translation() -> None:
    missing = catalogs.untranslated("id")
    assert not missing, ("message ids without an Indonesian translation (fill their msgstr in "
                         f"{catalogs.po_path('id')}, then run `{UPDATE}`):\n"
                         + "\n".join(map(repr, missing)))


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogs_are_current(lang: str) -> None:
    mo = catalogs.po_path(lang).with_suffix(".mo")
    assert mo.read_bytes() == catalogs.compiled(lang), (
        f"{mo.name} ({lang}) is stale against its .po; run `{UPDATE}`")


def test_placeholders_survive_translation() -> None:
    """An Indonesian msgstr keeps exactly the `{fields}` of its msgid (else .format breaks)."""
    fields = re.compile(r"(?<!\{)\{([a-z_0-9]*)[!:}]")
    wrong = []
    for message in catalogs.read_catalog("id"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        want = set(fields.findall(ids[-1]))
        if any(set(fields.findall(s)) != want for s in strs if s):
            wrong.append(ids[0])
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_lookups_use_the_current_or_the_given_language() -> None:
    before = i18n.get_language()
    try:
        i18n.set_language("id")
        assert _("Sources") == "Sumber data" and _("Sources", lang="en") == "Sources"
        assert pgettext("sheet", "presence") == "ada"
        assert ngettext("{n} code", "{n} codes", 2, lang="en") == "{n} codes"
        i18n.set_language("en")
        assert _("Sources") == "Sources"
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.set_language(before)


def test_errors_carry_an_id_and_are_rendered_in_the_language_asked() -> None:
    exc = NotFoundError("no code {key!r} in this project", hint="see `qualcode sources`",
                        key="SOB-9")
    assert exc.message == "no code 'SOB-9' in this project"  # English: logs, str(), tests
    assert exc.text("id") == "tidak ada kode 'SOB-9' di proyek ini"
    assert exc.render("id") == "tidak ada kode 'SOB-9' di proyek ini — lihat `qualcode sources`"
    assert exc.render("en", "\n") == "no code 'SOB-9' in this project\nsee `qualcode sources`"
    wrapped = QualcodeError("{where}: {detail}", where="a.md", detail=exc.msg)
    assert wrapped.text("id") == "a.md: tidak ada kode 'SOB-9' di proyek ini"
    assert Message("Sources").text("id") == "Sumber data"


def test_environment_language() -> None:
    assert i18n.language_from_env({"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.language_from_env({"LANG": "id_ID.UTF-8"}) == "id"
    assert i18n.language_from_env({"LANGUAGE": "en:id", "LANG": "id_ID.UTF-8"}) == "en"
    assert i18n.language_from_env({"LANG": "C.UTF-8"}) is None
    assert i18n.language_from_env({}) is None
