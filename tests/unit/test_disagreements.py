"""Disagreement places and their resolution into the consensus coder, on a hand-built project
whose places are decided by hand (below), not read back from the code under test."""

from __future__ import annotations

from pathlib import Path

import pytest

from disagreement_fixture import EXPECTED, TEXT, code_plan, span
from qualcode.core.adjudication import resolve, take_agreed
from qualcode.core.analysis.disagreements import Place, find_places
from qualcode.core.coders import CONSENSUS
from qualcode.core.models import Adjudication
from qualcode.core.store import Project
from qualcode.errors import QualcodeError


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """The planned project (tests/disagreement_fixture.py)."""
    return code_plan(project, tmp_path)


def place(project: Project, code: str, at: tuple[int, int]) -> Place:
    """The place of `code` at the span `at`."""
    return next(p for p in find_places(project, ["ana", "budi"])
                if p.code == code and (p.start, p.end) == at)


def consensus(project: Project) -> set[tuple[str, int, int, str]]:
    """(code, start, end, valence) of the consensus coder's codings."""
    keys = {c.id: c.key for c in project.codes()}
    return {(keys[r.code_id], r.start, r.end, r.valence) for s in project.sources()
            for r in project.codings_in(s.id or 0) if r.coder == CONSENSUS}


def adjudications(project: Project) -> list[Adjudication]:
    from sqlalchemy import select

    with project.session() as s:
        return list(s.execute(select(Adjudication)).scalars())


def test_the_places_are_the_ones_planned(coded: Project) -> None:
    found = {(p.code, (p.start, p.end), p.kinds) for p in find_places(coded, ["ana", "budi"])}
    assert found == EXPECTED
    valence = place(coded, "SOB-3", span(2))
    assert [c.valence for c in valence.codings["ana"]] == ["+"]
    assert [c.note for c in valence.codings["budi"]] == ["budi on SOB-3"]
    assert place(coded, "SOB-2", span(1)).codings["budi"] == []
    # filtering by code and source
    assert {p.code for p in find_places(coded, ["ana", "budi"], codes=["SOB-6"])} == {"SOB-6"}
    assert find_places(coded, ["ana", "budi"], sources=["b.txt"]) == []


def test_accept_one_coder(coded: Project) -> None:
    at = place(coded, "SOB-5", span(5, 6))
    row = resolve(coded, at, "accept", accept=["budi"], decided_by="lead")
    assert consensus(coded) == {("SOB-5", *span(5, 6), "-")}
    assert row.decided_by == "lead" and row.accepted == ["budi"]
    assert row.compared == ["ana", "budi"] and len(row.coding_ids) == 1
    assert place(coded, "SOB-5", span(5, 6)).resolved
    assert sum(not p.resolved for p in find_places(coded, ["ana", "budi"])) == len(EXPECTED) - 1


def test_accept_both_keeps_each_span_once(coded: Project) -> None:
    resolve(coded, place(coded, "SOB-4", span(3, 4)), "accept", accept=["ana", "budi"])
    assert consensus(coded) == {("SOB-4", *span(3, 4), "0"), ("SOB-4", *span(3), "0")}
    resolve(coded, place(coded, "SOB-3", span(2)), "accept", accept=["budi", "ana"])
    got = {c for c in consensus(coded) if c[0] == "SOB-3"}
    assert got == {("SOB-3", *span(2), "-")}   # one span: the first named coder's valence
    notes = [c.note for c in coded.codings_in(coded.get_source("a.txt").id or 0)
             if c.coder == CONSENSUS and c.start == span(2)[0]]
    assert notes == ["budi on SOB-3 / ana on SOB-3"]


def test_neither_and_edit(coded: Project) -> None:
    resolve(coded, place(coded, "SOB-1", span(7)), "neither", decided_by="lead")
    assert consensus(coded) == set()
    assert [(a.decision, a.coding_ids) for a in adjudications(coded)] == [("neither", [])]
    start, end = span(3)
    resolve(coded, place(coded, "SOB-4", span(3, 4)), "edit", span=(start + 8, end),
            valence="-", note="only the second clause")
    assert consensus(coded) == {("SOB-4", start + 8, end, "-")}
    edited = [a for a in adjudications(coded) if a.decision == "edit"]
    assert edited[0].note == "only the second clause"


def test_deciding_again_replaces_and_undo_restores(coded: Project) -> None:
    coded.acting_coder = "lead"
    at = place(coded, "SOB-5", span(5, 6))
    resolve(coded, at, "accept", accept=["ana"])
    resolve(coded, at, "accept", accept=["budi"])
    assert consensus(coded) == {("SOB-5", *span(5, 6), "-")}
    assert [a.accepted for a in adjudications(coded)] == [["budi"]]
    undone = coded.undo()
    assert undone is not None and undone.kind == "adjudicate"
    assert consensus(coded) == {("SOB-5", *span(5), "+")}
    assert [a.accepted for a in adjudications(coded)] == [["ana"]]
    coded.undo()
    assert consensus(coded) == set() and adjudications(coded) == []
    assert not place(coded, "SOB-5", span(5, 6)).resolved
    coded.redo()
    assert consensus(coded) == {("SOB-5", *span(5), "+")}
    assert adjudications(coded)[0].decided_by == "lead"


def test_agreed_codings_are_taken_once(coded: Project) -> None:
    assert take_agreed(coded, ["ana", "budi"]) == 1
    assert consensus(coded) == {("SOB-1", *span(0), "+")}
    assert take_agreed(coded, ["ana", "budi"]) == 0
    coded.undo()
    assert consensus(coded) == set()


def test_refusals_change_nothing(coded: Project) -> None:
    at = place(coded, "SOB-3", span(2))
    with pytest.raises(QualcodeError, match="carla"):
        resolve(coded, at, "accept", accept=["carla"])
    with pytest.raises(QualcodeError):
        resolve(coded, at, "edit", span=(0, len(TEXT) + 5))
    with pytest.raises(QualcodeError):
        resolve(coded, at, "maybe")
    with pytest.raises(QualcodeError):
        find_places(coded, ["ana"])
    with pytest.raises(QualcodeError):
        find_places(coded, ["ana", "nobody"])
    assert consensus(coded) == set() and adjudications(coded) == []



@pytest.mark.usefixtures("english")
def test_cli_lists_the_open_places(coded: Project) -> None:
    from typer.testing import CliRunner

    from qualcode.cli import app

    if coded.on_server:
        pytest.skip("the command line is given a file here")
    resolve(coded, place(coded, "SOB-3", span(2)), "neither")
    path = coded.location
    coded.close()
    result = CliRunner().invoke(app, ["review", "--list", "-p", path])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.output.splitlines() if line.startswith("a.txt:")]
    assert len(heads) == len(EXPECTED) - 1 and not any("SOB-3" in h for h in heads)
    assert f"a.txt:{span(5, 6)[0]}-{span(5, 6)[1]}  SOB-5  different spans, different " \
           "valence" in heads
    every = CliRunner().invoke(app, ["review", "--list", "--all", "-p", path])
    assert f"✔ a.txt:{span(2)[0]}-{span(2)[1]}  SOB-3" in every.output
    alone = CliRunner().invoke(app, ["review", "--list", "--coders", "ana", "-p", path])
    assert alone.exit_code != 0 and "Traceback" not in alone.output
    assert "at least two coders" in alone.output
