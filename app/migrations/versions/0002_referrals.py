"""Referrals, their events and weekly shares, idempotency keys, the hours ledger, audit.

Revision ID: 0002_referrals
Revises: 0001_api_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_referrals"
down_revision = "0001_api_keys"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nhs_number", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("postcode", sa.String(16), nullable=True),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("easting_m", sa.Float, nullable=False),
        sa.Column("northing_m", sa.Float, nullable=False),
        sa.Column("in_area", sa.Boolean, nullable=False),
        sa.Column("ward_code", sa.String(16), nullable=False),
        sa.Column("home_day_zone", sa.String(16), nullable=False),
        sa.Column("day_zone", sa.String(16), nullable=False),
        sa.Column("night_zone", sa.String(16), nullable=False),
        sa.Column("provider_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("requested_start", TZ, nullable=False),
        sa.Column("planned_end", TZ, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("planned_end_date", sa.Date, nullable=False),
        sa.Column("minutes_per_week", sa.Integer, nullable=False),
        sa.Column("night_support", sa.Boolean, nullable=False),
        sa.Column("night_visits", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("ended_at", TZ, nullable=True),
        sa.Column("capacity_override_reason", sa.Text, nullable=True),
        sa.Column("created_by_key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_referrals_provider_status", "referrals", ["provider_id", "status"])
    op.create_index("ix_referrals_day_zone", "referrals", ["day_zone"])
    op.create_index("ix_referrals_created_by", "referrals", ["created_by_key_id"])
    op.create_table(
        "referral_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("minutes_before", sa.Integer, nullable=True),
        sa.Column("minutes_after", sa.Integer, nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("override_reason", sa.Text, nullable=True),
        sa.Column("by_key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=False),
    )
    op.create_index("ix_referral_events_referral_id", "referral_events", ["referral_id"])
    op.create_table(
        "referral_weeks",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), primary_key=True),
        sa.Column("week_start", sa.Date, primary_key=True),
        sa.Column("provider_id", sa.String(64), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("ucr", sa.Boolean, nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("key_id", "idempotency_key", name="uq_idempotency"),
    )
    op.create_table(
        "ledger_weeks",
        sa.Column("provider_id", sa.String(64), primary_key=True),
        sa.Column("week_start", sa.Date, primary_key=True),
        sa.Column("commissioned_minutes", sa.Integer, nullable=False),
        sa.Column("block_minutes", sa.Integer, nullable=False),
        sa.Column("allocated_minutes", sa.Integer, nullable=False),
        sa.Column("ucr_minutes", sa.Integer, nullable=False),
        sa.Column("delivered_minutes", sa.Integer, nullable=True),
        sa.Column("delivered_recorded_at", TZ, nullable=True),
        sa.Column("delivered_by_key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=True),
    )
    op.create_table(
        "ucr_weeks",
        sa.Column("week_start", sa.Date, primary_key=True),
        sa.Column("allocated_minutes", sa.Integer, nullable=False),
    )
    op.create_table(
        "cross_zone_placements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("home_day_zone", sa.String(16), nullable=False),
        sa.Column("placed_day_zone", sa.String(16), nullable=False),
        sa.Column("provider_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index(
        "ix_cross_zone_placements_referral_id", "cross_zone_placements", ["referral_id"]
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("key_id", sa.Integer, sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_audit_log_referral_id", "audit_log", ["referral_id"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "cross_zone_placements",
        "ucr_weeks",
        "ledger_weeks",
        "idempotency_keys",
        "referral_weeks",
        "referral_events",
        "referrals",
    ):
        op.drop_table(table)
