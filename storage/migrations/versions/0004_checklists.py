"""checklist runs, per-item state, events and the notice ledger

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_run",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("parent_ts", sa.String(length=32), nullable=True),
        sa.Column("definition_id", sa.String(length=64), nullable=False),
        sa.Column("idp", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("groups_json", sa.String(), nullable=False),
        sa.Column("started_by", sa.String(length=32), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("last_activity_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("follow_up_minutes", sa.Integer(), nullable=True),
        sa.Column("follow_up_due_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("resolution", sa.String(length=32), nullable=True),
    )
    op.create_index("ix_checklist_run_team_open", "checklist_run", ["team_id", "closed_at", "completed_at"])
    op.create_index("ix_checklist_run_activity", "checklist_run", ["last_activity_at"])
    op.create_index("ix_checklist_run_follow_up", "checklist_run", ["follow_up_due_at"])
    op.create_table(
        "checklist_item",
        sa.Column("run_id", sa.String(length=32), sa.ForeignKey("checklist_run.id"), primary_key=True),
        sa.Column("item_id", sa.String(length=64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group_index", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("check_kind", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_by", sa.String(length=32), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("changed_by", sa.String(length=32), nullable=True),
        sa.Column("changed_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "checklist_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(length=32), sa.ForeignKey("checklist_run.id"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_checklist_event_run", "checklist_event", ["run_id", "id"])
    op.create_table(
        "checklist_notice",
        sa.Column("run_id", sa.String(length=32), sa.ForeignKey("checklist_run.id"), primary_key=True),
        sa.Column("key", sa.String(length=32), primary_key=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checklist_notice")
    op.drop_index("ix_checklist_event_run", table_name="checklist_event")
    op.drop_table("checklist_event")
    op.drop_table("checklist_item")
    op.drop_index("ix_checklist_run_follow_up", table_name="checklist_run")
    op.drop_index("ix_checklist_run_activity", table_name="checklist_run")
    op.drop_index("ix_checklist_run_team_open", table_name="checklist_run")
    op.drop_table("checklist_run")
