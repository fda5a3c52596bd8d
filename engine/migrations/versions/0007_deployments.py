"""Deployments recorded: who, when, from which upload or draft.

Every new version gets a row written in the deploy's own transaction (engine.deployments):
who deployed it, when, from which upload, SOP draft or modeler edit, how many differences
the preview showed and how many running cases stayed on the older versions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from engine.store import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deployments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "definition_id",
            sa.Integer,
            sa.ForeignKey("definitions.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("process_key", sa.String(200), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("user", sa.String(80), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("changes", sa.Integer),
        sa.Column("cases_on_previous", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("deployments")
