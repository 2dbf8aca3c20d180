"""SQLModel tables: the whole project schema (codebooks to conclusions).

Offsets (`start`, `end`) are character offsets into `Source.text`; they are the one truth about
where a segment or coding is. Nothing here depends on the screen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from qualcode.core import metadata

VALENCES = ("+", "-", "0")
SOURCE_KINDS = metadata.SOURCE_KINDS


def utcnow() -> datetime:
    """Timezone-aware now (UTC)."""
    return datetime.now(UTC)


class ProjectMeta(SQLModel, table=True):
    """Key/value settings of the project (language, created-by version ...)."""

    __tablename__ = "project_meta"
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", sa_column=Column(Text, nullable=False))


class Codebook(SQLModel, table=True):
    """A theory framework (or the project's own emergent codes)."""

    __tablename__ = "codebook"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=100)
    title_id: str = Field(default="", max_length=300)
    title_en: str = Field(default="", max_length=300)
    author: str = Field(default="", max_length=200)
    year: int | None = None
    page: str | None = Field(default=None, max_length=50)
    citation: str = Field(default="", sa_column=Column(Text, nullable=False))
    language: str = Field(default="id", max_length=10)
    focus_id: str = Field(default="", max_length=300)
    focus_en: str = Field(default="", max_length=300)
    description_id: str = Field(default="", sa_column=Column(Text, nullable=False))
    description_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    scale: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    active: bool = True
    is_emergent: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Code(SQLModel, table=True):
    """A characteristic / aspect of a codebook; researchers add emergent codes beside them."""

    __tablename__ = "code"
    id: int | None = Field(default=None, primary_key=True)
    codebook_id: int = Field(foreign_key="codebook.id", index=True, ondelete="CASCADE")
    key: str = Field(index=True, unique=True, max_length=100)
    label_id: str = Field(default="", max_length=300)
    label_en: str = Field(default="", max_length=300)
    definition_id: str = Field(default="", sa_column=Column(Text, nullable=False))
    definition_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="code.id", ondelete="SET NULL")
    colour: str | None = Field(default=None, max_length=9)
    shortcut: str | None = Field(default=None, max_length=1)
    order: int = 0
    data_sources: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    informant_roles: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    is_emergent: bool = False

    def label(self, lang: str = "id") -> str:
        """The label in `lang`, falling back to the other language."""
        if lang == "en":
            return self.label_en or self.label_id
        return self.label_id or self.label_en

    def definition(self, lang: str = "id") -> str:
        """The definition in `lang`, falling back to the other language."""
        if lang == "en":
            return self.definition_en or self.definition_id
        return self.definition_id or self.definition_en


class Indicator(SQLModel, table=True):
    """An observable parameter of a code, with phrases used for suggestions."""

    __tablename__ = "indicator"
    id: int | None = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="code.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=100)
    label_id: str = Field(default="", max_length=300)
    label_en: str = Field(default="", max_length=300)
    phrases: dict[str, list[str]] = Field(default_factory=dict, sa_column=Column(JSON))
    order: int = 0


class Informant(SQLModel, table=True):
    """A case: a person interviewed (pseudonym), with role and unit from purposive sampling."""

    __tablename__ = "informant"
    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(index=True, unique=True, max_length=200)
    role: str = Field(default="", max_length=100)
    unit: str = Field(default="", max_length=300)
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Source(SQLModel, table=True):
    """A transcript, observation note or document; `text` is the stored, normalised text."""

    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_source_name_version"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=300)
    version: int = 1
    active: bool = True
    kind: str = Field(default="interview", max_length=20)
    informant_id: int | None = Field(
        default=None, foreign_key="informant.id", index=True, ondelete="SET NULL"
    )
    date: str | None = Field(default=None, max_length=30)
    language: str = Field(default="id", max_length=10)
    fmt: str = Field(default="txt", max_length=10)
    encoding: str = Field(default="utf-8", max_length=30)
    content_hash: str = Field(index=True, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    imported_at: datetime = Field(default_factory=utcnow)


class Turn(SQLModel, table=True):
    """A speaker turn: [start, end) is the spoken content; label_start where the label begins.

    `informant_id`: the informant the speaker label stands for (None: the source's informant,
    or nobody for an interviewer turn)."""

    __tablename__ = "turn"
    __table_args__ = (Index("ix_turn_source_start", "source_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True, ondelete="CASCADE")
    index: int
    start: int
    end: int
    label_start: int | None = None
    speaker: str | None = Field(default=None, max_length=200)
    is_interviewer: bool = False
    begin_ms: int | None = None
    end_ms: int | None = None
    informant_id: int | None = Field(
        default=None, foreign_key="informant.id", index=True, ondelete="SET NULL")


class Attribution(SQLModel, table=True):
    """A passage the researcher attributed to an informant (text without speaker labels, e.g.
    a news article quoting officials); it wins over the turn and the source's informant."""

    __tablename__ = "attribution"
    __table_args__ = (Index("ix_attribution_source_start", "source_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="CASCADE")
    start: int
    end: int
    informant_id: int = Field(foreign_key="informant.id", index=True, ondelete="CASCADE")
    author: str = Field(default="researcher", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class Segment(SQLModel, table=True):
    """An excerpt unit (a sentence within a turn): text == source.text[start:end]."""

    __tablename__ = "segment"
    __table_args__ = (Index("ix_segment_source_index", "source_id", "index"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="CASCADE")
    index: int
    start: int
    end: int
    turn_index: int | None = None
    speaker: str | None = Field(default=None, max_length=200)
    is_interviewer: bool = False
    block: str | None = Field(default=None, max_length=16)  # heading, paragraph, list_item, ...


class Coding(SQLModel, table=True):
    """A code applied to a character span by a coder, with valence and note."""

    __tablename__ = "coding"
    __table_args__ = (
        UniqueConstraint("source_id", "start", "end", "code_id", "coder", name="uq_coding_span"),
        Index("ix_coding_source_start", "source_id", "start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="CASCADE")
    start: int
    end: int
    code_id: int = Field(foreign_key="code.id", index=True, ondelete="CASCADE")
    coder: str = Field(default="researcher", max_length=100)
    valence: str = Field(default="0", max_length=1)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Memo(SQLModel, table=True):
    """A memo on the project, a source, a code, a coding, an informant or a summary cell."""

    __tablename__ = "memo"
    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(default="project", max_length=20)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="CASCADE")
    code_id: int | None = Field(default=None, foreign_key="code.id", ondelete="CASCADE")
    coding_id: int | None = Field(default=None, foreign_key="coding.id", ondelete="CASCADE")
    informant_id: int | None = Field(default=None, foreign_key="informant.id", ondelete="CASCADE")
    title: str = Field(default="", max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    author: str = Field(default="researcher", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Summary(SQLModel, table=True):
    """The reduction grid: the researcher's condensed text for one code x informant cell."""

    __tablename__ = "summary"
    __table_args__ = (UniqueConstraint("code_id", "informant_id", name="uq_summary_cell"),)
    id: int | None = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="code.id", ondelete="CASCADE")
    informant_id: int = Field(foreign_key="informant.id", ondelete="CASCADE")
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="draft", max_length=20)  # draft | accepted
    author: str = Field(default="researcher", max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class Conclusion(SQLModel, table=True):
    """Conclusion per code: statement and verdict on the codebook's scale."""

    __tablename__ = "conclusion"
    id: int | None = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="code.id", unique=True, ondelete="CASCADE")
    statement: str = Field(default="", sa_column=Column(Text, nullable=False))
    verdict: str | None = Field(default=None, max_length=50)
    proposed_verdict: str | None = Field(default=None, max_length=50)
    status: str = Field(default="tentative", max_length=20)  # tentative | verified
    decided_by: str | None = Field(default=None, max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class ConclusionEvidence(SQLModel, table=True):
    """A coding that supports or contradicts a conclusion."""

    __tablename__ = "conclusion_evidence"
    __table_args__ = (UniqueConstraint("conclusion_id", "coding_id", name="uq_evidence"),)
    id: int | None = Field(default=None, primary_key=True)
    conclusion_id: int = Field(foreign_key="conclusion.id", index=True, ondelete="CASCADE")
    coding_id: int = Field(foreign_key="coding.id", ondelete="CASCADE")
    stance: str = Field(default="supports", max_length=20)  # supports | contradicts
    # the researcher's explanation (why a contradicting coding does not overturn the verdict)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Action(SQLModel, table=True):
    """One user action for undo/redo: row states before and after, as JSON."""

    __tablename__ = "action"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=50)
    description: str = Field(default="", max_length=300)
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    undone: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    coder: str | None = Field(default=None, max_length=100, index=True)  # None: before 0006
    # the description as a message id with its fields, shown in the reader's language
    message: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Adjudication(SQLModel, table=True):
    """A decision on one place where coders differ (issue 12): which coders' codings of the
    code in [start, end) of the source became the consensus coder's, who decided and when.

    `decision`: accept (the codings of the coders in `accepted`; several = both), neither,
    or edit (a span, valence and note written by hand); `coding_ids`: the consensus codings
    the decision made; `compared`: the coders whose codings were compared."""

    __tablename__ = "adjudication"
    __table_args__ = (UniqueConstraint("source_id", "code_id", "start", "end",
                                       name="uq_adjudication_place"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True, ondelete="CASCADE")
    code_id: int = Field(foreign_key="code.id", ondelete="CASCADE")
    start: int
    end: int
    decision: str = Field(max_length=20)  # accept | neither | edit
    accepted: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    compared: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    coding_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    decided_by: str = Field(default="researcher", max_length=100)
    decided_at: datetime = Field(default_factory=utcnow)


TABLES: dict[str, type[SQLModel]] = {
    m.__tablename__: m  # type: ignore[misc]
    for m in (Codebook, Code, Indicator, Informant, Source, Turn, Segment, Coding, Memo,
              Summary, Conclusion, ConclusionEvidence, Attribution, Adjudication, ProjectMeta)
}
