"""tracked credentials and the reminder ledger

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("label_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("idp", sa.String(length=16), nullable=False),
        sa.Column("environment", sa.String(length=80), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("expiry_source", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=8), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("renewed_by", sa.String(length=32), nullable=False),
        sa.Column("renewed_at", UTCDateTime(), nullable=True),
        sa.Column("removed_by", sa.String(length=32), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.Column("next_due_at", UTCDateTime(), nullable=True),
        sa.Column("last_sent_at", UTCDateTime(), nullable=True),
        sa.Column("snoozed_until", UTCDateTime(), nullable=True),
        sa.Column("thread_channel", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=False),
        sa.Column("notice_key", sa.String(length=64), nullable=False),
        sa.Column("notice_channel", sa.String(length=32), nullable=False),
        sa.Column("notice_ts", sa.String(length=32), nullable=False),
        sa.UniqueConstraint("team_id", "label_key", name="uq_credential_team_label"),
    )
    # A tick asks "what is due by now?": this index answers it without reading every row.
    op.create_index("ix_credential_next_due_at", "credential", ["next_due_at"])
    op.create_table(
        "reminder_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("credential_id", sa.Integer(), sa.ForeignKey("credential.id"), nullable=False),
        sa.Column("reminder_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # Exactly once: a reminder is claimed by inserting this row; a second insert conflicts.
        sa.UniqueConstraint("credential_id", "reminder_key", name="uq_reminder_ledger_key"),
    )


def downgrade() -> None:
    op.drop_table("reminder_ledger")
    op.drop_index("ix_credential_next_due_at", table_name="credential")
    op.drop_table("credential")
