"""speakers are informants: turn -> informant, attributions, turn index

Revision ID: 0004_informants
Revises: 0003_blocks

Informant attributes already live in `informant.attributes` (JSON) and the project's role list
in `project_meta` (key "roles"); a quote's line, paragraph and page are computed from the stored
text and the page starts kept in `source.meta`, so none of them needs a column.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_informants"
down_revision = "0003_blocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("informant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_turn_informant_id_informant", "informant",
                                    ["informant_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_turn_informant_id"), ["informant_id"], unique=False)
        batch_op.create_index("ix_turn_source_start", ["source_id", "start"], unique=False)
    op.create_table(
        "attribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("informant_id", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["informant_id"], ["informant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.create_index("ix_attribution_source_start", ["source_id", "start"], unique=False)
        batch_op.create_index(batch_op.f("ix_attribution_informant_id"), ["informant_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribution_informant_id"))
        batch_op.drop_index("ix_attribution_source_start")
    op.drop_table("attribution")
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_index("ix_turn_source_start")
        batch_op.drop_index(batch_op.f("ix_turn_informant_id"))
        batch_op.drop_constraint("fk_turn_informant_id_informant", type_="foreignkey")
        batch_op.drop_column("informant_id")
