"""The coding screen's model: wrapping, row lookup, the coding index, and virtualised drawing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qualcode.core.store.view import CodingSpan, SegmentRow
from qualcode.tui.transcript_model import CodingIndex, TranscriptLayout, wrap_starts


def _lines(text: str, width: int) -> list[str]:
    starts = wrap_starts(text, width)
    ends = [*starts[1:], len(text)]
    return [text[a:b].rstrip(" ") for a, b in zip(starts, ends, strict=True)]


def test_wrap_breaks_at_spaces_and_splits_long_words() -> None:
    assert _lines("satu dua tiga empat", 9) == ["satu dua", "tiga", "empat"]
    assert _lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert _lines("pendek", 40) == ["pendek"]
    assert _lines("日本語のテキスト", 6) == ["日本語", "のテキ", "スト"]  # wide characters: 2 cells


@given(st.text(alphabet="ab cé日", min_size=1, max_size=120), st.integers(2, 30))
def test_wrap_keeps_every_character_and_fits_the_width(text: str, width: int) -> None:
    from rich.cells import cell_len

    starts = wrap_starts(text, width)
    assert starts[0] == 0 and starts == sorted(set(starts))
    ends = [*starts[1:], len(text)]
    for a, b in zip(starts, ends, strict=True):
        assert cell_len(text[a:b].rstrip(" ")) <= width
    dropped = "".join(text[e:s] for e, s in zip([0, *ends], [*starts, len(text)], strict=True))
    assert set(dropped) <= {" "}


def _layout() -> TranscriptLayout:
    text = "Tanya satu? Jawab satu panjang sekali. Jawab dua. Tanya dua?"
    segs = [SegmentRow(1, 0, 11, 0, "P", True), SegmentRow(2, 12, 38, 1, "I", False),
            SegmentRow(3, 39, 49, 1, "I", False), SegmentRow(4, 50, 61, 2, "P", True)]
    return TranscriptLayout(text, segs)


def test_layout_rows_include_a_blank_row_between_turns() -> None:
    layout = _layout()
    layout.wrap(12)
    assert layout.tops == [0, 2, 5, 7]
    assert layout.locate(1) == (1, -1)  # the separator before turn 1
    assert layout.locate(3) == (1, 1)
    assert layout.locate(6) == (3, -1)
    assert layout.block(1) == (1, 4) and layout.text_rows(1) == (2, 3)
    assert layout.segment_at(40) == 2 and layout.segment_at(38) == 2
    assert layout.turn_bounds(2) == (1, 2)
    assert layout.words(12, 38)[:2] == [(12, 17), (18, 22)]


def test_coding_index_tracks_segments_a_coding_overlaps() -> None:
    layout = _layout()
    index = CodingIndex(layout.starts, layout.ends)
    span = CodingSpan(7, 12, 49, 1, "0", "", "r")
    assert list(index.add(span)) == [1, 2]
    assert [c.id for c in index.at(2)] == [7] and index.is_coded(1) and not index.is_coded(0)
    narrow = CodingSpan(8, 20, 25, 2, "+", "", "r")
    index.add(narrow)
    assert [c.id for c in index.overlapping(1, 18, 22)] == [7, 8]
    assert [c.id for c in index.overlapping(1, 30, 38)] == [7]
    moved = narrow._replace(start=50, end=55)
    assert set(index.add(moved)) >= {1, 3}
    assert [c.id for c in index.at(1)] == [7] and [c.id for c in index.at(3)] == [8]
    assert list(index.remove(7)) == [1, 2] and not index.is_coded(1)
    assert index.replace_all([span]) == {1, 2, 3}
    assert list(index.by_id) == [7]


async def test_applying_a_code_redraws_only_the_changed_segment(tmp_path: Path) -> None:
    """Virtualisation: a long transcript is drawn a screenful at a time, and a coding redraws
    only its segment's rows."""
    from qualcode.core.store import Project
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.widgets.transcript import TranscriptView

    src = tmp_path / "long.txt"
    lines = []
    for i in range(1500):
        who = "Peneliti" if i % 5 == 0 else "Informan"
        lines.append(f"{who}: Kalimat nomor {i} tentang pelayanan publik di kantor. "
                     f"Kalimat kedua nomor {i} menjelaskan hal yang sama.\n")
    src.write_text("\n".join(lines), encoding="utf-8")
    from qualcode.core.codebooks import find_codebook, load_codebook

    with Project.create(tmp_path / "long.qualcode") as project:
        project.import_codebook(load_codebook(find_codebook("sobandi-2008")))
        report = project.import_files([src], overrides={"language": "id"})
        sid = report.outcomes[0].source_id
        assert sid is not None and len(project.segments(sid)) >= 2500
        app = QualcodeApp(project, lang="en", source_id=sid)
        calls: list[int] = []
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            view = app.screen.query_one(TranscriptView)
            original = view._build_line

            def counting(index: int, line: int):  # type: ignore[no-untyped-def]
                calls.append(index)
                return original(index, line)

            view._build_line = counting  # type: ignore[method-assign]
            view.invalidate_all()
            await pilot.pause()
            assert 0 < len(calls) <= 30  # one screenful, not the whole transcript
            calls.clear()
            await pilot.press("u", "1")
            await pilot.pause()
            assert set(calls) <= {0, view.cursor}  # the old and the new cursor segment
            calls.clear()
            await pilot.press("2", "plus")
            await pilot.pause()
            assert set(calls) == {view.cursor}
            assert project.codings_in(sid)
