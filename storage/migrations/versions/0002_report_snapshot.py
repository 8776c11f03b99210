"""report snapshots for sharing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("inputs", sa.String(length=255), nullable=False),
        sa.Column("findings_json", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_report_snapshot_created_at", "report_snapshot", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_report_snapshot_created_at", table_name="report_snapshot")
    op.drop_table("report_snapshot")
