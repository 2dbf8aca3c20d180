"""CSV export of one display: a single header line, index levels as leading columns.

Written as UTF-8 with a byte-order mark so that Excel opens Indonesian text correctly; numbers
are written unformatted so that they read back as numbers. Text that a spreadsheet would take
for a formula gets a leading quote (OWASP; see `qualcode.core.inert`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.export.flat_table import flat_headers, flatten
from qualcode.core.inert import spreadsheet_text

if TYPE_CHECKING:
    from qualcode.core.analysis.display import Display


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return spreadsheet_text(value)


def write_csv(display: Display, path: Path) -> Path:
    """Write `display` as CSV to `path`."""
    flat = flatten(display)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([spreadsheet_text(h) for h in flat_headers(flat)])
        for row in flat.body:
            writer.writerow([_csv_value(v) for v in row])
    return path
