"""Index tasks.completed (reports: what was finished when).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_completed", "tasks", ["completed"])


def downgrade() -> None:
    op.drop_index("ix_tasks_completed", table_name="tasks")
