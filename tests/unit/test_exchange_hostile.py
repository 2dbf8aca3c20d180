"""Hostile or broken .qdpx files are refused with one clear message, and nothing is created:
no project file, no temporary file left beside it."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from exchange_fixtures import CODE, SELECTION, TEXT, project_xml, span_of, write_qdpx
from qualcode.core.exchange.qdpx_build import import_qdpx
from qualcode.core.exchange.safety import ExchangeError, SafeArchive

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text


def refused(tmp_path: Path, archive: Path, needle: str) -> None:
    """The import fails with `needle` in its one-line message and leaves nothing behind."""
    target = tmp_path / "new.qualcode"
    before = set(os.listdir(tmp_path))
    with pytest.raises(ExchangeError) as caught:
        import_qdpx(archive, target)
    assert needle in caught.value.message
    assert "\n" not in caught.value.message
    assert not target.exists()
    assert set(os.listdir(tmp_path)) == before


def good_files() -> dict[str, bytes]:
    return {"sources/t.txt": TEXT.encode()}


def good_qde() -> bytes:
    return project_xml("internal://t.txt", *span_of(TEXT))


@pytest.mark.parametrize(("entry", "needle"), [
    ("../../evil.txt", "climbs out"),
    ("sources/../../evil.txt", "climbs out"),
    ("/etc/cron.d/evil", "absolute path"),
    ("C:/Windows/evil.txt", "absolute path"),
])
def test_entries_escaping_the_folder(tmp_path: Path, entry: str, needle: str) -> None:
    archive = tmp_path / "in.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", good_qde())
        zf.writestr("sources/t.txt", TEXT)
        zf.writestr(zipfile.ZipInfo(entry), b"x")
    refused(tmp_path, archive, needle)


def test_source_path_escaping_the_archive(tmp_path: Path) -> None:
    qde = project_xml("internal://../../../etc/passwd", *span_of(TEXT))
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", qde, good_files()), "climbs out")


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    files = {"sources/t.txt": TEXT.encode() + b" " * (50 * 1024 * 1024)}
    archive = write_qdpx(tmp_path / "in.qdpx", good_qde(), files)
    assert archive.stat().st_size < 1024 * 1024
    refused(tmp_path, archive, "zip bomb")


def test_total_inflated_size_counts_real_bytes(tmp_path: Path) -> None:
    """The limit counts bytes actually inflated (incompressible data, so no ratio alarm)."""
    archive = write_qdpx(tmp_path / "in.qdpx", good_qde(),
                         {f"sources/{n}.bin": os.urandom(3 * 1024 * 1024) for n in range(3)})
    with SafeArchive(archive, max_total=8 * 1024 * 1024) as safe:
        safe.read("sources/0.bin")
        safe.read("sources/1.bin")
        with pytest.raises(ExchangeError, match="inflates to more than 8 MB"):
            safe.read("sources/2.bin")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&d;"/>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"""


@pytest.mark.parametrize("qde", [BILLION_LAUGHS, EXTERNAL])
def test_entities_are_refused(tmp_path: Path, qde: bytes) -> None:
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", qde, {}), "DOCTYPE")


def test_invalid_xml(tmp_path: Path) -> None:
    qde = good_qde().replace(b"</Sources>", b"</Source>")
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", qde, good_files()), "not valid XML (line")


def test_not_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "in.qdpx"
    archive.write_text("hello")
    refused(tmp_path, archive, "zip archive")


def test_positions_outside_the_text(tmp_path: Path) -> None:
    qde = project_xml("internal://t.txt", 10, len(TEXT) * 4)
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", qde, good_files()), "outside the text")


def test_duplicate_guids(tmp_path: Path) -> None:
    qde = good_qde().replace(SELECTION.encode(), CODE.encode())
    refused(tmp_path, write_qdpx(tmp_path / "in.qdpx", qde, good_files()), "used twice")


def test_existing_target_is_never_replaced(tmp_path: Path) -> None:
    archive = write_qdpx(tmp_path / "in.qdpx", good_qde(), good_files())
    target = tmp_path / "new.qualcode"
    target.write_bytes(b"mine")
    with pytest.raises(ExchangeError, match="already exists"):
        import_qdpx(archive, target)
    assert target.read_bytes() == b"mine"


def test_cli_refusal_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qualcode.cli import app

    qde = project_xml("internal://t.txt", 10, len(TEXT) * 4)
    archive = write_qdpx(tmp_path / "in.qdpx", qde, good_files())
    result = CliRunner().invoke(app, ["import-project", str(archive),
                                      str(tmp_path / "new.qualcode")])
    assert result.exit_code == 2
    assert "outside the text" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new.qualcode").exists()


def test_cli_import_lists_warnings_and_what_was_left_out(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qualcode.cli import app

    extra = ('<AudioSource guid="0f5a5b1e-0000-4000-8000-000000000041" name="rekaman" '
             'path="relative:///rekaman.m4a"/>')
    qde = project_xml("internal://t.txt", *span_of(TEXT), extra_sources=extra)
    archive = write_qdpx(tmp_path / "in.qdpx", qde, {"Sources/t.txt": TEXT.encode()},
                         qde_name="Studi.qde")
    result = CliRunner().invoke(app, ["import-project", str(archive),
                                      str(tmp_path / "new.qualcode")])
    assert result.exit_code == 0, result.output
    assert "1 codings" in result.output
    assert "warning: the project file inside is named 'Studi.qde'" in result.output
    assert "not imported" in result.output and "rekaman" in result.output
