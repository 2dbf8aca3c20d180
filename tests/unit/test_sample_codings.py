"""The sample project's worked codings (sample_transcripts/codings.yaml) are valid and all apply."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from typing import Any

import pytest

from qualcode.core.codebooks import find_codebook, load_codebook
from qualcode.core.ingest import read_source
from qualcode.core.sample import ACTIVE_CODEBOOKS, sample_dir
from qualcode.core.sample_codings import load_sample_codings
from qualcode.core.store import Project

ENTRIES: list[dict[str, Any]] = load_sample_codings(sample_dir() / "codings.yaml")
FIELDS = {"source", "quote", "code", "valence", "coder"}
CODERS = {"peneliti", "asisten"}
SECOND_CODER_SOURCES = {"01-kepala-badan.md", "03-kabid-mutasi.txt", "06-client-teacher-en.txt"}


@cache
def stored_text(name: str) -> str:
    """The text qualcode stores for a sample file."""
    return read_source(sample_dir() / name).text


@cache
def code_keys() -> frozenset[str]:
    """Every code key in the codebooks the sample project activates."""
    keys: set[str] = set()
    for book in ACTIVE_CODEBOOKS:
        spec = load_codebook(find_codebook(book))
        keys.update(code.key for code, _parent in spec.iter_codes())
    return frozenset(keys)


def entry_id(entry: dict[str, Any]) -> str:
    return f"{entry.get('source', '?')[:2]}-{entry.get('coder')}-{entry.get('code')}"


def test_file_has_the_intended_size() -> None:
    by_coder = Counter(e.get("coder") for e in ENTRIES)
    assert 110 <= len(ENTRIES) <= 150
    assert 30 <= by_coder["asisten"] <= 40
    assert set(by_coder) == CODERS


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_entry_is_valid(entry: dict[str, Any]) -> None:
    assert FIELDS <= set(entry) <= FIELDS | {"note"}
    assert entry["quote"] in stored_text(entry["source"]), "quote is not in the stored text"
    assert entry["code"] in code_keys()
    assert entry["valence"] in {"+", "-", "0"}
    assert entry["coder"] in CODERS
    assert isinstance(entry.get("note", ""), str)


def test_no_exact_duplicates() -> None:
    seen = Counter((e["source"], e["quote"], e["code"], e["coder"]) for e in ENTRIES)
    assert [key for key, n in seen.items() if n > 1] == []


def test_second_coder_codes_the_same_passages() -> None:
    """asisten codes only 01, 03 and 06, mostly on passages peneliti coded too, with some
    disagreements (same passage, other code or valence) for inter-coder agreement."""
    first = {(e["source"], e["quote"]): (e["code"], e["valence"])
             for e in ENTRIES if e["coder"] == "peneliti"}
    first_codes = {(e["source"], e["quote"], e["code"], e["valence"])
                   for e in ENTRIES if e["coder"] == "peneliti"}
    second = [e for e in ENTRIES if e["coder"] == "asisten"]
    assert {e["source"] for e in second} == SECOND_CODER_SOURCES
    shared = [e for e in second if (e["source"], e["quote"]) in first]
    assert len(shared) >= 0.9 * len(second)
    agree = [e for e in shared if (e["source"], e["quote"], e["code"], e["valence"]) in first_codes]
    assert 0.7 * len(shared) <= len(agree) < len(shared)


def test_sample_project_applies_every_entry(sample_project: Project) -> None:
    rows = sample_project.codings()
    assert len(rows) == len(ENTRIES)
    assert Counter(r.coder for r in rows) == Counter(e["coder"] for e in ENTRIES)
    assert Counter((r.code, r.valence) for r in rows) == Counter(
        (e["code"], e["valence"]) for e in ENTRIES)
    quotes = defaultdict(list)
    for e in ENTRIES:
        quotes[(e["source"], e["code"], e["coder"])].append(e["quote"])
    for r in rows:
        assert any(q in r.excerpt for q in quotes[(r.source, r.code, r.coder)]), r


def test_every_sobandi_characteristic_has_both_valences_from_three_informants(
        sample_project: Project) -> None:
    informants: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in sample_project.codings(coder="peneliti", kind="interview"):
        if r.informant:
            informants[(r.code, r.valence)].add(r.informant)
    for n in range(1, 7):
        for valence in "+-":
            assert len(informants[(f"SOB-{n}", valence)]) >= 3, (f"SOB-{n}", valence)


def test_some_passages_carry_two_codes(sample_project: Project) -> None:
    spans = Counter((r.source_id, r.start, r.end) for r in sample_project.codings(coder="peneliti"))
    assert sum(1 for n in spans.values() if n >= 2) >= 10
