"""All migrations together build exactly the tables the models describe; 0004 in place."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import models  # noqa: F401  (every table on Base.metadata)
from app.db import Base, alembic_config, get_engine, upgrade


def test_every_table_matches_its_model(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_ended_sessions_migration_applies_in_place_and_reverts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sessions.db'}"
    command.upgrade(alembic_config(url), "0001_api_keys")
    assert "ended_sessions" not in inspect(get_engine(url)).get_table_names()
    upgrade(url)
    assert "ended_sessions" in inspect(get_engine(url)).get_table_names()
    command.downgrade(alembic_config(url), "0004_ended_sessions@-1")
    tables = set(inspect(get_engine(url)).get_table_names())
    assert "ended_sessions" not in tables
    assert {"api_keys", "referrals", "night_users"} <= tables
    get_engine(url).dispose()
