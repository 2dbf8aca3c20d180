"""Alembic environment: runs migrations on the engine handed over by qualcode.core.db."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import qualcode.core.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Run every pending migration in one transaction on the given engine."""
    engine = config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
