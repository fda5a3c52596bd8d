"""Notifications: in-app messages, the e-mail outbox, each user's choices, users.email.

Notifications are derived from what the engine already records (task rows, due dates, the
audit trail, instance status) by a pass the worker runs, never by the completion itself, so a
completion neither waits for nor fails because of mail. The unique key (kind, ref, username)
makes each notification happen at most once however many passes run at the same time; the
e-mail waits in ``outbox`` until an SMTP server takes it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from engine.store import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=False, server_default=""))
    op.create_index("ix_instances_ended_at", "instances", ["ended_at"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(40), nullable=False),
        sa.Column("instance_id", sa.Integer, sa.ForeignKey("instances.id")),
        sa.Column("task_id", sa.String(36)),
        sa.Column("title", sa.String(500), nullable=False, server_default=""),
        sa.Column("process_name", sa.String(300), nullable=False, server_default=""),
        sa.Column("case_title", sa.String(500), nullable=False, server_default=""),
        sa.Column("actor", sa.String(80), nullable=False, server_default=""),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("due", UTCDateTime),
        sa.Column("in_app", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("read_at", UTCDateTime),
        sa.UniqueConstraint("kind", "ref", "username", name="uq_notifications_kind_ref_user"),
    )
    op.create_index("ix_notifications_unread", "notifications", ["username", "in_app", "read_at"])
    op.create_index("ix_notifications_user_id", "notifications", ["username", "id"])
    op.create_index("ix_notifications_ref_kind", "notifications", ["ref", "kind"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "notification_id", sa.Integer, sa.ForeignKey("notifications.id"), nullable=False
        ),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("notification_id", name="uq_outbox_notification"),
    )
    op.create_index("ix_outbox_status_next", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "notification_preferences",
        sa.Column("username", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("channel", sa.String(10), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
    op.drop_index("ix_outbox_status_next", "outbox")
    op.drop_table("outbox")
    op.drop_index("ix_notifications_ref_kind", "notifications")
    op.drop_index("ix_notifications_user_id", "notifications")
    op.drop_index("ix_notifications_unread", "notifications")
    op.drop_table("notifications")
    op.drop_index("ix_instances_ended_at", "instances")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
