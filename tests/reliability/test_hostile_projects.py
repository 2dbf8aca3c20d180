"""A corpus of hostile project files, each given to every command: no traceback, no hang,
nothing in the file runs, nothing written into a file that was refused or is damaged.

The corpus is made here from the sample project with plain SQL and byte edits: triggers
(one destructive), views (one recursive), foreign indexes and tables, wrong types in rows,
spans outside the text, damaged pages, a file cut short, a newer schema, and files that are not
projects at all. Every command of the CLI is run on each (a new command is picked up by itself:
commands that take a project get `-p FILE` and the arguments listed in ARGS).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hostile_files import damage_coding_index, edit_sql
from qualcode.cli import app

runner = CliRunner()

TRIGGER = ("CREATE TRIGGER pwn AFTER INSERT ON coding BEGIN "
           "UPDATE source SET text = 'PWNED'; DELETE FROM coding; END")


def _sql(*statements: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        edit_sql(path, *statements)
    return edit




def _cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:9000])


def _replace(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _other_database(path: Path) -> None:
    path.unlink()
    _sql("CREATE TABLE notes (x)", "INSERT INTO notes VALUES ('hello')")(path)


# name -> (edit, what opening must do: "refuse" or "read-only")
CORPUS: dict[str, tuple[Callable[[Path], None], str]] = {
    "trigger-destructive": (_sql(TRIGGER), "refuse"),
    "trigger-on-update": (_sql("CREATE TRIGGER t2 BEFORE UPDATE ON project_meta BEGIN "
                               "SELECT RAISE(ABORT, 'owned'); END"), "refuse"),
    "view-recursive": (_sql("CREATE VIEW loop AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
                            "SELECT n + 1 FROM r) SELECT n FROM r"), "refuse"),
    "view-shadowing": (_sql("CREATE VIEW sources AS SELECT * FROM source"), "refuse"),
    "index-foreign": (_sql("CREATE INDEX ix_x ON coding (note)"), "refuse"),
    "table-foreign": (_sql("CREATE TABLE payload (x BLOB)"), "refuse"),
    "column-added": (_sql("ALTER TABLE coding ADD COLUMN extra TEXT"), "refuse"),
    "meta-invalid-json": (_sql("UPDATE source SET meta = '{oops' WHERE id = 1"), "refuse"),
    "meta-wrong-shape": (_sql("UPDATE source SET meta = '\"text\"' WHERE id = 2"), "refuse"),
    "text-blob": (_sql("UPDATE source SET text = x'1b5b324a' WHERE id = 1"), "refuse"),
    "offset-text": (_sql("UPDATE segment SET start = 'ten' WHERE id = 2"), "refuse"),
    "offset-real": (_sql("UPDATE coding SET \"end\" = 3.5 WHERE id = 2"), "refuse"),
    "offset-outside": (_sql("UPDATE coding SET \"end\" = 99999999 WHERE id = 3"), "refuse"),
    "created-at-bad": (_sql("UPDATE coding SET created_at = 'yesterday' WHERE id = 1"),
                       "refuse"),
    "created-at-impossible": (_sql("UPDATE coding SET updated_at = '2024-02-30 10:00:00.000000'"
                                   " WHERE id = 5"), "refuse"),
    "changes-not-json": (_sql("INSERT INTO action (kind, description, changes, undone, "
                              "created_at) VALUES ('code', 'x', 'nope', 0, "
                              "'2024-01-01 00:00:00.000000')"), "refuse"),
    "dangling-code": (_sql("UPDATE coding SET code_id = 99999 WHERE id = 3"), "refuse"),
    "newer-schema": (_sql("UPDATE alembic_version SET version_num = '9999'"), "refuse"),
    "damaged-pages": (damage_coding_index, "read-only"),
    "cut-short": (_cut_short, "refuse"),
    "zero-bytes": (_replace(b""), "refuse"),
    "text-file": (_replace(b"Peneliti: not a database\n"), "refuse"),
    "other-database": (_other_database, "refuse"),
}

# Arguments a command needs besides the project (by command name).
ARGS: dict[str, list[str]] = {
    "segments": ["01"], "code": ["SOB-1", "--segment", "2"], "import": ["{transcript}"],
    "matrix": ["clustered"], "export": ["{out}/tables.xlsx"], "chart": [],
    "optable": ["sobandi-2008"], "conclusions": [],
    "codebook show": ["sobandi-2008"], "codebook import": ["siagian-2014"],
    "codebook add-code": ["EM-9", "Baru"], "codebook edit-code": ["SOB-1", "--label", "x"],
    "codebook merge": ["SOB-2", "SOB-1"],
    "speakers": ["01"], "attribute": ["01", "--start", "0", "--end", "5", "--informant", "x"],
    "informant edit": ["x", "--unit", "y"], "source edit": ["01", "--date", "2026-01-02"],
    "roles add": ["auditor"], "codebook export": ["{out}/codes.qdc"],
    "merge": ["{out}/no-such-coder-file.qualcode"], "blind": ["ani"],
    "review": ["--list"],
}
# Commands that name the project as an argument rather than with -p.
POSITIONAL: dict[str, list[str]] = {
    "push": ["{path}", "{out}/pushed.qualcode"], "pull": ["{path}", "{out}/pulled.qualcode"],
}
# They make their own project, or read no project at all.
WITHOUT_PROJECT = {"init", "demo", "import-project", "codebook convert"}
INTERACTIVE = {"open"}  # the workspace: run only where the file is refused before it starts


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__) for c in group.registered_commands]  # type: ignore[union-attr]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        names += _commands(sub.typer_instance, f"{prefix}{sub.name} ")
    return names


def _command_lines(path: Path, folder: Path) -> list[list[str]]:
    transcript = folder / "new.txt"
    transcript.write_text("Informan: Kami melayani masyarakat setiap hari.\n", encoding="utf-8")
    lines = []
    for name in _commands(app):
        if name in WITHOUT_PROJECT:
            continue
        args = [a.format(transcript=transcript, out=folder) for a in ARGS.get(name, [])]
        if name in POSITIONAL:
            lines.append([name, *(a.format(path=path, out=folder) for a in POSITIONAL[name])])
        elif name == "open":
            lines.append(["open", str(path)])
        else:
            lines.append([*name.split(), *args, "-p", str(path)])
    return lines


def _refused(path: Path) -> bool:
    from qualcode.core.store.filecheck import check_project_file
    from qualcode.errors import ProjectError

    try:
        check_project_file(path)
    except ProjectError:
        return True
    return False


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_every_command_on_a_hostile_project_file(case: str, sample_project_file: Path,
                                                 tmp_path: Path, record_counts) -> None:  # type: ignore[no-untyped-def]
    edit, expected = CORPUS[case]
    path = tmp_path / f"{case}.qualcode"
    shutil.copy(sample_project_file, path)
    edit(path)
    before = digest(path)
    tracebacks: list[str] = []
    wrong: list[str] = []
    lines = _command_lines(path, tmp_path)
    if expected != "refuse" or not _refused(path):  # never start the workspace in a test
        lines = [line for line in lines if line[0] not in INTERACTIVE]
    for line in lines:
        result = runner.invoke(app, line, env={"COLUMNS": "120", "LANG": "en_US.UTF-8",
                                               "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""})
        output = result.stdout + result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            tracebacks.append(f"{' '.join(line[:2])}: {type(result.exception).__name__}: "
                              f"{result.exception}")
        elif "Traceback" in output:
            tracebacks.append(f"{' '.join(line[:2])}: traceback in the output")
        elif expected == "refuse" and not (result.exit_code == 2
                                           and result.stderr.startswith("error: ")
                                           and result.stderr.count("\n") <= 2):
            wrong.append(f"{' '.join(line[:2])}: exit {result.exit_code}: {output[-300:]}")
        if "\x1b" in output:
            wrong.append(f"{' '.join(line[:2])}: an escape sequence reached the output")
    changed = expected in ("refuse", "read-only") and digest(path) != before
    leftovers = sorted(p.name for p in tmp_path.iterdir()
                       if p.name.startswith(case) and p.name != path.name)
    record_counts(f"hostile project {case}", commands=len(lines), tracebacks=len(tracebacks),
                  hangs=0, data_changed=int(changed))
    assert not tracebacks, tracebacks
    assert not wrong, wrong
    assert not changed, "a refused or damaged file was written into"
    if expected != "open":
        assert leftovers == [], leftovers
    if expected in ("refuse", "read-only") and os.path.getsize(path) > 0 and case != "text-file":
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            texts = {row[0] for row in conn.execute("SELECT text FROM source")}
            conn.close()
        except sqlite3.DatabaseError:
            texts = set()
        assert "PWNED" not in texts
