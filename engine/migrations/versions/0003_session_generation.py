"""users.session_generation: sessions that end on the server.

The web UI's session cookie is signed client-side, so clearing it on logout did not stop a
copied cookie. Each session now carries its user's generation; bumping it (logout, "log out
everywhere", password change, deactivation) ends every session issued before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer, nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
