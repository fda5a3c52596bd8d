"""Initial schema: users, definitions, instances, tasks, audit.

Written out in full (not ``metadata.create_all``) so later changes to engine/store.py need
their own migration and this one stays what version 0001 of the schema was.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from engine.store import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(300)),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("is_admin", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "definitions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, index=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("deployed_at", UTCDateTime, nullable=False),
        sa.Column("deployed_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("key", "version", name="uq_definitions_key_version"),
    )
    op.create_table(
        "instances",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "definition_id", sa.Integer, sa.ForeignKey("definitions.id"), nullable=False, index=True
        ),
        sa.Column("process_key", sa.String(200), nullable=False, index=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("business_key", sa.String(200), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("started_by", sa.String(80), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False, index=True),
        sa.Column("ended_at", UTCDateTime),
        sa.Column("cancel_reason", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("spiff_version", sa.String(20), nullable=False),
        sa.Column("serializer_version", sa.String(20), nullable=False),
        sa.Column("version_counter", sa.Integer, nullable=False),
        sa.Column("next_timer_at", UTCDateTime, index=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "instance_id", sa.Integer, sa.ForeignKey("instances.id"), nullable=False, index=True
        ),
        sa.Column("definition_id", sa.Integer, nullable=False),
        sa.Column("process_key", sa.String(200), nullable=False, index=True),
        sa.Column("process_name", sa.String(300), nullable=False),
        sa.Column("instance_title", sa.String(500), nullable=False),
        sa.Column("business_key", sa.String(200), nullable=False),
        sa.Column("element_id", sa.String(200), nullable=False, index=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("role", sa.String(200), nullable=False, index=True),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("assignee", sa.String(80), index=True),
        sa.Column("created", UTCDateTime, nullable=False, index=True),
        sa.Column("due", UTCDateTime, index=True),
        sa.Column("due_order", UTCDateTime, nullable=False),
        sa.Column("completed", UTCDateTime),
        sa.Column("completed_by", sa.String(80), index=True),
        sa.Column("decision", sa.String(200), index=True),
        sa.Column("comment", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_tasks_state_role_order", "tasks", ["state", "role", "due_order", "created", "id"]
    )
    op.create_index(
        "ix_tasks_state_assignee_order",
        "tasks",
        ["state", "assignee", "due_order", "created", "id"],
    )
    op.create_index(
        "ix_tasks_unclaimed_order",
        "tasks",
        ["state", "role", "assignee", "due_order", "created", "id"],
    )
    op.create_index("ix_tasks_state_order", "tasks", ["state", "due_order", "created", "id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "instance_id", sa.Integer, sa.ForeignKey("instances.id"), nullable=False, index=True
        ),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("user", sa.String(80), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("task_id", sa.String(36)),
        sa.Column("element_id", sa.String(200)),
        sa.Column("task_name", sa.String(500)),
        sa.Column("decision", sa.String(200)),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("attachments", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("audit", "tasks", "instances", "definitions", "users"):
        op.drop_table(name)
