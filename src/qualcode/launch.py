"""The program's entry point, and opening the coding workspace.

`qualcode open PROJECT` is the command researchers run most and the one whose start-up they
feel, so its command line is read here without Typer: Typer's argument handling imports pydantic,
about 0.15 s on a slow machine before anything is drawn. Only a command line made of `open`, one
project and the options `open` takes is read here; everything else (other commands, `--help`,
mistakes) goes to the Typer app in `cli.py`, whose `open` command calls the same
`open_workspace`. A test checks that both read every accepted command line alike.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.errors import QualcodeError, database_damage, report_error
from qualcode.i18n import LANGS, N_, _, language_from_env, set_language

if TYPE_CHECKING:
    from qualcode.core.store.handle import ProjectHandle

OPEN_OPTIONS = ("--source", "--lang", "--coder")


def main() -> None:
    """Entry point of the `qualcode` command."""
    parsed = parse_open_args(sys.argv[1:])
    given = parsed.get("lang") if parsed else None
    set_language(given if given in LANGS else language_from_env() or "id")
    if parsed is None:
        if sys.argv[1:2] == ["import"]:  # workers load spaCy while Typer and the store load
            from qualcode.core.ingest.prepare import start_early

            start_early(sys.argv[2:])
            from qualcode.cli import main as cli_main

            exit_without_teardown(cli_main)
        from qualcode.cli import main as cli_main

        cli_main()
        return
    # No collections until the workspace has drawn and its store has loaded: start-up allocates
    # a lot and frees little, and a full collection of that heap cost 20-40 ms of the first
    # frame. The app turns collection back on (`tune_garbage_collector`).
    gc.disable()
    try:
        open_workspace(**parsed)
    except QualcodeError as exc:
        report_error(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        print(_("interrupted; everything done before this point is saved"), file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        damaged = database_damage(exc)
        if damaged is None:
            raise
        report_error(damaged)
        sys.exit(2)


def exit_without_teardown(run: Any) -> None:
    """Run a finished-when-it-returns command (`qualcode import`) and end the process at once.

    After an import of thousands of segments the interpreter's teardown (freeing every module
    and object one by one) took about 0.1 s of the command's time. By the time the command
    returns its project is committed and closed and its workers have ended, so only the
    output streams need flushing. A traceback (an unexpected error) takes the ordinary way out.
    """
    try:
        run()
        code = 0
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise
        code = exc.code or 0
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, OSError, ValueError):  # closed or gone: nothing to add
            stream.flush()
    os._exit(code)


def parse_open_args(args: Sequence[str]) -> dict[str, Any] | None:
    """The arguments of a plain `open` command line, or None to leave it to Typer."""
    if not args or args[0] != "open":
        return None
    values: dict[str, str] = {}
    project: str | None = None
    rest = iter(args[1:])
    for token in rest:
        if token.startswith("--"):
            name, eq, value = token.partition("=")
            if name not in OPEN_OPTIONS or name in values:
                return None
            if not eq:
                following = next(rest, None)
                if following is None or following.startswith("-"):
                    return None
                value = following
            values[name] = value
        elif token.startswith("-") or not token or project is not None:
            return None
        else:
            project = token
    if project is None:
        return None
    return {"project": as_target(project), "source": values.get("--source"),
            "lang": values.get("--lang"), "coder": values.get("--coder")}


def as_target(text: str) -> str | Path:
    """A project given on the command line: a server URL stays text, anything else a path."""
    return text if "://" in text else Path(text)


def open_workspace(project: str | Path, *, source: str | None = None, lang: str | None = None,
                   coder: str | None = None) -> None:
    """`qualcode open`: the coding workspace on a project, optionally on one source."""
    from qualcode.core.store.handle import ProjectHandle
    from qualcode.core.store.read import find_source_id

    handle = ProjectHandle.open(project)  # reads at once; the full store loads after 1st paint
    try:
        source_id = find_source_id(handle.reader, source) if source else None
        show_main(handle, lang=lang, coder=coder, source_id=source_id)
    finally:
        handle.close()


def show_main(handle: ProjectHandle, *, lang: str | None, coder: str | None,
              source_id: int | None = None) -> None:
    """The main job: the terminal UI when it is installed, else the project summary.

    The language is `--lang`, else the one saved in the project, else Indonesian.
    """
    from qualcode.core.store.read import get_meta, project_coder

    lang = lang or get_meta(handle.reader, "ui_lang") or "id"
    if lang not in ("id", "en"):
        raise QualcodeError(N_("language {lang!r} is not id or en"), hint=N_("use --lang id or en"),
                            lang=lang)
    try:
        from qualcode.tui.app import run_app
    except ImportError:
        from qualcode.cli.common import console
        from qualcode.cli.render import print_summary

        print_summary(console(), handle.project, lang=lang)
        return
    if handle.ready and handle.project.on_server:  # a server project is open already
        coder = handle.project.coder_name(coder)
    coder = coder or os.environ.get("QUALCODE_CODER") or project_coder(handle.reader)
    run_app(handle, lang=lang, coder=coder, source_id=source_id)
