"""merge the credentials and checklists branches

Both features were built in parallel off 0002; this revision joins them so the
schema has a single head again.

Revision ID: 0005
Revises: 0003, 0004
Create Date: 2026-11-28
"""

revision = "0005"
down_revision = ("0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # nothing to change: the two parents touch different tables


def downgrade() -> None:
    pass
