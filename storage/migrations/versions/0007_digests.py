"""weekly digest per channel and its once-a-week ledger

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_setting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=True),
        sa.Column("last_sent_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_digest_setting_channel"),
    )
    # A tick asks "which digests are due by now?": this index answers it without reading every row.
    op.create_index("ix_digest_setting_next_due_at", "digest_setting", ["next_due_at"])
    op.create_table(
        "digest_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest_id", sa.Integer(), sa.ForeignKey("digest_setting.id"), nullable=False),
        sa.Column("week_key", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # Once a week: a send is claimed by inserting this row; a second insert conflicts.
        sa.UniqueConstraint("digest_id", "week_key", name="uq_digest_ledger_week"),
    )


def downgrade() -> None:
    op.drop_table("digest_ledger")
    op.drop_index("ix_digest_setting_next_due_at", table_name="digest_setting")
    op.drop_table("digest_setting")
