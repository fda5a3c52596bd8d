"""People: display name, NIP, jabatan, language; delegation and task comments.

Users already had ``full_name``; a civil servant is also known by NIP and jabatan, and
reads the UI in their own language. Delegations and reassignments name the person the task
went to in ``audit.target_user``, so the history can show "who → whom" by name instead of
parsing a comment. Comments added without completing a task are plain audit rows (action
"comment"): no table of their own.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("nip", sa.String(30), nullable=False, server_default=""))
        batch.add_column(sa.Column("jabatan", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("language", sa.String(5), nullable=False, server_default="id"))
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("target_user", sa.String(80)))


def downgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("target_user")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
        batch.drop_column("jabatan")
        batch.drop_column("nip")
