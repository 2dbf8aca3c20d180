"""Speakers are informants; metadata can be fixed (undoably); quotes carry citable locations."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from people_fixture import CODINGS, FGD, INTERVIEWER_QUOTE, NEWS, code_focus_group, import_people
from qualcode.core.analysis.base import Display
from qualcode.core.analysis.display import DISPLAYS, clustered_matrix, role_ordered_matrix
from qualcode.core.analysis.query import coding_frame, retrieve
from qualcode.core.metadata import SpeakerTarget, check_date, check_role
from qualcode.core.models import Turn
from qualcode.core.store import Project
from qualcode.errors import ConflictError, QualcodeError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text


def row(display: Display, code: str) -> list[object]:
    """A display's row for a code key, as a list."""
    return list(display.frame.iloc[display.row_keys.index(code)])


def _turns(project: Project, source_id: int) -> dict[str, set[int | None]]:
    with project.session() as s:
        rows = s.exec(select(Turn).where(Turn.source_id == source_id)).all()
    out: dict[str, set[int | None]] = {}
    for t in rows:
        out.setdefault(t.speaker or "", set()).add(-1 if t.is_interviewer else t.informant_id)
    return out


def test_manifest_speakers_map_turns_to_informants(project: Project) -> None:
    sid = import_people(project, FGD)[FGD]
    people = {i.pseudonym: i for i in project.informants()}
    assert {n: people[n].role for n in people} == {
        "Informan 1": "section_head", "Informan 2": "staff", "Informan 3": "section_head",
        "Informan 4": "staff"}
    assert _turns(project, sid) == {"Moderator": {-1}, "Bu Rina": {people["Informan 1"].id},
                                    "Pak Dedi": {people["Informan 2"].id},
                                    "Bu Sari": {people["Informan 3"].id},
                                    "Mas Yoga": {people["Informan 4"].id}}
    assert project.get_source(sid).date == "2026-03-14"


def test_focus_group_codings_credited_to_each_speaker(project: Project) -> None:
    code_focus_group(project)
    matrix = clustered_matrix(project, codebook="sobandi-2008", lang="id")
    assert list(matrix.frame.columns) == ["Informan 1", "Informan 2", "Informan 3", "Informan 4"]
    assert row(matrix, "SOB-1") == [1, 0, 1, 0]
    assert row(matrix, "SOB-2") == [0, 2, 0, 1]  # the moderator's SOB-2 + is not here
    assert row(matrix, "SOB-4") == [1, 0, 1, 0]
    assert int(matrix.frame.to_numpy().sum()) == len(CODINGS) - 1
    valence = DISPLAYS["clustered"](project, codebook="sobandi-2008", cell="valence", lang="en")
    assert row(valence, "SOB-2")[3] == "1+ / 0−"
    assert any("1 coding on an interviewer turn is not counted" in n for n in valence.notes)
    role = role_ordered_matrix(project, codebook="sobandi-2008", lang="en").frame
    assert list(role.columns) == [("Section head", "Informan 1"), ("Section head", "Informan 3"),
                                  ("Staff", "Informan 2"), ("Staff", "Informan 4")]
    for name in ("frequency", "cooccurrence", "role", "triangulation"):
        notes = DISPLAYS[name](project, codebook="sobandi-2008", lang="en").notes
        assert any("not counted as informant evidence" in n for n in notes), name
    assert not any("interviewer" in n for n in DISPLAYS["clustered"](
        project, informants=("Informan 1",)).notes)


def test_retrieval_credits_speakers_and_shows_interviewer_apart(project: Project) -> None:
    code_focus_group(project)
    found = {e.text: e for e in retrieve(project, codebook="sobandi-2008", lang="en")}
    assert len(found) == len(CODINGS)
    moderator = found[INTERVIEWER_QUOTE]
    assert moderator.interviewer and moderator.informant is None
    assert moderator.who == "Interviewer (Moderator)"
    yoga = found["Sekarang saya bisa memeriksa kelengkapan berkas tanpa menunggu arahan."]
    assert (yoga.informant, yoga.role, yoga.speaker) == ("Informan 4", "staff", "Mas Yoga")
    assert yoga.location is not None and (yoga.location.line, yoga.location.paragraph) == (7, 7)
    only = retrieve(project, informants=["Informan 2"])
    assert sorted(e.text[:12] for e in only) == ["Mereka masih", "Saya setuju,"]
    counted = coding_frame(project, codebook="sobandi-2008")
    assert len(counted) == len(CODINGS) - 1 and not counted["interviewer"].any()
    rows = {r.excerpt: r for r in project.codings()}
    assert rows[INTERVIEWER_QUOTE].interviewer
    assert rows[INTERVIEWER_QUOTE].location == "line 4, paragraph 4"


def test_speaker_map_is_undoable_and_reaches_the_counts(project: Project) -> None:
    code_focus_group(project)
    sid = project.get_source(FGD).id
    before = _turns(project, sid)
    changed = project.map_speakers(FGD, {"Mas Yoga": SpeakerTarget("Informan 2")})
    assert changed == 2
    matrix = clustered_matrix(project, codebook="sobandi-2008")
    assert row(matrix, "SOB-2") == [0, 3, 0]  # Informan 4 credits nothing now
    project.map_speakers(FGD, {"Moderator": SpeakerTarget("Informan 5")})  # not the interviewer
    assert sum(row(clustered_matrix(project, codebook="sobandi-2008"), "SOB-2")) == 4
    project.undo()
    project.undo()
    assert _turns(project, sid) == before
    with pytest.raises(QualcodeError, match="no speaker 'Bu Ani'"):
        project.map_speakers(FGD, {"Bu Ani": SpeakerTarget("Informan 9")})


def test_edit_informant_role_list_and_undo(project: Project) -> None:
    import_people(project, FGD)
    with pytest.raises(QualcodeError, match="did you mean 'section_head'"):
        project.edit_informant("Informan 2", role="section head")
    with pytest.raises(QualcodeError, match="'boss' is not in the project's role list"):
        project.edit_informant("Informan 2", role="boss")
    assert project.get_informant("Informan 2").role == "staff"  # nothing half written
    project.add_role("kasubbag")
    assert project.roles()[-1] == "kasubbag"
    project.edit_informant("informan 2", role="kasubbag", unit="Mutasi",
                           attributes={"gender": "m", "tenure": "12"})
    inf = project.get_informant("Informan 2")
    assert (inf.role, inf.unit, inf.attributes) == ("kasubbag", "Mutasi",
                                                    {"gender": "m", "tenure": "12"})
    project.edit_informant("Informan 2", attributes={"tenure": ""}, pseudonym="Informan Dua")
    assert project.get_informant("Informan Dua").attributes == {"gender": "m"}
    with pytest.raises(ConflictError):
        project.edit_informant("Informan Dua", pseudonym="Informan 1")
    project.undo()
    project.undo()
    assert project.get_informant("Informan 2").role == "staff"
    project.undo()  # the role list
    assert "kasubbag" not in project.roles()


def test_edit_source_validates_and_undoes(project: Project) -> None:
    sid = import_people(project, NEWS)[NEWS]
    with pytest.raises(QualcodeError, match="there is no month 13"):
        project.edit_source(NEWS, date="2026-13-45")
    with pytest.raises(QualcodeError, match="kind 'berita'"):
        project.edit_source(NEWS, kind="berita")
    project.edit_source(NEWS, kind="observation", informant="Humas", date="2026-05-01",
                        language="en")
    src = project.get_source(sid)
    assert (src.kind, src.date, src.language) == ("observation", "2026-05-01", "en")
    assert project.get_informant("Humas").id == src.informant_id
    project.undo()
    src = project.get_source(sid)
    assert (src.kind, src.date, src.language, src.informant_id) == (
        "document", "2026-04-02", "id", None)
    assert [i.pseudonym for i in project.informants()] == []  # the new informant is undone too


@pytest.mark.parametrize(("given", "expected"), [
    ("2026-03-14", "2026-03-14"), ("2026-3-4", "2026-03-04"), ("2026-03", "2026-03"),
    ("2026", "2026"), ("", None)])
def test_dates_accepted(given: str, expected: str | None) -> None:
    assert check_date(given) == expected


@pytest.mark.parametrize(("given", "why"), [
    ("2026-13-45", "no month 13"), ("2026-02-30", "month 2 has no day 30"),
    ("14/03/2026", "not a date like"), ("kemarin", "not a date like")])
def test_dates_refused(given: str, why: str) -> None:
    with pytest.raises(QualcodeError, match=why):
        check_date(given)


def test_role_nearest_and_case() -> None:
    assert check_role("Staff", ["head", "staff"]) == "staff"
    with pytest.raises(QualcodeError, match="did you mean 'secretary'"):
        check_role("secretry", ["head", "secretary"])


def test_import_refuses_bad_date_and_unknown_role(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Peneliti: Apa kabar?\nInforman: Baik.\n", encoding="utf-8")
    report = project.import_files([path], manifest={"a.txt": {"date": "2026-13-45"}})
    assert report.errors and "there is no month 13" in report.errors[0].message
    report = project.import_files([path], overrides={"informant": "X", "role": "boss"})
    assert report.errors and "'boss' is not in the project's role list" in report.errors[0].message
    assert project.sources() == [] and project.informants() == []


def test_reimport_with_new_metadata_says_unchanged_and_how_to_edit(project: Project) -> None:
    sid = import_people(project, NEWS)[NEWS]
    from people_fixture import DATA

    report = project.import_files([DATA / NEWS], overrides={"date": "2026-05-05",
                                                            "informant": "Humas"})
    outcome = report.outcomes[0]
    assert outcome.status == "unchanged" and outcome.source_id == sid
    assert "date 2026-04-02 -> 2026-05-05" in outcome.message
    assert "informant - -> Humas" in outcome.message
    assert "qualcode source edit berita-pelantikan.txt" in outcome.message
    assert project.get_source(sid).date == "2026-04-02"  # not silently changed
    plain = project.import_files([DATA / NEWS]).outcomes[0]
    assert plain.message == "already imported"


def test_attribution_credits_a_news_passage(project: Project) -> None:
    sid = import_people(project, NEWS)[NEWS]
    text = project.get_source(sid).text
    quote = "Kami menempatkan pejabat sesuai kompetensi, bukan kedekatan"
    start = text.index(quote)
    project.apply_code(sid, start, start + len(quote), "SOB-1", valence="+")
    assert coding_frame(project)["informant"].isna().all()  # a document without informant
    paragraph = text.index("Kepala badan")
    attribution = project.attribute_passage(sid, paragraph, text.index("\n\nSekretaris"),
                                            "Kepala BKPSDM")
    assert project.informant_at(sid, start) == ("Kepala BKPSDM", False)
    frame = coding_frame(project)
    assert frame["informant"].tolist() == ["Kepala BKPSDM"]
    assert row(clustered_matrix(project, codebook="sobandi-2008"), "SOB-1") == [1]
    found = retrieve(project)[0]
    assert (found.informant, found.location and found.location.line) == ("Kepala BKPSDM", 3)
    project.undo()
    assert project.attributions(sid) == [] and coding_frame(project)["informant"].isna().all()
    project.redo()
    project.remove_attribution(attribution.id or 0)
    assert project.attributions(sid) == []
    with pytest.raises(QualcodeError, match="outside"):
        project.attribute_passage(sid, 0, len(text) + 5, "Kepala BKPSDM")


def test_matrix_case_ordered_and_filtered_by_attribute(project: Project) -> None:
    code_focus_group(project)
    for name, gender, tenure in (("Informan 1", "f", "15"), ("Informan 2", "m", "3"),
                                 ("Informan 3", "f", "8")):
        project.edit_informant(name, attributes={"gender": gender, "tenure": tenure})
    by_tenure = clustered_matrix(project, codebook="sobandi-2008", by="tenure")
    assert list(by_tenure.frame.columns) == [("3", "Informan 2"), ("8", "Informan 3"),
                                       ("15", "Informan 1"), ("(tanpa tenure)", "Informan 4")]
    women = clustered_matrix(project, codebook="sobandi-2008", by="gender",
                             where=("gender=F",))
    assert list(women.frame.columns) == [("f", "Informan 1"), ("f", "Informan 3")]
    assert row(women, "SOB-4") == [1, 1]
    with pytest.raises(QualcodeError, match="no informant has gender=x"):
        clustered_matrix(project, where=("gender=x",))


def test_a_new_version_keeps_mapped_speakers_and_attributions(project: Project,
                                                             tmp_path: Path) -> None:
    from people_fixture import DATA

    for name in (FGD, NEWS):
        (tmp_path / name).write_text((DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    project.import_files([tmp_path / FGD, tmp_path / NEWS], overrides={"language": "id"})
    project.map_speakers(FGD, {"Bu Rina": SpeakerTarget("Informan 1"),
                               "Mas Yoga": SpeakerTarget(interviewer=True)})
    news = project.get_source(NEWS)
    quote = news.text.index("Kami menempatkan")
    project.attribute_passage(news.id or 0, quote, quote + 40, "Kepala BKPSDM")
    for name in (FGD, NEWS):
        path = tmp_path / name
        path.write_text(path.read_text(encoding="utf-8") + "\nCatatan tambahan.\n",
                        encoding="utf-8")
    report = project.import_files([tmp_path / FGD, tmp_path / NEWS], replace=True,
                                  overrides={"language": "id"})
    assert [o.status for o in report.outcomes] == ["replaced", "replaced"]
    speakers = {s.label: (s.informant, s.interviewer) for s in project.speakers(FGD)}
    assert speakers["Bu Rina"] == ("Informan 1", False)
    assert speakers["Mas Yoga"] == (None, True)
    new = project.get_source(NEWS)
    assert new.version == 2
    [(attribution, name)] = project.attributions(new.id or 0)
    assert (attribution.start, name) == (new.text.index("Kami menempatkan"), "Kepala BKPSDM")


def test_a_project_of_schema_0001_upgrades_with_its_data(tmp_path: Path) -> None:
    """An existing project (schema 0001) opens: turns gain an empty informant, nothing lost."""
    import sqlite3

    from alembic import command

    from qualcode.core import db

    path = tmp_path / "old.qualcode"
    engine = db.make_engine(db.project_url(path))
    command.upgrade(db._alembic_config(engine), "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO source (id, name, version, active, kind, language, fmt, "
                     "encoding, content_hash, text, meta, imported_at) VALUES (1, 'a.txt', 1, 1, "
                     "'interview', 'id', 'txt', 'utf-8', 'h', 'P: Tanya?\nI: Jawab.', '{}', "
                     "'2026-01-01 00:00:00')")
        conn.execute('INSERT INTO turn (source_id, "index", start, "end", speaker, '
                     "is_interviewer) VALUES (1, 0, 3, 9, 'P', 1), (1, 1, 13, 19, 'I', 0)")
    with Project.open(path) as project:
        speakers = project.speakers(1)
        assert [(s.label, s.turns, s.interviewer, s.informant) for s in speakers] == [
            ("P", 1, True, None), ("I", 1, False, None)]
        project.map_speakers(1, {"I": SpeakerTarget("Informan 1")})
        assert project.informant_at(1, 14) == ("Informan 1", False)


def test_speaker_informants_read_with_plain_sql(any_project: Project) -> None:
    """The informants a source's speakers stand for (home's focus-group heading), in order of
    first turn; the interviewer and unmapped sources are left out; SQLite and PostgreSQL."""
    from qualcode.core.store.read import speaker_informants

    ids = import_people(any_project)
    assert speaker_informants(any_project.reader) == {
        ids[FGD]: ["Informan 1", "Informan 2", "Informan 3", "Informan 4"]}
    any_project.map_speakers(FGD, {"Bu Rina": SpeakerTarget(""), "Pak Dedi": SpeakerTarget("")})
    assert speaker_informants(any_project.reader) == {ids[FGD]: ["Informan 3", "Informan 4"]}
