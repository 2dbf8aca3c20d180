"""action message: the undo log's description as a message id with fields (shown translated)

Revision ID: 0007_action_message
Revises: 0006_team
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_action_message"
down_revision = "0006_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("action", sa.Column("message", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("action") as batch:
        batch.drop_column("message")
