"""Matrix cells of the displays against counts made by hand on the small project.

The project is described in analysis_small.py; the comments below count from that table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from analysis_small import Small, build_small

from qualcode.core.analysis.display import (
    DISPLAYS,
    clustered_matrix,
    role_ordered_matrix,
    triangulation_matrix,
)
from qualcode.core.analysis.query import coding_frame
from qualcode.core.analysis.reduction import frequency_table
from qualcode.errors import NotFoundError, QualcodeError

G = "Buku kode kecil"
AHLI, MANDIRI = (G, "Ahli"), (G, "Mandiri")


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    built = build_small(tmp_path)
    yield built
    built.project.close()


def test_coding_frame_columns_and_rows(small: Small) -> None:
    frame = coding_frame(small.project, codes=["t-2"], informants=["Zainal"])
    assert list(frame.columns) == [
        "coding_id", "source_id", "source", "kind", "informant_id", "informant", "role",
        "code_id", "code", "code_label", "code_order", "parent_code", "codebook", "coder",
        "valence", "start", "end", "note", "interviewer", "speaker"]
    # Zainal's T-2 codings: a2 (r1 +), a3 (r1 -); a5 (r2 +) codes a2's passage with a2's
    # code, so for the coders r1 and r2 together it is the same passage, counted once
    assert sorted(frame["coding_id"]) == sorted(small.ids[k] for k in ("a2", "a3"))
    both = coding_frame(small.project, codes=["t-2"], informants=["Zainal"], coders=["r2"])
    assert list(both["coding_id"]) == [small.ids["a5"]]
    assert set(frame["role"]) == {"head"} and set(frame["codebook"]) == {"tiny"}
    document = coding_frame(small.project, kinds=["document"])
    assert list(document["coding_id"]) == [small.ids["d1"]]
    assert document["informant_id"].isna().all()


def test_clustered_counts(small: Small) -> None:
    d = clustered_matrix(small.project, codebook="tiny")
    # columns: informants by name, then the document (no informant) as its own column
    assert list(d.frame.columns) == ["Budi", "Citra", "Zainal", "Dokumen"]
    assert d.col_keys == ["i:Budi", "i:Citra", "i:Zainal", "k:document"]
    assert d.row_keys == ["T-1", "T-2"] and d.cell_kind == "count"
    # T-1: Budi b1 b2 = 2; Citra c1 = 1; Zainal a1 a4 = 2; document d1 = 1
    assert d.frame.loc[AHLI].tolist() == [2, 1, 2, 1]
    # T-2: Budi b3 = 1; Citra c2 = 1; Zainal a2 a3 = 2 (a5 = a2's passage); document none
    assert d.frame.loc[MANDIRI].tolist() == [1, 1, 2, 0]
    assert "Koding oleh koder r1, r2; bagian yang dikode dengan kode yang sama oleh beberapa " \
        "dari mereka dihitung sekali." in d.notes  # the display's language: Indonesian


def test_clustered_valence_and_presence(small: Small) -> None:
    d = clustered_matrix(small.project, codebook="tiny", cell="valence")
    # T-1: Budi 0+ 2−; Citra 1+; Zainal 2+; document 1+
    assert d.frame.loc[AHLI].tolist() == ["0+ / 2−", "1+ / 0−", "2+ / 0−", "1+ / 0−"]
    # T-2: Budi b3 −; Citra c2 neutral; Zainal a2 (= a5) + and a3 −; document empty
    assert d.frame.loc[MANDIRI].tolist() == ["0+ / 1−", "1 netral", "1+ / 1−", ""]
    presence = clustered_matrix(small.project, codebook="tiny", cell="presence").frame
    assert presence.loc[MANDIRI].tolist() == [1, 1, 1, 0]


def test_clustered_by_coder_and_valence_filter(small: Small) -> None:
    # coder r2 coded only Zainal: a4 (T-1) and a5 (T-2)
    d = clustered_matrix(small.project, codebook="tiny", coder="r2")
    assert d.frame.loc[AHLI].tolist() == [0, 0, 1]  # no document column: r2 coded none
    assert d.frame.loc[MANDIRI].tolist() == [0, 0, 1]
    assert any("r2" in note for note in d.notes)
    # minus codings only: T-1 Budi b1 b2; T-2 Budi b3, Zainal a3
    minus = clustered_matrix(small.project, codebook="tiny", valence="-").frame
    assert minus.loc[AHLI].tolist() == [2, 0, 0]
    assert minus.loc[MANDIRI].tolist() == [1, 0, 1]


@pytest.mark.parametrize("name", ["clustered", "role", "triangulation", "frequency"])
def test_counts_say_whose_codings_they_count(small: Small, name: str) -> None:
    """Every counting display names its coders: the set r1, r2 (a passage counted once), or
    one coder."""
    both = DISPLAYS[name](small.project, codebook="tiny", lang="en")
    assert [n for n in both.notes if n.startswith("Codings of coders r1, r2;")]
    one = DISPLAYS[name](small.project, codebook="tiny", coder="r1", lang="en")
    assert "Codings of coder r1." in one.notes


def test_clustered_quotes_prefer_indicators_then_evidence(small: Small) -> None:
    d = clustered_matrix(small.project, codebook="tiny", cell="quotes")
    # Zainal x T-1: a1 and a4 both contain the indicator 'menguasai' and tie; a1 is older
    # every small text is one line: each quote cites line 1, paragraph 1 (in the display's
    # language, Indonesian by default)
    assert d.frame.loc[AHLI, "Zainal"] == "+ “Pegawai menguasai pekerjaan.” (baris 1, paragraf 1)"
    assert d.frame.loc[MANDIRI, "Budi"] == "− “belum paham tugas” (baris 1, paragraf 1)"
    small.project.link_evidence("T-1", small.ids["a4"])
    d = clustered_matrix(small.project, codebook="tiny", cell="quotes")
    assert d.frame.loc[AHLI, "Zainal"] == (
        "+ “Pegawai menguasai pekerjaan. Mereka bekerja mandiri.” (baris 1, paragraf 1)")


def test_clustered_summaries(small: Small) -> None:
    small.project.set_summary("T-1", "Citra", "Menilai pegawai sudah ahli.")
    d = clustered_matrix(small.project, codebook="tiny", cell="summaries")
    assert d.frame.loc[AHLI].tolist() == ["", "Menilai pegawai sudah ahli.", ""]  # no documents
    assert d.cell_kind == "text"
    by_role = role_ordered_matrix(small.project, codebook="tiny", cell="summaries")
    assert list(by_role.frame.columns) == [("Kepala", "Zainal"), ("Staf", "Budi"),
                                           ("Staf", "Citra")]
    assert by_role.frame.loc[AHLI].tolist() == ["", "", "Menilai pegawai sudah ahli."]
    only = clustered_matrix(small.project, codes=["T-1"], informants=["Citra"],
                            cell="summaries")
    assert only.frame.shape == (1, 1) and only.frame.iloc[0, 0] == "Menilai pegawai sudah ahli."


def test_role_ordered_columns(small: Small) -> None:
    d = role_ordered_matrix(small.project, codebook="tiny", lang="en")
    # head before staff although 'Zainal' sorts last by name; the document comes last
    assert list(d.frame.columns) == [("Head", "Zainal"), ("Staff", "Budi"), ("Staff", "Citra"),
                                     ("Other sources", "Document")]
    assert d.frame.loc[("Tiny codebook", "Expertise")].tolist() == [2, 2, 1, 1]
    assert d.frame.loc[("Tiny codebook", "Autonomy")].tolist() == [2, 1, 1, 0]
    assert d.title.startswith("Role-ordered matrix")


def test_triangulation_by_kind(small: Small) -> None:
    d = triangulation_matrix(small.project, "kind", codebook="tiny")
    assert list(d.frame.columns) == ["Wawancara", "Observasi", "Dokumen", "Jenis sumber (n)"]
    # T-1: interview a1 a4 b1 b2 c1 = 5, document d1 = 1 -> 2 kinds
    assert d.frame.loc[AHLI].tolist() == [5, 0, 1, 2]
    # T-2: interview a2 (= a5) a3 b3 c2 = 4 -> 1 kind
    assert d.frame.loc[MANDIRI].tolist() == [4, 0, 0, 1]


def test_triangulation_by_informant(small: Small) -> None:
    d = triangulation_matrix(small.project, "informant", codebook="tiny", cell="valence")
    assert list(d.frame.columns) == ["Zainal", "Budi", "Citra", "Informan (n)", "Peran (n)"]
    assert d.frame.loc[AHLI].tolist() == ["2+ / 0−", "0+ / 2−", "1+ / 0−", 3, 2]
    # only the r1 minus codings: T-2 -> Zainal a3, Budi b3: 2 informants, head + staff
    minus = triangulation_matrix(small.project, "informant", codebook="tiny", valence="-",
                                 coder="r1").frame
    assert minus.loc[MANDIRI].tolist() == [1, 1, 0, 2, 2]
    assert minus.loc[AHLI].tolist() == [0, 2, 0, 1, 1]


def test_frequency_tables(small: Small) -> None:
    by_code = frequency_table(small.project, "code", codebook="tiny").frame
    # T-1: 6 codings from Zainal, Budi, Citra (the document has no informant)
    assert by_code.loc[AHLI].tolist() == [6, 3]
    assert by_code.loc[MANDIRI].tolist() == [4, 3]
    by_valence = frequency_table(small.project, "valence", codebook="tiny").frame
    # T-1: + a1 a4 c1 d1 (Zainal, Citra); − b1 b2 (Budi); 0 none
    assert by_valence.loc[AHLI].tolist() == [4, 2, 2, 1, 0, 0]
    # T-2: + a2 (= a5) (Zainal); − a3 b3 (Zainal, Budi); 0 c2 (Citra)
    assert by_valence.loc[MANDIRI].tolist() == [1, 1, 2, 2, 1, 1]
    by_kind = frequency_table(small.project, "kind", codebook="tiny", lang="en")
    assert by_kind.frame.loc[("Tiny codebook", "Expertise")].tolist() == [5, 3, 0, 0, 1, 0]
    assert by_kind.frame.columns[0] == ("Interview", "Codings")
    assert "Total: 10 codings from 3 informants." in by_kind.notes


def test_bad_selection_is_a_clear_error(small: Small) -> None:
    with pytest.raises(NotFoundError, match="no code 'X-9'"):
        clustered_matrix(small.project, codes=["X-9"])
    with pytest.raises(NotFoundError, match="no informant 'Nobody'"):
        clustered_matrix(small.project, informants=["Nobody"])
    with pytest.raises(NotFoundError, match="no codebook 'nope'"):
        clustered_matrix(small.project, codebook="nope")
    with pytest.raises(QualcodeError, match="cell 'stars' is not one of"):
        clustered_matrix(small.project, cell="stars")
    with pytest.raises(QualcodeError, match="source kind 'video'"):
        clustered_matrix(small.project, kinds=["video"])
    with pytest.raises(QualcodeError, match="language 'fr'"):
        clustered_matrix(small.project, lang="fr")
