"""Error types: every user mistake becomes a QualcodeError with a message and a hint.

The message and the hint are English message ids (marked with `N_` for the catalogs) with
`{name}` fields; the fields are keyword arguments. Where an error is shown (the CLI, the
terminal UI) it is rendered in the user's language with `text()` / `render()`; `message` and
`hint` are the English text (logs, tests, `str()`).

    raise NotFoundError(N_("no code {key!r} in this project"), hint=N_("see `qualcode codes`"),
                        key=key)
"""

from __future__ import annotations

import sys
from typing import Any

from qualcode.i18n import N_, Message, _


class QualcodeError(Exception):
    """A user-facing error: the CLI prints it (and its hint) and exits with code 2."""

    def __init__(self, message: str | Message, hint: str | Message | None = None,
                 **params: Any) -> None:
        # an exception given as a field is kept as its text (errors cross worker processes)
        params = {k: str(v) if isinstance(v, BaseException) else v for k, v in params.items()}
        self.msg = message if isinstance(message, Message) else Message(message, params)
        self.hint_msg = (hint if isinstance(hint, Message) or hint is None
                         else Message(hint, params))
        super().__init__(self.msg.text("en"))

    @property
    def message(self) -> str:
        """The message in English."""
        return self.msg.text("en")

    @property
    def hint(self) -> str | None:
        """The hint in English, if any."""
        return self.hint_msg.text("en") if self.hint_msg else None

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the current language)."""
        return self.msg.text(lang)

    def hint_text(self, lang: str | None = None) -> str | None:
        """The hint in `lang`, if any."""
        return self.hint_msg.text(lang) if self.hint_msg else None

    def render(self, lang: str | None = None, sep: str = " — ") -> str:
        """Message and hint on one line (or joined by `sep`) in `lang`."""
        hint = self.hint_text(lang)
        return self.text(lang) + (f"{sep}{hint}" if hint else "")

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Any:  # keeps message id and fields across worker processes
        return (_rebuild, (type(self), self.msg, self.hint_msg))


def _rebuild(cls: type[QualcodeError], msg: Message, hint: Message | None) -> QualcodeError:
    error = cls.__new__(cls)
    Exception.__init__(error, msg.text("en"))
    error.msg, error.hint_msg = msg, hint
    return error


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
    hint = N_("ask the project's owner for write access, or pull a copy")
    if login:
        return ReadOnlyError(N_("read-only: the login {login!r} may read this project but not "
                                "change it; nothing was changed"), hint=hint, login=login)
    return ReadOnlyError(N_("read-only: this login may read this project but not change it; "
                            "nothing was changed"), hint=hint)


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
            return QualcodeError(N_("lost the connection to the project server: {first}"),
                                 hint=N_("check the network and the server, then try again; "
                                         "what was saved before is kept"),
                                 first=first)
        return QualcodeError(N_("the project server refused the change: {first}"),
                             hint=N_("nothing was changed"),
                             first=first)
    if any(word in str(detail).lower() for word in ("locked", "busy")):
        return QualcodeError(N_("the project is busy: another program is writing to it"),
                             hint=N_("try again in a moment; nothing was changed"))
    return QualcodeError(N_("cannot read the project database: {detail}"),
                         hint=N_("the file may be damaged; restore it from a backup"),
                         detail=str(detail))


def error_text(exc: BaseException, lang: str | None = None, sep: str = " — ") -> str:
    """One line for an error shown to the user: a QualcodeError's message and hint in `lang`,
    else the exception's type and text."""
    if isinstance(exc, QualcodeError):
        return exc.render(lang, sep)
    return f"{type(exc).__name__}: {exc}"


def report_error(exc: QualcodeError, lang: str | None = None) -> None:
    """Print a user error on stderr in `lang` (default: the current language):
    `error: ...` and `hint: ...` (file-borne text made inert)."""
    from qualcode.core.inert import shown

    print(_("error: {message}", lang=lang).format(message=shown(exc.text(lang))),
          file=sys.stderr)
    hint = exc.hint_text(lang)
    if hint:
        print(_("hint: {hint}", lang=lang).format(hint=shown(hint)), file=sys.stderr)
