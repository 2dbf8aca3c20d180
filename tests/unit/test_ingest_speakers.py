"""Speaker labels only where they are speaker labels: by source kind, manifest names, summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.ingest import detect_turns
from qualcode.core.store import Project

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

REPORT = ("Tabel: Capaian sasaran pertama.\nSasaran: Meningkatnya pelayanan.\n"
          "Tabel: Capaian sasaran kedua.\nSasaran: Meningkatnya kompetensi.\n"
          "Kegiatan: Pelatihan teknis.\nKegiatan: Bimbingan teknis.\n")
NEWS = ("Ahmad: Kami ingin memutus itu.\nLilis: Jangan sampai pegawai dirugikan.\n"
        "Ahmad: Verifikasi sejak awal.\nLilis: Berkas harus lengkap.\n")


def _speakers(turns: tuple) -> list[str | None]:  # type: ignore[type-arg]
    return [t.speaker for t in turns]


def test_document_lines_are_never_speakers_even_in_an_interview() -> None:
    assert set(_speakers(detect_turns(REPORT, "interview"))) == {None}
    assert set(_speakers(detect_turns(REPORT, "document"))) == {None}


def test_documents_and_notes_get_speakers_only_when_asked() -> None:
    assert set(_speakers(detect_turns(NEWS, "document"))) == {None}
    assert set(_speakers(detect_turns(NEWS, "observation"))) == {None}
    assert _speakers(detect_turns(NEWS, "document", detect=True)) == [
        "Ahmad", "Lilis", "Ahmad", "Lilis"]
    # Named labels only: Lilis is not named, so her lines stay inside Ahmad's turns.
    named = detect_turns(NEWS, "document", ["ahmad"])
    assert _speakers(named) == ["Ahmad", "Ahmad"]
    assert "Lilis: Jangan" in NEWS[named[0].start:named[0].end]


def test_manifest_names_are_labels_even_when_they_occur_once() -> None:
    text = "Moderator: Silakan.\nbu sari: Antrean panjang.\nMas Joko: Betul.\n"
    turns = detect_turns(text, "interview", ["bu sari", "Mas Joko"])
    assert _speakers(turns) == ["Moderator", "bu sari", "Mas Joko"]
    assert [t.is_interviewer for t in turns] == [True, False, False]


def test_manifest_speakers_option_and_import_summary(tmp_path: Path) -> None:
    (tmp_path / "berita.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "laporan.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "fgd.md").write_text("---\nspeakers: [Bu Sari]\n---\nModerator: Silakan.\n"
                                     "Bu Sari: Antrean panjang.\nModerator: Lalu?\n",
                                     encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(
        "berita.txt: {kind: document, speakers: detect}\nlaporan.txt: {kind: document}\n",
        encoding="utf-8")
    target = tmp_path / "p.qualcode"
    Project.create(target).close()
    result = CliRunner().invoke(app, ["import", "-p", str(target), str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("imported berita.txt:") and "speakers: Ahmad (2 turns), "
               "Lilis (2 turns)" in line for line in lines), result.output
    assert any(line.startswith("imported laporan.txt:") and "no speaker labels" in line
               for line in lines), result.output
    assert any(line.startswith("imported fgd.md:") and "Moderator (interviewer, 2 turns), "
               "Bu Sari (1 turn)" in line for line in lines), result.output
    with Project.open(target) as project:
        report = next(s for s in project.sources() if s.name == "laporan.txt")
        assert {g.speaker for g in project.segments(report.id or 0)} == {None}


def test_phrases_with_function_words_are_not_speakers() -> None:
    text = ("DENGAN RINCIAN: pelatihan teknis.\nDENGAN RINCIAN: bimbingan teknis.\n"
            "Bu Sari: Antrean panjang.\nBu Sari: Betul.\n")
    assert _speakers(detect_turns(text, "interview")) == [None, "Bu Sari", "Bu Sari"]
