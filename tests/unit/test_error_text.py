"""Core errors shown in the interface language (tui/error_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.core.ingest import read_source
from qualcode.errors import QualcodeError
from qualcode.tui.error_text import error_text, localise


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "berkas kosong"),
    (b"\x00\x01\x02PK\x00\x00binary\x00" * 50, "tampaknya berkas biner, bukan transkrip"),
], ids=["empty", "binary"])
def test_import_errors_read_in_indonesian(tmp_path: Path, content: bytes,
                                          expected: str) -> None:
    path = tmp_path / "wawancara-01.txt"
    path.write_bytes(content)
    with pytest.raises(QualcodeError) as caught:
        read_source(path)
    shown = error_text(caught.value, "id")
    assert shown.startswith(f"{path}: {expected}")
    assert " — " in shown and "Check" not in shown  # the hint is translated too
    assert error_text(caught.value, "en") == (
        f"{caught.value.message} — {caught.value.hint}")  # English: as the core says it


def test_variable_parts_are_kept_and_unknown_text_stays() -> None:
    assert localise("shortcut 'x' is already used by SOB-1", "id") == (
        "pintasan 'x' sudah dipakai SOB-1")
    assert localise("colour 'merah' is not #rrggbb", "id") == "warna 'merah' bukan #rrggbb"
    assert localise("a/b: c.txt: file not found", "id") == "a/b: c.txt: berkas tidak ditemukan"
    unknown = "something new went wrong"
    assert localise(unknown, "id") == unknown
    assert localise("code 'EM-1' already exists", "en") == "code 'EM-1' already exists"
