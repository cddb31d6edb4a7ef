"""Night service users, their visits, and stored night plans.

Revision ID: 0003_night
Revises: 0001_api_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_night"
down_revision = "0001_api_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "night_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("referral_id", sa.Integer, nullable=True),
        sa.Column("postcode", sa.String(10), nullable=True),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("night_zone", sa.String(10), nullable=False),
        sa.Column("ward_code", sa.String(12), nullable=False),
        sa.Column("min_gap_minutes", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_night_users_referral_id", "night_users", ["referral_id"])
    op.create_table(
        "night_visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("night_users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("requested_time", sa.String(5), nullable=False),
        sa.Column("tolerance_minutes", sa.Integer, nullable=False),
        sa.Column("strict", sa.Boolean, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("days", sa.String(40), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_night_visits_user_id", "night_visits", ["user_id"])
    op.create_table(
        "night_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("night_date", sa.Date, nullable=False),
        sa.Column(
            "parent_id",
            sa.Integer,
            sa.ForeignKey("night_plans.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("travel_source", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
    )
    op.create_index("ix_night_plans_night_date", "night_plans", ["night_date"])


def downgrade() -> None:
    op.drop_table("night_plans")
    op.drop_table("night_visits")
    op.drop_table("night_users")
