"""evidence note: the researcher's explanation of a linked (contradicting) coding

Revision ID: 0009_evidence_note
Revises: 0007_action_message
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_evidence_note"
down_revision = "0008_adjudication"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conclusion_evidence",
                  sa.Column("note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("conclusion_evidence") as batch:
        batch.drop_column("note")
