"""Migration 0002 applies from empty, upgrades a database in place, and matches the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db import Base, alembic_config, get_engine, get_sessionmaker, upgrade
from app.security import Role, create_key, principal_for_key

MINE = {
    "referrals",
    "referral_events",
    "referral_weeks",
    "idempotency_keys",
    "ledger_weeks",
    "ucr_weeks",
    "cross_zone_placements",
    "audit_log",
}


def test_upgrade_in_place_keeps_existing_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001_api_keys")
    with get_sessionmaker(url)() as session:
        _, key = create_key(session, role=Role.brokerage, name="before 0002")
        session.commit()
    assert "referrals" not in inspect(get_engine(url)).get_table_names()
    upgrade(url)
    assert set(inspect(get_engine(url)).get_table_names()) >= MINE
    with get_sessionmaker(url)() as session:
        assert principal_for_key(session, key) is not None
    get_engine(url).dispose()


def test_migration_matches_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # Only this migration's tables: other migrations answer for theirs.
    mine = [d for d in diff if any(table in repr(d) for table in MINE)]
    assert mine == []


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'round.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "0001_api_keys")
    assert not MINE & set(inspect(get_engine(url)).get_table_names())
    upgrade(url)
    assert set(inspect(get_engine(url)).get_table_names()) >= MINE
    get_engine(url).dispose()
