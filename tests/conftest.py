"""Shared fixtures: a migrated database (SQLite file, and PostgreSQL where a server answers),
the app built on it, and one API key per role."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.db import Base, get_engine, upgrade
from app.security import Role, create_key
from app.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "CAREZONES_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server here
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


@contextmanager
def new_pg_database(prefix: str) -> Iterator[str]:
    """An empty PostgreSQL database of its own (no tables), dropped afterwards; skips the
    test when no server answers."""
    reason = _pg_available()
    if reason:
        pytest.skip(f"PostgreSQL tests SKIPPED: no server answers at {PG_ADMIN_URL} ({reason})")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test worker, migrated once, dropped at the end."""
    with new_pg_database("carezones_test") as url:
        upgrade(url)
        yield url


def _truncate(url: str) -> None:
    engine = get_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        conn.execute(
            text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'carezones.db'}"
        upgrade(url)
        yield url
        get_engine(url).dispose()
    else:
        url = request.getfixturevalue("pg_database")
        _truncate(url)
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite file, for tests whose subject is not the database."""
    url = f"sqlite:///{tmp_path / 'carezones.db'}"
    upgrade(url)
    yield url
    get_engine(url).dispose()


def _settings(url: str) -> Settings:
    # No principal cache in tests, so a revoked key is refused at once.
    return Settings(database_url=url, auth_cache_seconds=0)


def _keys(url: str) -> dict[Role, str]:
    from app.db import get_sessionmaker

    with get_sessionmaker(url)() as session:
        keys = {role: create_key(session, role=role, name=f"test {role.value}")[1] for role in Role}
        session.commit()
    return keys


@pytest.fixture
def app(db_url: str) -> FastAPI:
    from app.main import create_app

    return create_app(_settings(db_url))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def keys(db_url: str) -> dict[Role, str]:
    """One live API key per role, in the parametrised database."""
    return _keys(db_url)


@pytest.fixture
def sqlite_client(sqlite_url: str) -> Iterator[TestClient]:
    from app.main import create_app

    with TestClient(create_app(_settings(sqlite_url))) as c:
        yield c


@pytest.fixture
def sqlite_keys(sqlite_url: str) -> dict[Role, str]:
    return _keys(sqlite_url)


def headers(key: str) -> dict[str, str]:
    return {"X-API-Key": key}
