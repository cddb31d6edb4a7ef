"""One night user per referral, enforced by the database (a unique index).

The API has refused a second night user for a referral since 2026-11-24, but rows
stored before then may hold one. Then this migration changes nothing and stops with
the referrals and night users to sort out, so no stored person is lost or altered.

Revision ID: 0005_night_user_referral_unique
Revises: 0003_night
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db import MigrationRefused

revision = "0005_night_user_referral_unique"
down_revision = "0003_night"
branch_labels = None
depends_on = None

INDEX = "ix_night_users_referral_id"


def duplicates(connection: sa.Connection) -> dict[int, list[int]]:
    """Referral id -> the ids of its night users, for referrals with more than one."""
    rows = connection.execute(
        sa.text(
            "SELECT referral_id, id FROM night_users WHERE referral_id IN ("
            "SELECT referral_id FROM night_users WHERE referral_id IS NOT NULL "
            "GROUP BY referral_id HAVING COUNT(*) > 1) ORDER BY referral_id, id"
        )
    )
    found: dict[int, list[int]] = {}
    for referral_id, user_id in rows:
        found.setdefault(referral_id, []).append(user_id)
    return found


def upgrade() -> None:
    found = duplicates(op.get_bind())
    if found:
        listed = "; ".join(
            f"referral {r}: night users {', '.join(map(str, ids))}" for r, ids in found.items()
        )
        raise MigrationRefused(
            "Expected at most one night user per referral before adding the unique index, "
            f"got {listed}. Keep one night user for each referral (remove the others, or "
            "store them again without a referral_id), then run `carezones db upgrade` again. "
            "No night user was changed."
        )
    op.drop_index(INDEX, table_name="night_users")
    op.create_index(INDEX, "night_users", ["referral_id"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="night_users")
    op.create_index(INDEX, "night_users", ["referral_id"])
