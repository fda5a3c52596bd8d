"""bpmn_drafts: a deployed version as an analyst is editing it in the embedded modeler.

One row per deployed version (``definition_id`` unique): saving a draft again replaces it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from engine.store import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bpmn_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "definition_id",
            sa.Integer,
            sa.ForeignKey("definitions.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("saved_by", sa.String(80), nullable=False),
        sa.Column("saved_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bpmn_drafts")
