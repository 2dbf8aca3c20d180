"""Core errors shown in the user's language: a message id and its fields, no matching back."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from qualcode.core.ingest import read_source
from qualcode.core.store import Project
from qualcode.errors import QualcodeError, error_text


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
    assert shown.startswith(f"{path}: {expected} — ")
    assert "Check" not in shown  # the hint is translated too
    assert error_text(caught.value, "en") == f"{caught.value.message} — {caught.value.hint}"


def test_store_errors_keep_their_fields_in_both_languages(project: Project) -> None:
    with pytest.raises(QualcodeError) as caught:
        project.add_code("SOB-1", "Duplikat")
    assert caught.value.text("en") == "code 'SOB-1' already exists"
    assert caught.value.text("id") == "kode 'SOB-1' sudah ada"
    assert error_text(ValueError("x"), "id") == "ValueError: x"  # not ours: type and text


def test_errors_cross_worker_processes_with_their_id(tmp_path: Path) -> None:
    """Import workers send errors back pickled; the id and fields survive, not just English."""
    (tmp_path / "kosong.txt").write_bytes(b"")
    with pytest.raises(QualcodeError) as caught:
        read_source(tmp_path / "kosong.txt")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is type(caught.value)
    assert copy.text("id") == caught.value.text("id") and copy.hint == caught.value.hint
