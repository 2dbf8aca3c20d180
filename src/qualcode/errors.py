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


class ReadOnlyError(ProjectError):
    """The login may read this (server) project but not change it."""


def read_only_error(login: str | None) -> ReadOnlyError:
    """The one message a read-only login gets for any change."""
    who = f"the login {login!r}" if login else "this login"
    return ReadOnlyError(f"read-only: {who} may read this project but not change it; "
                         "nothing was changed",
                         hint="ask the project's owner for write access, or pull a copy")


def database_damage(exc: Exception) -> QualcodeError | None:
    """A user-facing error for a database problem found mid-command, else None.

    SQLite: a damaged or busy file. PostgreSQL: no write permission, a lost connection, or the
    server's own first line (never the SQL, its parameters or the password).
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    module = type(exc).__module__
    if "DatabaseError" not in names or not module.startswith(("sqlalchemy", "sqlite3",
                                                               "psycopg")):
        return None
    detail = getattr(exc, "orig", None) or exc
    if type(detail).__module__.startswith("psycopg"):
        first = (str(detail).strip().splitlines() or [type(detail).__name__])[0]
        if type(detail).__name__ == "InsufficientPrivilege":
            return read_only_error(None)
        if "Operational" in {c.__name__ for c in type(detail).__mro__}:
            return QualcodeError(f"lost the connection to the project server: {first}",
                                 hint="check the network and the server, then try again; "
                                      "what was saved before is kept")
        return QualcodeError(f"the project server refused the change: {first}",
                             hint="nothing was changed")
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
