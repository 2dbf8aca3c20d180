"""The command line: every command documented, user errors as one line with exit code 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.store import Project
from qualcode.core.store.read import project_coder

runner = CliRunner()


def _commands(group: typer.Typer, prefix: str = "") -> list[tuple[str, object]]:
    out = [(prefix + (c.name or c.callback.__name__), c.callback)  # type: ignore[union-attr]
           for c in group.registered_commands]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        out += _commands(sub.typer_instance, f"{prefix}{sub.name} ")
    return out


def test_every_command_has_help_with_an_example() -> None:
    commands = _commands(app)
    names = {name for name, _ in commands}
    assert {"init", "open", "demo", "import", "sources", "informants", "segments", "code",
            "codings", "codebook list", "codebook show", "codebook add-code"} <= names
    for name, callback in commands:
        doc = callback.__doc__ or ""  # type: ignore[attr-defined]
        assert "Example: `qualcode " in doc, f"{name} has no example in its help"


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name, _ in _commands(app):
        assert name.split()[0] in result.output


def test_help_does_not_import_heavy_libraries() -> None:
    code = ("import sys; sys.argv=['qualcode','--help']\n"
            "from qualcode.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('spacy','pandas','textual','sqlalchemy','numpy') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "HEAVY []" in out


def _run(*args: str, lang: str = "en_US.UTF-8") -> tuple[int, str, str]:
    """The command's exit code, stdout and stderr, with LANG=`lang` (English by default)."""
    result = runner.invoke(app, list(args), env={"LANG": lang, "LANGUAGE": "", "LC_ALL": "",
                                                 "LC_MESSAGES": ""})
    return result.exit_code, result.stdout, result.stderr


def test_init_import_code_and_list(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.qualcode")
    assert _run("init", proj, "-c", "sobandi-2008")[0] == 0
    transcript = tmp_path / "t1.txt"
    transcript.write_text("Peneliti: Apa kabar?\nInforman: Kami disiplin. Kami jujur.\n",
                          encoding="utf-8")
    code, out, _ = _run("import", "-p", proj, str(transcript), "--informant", "Pak A",
                        "--role", "staff")
    assert code == 0 and "imported t1.txt" in out
    assert "unchanged t1.txt" in _run("import", "-p", proj, str(transcript))[1]
    code, out, _ = _run("segments", "t1.txt", "-p", proj)
    assert code == 0 and "Kami disiplin." in out
    code, out, _ = _run("code", "SOB-4", "-p", proj, "--segment", "2", "--valence", "+")
    assert code == 0, out
    code, out, _ = _run("codings", "-p", proj, "--format", "json")
    rows = json.loads(out)
    assert [(r["code"], r["valence"], r["excerpt"], r["informant"]) for r in rows] == [
        ("SOB-4", "+", "Kami disiplin.", "Pak A")]
    assert _run("undo", "-p", proj)[0] == 0
    assert json.loads(_run("codings", "-p", proj, "--format", "json")[1]) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["codings", "-p", "/nonexistent/x.qualcode"], "no such project file"),
        (["code", "SOB-1", "-p", "{proj}", "--segment", "abc"], "is not an id"),
        (["code", "SOB-1", "-p", "{proj}", "--segment", "999"], "no segment 999"),
        (["code", "NOPE", "-p", "{proj}", "--segment", "1"], "no code 'NOPE'"),
        (["codebook", "show", "no-such-book"], "no-such-book"),
        (["init", "{proj}"], "already exists"),
        (["codings", "-p", "{proj}", "--valence", "x"], "valence"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    proj = str(tmp_path / "e.qualcode")
    _run("init", proj, "-c", "sobandi-2008")
    transcript = tmp_path / "a.txt"
    transcript.write_text("Informan: Satu kalimat.\n", encoding="utf-8")
    _run("import", "-p", proj, str(transcript))
    code, out, err = _run(*[a.replace("{proj}", proj) for a in args])
    assert code == 2, out + err
    assert message in err
    assert "Traceback" not in out + err
    assert err.startswith("error: ")


def test_cli_speaks_one_language_chosen_by_lang_then_the_environment(tmp_path: Path) -> None:
    """Indonesian from LANG=id (and when LANG names neither language); English from LANG=en;
    --lang wins; errors, hints, progress lines and roles all in the same language."""
    proj = str(tmp_path / "s.qualcode")
    code, out, _ = _run("init", proj, "-c", "sobandi-2008", lang="C.UTF-8")
    said = "".join(out.split())  # rich wraps the long path
    assert code == 0 and said == "".join(f"{proj} dibuat dengan 1 buku kode".split())
    transcript = tmp_path / "t1.txt"
    transcript.write_text("Informan: Kami disiplin.\n", encoding="utf-8")
    code, out, _ = _run("import", "-p", proj, str(transcript), "--role", "section_head",
                        "--informant", "Bu Sari", lang="id_ID.UTF-8")
    assert "t1.txt diimpor: 1 segmen" in out and "1 diimpor, 0 diganti" in out
    code, out, _ = _run("informants", "-p", proj, lang="id_ID.UTF-8")
    assert "Kepala bidang" in out and "section_head" not in out
    code, out, _ = _run("informants", "-p", proj, lang="en_GB.UTF-8")
    assert "Section head" in out and "pseudonym" in out
    code, _, err = _run("code", "NOPE", "-p", proj, "--segment", "1", lang="id_ID.UTF-8")
    assert code == 2 and err.splitlines()[0] == "galat: tidak ada kode 'NOPE' di proyek ini"
    assert err.splitlines()[1].startswith("saran: lihat `qualcode codebook show")
    code, out, _ = _run("codings", "-p", proj, "--lang", "en", lang="id_ID.UTF-8")
    assert code == 0 and "0 codings" in out


def test_import_reports_bad_files_and_keeps_going(tmp_path: Path) -> None:
    proj = str(tmp_path / "b.qualcode")
    _run("init", proj)
    good = tmp_path / "good.txt"
    good.write_text("Informan: Kami bekerja dengan sungguh-sungguh.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    code, out, err = _run("import", "-p", proj, str(empty), str(binary), str(good))
    assert code == 1  # some files failed: non-zero, with the count
    assert "2 of 3 files could not be imported" in err
    assert "empty.txt" in out and "blob.txt" in out
    assert "1 imported" in out and "2 failed" in out
    assert "good.txt" in _run("sources", "-p", proj)[1]


def test_damaged_database_mid_command_is_one_line(tmp_path: Path) -> None:
    import sqlite3

    proj = tmp_path / "d.qualcode"
    _run("init", str(proj), "-c", "sobandi-2008")
    transcript = tmp_path / "x.txt"
    transcript.write_text("Informan: Satu. Dua.\n", encoding="utf-8")
    assert _run("import", "-p", str(proj), str(transcript))[0] == 0
    con = sqlite3.connect(proj)
    con.execute("DROP TABLE segment")  # refused on open: the schema is not ours
    con.commit()
    con.close()
    code, out, err = _run("segments", "x.txt", "-p", str(proj))
    assert "table 'segment' is missing" in err
    assert code == 2
    assert "Traceback" not in out + err
    assert err.startswith("error: ")


def test_coder_defaults_to_the_projects_then_researcher(sample_project_file: Path,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample project codes as its own researcher ("peneliti"); --coder and
    QUALCODE_CODER override; a project that names none codes as "researcher"."""
    proj = tmp_path / "demo.qualcode"
    shutil.copy(sample_project_file, proj)
    monkeypatch.delenv("QUALCODE_CODER", raising=False)

    def coder_of(*extra: str, segment: str) -> str:
        code, out, _ = _run("code", "SOB-1", "-p", str(proj), "--segment", segment, *extra)
        assert code == 0, out
        return out.strip().rsplit(" by ", 1)[1]
    assert coder_of(segment="3") == "peneliti"
    assert coder_of("--coder", "ani", segment="4") == "ani"
    monkeypatch.setenv("QUALCODE_CODER", "budi")
    assert coder_of(segment="5") == "budi"
    plain = str(tmp_path / "plain.qualcode")
    assert _run("init", plain, "-c", "sobandi-2008")[0] == 0
    with Project.open(plain) as project:
        assert project_coder(project.reader) == "researcher"
