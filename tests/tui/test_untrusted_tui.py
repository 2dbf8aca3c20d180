"""A project file that fails SQLite's quick check opens read-only in the workspace: the reason
is on the screen, unreadable pages and refused writes are messages, never a crash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from coding_app import SIZE

from hostile_files import damage_coding_index
from qualcode.core.store.handle import ProjectHandle
from qualcode.tui.app import QualcodeApp


async def test_a_damaged_file_is_read_only_and_never_crashes_the_app(
        sample_project_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.qualcode"
    shutil.copy(sample_project_file, path)
    damage_coding_index(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    handle = ProjectHandle.open(path)
    assert handle.ready and handle.project.read_only  # opened fully, read-only
    source = handle.project.sources()[0].id
    app = QualcodeApp(handle, lang="en", source_id=source)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("fails SQLite's quick check" in m for m in messages)
        assert any("database disk image is malformed" in m for m in messages)
        assert app.screen is app._home  # the source could not be read: home instead
        await pilot.press("ctrl+z")  # a write: refused with the reason, the app goes on
        await pilot.pause()
        assert any("read-only" in n.message for n in app._notifications)
        assert app.is_running
    handle.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
