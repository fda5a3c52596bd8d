"""instances: PostgreSQL leaves 30 % of each heap page free, so a completion's UPDATE is HOT.

Every completion rewrites its case's row (the serialized workflow, ``version_counter``,
``updated_at``) and changes no indexed column, so PostgreSQL could update the row in place on
its page (a heap-only tuple: no new entry in any of the table's seven indexes). It can only do
so when the page has room for the new version; at the default fill factor of 100 the pages
are packed by the cases' INSERTs (a row is ~1.4 kB with the state compressed: five to a page),
and 40 % of the completions measured (``bench/issue14.py`` workers, PostgreSQL) wrote a new
index entry into every index and 16 WAL records for the row. At 70 the new version fits
beside the old one and every measured UPDATE was HOT; page pruning then frees the old
version on a later visit. SQLite has no fill factor: nothing to do there.

Only pages written from now on keep the room (existing pages are not rewritten: a
``VACUUM FULL instances`` would do it, at the cost of an exclusive lock, and is left to the
operator).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FILL_FACTOR = 70


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE instances SET (fillfactor = {FILL_FACTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE instances RESET (fillfactor)")
