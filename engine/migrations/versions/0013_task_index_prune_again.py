"""tasks: the indexes on ``element_id`` and ``completed`` are dropped; no query needs them.

Every statement that filters on a task's step (``element_id``) or sorts by ``completed`` also
names its case (``instance_id = ...``: "who did this step of this case before", "was this step
of this case completed before", "the completed tasks of these cases"), and the index on
``instance_id`` narrows those to a case's few rows. Yet a completion paid for both indexes on
each task row it writes: the task it completes changes ``state`` (in the composite indexes),
so PostgreSQL cannot update it in place (no HOT update) and inserts a new entry into every
index of the table, and the next task's row is inserted likewise. Two indexes fewer is about
two index inserts less per row written, inside the transaction that holds the case's row lock.
``tests/engine/test_task_indexes.py`` checks that no statement of a working day of the engine
scans the table without them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_DROPPED = ("element_id", "completed")


def upgrade() -> None:
    for column in _DROPPED:
        op.drop_index(f"ix_tasks_{column}", table_name="tasks")


def downgrade() -> None:
    for column in _DROPPED:
        op.create_index(f"ix_tasks_{column}", "tasks", [column])
