"""segment.block: the structural block a segment lies in (heading, paragraph, list_item,
table_row, signature); NULL for segments imported before.

Revision ID: 0003_blocks
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_blocks"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("segment") as batch:
        batch.add_column(sa.Column("block", sqlmodel.sql.sqltypes.AutoString(length=16),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("segment") as batch:
        batch.drop_column("block")
