"""sealed SCIM tokens for the opt-in daily live check

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "probe_secret",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("credential_id", sa.Integer(), sa.ForeignKey("credential.id"), nullable=False, unique=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("sealed_token", sa.Text(), nullable=False),
        sa.Column("base_url", sa.String(length=2000), nullable=False),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
        sa.Column("next_probe_at", UTCDateTime(), nullable=True),
        sa.Column("last_probe_at", UTCDateTime(), nullable=True),
        sa.Column("last_outcome", sa.String(length=16), nullable=False),
        sa.Column("last_code", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("alerted_generation", sa.Integer(), nullable=False),
    )
    # The daily tick asks "which checks are due by now?": answered from this index alone.
    op.create_index("ix_probe_secret_next_probe_at", "probe_secret", ["next_probe_at"])


def downgrade() -> None:
    op.drop_index("ix_probe_secret_next_probe_at", table_name="probe_secret")
    op.drop_table("probe_secret")
