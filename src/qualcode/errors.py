"""Error types: every user mistake becomes a QualcodeError with a message and a hint."""

from __future__ import annotations

import sys


class QualcodeError(Exception):
    """A user-facing error: the CLI prints `message` (and `hint`) and exits with code 2."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ProjectError(QualcodeError):
    """The project file is missing, broken, or from a newer version."""


class CodebookError(QualcodeError):
    """A codebook file is malformed; the message names the file and line."""


class IngestError(QualcodeError):
    """A source file cannot be imported (empty, binary, undecodable, malformed)."""


class NotFoundError(QualcodeError):
    """A named object (source, code, segment, coding...) does not exist in the project."""


class ConflictError(QualcodeError):
    """The action conflicts with what the project already holds."""


def database_damage(exc: Exception) -> QualcodeError | None:
    """A user-facing error for a damaged project database found mid-command, else None."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    module = type(exc).__module__
    if "DatabaseError" not in names or not module.startswith(("sqlalchemy", "sqlite3")):
        return None
    detail = getattr(exc, "orig", None) or exc
    if any(word in str(detail).lower() for word in ("locked", "busy")):
        return QualcodeError("the project is busy: another program is writing to it",
                             hint="try again in a moment; nothing was changed")
    return QualcodeError(f"cannot read the project database: {detail}",
                         hint="the file may be damaged; restore it from a backup")


def report_error(exc: QualcodeError) -> None:
    """Print a user error on stderr: `error: ...` and `hint: ...`."""
    from qualcode.core.inert import shown

    print(f"error: {shown(exc.message)}", file=sys.stderr)
    if exc.hint:
        print(f"hint: {shown(exc.hint)}", file=sys.stderr)
