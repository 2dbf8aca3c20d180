"""team: each undoable action names the coder who did it (undo is per coder)

Revision ID: 0006_team
Revises: 0004_informants
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_team"
down_revision = "0004_informants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("action", sa.Column("coder", sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
    op.create_index("ix_action_coder", "action", ["coder"])


def downgrade() -> None:
    op.drop_index("ix_action_coder", table_name="action")
    with op.batch_alter_table("action") as batch:
        batch.drop_column("coder")
