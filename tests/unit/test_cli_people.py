"""`qualcode speakers`, `informant edit`, `source edit`, `roles`, `attribute`, import checks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from test_cli import _run

from people_fixture import DATA, FGD, NEWS
from qualcode.core.store import Project


def _project(tmp_path: Path) -> str:
    """The focus group and the news text, imported with the manifest found beside them."""
    proj = str(tmp_path / "p.qualcode")
    assert _run("init", proj, "-c", "sobandi-2008")[0] == 0
    code, out, err = _run("import", "-p", proj, str(DATA / FGD), str(DATA / NEWS),
                          "--language", "id")
    assert code == 0, out + err
    return proj


def test_speakers_listed_and_mapped(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    code, out, _ = _run("speakers", FGD, "-p", proj)
    assert code == 0
    for label in ("Moderator", "Bu Rina", "Pak Dedi", "Bu Sari", "Mas Yoga"):
        assert label in out
    assert "interviewer (not informant evidence)" in out
    code, out, _ = _run("speakers", FGD, "-p", proj, "--map", "Bu Rina=Informan 3",
                        "--map", "Mas Yoga=Informan 4")
    assert code == 0 and "2 turns changed" in out  # Mas Yoga was Informan 4 by the manifest
    with Project.open(proj) as p:
        assert {s.label: s.informant for s in p.speakers(FGD)}["Bu Rina"] == "Informan 3"
    code, _, err = _run("speakers", FGD, "-p", proj, "--map", "Bu Rina")
    assert code == 2 and err.startswith("error: speaker map 'Bu Rina' is not NAME=VALUE")
    assert _run("undo", "-p", proj)[0] == 0
    with Project.open(proj) as p:
        assert {s.label: s.informant for s in p.speakers(FGD)}["Bu Rina"] == "Informan 1"


def test_codings_carry_informant_interviewer_and_location(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    _run("speakers", FGD, "-p", proj, "--map", "Mas Yoga=Informan 4")
    with Project.open(proj) as p:
        sid = p.get_source(FGD).id
        text = p.get_source(FGD).text
    for phrase in ("Sekarang saya bisa", "Saya kira mereka"):
        start = text.index(phrase)
        assert _run("code", "SOB-2", "-p", proj, "--source", str(sid), "--start", str(start),
                    "--end", str(start + 20))[0] == 0
    code, out, _ = _run("codings", "-p", proj, "--format", "csv")
    assert code == 0
    rows = {r["excerpt"][:10]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["Sekarang s"]["informant"], rows["Sekarang s"]["line"],
            rows["Sekarang s"]["paragraph"], rows["Sekarang s"]["page"]) == (
                "Informan 4", "7", "7", "")
    assert rows["Saya kira "]["interviewer"] == "True"
    assert rows["Saya kira "]["speaker"] == "Moderator" and rows["Saya kira "]["informant"] == ""


def test_informant_edit_roles_and_refusals(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    _run("speakers", FGD, "-p", proj, "--map", "Bu Rina=Informan 3")
    code, _, err = _run("informant", "edit", "Informan 3", "-p", proj, "--role", "boss")
    assert code == 2 and err.splitlines()[0] == \
        "error: role 'boss' is not in the project's role list"
    code, _, err = _run("informant", "edit", "Informan 3", "-p", proj, "--role", "staf")
    assert code == 2 and "did you mean 'staff'" in err
    assert _run("roles", "add", "kepala_bidang", "-p", proj)[0] == 0
    assert "kepala_bidang" in _run("roles", "-p", proj)[1]
    code, out, _ = _run("informant", "edit", "Informan 3", "-p", proj, "--role",
                        "kepala_bidang", "--set", "gender=f", "--set", "tenure=12")
    assert code == 0 and "gender=f, tenure=12" in out
    with Project.open(proj) as p:
        inf = p.get_informant("Informan 3")
        assert (inf.role, inf.attributes) == ("kepala_bidang", {"gender": "f", "tenure": "12"})
    code, out, err = _run("matrix", "clustered", "-p", proj, "--by", "gender", "--lang", "en")
    assert code == 0, err


def test_source_edit_and_dates(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    code, _, err = _run("source", "edit", NEWS, "-p", proj, "--date", "2026-13-45")
    assert code == 2 and err.splitlines()[0] == "error: date '2026-13-45': there is no month 13"
    code, _, _ = _run("source", "edit", NEWS, "-p", proj, "--kind", "document", "--date",
                      "2026-04-02")
    assert code == 0
    with Project.open(proj) as p:
        assert (p.get_source(NEWS).kind, p.get_source(NEWS).date) == ("document", "2026-04-02")
    other = tmp_path / "baru.txt"
    other.write_text("Peneliti: Bagaimana?\nInforman: Baik.\n", encoding="utf-8")
    code, out, err = _run("import", "-p", proj, str(other), "--date", "2026-13-45")
    assert code == 2 and "there is no month 13" in err and "imported" not in out


def test_reimport_with_new_metadata_points_to_edit(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    code, out, _ = _run("import", "-p", proj, str(DATA / NEWS), "--date", "2026-06-01")
    assert code == 0
    assert "unchanged berita-pelantikan.txt: already imported with the same text" in \
        " ".join(out.split())
    assert "qualcode source edit" in out


def test_attribute_command(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    code, out, _ = _run("attribute", NEWS, "-p", proj, "--informant", "Sekda", "--start", "0",
                        "--end", "40")
    assert code == 0 and "-> Sekda" in out
    code, _, err = _run("attribute", NEWS, "-p", proj, "--informant", "Sekda", "--start", "0",
                        "--end", "99999")
    assert code == 2 and "outside" in err
