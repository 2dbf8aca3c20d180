"""Listings read only what they show: no source text per coding row, counts by GROUP BY.

The statements are captured as the database receives them (SQLAlchemy's
`before_cursor_execute` for the store's engine, sqlite3's trace callback for the plain reader
the command line uses), so a listing that joins whole Source rows again fails here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core import models
from qualcode.core.store import Project, listing
from qualcode.core.store.listing import CodingFilter, iter_coding_rows
from qualcode.core.store.read import SqliteReader

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

# A statement reads a source's text if it names the column `text` of table `source`
# (`source.text`, `s.text`, or `SELECT text FROM source`).
READS_TEXT = re.compile(r"\b(source|s)\.text\b|select\s+text\b[\w\s,]*\bfrom\s+source", re.I)


@contextmanager
def engine_statements(project: Project) -> Iterator[list[str]]:
    """Every SQL statement the store's engine sends while the block runs."""
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(project.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(project.engine, "before_cursor_execute", record)


def texts_read(statements: list[str]) -> list[str]:
    return [s for s in statements if READS_TEXT.search(s)]


def test_codings_listing_reads_each_source_text_once_not_per_row(sample_project: Project) -> None:
    with engine_statements(sample_project) as seen:
        rows = sample_project.codings()
    sources = {r.source_id for r in rows}
    assert len(rows) > 2 * len(sources) > 0  # several codings per source, or the test is moot
    row_queries = [s for s in seen if re.search(r"\bFROM coding\b", s, re.I)]
    assert row_queries and not texts_read(row_queries)
    assert len(texts_read(seen)) == len(sources)
    # ...and the excerpts are still exactly the coded text
    for r in rows:
        src = sample_project.get_source(r.source_id)
        assert r.excerpt == src.text[r.start:r.end]


def test_codings_listing_through_sqlite3_streams_without_text_per_row(
        sample_project_file: Path) -> None:
    reader = SqliteReader(sample_project_file)
    seen: list[str] = []
    reader.conn.set_trace_callback(seen.append)
    stream = iter_coding_rows(reader, CodingFilter(valence="-"), lang="en")
    first = next(stream)
    assert len(texts_read(seen)) == 1  # rows are produced as read: one source so far
    rows = [first, *stream]
    reader.close()
    assert rows and {r.valence for r in rows} == {"-"}
    assert len(texts_read(seen)) == len({r.source_id for r in rows}) < len(rows)
    with Project.open(sample_project_file) as project:
        assert rows == project.codings(valence="-", lang="en")


def test_counting_listings_read_no_text_and_count_like_the_objects(
        sample_project: Project) -> None:
    with engine_statements(sample_project) as seen:
        sources = listing.source_rows(sample_project.reader)
        informants = listing.informant_rows(sample_project.reader)
        per_code = listing.code_coding_counts(sample_project.reader)
    assert seen and not texts_read(seen)
    assert all("GROUP BY" in s.upper() for s in seen)
    codings = sample_project.codings()
    by_source = Counter(r.source_id for r in codings)
    assert [(s.id, s.segments, s.codings) for s in sources] == [
        (src.id, len(sample_project.segments(src.id)), by_source[src.id])  # type: ignore[arg-type]
        for src in sample_project.sources()]
    assert sum(s.codings for s in sources) == len(codings) > 0
    per_informant = Counter(src.informant_id for src in sample_project.sources())
    assert [(i.pseudonym, i.sources) for i in informants] == [
        (inf.pseudonym, per_informant[inf.id]) for inf in sample_project.informants()]
    keys = {c.id: c.key for c in sample_project.codes()}
    assert {keys[k]: n for k, n in per_code.items()} == Counter(r.code for r in codings)


def test_one_coders_counts(sample_project: Project) -> None:
    coder = sample_project.codings()[0].coder
    mine = listing.code_coding_counts(sample_project.reader, coder=coder)
    assert sum(mine.values()) == len(sample_project.codings(coder=coder)) > 0
    assert sum(mine.values()) < sum(listing.code_coding_counts(sample_project.reader).values())


def test_cli_csv_and_json_hold_every_filtered_row(sample_project_file: Path) -> None:
    runner = CliRunner()
    with Project.open(sample_project_file) as project:
        expected = project.codings(codes=["SOB-1"], lang="en")  # the CLI speaks English here
    args = ["codings", "-p", str(sample_project_file), "--code", "sob-1"]
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert as_csv.exit_code == as_json.exit_code == 0, as_csv.output + as_json.output
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(int(r["id"]), r["excerpt"]) for r in table] == [(r.id, r.excerpt) for r in expected]
    from qualcode.cli.render import CODING_FIELDS

    assert "line" in CODING_FIELDS and "interviewer" in CODING_FIELDS  # citable, credited
    assert json.loads(as_json.stdout) == [
        {f: getattr(r, f) for f in CODING_FIELDS} for r in expected]
    empty = runner.invoke(app, [*args, "--coder", "nobody", "--format", "json"])
    assert json.loads(empty.stdout) == []


def test_cli_listing_errors_are_one_line(sample_project_file: Path) -> None:
    result = CliRunner().invoke(app, ["codings", "-p", str(sample_project_file),
                                      "--code", "NOPE-9"])
    assert result.exit_code == 2 and "no code 'NOPE-9'" in result.output
    result = CliRunner().invoke(app, ["codings", "-p", str(sample_project_file),
                                      "--valence", "maybe"])
    assert result.exit_code == 2 and "valence 'maybe'" in result.output


def test_valences_match_the_model() -> None:
    assert listing.VALENCES == models.VALENCES


@pytest.mark.parametrize("command", [["sources"], ["informants"],
                                     ["codebook", "show", "sobandi-2008"]])
def test_listing_commands_do_not_load_sqlalchemy(sample_project_file: Path,
                                                 command: list[str]) -> None:
    import subprocess
    import sys

    code = ("import sys; from qualcode.cli import main; sys.argv = ['qualcode', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('SQLALCHEMY', 'sqlalchemy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, *command, "-p", str(sample_project_file)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "SQLALCHEMY False" in done.stdout
    assert "codings" in done.stdout or "sources" in done.stdout


@pytest.mark.parametrize("coder", [None, "first"])
def test_codebook_show_counts_say_whose(sample_project_file: Path, coder: str | None) -> None:
    with Project.open(sample_project_file) as project:
        name = project.codings()[0].coder if coder else None
        expected = Counter(r.code for r in project.codings(coder=name))
    args = ["codebook", "show", "sobandi-2008", "-p", str(sample_project_file)]
    result = CliRunner().invoke(app, args + (["--coder", name] if name else []),
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    shown = {}
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 2 and cells[1].startswith("SOB-"):
            shown[cells[1]] = int(cells[-2])
    assert shown and shown == {k: expected[k] for k in shown}
    assert sum(shown.values()) > 0
    caption = " ".join(result.stdout.split())
    assert (f"by {name}" in caption) if name else ("every coder" in caption)
