"""Files written whole or not at all, and never over an existing file unless asked.

Every export (tables, reports, figures, REFI-QDA files, codebooks) goes through `write_whole`:
the writer fills a temporary file in the target's folder, which then takes the target's name in
one step (`os.replace`, or a hard link when overwriting is not allowed, so that a file appearing
meanwhile is not replaced either). A failing writer leaves the old file as it was and no
temporary file behind.

    write_whole(Path("tables.xlsx"), lambda tmp: workbook.save(tmp), force=False)
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.i18n import N_


class FileExistsRefused(QualcodeError):
    """The target file exists and replacing it was not asked for (--force / a confirmation)."""


def _file_mode() -> int:
    """The mode a new file gets here (0o666 less the umask), read once."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def refuse_existing(paths: Path | Sequence[Path], force: bool) -> None:
    """Raise FileExistsRefused naming the first of `paths` that exists (unless `force`)."""
    for path in [paths] if isinstance(paths, Path) else paths:
        if not force and os.path.lexists(path):
            raise FileExistsRefused(N_("{path}: the file exists already; nothing was written"),
                                    hint=N_("pass --force to replace it, or choose another "
                                            "file name"), path=path)


def existing(paths: Iterable[Path]) -> list[Path]:
    """Those of `paths` that exist (for a confirmation before replacing them)."""
    return [p for p in paths if os.path.lexists(p)]


def _put_in_place(tmp: str, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)   # fails if `path` exists: never replaces a file not asked for
    except FileExistsError:
        refuse_existing(path, False)
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK):
            raise
        refuse_existing(path, False)   # a file system without hard links
        os.replace(tmp, path)
    else:
        os.unlink(tmp)


def write_whole(path: Path, write: Callable[[Path], Any], *, force: bool = False) -> Path:
    """Run `write(temporary_path)`, then give the file `path`'s name in one step.

    Without `force` an existing `path` is refused (FileExistsRefused) before any work. On any
    failure the temporary file is removed and `path` is unchanged.
    """
    path = Path(path)
    refuse_existing(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".partial{path.suffix}",
                               dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, FILE_MODE)   # mkstemp makes 0600; an export is an ordinary file
        _put_in_place(tmp, path, force)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return path


def write_chunks(path: Path, chunks: Iterable[bytes], *, force: bool = False) -> Path:
    """Write `chunks` of bytes as `path` (see write_whole)."""
    def write(tmp: Path) -> None:
        with tmp.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)

    return write_whole(path, write, force=force)
