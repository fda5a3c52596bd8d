"""SOP drafts stored with their history of saves (the analyst's workbench).

An uploaded SOP used to wait for review as a JSON file for a day; now it is a draft in the
database that several analysts can open, correct and deploy, and every save is kept (who,
when, what, the model after it) so a correction can be traced and undone by hand.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from engine.store import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sop_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "sop_draft_saves",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "draft_id", sa.Integer, sa.ForeignKey("sop_drafts.id"), nullable=False, index=True
        ),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("user", sa.String(80), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.UniqueConstraint("draft_id", "revision", name="uq_sop_draft_saves_revision"),
    )


def downgrade() -> None:
    op.drop_table("sop_draft_saves")
    op.drop_table("sop_drafts")
