"""Migration 0005: one night user per referral. It refuses, changing nothing, while
stored rows break that rule, and applies once they are sorted out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from app.cli import cli
from app.db import MigrationRefused, alembic_config, get_engine, upgrade
from app.settings import get_settings
from tests.conftest import new_pg_database

INDEX = "ix_night_users_referral_id"
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        yield url
        get_engine(url).dispose()
        return
    with new_pg_database("carezones_mig") as url:
        yield url


def add_user(url: str, user_id: int, referral_id: int | None) -> None:
    with get_engine(url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO night_users (id, label, referral_id, postcode, lat, lon, night_zone,"
                " ward_code, min_gap_minutes, active, created_at, updated_at) VALUES (:id, :label,"
                " :ref, 'CV1 5FB', 52.4, -1.5, '3', 'E05001218', 60, true, :now, :now)"
            ),
            {"id": user_id, "label": f"Person {user_id}", "ref": referral_id, "now": NOW},
        )


def stored(url: str) -> list[tuple[int, int | None, str]]:
    with get_engine(url).connect() as conn:
        rows = conn.execute(text("SELECT id, referral_id, label FROM night_users ORDER BY id"))
        return [tuple(r) for r in rows]


def index_is_unique(url: str) -> bool:
    found = [i for i in inspect(get_engine(url)).get_indexes("night_users") if i["name"] == INDEX]
    assert len(found) == 1, found
    return bool(found[0]["unique"])


def test_unique_index_refused_while_duplicates_are_stored(empty_url: str) -> None:
    command.upgrade(alembic_config(empty_url), "0003_night")
    # Referral 5 has two night users, stored before the API checked; 6 has one; two have none.
    for user_id, referral_id in ((1, 5), (2, 5), (3, 6), (4, None), (5, None)):
        add_user(empty_url, user_id, referral_id)
    before = stored(empty_url)

    with pytest.raises(MigrationRefused, match=r"got referral 5: night users 1, 2\. Keep one"):
        upgrade(empty_url)
    get_engine(empty_url).dispose()
    assert stored(empty_url) == before
    assert not index_is_unique(empty_url)

    # Sorted out (user 2 no longer points at referral 5), the index goes on.
    with get_engine(empty_url).begin() as conn:
        conn.execute(text("UPDATE night_users SET referral_id = NULL WHERE id = 2"))
    upgrade(empty_url)
    assert index_is_unique(empty_url)
    assert [r[0] for r in stored(empty_url)] == [1, 2, 3, 4, 5]
    add_user(empty_url, 6, None)  # any number of night users without a referral
    with pytest.raises(IntegrityError):
        add_user(empty_url, 7, 6)

    command.downgrade(alembic_config(empty_url), "0005_night_user_referral_unique@-1")
    assert not index_is_unique(empty_url)


def test_db_upgrade_command_says_what_to_sort_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    command.upgrade(alembic_config(url), "0003_night")
    add_user(url, 1, 9)
    add_user(url, 2, 9)
    monkeypatch.setenv("CAREZONES_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
        get_engine(url).dispose()
    assert result.exit_code == 1, result.output
    text_out = " ".join(result.output.split())
    assert "The database was not upgraded." in text_out
    assert "referral 9: night users 1, 2" in text_out
    assert "No night user was changed." in text_out
    assert "Traceback" not in result.output
    assert [r[0] for r in stored(url)] == [1, 2]
