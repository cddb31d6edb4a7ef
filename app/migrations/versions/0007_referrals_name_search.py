"""Referrals' names folded for searching (any case, accents, apostrophe shapes).

Existing rows are filled in from their names. The folding is copied here as it was
when this migration was written, so a later change to the app's folding cannot
change what this migration does.

Revision ID: 0007_referrals_name_search
Revises: 0006_referrals_nhs_number_index
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0007_referrals_name_search"
down_revision = "0006_referrals_nhs_number_index"
branch_labels = None
depends_on = None

APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().translate(APOSTROPHES).split())


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("name_search", sa.String(400), nullable=True))
    bind = op.get_bind()
    referrals = sa.table(
        "referrals",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_search", sa.String),
    )
    rows = bind.execute(sa.select(referrals.c.id, referrals.c.name)).all()
    for row_id, name in rows:
        bind.execute(
            referrals.update().where(referrals.c.id == row_id).values(name_search=_fold(name))
        )


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("name_search")
