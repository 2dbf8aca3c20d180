"""Miles & Huberman analysis: reduction, display, conclusion drawing and verification.

Modules: query (the one query layer), reduction (summary grid, drafts, frequencies), display
(matrices and the DISPLAYS registry), cooccurrence, operationalisation, conclusions (verdicts,
checklist, results report). `labels` and `verdicts` are pure Python; the rest use pandas and are
imported on first use, so importing qualcode never loads pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "Display": "base", "DISPLAYS": "display", "clustered_matrix": "display",
    "role_ordered_matrix": "display", "triangulation_matrix": "display",
    "cooccurrence": "cooccurrence", "cooccurrence_network": "cooccurrence",
    "frequency_table": "reduction", "summary_grid": "reduction", "draft_summary": "reduction",
    "operationalisation_table": "operationalisation", "coding_frame": "query",
    "retrieve": "query", "build_report": "conclusions", "conclusions": "conclusions",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = sorted(_LAZY)
