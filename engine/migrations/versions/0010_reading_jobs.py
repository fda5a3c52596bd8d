"""reading_jobs: an uploaded SOP read in a web process, its progress seen by every process.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from engine.store import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reading_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uploader", sa.String(80), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False, server_default=""),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False, server_default=""),
        sa.Column("pages_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("pages_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("draft_ids", sa.String(2000), nullable=False, server_default=""),
        sa.Column("data", sa.LargeBinary),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("heartbeat_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reading_jobs_state_updated", "reading_jobs", ["state", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_reading_jobs_state_updated", table_name="reading_jobs")
    op.drop_table("reading_jobs")
