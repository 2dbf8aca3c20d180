"""Several coders on one server project: undo is per coder, nothing lost or doubled at once."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from qualcode.core.store import Project
from qualcode.errors import ConflictError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

TEXT = "".join(f"Informan: Kalimat nomor {i} tentang pelayanan publik.\n" for i in range(60))


def _project(url: str, tmp_path: Path) -> tuple[Project, int]:
    from qualcode.core.codebooks import find_codebook, load_codebook

    proj = Project.create(url)
    proj.import_codebook(load_codebook(find_codebook("sobandi-2008")))
    path = tmp_path / "fg.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = proj.import_files([path], overrides={"informant": "Bu Sari", "role": "head"})
    sid = report.outcomes[0].source_id
    assert sid is not None
    return proj, sid


def test_one_coders_undo_never_undoes_anothers(pg_url: str, tmp_path: Path) -> None:
    proj, sid = _project(pg_url, tmp_path)
    ani, budi = Project.open(pg_url), Project.open(pg_url)
    ani.acting_coder, budi.acting_coder = "ani", "budi"
    segs = proj.segments(sid)
    a = ani.apply_code(sid, segs[0].start, segs[0].end, "SOB-1", coder="ani")
    b = budi.apply_code(sid, segs[1].start, segs[1].end, "SOB-2", coder="budi")
    undone = ani.undo()
    assert undone is not None and "SOB-1" in undone.description
    assert [(c.id, c.coder) for c in proj.codings()] == [(b.id, "budi")]
    assert ani.undo() is None  # nothing more of ani's, budi's stays
    assert budi.redo() is None  # ani's redo stack is not budi's
    assert [c.id for c in proj.codings()] == [b.id]
    ani.redo()
    assert sorted(c.coder for c in proj.codings()) == ["ani", "budi"]
    assert a.id in {c.id for c in proj.codings()}
    for p in (proj, ani, budi):
        p.close()


def test_undo_over_someone_elses_change_is_refused(pg_url: str, tmp_path: Path) -> None:
    proj, sid = _project(pg_url, tmp_path)
    ani, budi = Project.open(pg_url), Project.open(pg_url)
    ani.acting_coder, budi.acting_coder = "ani", "budi"
    seg = proj.segments(sid)[2]
    coding = ani.apply_code(sid, seg.start, seg.end, "SOB-3", coder="ani", note="awal")
    assert coding.id is not None
    ani.edit_coding(coding.id, note="catatan ani")
    budi.edit_coding(coding.id, note="catatan budi")
    with pytest.raises(ConflictError, match="changed since"):
        ani.undo()
    assert [c.note for c in proj.codings()] == ["catatan budi"]  # nothing undone
    for p in (proj, ani, budi):
        p.close()


def _code_many(url: str, coder: str, spans: list[tuple[int, int, int]]) -> int:
    proj = Project.open(url)
    proj.acting_coder = coder
    done = 0
    for sid, start, end in spans:
        proj.apply_code(sid, start, end, "SOB-1", coder=coder)
        done += 1
    proj.close()
    return done


def test_coders_at_once_lose_and_double_nothing(pg_url: str, tmp_path: Path) -> None:
    proj, sid = _project(pg_url, tmp_path)
    spans = [(sid, s.start, s.end) for s in proj.segments(sid)]
    coders = ["ani", "budi", "citra", "dewi"]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(len(coders)) as pool:
        # every coder codes every segment; each also twice at once (two threads, one person)
        jobs = [pool.apply_async(_code_many, (pg_url, c, spans)) for c in coders for _ in (1, 2)]
        assert [j.get(timeout=300) for j in jobs] == [len(spans)] * 8
    rows = {(c.source_id, c.start, c.end, c.coder) for c in proj.codings()}
    assert len(proj.codings()) == len(rows) == len(spans) * len(coders)
    proj.close()


def test_threads_in_one_process_share_nothing_they_should_not(pg_url: str,
                                                              tmp_path: Path) -> None:
    proj, sid = _project(pg_url, tmp_path)
    segs = proj.segments(sid)
    errors: list[BaseException] = []

    def work(coder: str) -> None:
        try:
            _code_many(pg_url, coder, [(sid, s.start, s.end) for s in segs[:20]])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in ("ani", "ani", "budi")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(proj.codings()) == 40
    proj.close()


def test_a_read_only_login_reads_everything_and_is_told_it_cannot_write(
        sample_project_file: Path, pg_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from typer.testing import CliRunner

    from qualcode.cli import app
    from qualcode.core.store.transfer import copy_project
    from qualcode.errors import ReadOnlyError

    copy_project(sample_project_file, pg_url)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    role = "reviewer_" + make_url(pg_url).database[-8:]
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    admin.dispose()
    as_reviewer = make_url(pg_url).set(username=role).render_as_string(hide_password=False)
    with Project.open(as_reviewer) as proj:
        assert proj.read_only
        n = len(proj.codings())
        assert n > 100
        seg = proj.segments(proj.sources()[0].id)[2]
        with pytest.raises(ReadOnlyError, match="read-only"):
            proj.apply_code(seg.source_id, seg.start, seg.end, "SOB-1", coder=role)
        proj.set_meta("ui_lang", "en")  # a setting is kept for the session, not an error
    runner = CliRunner()
    listing = runner.invoke(app, ["codings", "-p", as_reviewer, "--format", "csv"])
    assert listing.exit_code == 0, listing.output
    assert len(listing.output.splitlines()) > 100
    refused = runner.invoke(app, ["code", "SOB-1", "--segment", "3", "-p", as_reviewer])
    assert refused.exit_code == 2
    assert "read-only" in refused.output and "Traceback" not in refused.output
    with Project.open(pg_url) as owner:
        assert not owner.read_only and len(owner.codings()) == n


def test_two_people_renaming_one_code_end_with_a_clear_message(project_target: str,
                                                               tmp_path: Path) -> None:
    first = Project.create(project_target)
    from qualcode.core.codebooks import find_codebook, load_codebook

    first.import_codebook(load_codebook(find_codebook("sobandi-2008")))
    second = Project.open(project_target)
    shown = {"label_en": first.get_code("SOB-1").label_en}  # both open the rename dialog
    first.update_code("SOB-1", expected=shown, label_en="Expertise (first)")
    with pytest.raises(ConflictError, match="changed by someone else"):
        second.update_code("SOB-1", expected=shown, label_en="Expertise (second)")
    assert second.get_code("SOB-1").label_en == "Expertise (first)"
    first.close()
    second.close()
