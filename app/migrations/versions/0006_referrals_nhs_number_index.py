"""An index on referrals' NHS numbers, for finding a person's referrals.

Revision ID: 0006_referrals_nhs_number_index
Revises: 0002_referrals
"""

from __future__ import annotations

from alembic import op

revision = "0006_referrals_nhs_number_index"
down_revision = "0002_referrals"
branch_labels = None
depends_on = None

INDEX = "ix_referrals_nhs_number"


def upgrade() -> None:
    op.create_index(INDEX, "referrals", ["nhs_number"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="referrals")
