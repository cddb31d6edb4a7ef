"""Migration 0002 applies from empty, upgrades a database in place, and matches the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

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


def test_0007_fills_in_the_folded_names_of_stored_referrals(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'names.db'}"
    command.upgrade(alembic_config(url), "0006_referrals_nhs_number_index")
    with get_sessionmaker(url)() as session:
        key, _ = create_key(session, role=Role.brokerage, name="before 0007")
        session.commit()
        key_id = key.id
    row = {
        "nhs_number": "9434765919",
        "name": "JÜRGEN O\u2019BRIEN-MÜLLER",
        "postcode": "CV1 5FB",
        "lat": 52.4,
        "lon": -1.5,
        "easting_m": 433000.0,
        "northing_m": 279000.0,
        "in_area": True,
        "ward_code": "E05001219",
        "home_day_zone": "3B",
        "day_zone": "3B",
        "night_zone": "3",
        "provider_id": "provider-3b",
        "source": "hospital_discharge",
        "requested_start": "2026-11-30 09:00:00",
        "planned_end": "2027-01-11 09:00:00",
        "start_date": "2026-11-30",
        "planned_end_date": "2027-01-11",
        "minutes_per_week": 600,
        "night_support": False,
        "night_visits": "[]",
        "notes": "",
        "status": "accepted",
        "created_by_key_id": key_id,
        "created_at": "2026-11-25 01:00:00",
        "updated_at": "2026-11-25 01:00:00",
    }
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    with get_engine(url).begin() as conn:
        conn.execute(text(f"INSERT INTO referrals ({columns}) VALUES ({values})"), row)
    upgrade(url)
    with get_engine(url).connect() as conn:
        folded = conn.execute(text("SELECT name, name_search FROM referrals")).one()
    assert folded == ("JÜRGEN O\u2019BRIEN-MÜLLER", "jurgen o'brien-muller")
    get_engine(url).dispose()
