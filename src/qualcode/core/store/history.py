"""Undo/redo as a store operation: every action records row states before and after.

An action is a list of changes `{table, pk, before, after}` (a state is a dict of column values,
or None when the row does not exist). Undo writes the `before` states in reverse order; redo
writes the `after` states in order. The log lives in the project file, so undo survives restarts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, delete, or_, select, update
from sqlmodel import Session, SQLModel

from qualcode.core.models import TABLES, Action
from qualcode.errors import ConflictError
from qualcode.i18n import N_, Message


def row_state(obj: SQLModel) -> dict[str, Any]:
    """A JSON-ready snapshot of a row's columns."""
    state: dict[str, Any] = {}
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(obj, column.name)
        state[column.name] = value.isoformat() if isinstance(value, datetime) else value
    return state


def _decode_state(model: type[SQLModel], state: dict[str, Any]) -> dict[str, Any]:
    values = dict(state)
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        col_type = getattr(column.type, "impl", column.type)
        if isinstance(col_type, DateTime) and isinstance(values.get(column.name), str):
            values[column.name] = datetime.fromisoformat(values[column.name])
    return values


def _pk_column(model: type[SQLModel]) -> Any:
    """The (single) primary-key column of a table: `id`, or `key` for project settings."""
    return next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]


def _pk(obj: SQLModel) -> Any:
    return getattr(obj, _pk_column(type(obj)).name)


class Recorder:
    """Collects the changes one action makes, inside that action's session."""

    def __init__(self) -> None:
        self._entries: list[tuple[str, Any, dict[str, Any] | None, SQLModel | None]] = []
        # set inside the action to replace the given one; a Message is shown translated
        self.description: str | Message | None = None

    def created(self, obj: SQLModel) -> None:
        """Record a new row (call after flush, so it has its primary key)."""
        self._entries.append((obj.__tablename__, _pk(obj), None, obj))  # type: ignore[attr-defined]

    def updating(self, obj: SQLModel) -> None:
        """Record a row about to change; its after-state is read when the action ends."""
        self._entries.append(
            (obj.__tablename__, _pk(obj), row_state(obj), obj)  # type: ignore[attr-defined]
        )

    def deleting(self, obj: SQLModel) -> None:
        """Record a row about to be deleted."""
        self._entries.append(
            (obj.__tablename__, _pk(obj), row_state(obj), None)  # type: ignore[attr-defined]
        )

    def changes(self) -> list[dict[str, Any]]:
        """The recorded changes with their after-states."""
        out = []
        for table, pk, before, obj in self._entries:
            after = row_state(obj) if obj is not None else None
            if before != after:
                out.append({"table": table, "pk": pk, "before": before, "after": after})
        return out


def write_state(session: Session, table: str, pk: Any, state: dict[str, Any] | None) -> None:
    """Make the row `pk` of `table` match `state` (None deletes it)."""
    model = TABLES[table]
    pk_col = _pk_column(model)
    if state is None:
        session.execute(delete(model).where(pk_col == pk))
        return
    values = _decode_state(model, state)
    exists = session.execute(select(pk_col).where(pk_col == pk)).first()
    if exists:
        session.execute(update(model).where(pk_col == pk).values(**values))
    else:
        session.add(model(**values))
    session.flush()


def record(session: Session, kind: str, description: str | Message,
           changes: list[dict[str, Any]], coder: str | None = None) -> None:
    """Append an action to the log and drop the redo stack (`coder`'s own, with a coder).

    A Message description is kept as its id and fields (shown in the reader's language,
    `describe`) beside its English text (the log as plain text)."""
    if not changes:
        return
    message = description.to_data() if isinstance(description, Message) else None
    if isinstance(description, Message):
        description = description.text("en")[:300]
    stale = delete(Action).where(Action.undone == True)  # noqa: E712
    if coder is not None:
        stale = stale.where(_mine(coder))
    session.execute(stale)
    session.add(Action(kind=kind, description=description, changes=changes, coder=coder,
                       message=message))


def describe(action: Action, lang: str | None = None) -> str:
    """What an action did, in `lang` (default: the interface's): from its message where the
    action has one, else its stored text (actions from before 0007)."""
    message = Message.from_data(action.message)
    return message.text(lang) if message is not None else (action.description or action.kind)


def current_state(session: Session, table: str, pk: Any) -> dict[str, Any] | None:
    """The row's state now, in the form `row_state` records (None when it does not exist)."""
    model = TABLES[table]
    obj = session.get(model, pk, populate_existing=True)
    return None if obj is None else row_state(obj)


def _same(now: dict[str, Any] | None, recorded: dict[str, Any] | None) -> bool:
    if now is None or recorded is None:
        return now is recorded
    return all(now.get(k) == v for k, v in recorded.items())


def _check_untouched(session: Session, action: Action, states: str) -> None:
    """Refuse to undo or redo over a row someone else changed since (team projects)."""
    for change in action.changes:
        if not _same(current_state(session, change["table"], change["pk"]), change[states]):
            raise ConflictError(N_("cannot undo or redo “{description}”: it was changed since "
                                   "(by another coder or session); nothing was changed"),
                                hint=N_("look at the current state and edit it directly"),
                                description=describe(action))


def undo(session: Session, coder: str | None = None) -> Action | None:
    """Undo the latest done action (of `coder`, when given); None when there is none.

    Refuses (ConflictError) when a row the action wrote was changed since by someone else.
    """
    action = _latest(session, undone=False, coder=coder)
    if action is None:
        return None
    _check_untouched(session, action, "after")
    for change in reversed(action.changes):
        write_state(session, change["table"], change["pk"], change["before"])
    action.undone = True
    session.add(action)
    return action


def redo(session: Session, coder: str | None = None) -> Action | None:
    """Redo the earliest undone action (of `coder`, when given); None when there is none."""
    action = _latest(session, undone=True, coder=coder)
    if action is None:
        return None
    _check_untouched(session, action, "before")
    for change in action.changes:
        write_state(session, change["table"], change["pk"], change["after"])
    action.undone = False
    session.add(action)
    return action


def _mine(coder: str) -> Any:
    """A coder's own actions, and those that name no coder (made before projects had
    several: they stay undoable by whoever works on the project)."""
    return or_(Action.coder == coder, Action.coder.is_(None))  # type: ignore[union-attr]


def _latest(session: Session, *, undone: bool, coder: str | None = None) -> Action | None:
    order = Action.id.asc() if undone else Action.id.desc()  # type: ignore[union-attr]
    stmt = select(Action).where(Action.undone == undone)
    if coder is not None:
        stmt = stmt.where(_mine(coder))
    stmt = stmt.order_by(order).limit(1)
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()  # two undos of one action at once: the second waits
    return session.execute(stmt).scalars().first()
