"""Reading input files that may be anything: a FIFO, a device, a huge file, a missing one.

`read_input(path, limit, what)` opens without blocking (a FIFO with no writer would otherwise
hang the import), refuses everything that is not a regular file before reading a byte, and
reads at most `limit` bytes, so a single input can neither hang nor exhaust memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from qualcode.errors import IngestError, QualcodeError
from qualcode.i18n import N_, Message

MiB = 1024 * 1024
MAX_SOURCE_BYTES = 64 * MiB      # a transcript (a 10-hour interview is about 1 MB of text)
MAX_MANIFEST_BYTES = 4 * MiB
MAX_CODEBOOK_BYTES = 4 * MiB


def describe_size(size: int) -> str:
    """A size for messages: '12.3 MB' or '850 KB'."""
    return f"{size / MiB:.1f} MB" if size >= MiB else f"{max(size // 1024, 1)} KB"


def read_input(path: Path, limit: int, what: str,
               error: type[QualcodeError] = IngestError) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; `error` (one line) otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(N_("{path}: file not found"), hint=N_("check the path"), path=path) from None
    except IsADirectoryError:
        raise error(N_("{path}: is a directory, not a file"), path=path) from None
    except OSError as exc:
        raise error(N_("{path}: cannot read the file ({problem})"),
                    hint=N_("check its permissions"), path=path,
                    problem=exc.strerror or exc) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(N_("{path}: is a directory, not a file"), path=path)
        if not stat.S_ISREG(info.st_mode):
            raise error(N_("{path}: is not a regular file (a pipe, socket or device); not read"),
                        hint=N_("give the path of a file"), path=path)
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit, what, error)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while we read it
            raise _too_large(path, total, limit, what, error)
        return b"".join(chunks)
    except OSError as exc:
        raise error(N_("{path}: cannot read the file ({problem})"), path=path,
                    problem=exc.strerror or exc) from None
    finally:
        os.close(fd)


def _too_large(path: Path, size: int, limit: int, what: str,
               error: type[QualcodeError]) -> QualcodeError:
    return error(N_("{path}: {size} is more than a {what} may be ({limit})"),
                 hint=N_("split the file, or check that it is the file you meant"), path=path,
                 size=describe_size(size), what=Message(what), limit=describe_size(limit))
