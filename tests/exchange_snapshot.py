"""What a round trip must keep: a project's content by natural keys (no row ids)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def snapshot(path: Path) -> dict[str, Any]:
    """Sources, codes, codings, informants, memos, summaries and conclusions of a project file,
    each row described by names instead of ids."""
    con = sqlite3.connect(path)
    q = con.execute
    inf = {i: n for i, n in q("SELECT id, pseudonym FROM informant")}
    codes = {i: k for i, k in q("SELECT id, key FROM code")}
    src = {i: n for i, n in q("SELECT id, name FROM source WHERE active = 1")}
    out: dict[str, Any] = {
        "sources": sorted((n, t, k, d, lang, inf.get(i)) for n, t, k, d, lang, i in q(
            "SELECT name, text, kind, date, language, informant_id FROM source WHERE active = 1")),
        "codes": sorted((k, li, le, di, de, c, codes.get(p)) for k, li, le, di, de, c, p in q(
            "SELECT key, label_id, label_en, definition_id, definition_en, colour, parent_id "
            "FROM code")),
        "indicators": sorted((codes[c], k, li, le, ph) for c, k, li, le, ph in q(
            "SELECT code_id, key, label_id, label_en, phrases FROM indicator")),
        "codings": sorted((src[s], a, b, codes[c], coder, v, note) for s, a, b, c, coder, v, note
                          in q('SELECT source_id, start, "end", code_id, coder, valence, note '
                               "FROM coding") if s in src),
        "informants": sorted((n, r, u, a) for n, r, u, a in q(
            "SELECT pseudonym, role, unit, attributes FROM informant")),
        "memos": sorted((sc, src.get(s), codes.get(c), inf.get(i), cg is not None, t, b, a)
                        for sc, s, c, i, cg, t, b, a in q(
            "SELECT scope, source_id, code_id, informant_id, coding_id, title, body, author "
            "FROM memo")),
        "summaries": sorted((codes[c], inf[i], t, st, a) for c, i, t, st, a in q(
            "SELECT code_id, informant_id, text, status, author FROM summary")),
        "conclusions": sorted((codes[c], st, v, pv, s, d) for c, st, v, pv, s, d in q(
            "SELECT code_id, statement, verdict, proposed_verdict, status, decided_by "
            "FROM conclusion")),
        "evidence": sorted(q("SELECT stance, note, count(*) FROM conclusion_evidence "
                             "GROUP BY stance, note")),
    }
    con.close()
    return out
