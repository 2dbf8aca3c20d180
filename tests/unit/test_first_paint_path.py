"""What the first paint loads: the file check of an untrusted project on the standard library's
cheapest modules (issue 9, item 5: keep the first paint within its target)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.core.store import expected
from qualcode.core.store.read import SCHEMA_HEAD

LOADED_LATER = ("sqlalchemy", "pandas", "_hashlib", "tempfile", "platformdirs")


def test_opening_a_handle_loads_only_the_standard_librarys_light_modules(
        sample_project_file: Path, tmp_path: Path) -> None:
    """Opening a file that passed before (the everyday case: the row scan is skipped) loads
    neither SQLAlchemy nor OpenSSL's hashlib, tempfile or platformdirs."""
    path = tmp_path / "p.qualcode"
    shutil.copy(sample_project_file, path)
    code = ("import sys\nfrom pathlib import Path\n"
            "from qualcode.core.store.handle import ProjectHandle\n"
            f"ProjectHandle.open(Path({str(path)!r})).close()\n"
            f"print(sorted(m for m in {LOADED_LATER!r} if m in sys.modules))")
    outputs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip() for _ in range(2)]
    assert outputs[1] == "[]"   # the first open scanned the rows and recorded the file


@pytest.mark.parametrize("xdg", ["", "/somewhere/cache", "relative/cache"])
def test_the_cache_folder_is_platformdirs_own(monkeypatch: pytest.MonkeyPatch, xdg: str) -> None:
    from platformdirs import user_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert expected.cache_dir() == Path(user_cache_dir("qualcode", appauthor=False))


def test_the_schema_key_is_the_sha256_of_the_migrations() -> None:
    """The cache key is the same SHA-256 hashlib computes, so cached schemas stay valid."""
    import hashlib

    digest = hashlib.sha256()
    for path in expected.migration_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    assert digest.hexdigest()[:16] in expected.expected_schema_key(SCHEMA_HEAD)

