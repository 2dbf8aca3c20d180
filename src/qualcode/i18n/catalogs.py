"""Re-extract, update and compile the message catalogs (a maintainer's tool; imports Babel).

    uv run --frozen python -m qualcode.i18n.catalogs            # extract + update + compile
    uv run --frozen python -m qualcode.i18n.catalogs --check    # list untranslated ids, exit 1

Extraction uses Babel's API with an AST-based method (`extract_ast`): unlike `pybabel extract`'s
token scanner it also finds `_()` calls inside f-strings. The update and compile steps are
Babel's own; by hand, from the repository root:

    pybabel update -i src/qualcode/i18n/locale/qualcode.pot -d src/qualcode/i18n/locale \
        -D qualcode --no-fuzzy-matching --ignore-obsolete --no-wrap
    pybabel compile -d src/qualcode/i18n/locale -D qualcode --statistics
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from qualcode.i18n import DOMAIN, LANGS, LOCALE_DIR

PACKAGE_DIR = LOCALE_DIR.parent.parent  # src/qualcode
POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}


def po_path(lang: str) -> Path:
    """The `.po` file of `lang`."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str) -> Catalog:
    """The parsed `.po` catalog of `lang`."""
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def extract_ast(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
                options: Mapping[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    """A Babel extraction method: marked calls found in the syntax tree (f-strings included);
    each argument that is a string literal (implicit concatenation joined) is a message."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in keywords:
            args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str)
                         else None for a in node.args)
            if any(args):
                yield node.lineno, node.func.id, args if len(args) > 1 else args[0], []


METHOD_MAP = [("**/migrations/**", "ignore"), ("**.py", extract_ast)]


def extract() -> Catalog:
    """A template catalog of every message marked in the package now."""
    template = Catalog(project="qualcode", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE_DIR), METHOD_MAP, keywords=KEYWORDS):  # type: ignore[arg-type]
        path = str((PACKAGE_DIR / filename).relative_to(PACKAGE_DIR.parents[1]))
        template.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return template


def extracted_ids() -> dict[str, str]:
    """Every message id marked in the code now, with the first file that marks it."""
    found: dict[str, str] = {}
    for message in extract():
        if message.id:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            found.setdefault(msgid, message.locations[0][0])
    return found


def untranslated(lang: str = "id") -> list[str]:
    """Message ids of the `.po` of `lang` with no translation (or a fuzzy one)."""
    out = []
    for message in read_catalog(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def compiled(lang: str) -> bytes:
    """The `.mo` bytes the `.po` of `lang` compiles to."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(lang))
    return buffer.getvalue()


def rel(path: Path) -> str:
    """`path` relative to the repository root (the catalogs then name files portably)."""
    return str(path.relative_to(PACKAGE_DIR.parents[1]))


def run() -> None:
    """Extract into the template, update both catalogs, compile them (from the repo root)."""
    os.chdir(PACKAGE_DIR.parents[1])
    cli = CommandLineInterface()
    with POT.open("wb") as handle:
        write_po(handle, extract(), width=0, sort_output=True, include_lineno=False)
    for lang in LANGS:
        if not po_path(lang).exists():
            cli.run(["pybabel", "-q", "init", "-i", rel(POT), "-d", rel(LOCALE_DIR),
                     "-D", DOMAIN, "-l", lang, "--no-wrap"])
    cli.run(["pybabel", "-q", "update", "-i", rel(POT), "-d", rel(LOCALE_DIR), "-D", DOMAIN,
             "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap",
             "--ignore-pot-creation-date"])
    for lang in LANGS:  # English needs no msgstr, so compile it even when some are empty
        mo = po_path(lang).with_suffix(".mo")
        mo.write_bytes(compiled(lang))


def main(argv: list[str] | None = None) -> int:
    """The command: update and compile, or `--check` for untranslated Indonesian ids."""
    parser = argparse.ArgumentParser(prog="python -m qualcode.i18n.catalogs",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only list Indonesian message ids without a translation")
    args = parser.parse_args(argv)
    if not args.check:
        run()
    missing = untranslated("id")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} Indonesian message id(s) without a translation", file=sys.stderr)
    return 1 if missing and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
