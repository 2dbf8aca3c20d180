"""Error types: every user mistake becomes a QualcodeError with a message and a hint."""

from __future__ import annotations


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
