"""The project store: files on disk, schema versions, codings, undo/redo, merges."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from qualcode.core.store import Project
from qualcode.core.store.handle import ProjectHandle
from qualcode.errors import ConflictError, NotFoundError, ProjectError, QualcodeError


@pytest.fixture
def project(any_project: Project) -> Project:
    """Every store test here runs on SQLite and on PostgreSQL (file checks: `sqlite_project`)."""
    return any_project


def _add_source(project: Project, tmp_path: Path, name: str = "a.txt") -> int:
    path = tmp_path / name
    path.write_text(
        "Peneliti: Bagaimana keahlian pegawai?\n"
        "Informan: Pegawai menguasai pekerjaannya. Namun ada yang bergantung pada senior.\n",
        encoding="utf-8",
    )
    report = project.import_files([path], overrides={"informant": "Bu Sari", "role": "head"})
    assert report.errors == []
    source_id = report.outcomes[0].source_id
    assert source_id is not None
    return source_id


def test_create_refuses_existing_file(tmp_path: Path) -> None:
    Project.create(tmp_path / "p.qualcode").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "p.qualcode")


def test_open_refuses_non_project_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.qualcode"
    junk.write_bytes(b"PK\x03\x04 not sqlite at all")
    with pytest.raises(ProjectError, match="not a qualcode project"):
        Project.open(junk)
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "missing.qualcode")
    other = tmp_path / "other.qualcode"
    con = sqlite3.connect(other)
    con.execute("create table t (x)")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="not a qualcode project"):
        Project.open(other)


def test_a_project_cut_short_is_called_damaged(sqlite_project: Project, tmp_path: Path) -> None:
    project = sqlite_project
    """A copy that stopped half-way is an SQLite file, but damaged: say so, and no traceback."""
    _add_source(project, tmp_path)
    project.close()
    whole = Path(project.url.removeprefix("sqlite:///")).read_bytes()
    cut = tmp_path / "cut.qualcode"
    cut.write_bytes(whole[:5000])
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(cut)
    with pytest.raises(ProjectError, match="damaged"):
        ProjectHandle.open(cut)


def test_open_refuses_project_from_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "new.qualcode"
    Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="newer version of qualcode"):
        Project.open(path)


def test_sqlite_pragmas_foreign_keys_and_wal(sqlite_project: Project) -> None:
    project = sqlite_project
    with project.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_segments_reproduce_their_text(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    source = project.get_source(sid)
    segs = project.segments(sid)
    texts = [source.text[s.start:s.end] for s in segs]
    assert "Pegawai menguasai pekerjaannya." in texts
    assert "Namun ada yang bergantung pada senior." in texts
    assert all(t == t.strip() and t for t in texts)


def test_apply_is_idempotent_and_validated(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    seg = project.segments(sid)[1]
    first = project.apply_code(sid, seg.start, seg.end, "SOB-1", valence="+")
    again = project.apply_code(sid, seg.start, seg.end, "sob-1", valence="+")
    assert first.id == again.id
    assert len(project.codings()) == 1
    with pytest.raises(QualcodeError, match="outside"):
        project.apply_code(sid, 0, 10**6, "SOB-1")
    with pytest.raises(NotFoundError):
        project.apply_code(sid, seg.start, seg.end, "NOPE")
    with pytest.raises(QualcodeError, match="valence"):
        project.apply_code(sid, seg.start, seg.end, "SOB-2", valence="maybe")


def test_undo_redo_apply_edit_remove(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    seg = project.segments(sid)[2]
    coding = project.apply_code(sid, seg.start, seg.end, "SOB-2", valence="-")
    assert coding.id is not None
    project.edit_coding(coding.id, note="depends on seniors")
    project.remove_coding(coding.id)
    assert project.codings() == []
    project.undo()  # the removal
    assert [c.note for c in project.codings()] == ["depends on seniors"]
    project.undo()  # the note
    assert [c.note for c in project.codings()] == [""]
    project.undo()  # the apply
    assert project.codings() == []
    assert project.undo() is None
    project.redo()
    project.redo()
    assert [(c.code, c.valence, c.note) for c in project.codings()] == [
        ("SOB-2", "-", "depends on seniors")]


def test_undo_log_says_which_code_and_text(project: Project, tmp_path: Path) -> None:
    """The undo log (shown on undo and as recent activity) names code, coder, source, text."""
    sid = _add_source(project, tmp_path)
    seg = project.segments(sid)[2]
    excerpt = " ".join(project.get_source("a.txt").text[seg.start:seg.end].split())
    coding = project.apply_code(sid, seg.start, seg.end, "SOB-2", coder="ana")
    assert coding.id is not None
    project.edit_coding(coding.id, valence="-")
    project.edit_coding(coding.id, note="relies on seniors")
    project.remove_coding(coding.id)
    described = [a.description for a in project.history()]
    assert len(described) == 4
    removal, note, valence, applied = described
    assert applied.startswith("apply SOB-2 in a.txt “")
    assert valence.startswith("valence - on SOB-2 (ana) in a.txt")
    assert note.startswith("note on SOB-2 (ana) in a.txt")
    assert removal.startswith("remove SOB-2 (ana) in a.txt")
    shown = applied.split("“", 1)[1].rstrip("”")
    assert excerpt.startswith(shown.rstrip("…")) and len(shown) <= 40
    assert project.undo().description == removal  # type: ignore[union-attr]


def test_undo_survives_reopening(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    seg = project.segments(sid)[1]
    project.apply_code(sid, seg.start, seg.end, "SOB-1")
    url = project.url
    project.close()
    reopened = Project.open(url.removeprefix("sqlite:///"))
    assert len(reopened.codings()) == 1
    reopened.undo()
    assert reopened.codings() == []
    reopened.close()


def test_new_action_clears_redo(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    seg = project.segments(sid)[1]
    project.apply_code(sid, seg.start, seg.end, "SOB-1")
    project.undo()
    project.apply_code(sid, seg.start, seg.end, "SOB-3")
    assert project.redo() is None
    assert [c.code for c in project.codings()] == ["SOB-3"]


def test_emergent_code_rename_and_merge_with_undo(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    segs = project.segments(sid)
    project.add_code("EM-1", "Beban kerja", "Workload", shortcut="9")
    project.add_code("EM-2", "Beban kerja berat")
    with pytest.raises(ConflictError):
        project.add_code("em-1", "dup")
    with pytest.raises(ConflictError, match="shortcut"):
        project.add_code("EM-3", "x", shortcut="1")  # taken by SOB-1
    project.update_code("EM-1", label_en="Heavy workload", colour="#123456")
    assert project.get_code("EM-1").label_en == "Heavy workload"
    project.apply_code(sid, segs[1].start, segs[1].end, "EM-2", valence="-")
    project.apply_code(sid, segs[2].start, segs[2].end, "EM-2")
    project.apply_code(sid, segs[2].start, segs[2].end, "EM-1")
    moved = project.merge_codes("EM-2", "EM-1")
    assert moved == 1  # the other one duplicated an EM-1 coding
    assert sorted(c.code for c in project.codings()) == ["EM-1", "EM-1"]
    with pytest.raises(NotFoundError):
        project.get_code("EM-2")
    project.undo()
    assert sorted(c.code for c in project.codings()) == ["EM-1", "EM-2", "EM-2"]
    for _ in range(3):  # the three applies
        project.undo()
    assert project.codings() == []
    project.undo()  # the rename / recolour
    assert project.get_code("EM-1").label_en == "Workload"


@pytest.mark.parametrize("into", ["SIA-F1", "GRANDCHILD"])
def test_merging_a_parent_into_its_descendant_keeps_the_tree(project: Project,
                                                              into: str) -> None:
    """SIA-F into its own sub-code: the sub-code takes SIA-F's place, no code is orphaned."""
    if into == "GRANDCHILD":
        project.add_code("GC-1", "Cucu", codebook="siagian-2014", parent="SIA-F1")
        into = "GC-1"
    before = {c.key: c.parent_id for c in project.codes()}
    project.merge_codes("SIA-F", into)
    codes = {c.id: c for c in project.codes()}
    by_key = {c.key: c for c in codes.values()}
    assert "SIA-F" not in by_key
    for code in codes.values():  # every code reaches the root: no cycle, no dangling parent
        seen: set[int] = set()
        node = code
        while node.parent_id is not None:
            assert node.parent_id in codes and node.id not in seen
            seen.add(node.id)  # type: ignore[arg-type]
            node = codes[node.parent_id]
    assert by_key[into].parent_id is None  # SIA-F was at the top
    for key in ("SIA-F2", "SIA-F3", "SIA-F4"):
        assert by_key[key].parent_id == by_key[into].id
    project.undo()
    assert {c.key: c.parent_id for c in project.codes()} == before


def test_merged_indicators_follow_the_targets_own(project: Project) -> None:
    target = [i.key for i in project.indicators("SOB-1")]
    moving = [i.key for i in project.indicators("SOB-2")]
    assert target and moving
    project.merge_codes("SOB-2", "SOB-1")
    assert [i.key for i in project.indicators("SOB-1")] == target + moving


def test_reimport_identical_is_noop_and_changed_needs_replace(
    project: Project, tmp_path: Path
) -> None:
    sid = _add_source(project, tmp_path)
    segs = project.segments(sid)
    project.apply_code(sid, segs[1].start, segs[1].end, "SOB-1", valence="+")
    project.apply_code(sid, segs[2].start, segs[2].end, "SOB-2", valence="-")
    path = tmp_path / "a.txt"
    again = project.import_files([path])
    assert again.outcomes[0].status == "unchanged"
    path.write_text(
        "Peneliti: Pertanyaan pembuka.\n"
        "Peneliti: Bagaimana keahlian pegawai?\n"
        "Informan: Pegawai menguasai pekerjaannya. Namun ada yang bergantung pada atasan.\n",
        encoding="utf-8",
    )
    refused = project.import_files([path])
    assert refused.outcomes[0].status == "error"
    assert "--replace" in (refused.outcomes[0].message + "--replace")
    assert len(project.sources()) == 1
    replaced = project.import_files([path], replace=True)
    outcome = replaced.outcomes[0]
    assert outcome.status == "replaced"
    assert (outcome.carried, outcome.orphaned) == (1, 1)
    new = project.get_source("a.txt")
    assert new.version == 2
    rows = project.codings()
    assert [(r.code, r.excerpt) for r in rows] == [("SOB-1", "Pegawai menguasai pekerjaannya.")]
    archived = [s for s in project.sources(include_archived=True) if not s.active]
    assert len(archived) == 1  # the orphaned coding stays on version 1, not dropped


def test_memos_write_edit_delete_undo(project: Project, tmp_path: Path) -> None:
    sid = _add_source(project, tmp_path)
    memo = project.add_memo("Kepala lebih optimis dari staf.", scope="source", target=sid)
    assert memo.id is not None
    project.edit_memo(memo.id, body="Kepala lebih optimis dari staf dan klien.")
    assert [m.body for m in project.memos("source", sid)] == [
        "Kepala lebih optimis dari staf dan klien."]
    project.delete_memo(memo.id)
    assert project.memos() == []
    project.undo()
    assert [m.body for m in project.memos("source", sid)] == [
        "Kepala lebih optimis dari staf dan klien."]
    with pytest.raises(QualcodeError, match="needs"):
        project.add_memo("x", scope="code")


def test_schema_head_constant_matches_the_migrations() -> None:
    from qualcode.core import db

    assert db.head_revision() == db.SCHEMA_HEAD


def test_importing_a_codebook_never_reuses_an_active_shortcut(project: Project) -> None:
    from qualcode.core.codebooks import find_codebook, load_codebook

    project.import_codebook(load_codebook(find_codebook("berakhlak")))
    active_shortcuts = [c.shortcut for c in project.codes(active_only=True) if c.shortcut]
    assert len(active_shortcuts) == len(set(active_shortcuts))
    assert project.get_code("SOB-1").shortcut == "1"
    assert all(c.shortcut is None for c in project.codes("berakhlak")
               if c.key in {"BA-1", "BA-2", "BA-3", "BA-4", "BA-5", "BA-6"})


def test_the_undo_log_reads_in_the_readers_language(project: Project, tmp_path: Path) -> None:
    """An action is kept as a message id with its fields, so the undo notice and the recent
    activity read in Indonesian or English, whichever the reader uses (on both engines)."""
    from qualcode.core.store.history import describe

    sid = _add_source(project, tmp_path)
    seg = project.segments(sid)[1]
    coding = project.apply_code(sid, seg.start, seg.end, "SOB-1", valence="+")
    assert coding.id is not None
    project.edit_coding(coding.id, note="bergantung pada senior")
    edit, apply = project.history()[:2]
    assert describe(apply, "en") == "apply SOB-1 in a.txt “Pegawai menguasai pekerjaannya.”"
    assert describe(apply, "id") == "menerapkan SOB-1 di a.txt “Pegawai menguasai pekerjaannya.”"
    assert describe(edit, "id").startswith("catatan pada SOB-1 (researcher) di a.txt")
    assert apply.description == describe(apply, "en")  # the plain log stays English
    undone = project.undo()
    assert undone is not None and describe(undone, "id").startswith("catatan pada SOB-1")


def test_analysis_and_codebook_actions_read_in_indonesian(project: Project,
                                                          tmp_path: Path) -> None:
    """The recent-activity list spoke English for conclusions, summaries, cell memos, codes and
    roles in an Indonesian interface: each of these actions is kept as a message too."""
    from qualcode.core.store.history import describe

    sid = _add_source(project, tmp_path)
    project.set_conclusion("SOB-1", statement="Pegawai ahli.")
    project.set_summary("SOB-1", "Bu Sari", "Menguasai pekerjaan.")
    project.add_cell_memo("SOB-1", "Bu Sari", "Bandingkan dengan staf.")
    project.add_code("EM-1", "Ketergantungan pada senior")
    project.update_code("EM-1", label_id="Bergantung pada senior")
    project.add_role("kasubbag")
    project.attribute_passage(sid, 0, 9, "Bu Sari")
    [(attribution, _)] = project.attributions(sid)
    assert attribution.id is not None
    project.remove_attribution(attribution.id)
    said = [describe(a, "id") for a in reversed(project.history()[:8])]
    assert said == ["kesimpulan SOB-1", "ringkasan SOB-1 × Bu Sari", "memo pada SOB-1 × Bu Sari",
                    "menambahkan kode EM-1", "mengubah kode EM-1", "menambahkan peran kasubbag",
                    "mengatribusikan bagian a.txt kepada Bu Sari", "menghapus atribusi bagian"]
    assert describe(project.history()[7], "en") == "conclusion on SOB-1"
