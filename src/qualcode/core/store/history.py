"""Undo/redo as a store operation: every action records row states before and after.

An action is a list of changes `{table, pk, before, after}` (a state is a dict of column values,
or None when the row does not exist). Undo writes the `before` states in reverse order; redo
writes the `after` states in order. The log lives in the project file, so undo survives restarts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, delete, select, update
from sqlmodel import Session, SQLModel

from qualcode.core.models import TABLES, Action


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
        self.description: str | None = None  # set inside the action to replace the given one

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


def record(session: Session, kind: str, description: str, changes: list[dict[str, Any]]) -> None:
    """Append an action to the log and drop the redo stack."""
    if not changes:
        return
    session.execute(delete(Action).where(Action.undone == True))  # noqa: E712
    session.add(Action(kind=kind, description=description, changes=changes))


def undo(session: Session) -> Action | None:
    """Undo the latest done action; returns it, or None when there is nothing to undo."""
    action = _latest(session, undone=False)
    if action is None:
        return None
    for change in reversed(action.changes):
        write_state(session, change["table"], change["pk"], change["before"])
    action.undone = True
    session.add(action)
    return action


def redo(session: Session) -> Action | None:
    """Redo the earliest undone action; returns it, or None when there is nothing to redo."""
    action = _latest(session, undone=True)
    if action is None:
        return None
    for change in action.changes:
        write_state(session, change["table"], change["pk"], change["after"])
    action.undone = False
    session.add(action)
    return action


def _latest(session: Session, *, undone: bool) -> Action | None:
    order = Action.id.asc() if undone else Action.id.desc()  # type: ignore[union-attr]
    stmt = select(Action).where(Action.undone == undone).order_by(order).limit(1)
    return session.execute(stmt).scalars().first()
