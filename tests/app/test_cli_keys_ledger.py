"""``carezones keys`` and ``carezones ledger import``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.cli import cli
from app.db import get_sessionmaker
from app.referrals.models import LedgerWeek
from app.security import ApiKey, principal_for_key
from app.settings import get_settings

runner = CliRunner()


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CAREZONES_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    yield sqlite_url
    get_settings.cache_clear()


def test_keys_create_list_revoke(cli_db: str) -> None:
    made = runner.invoke(cli, ["keys", "create", "--role", "brokerage", "--name", "Brokers"])
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("cz_")
    with get_sessionmaker(cli_db)() as session:
        principal = principal_for_key(session, key)
        assert principal is not None and principal.role.value == "brokerage"
        stored = session.scalar(select(ApiKey))
        assert stored is not None and key not in (stored.key_hash, stored.prefix)
    listed = runner.invoke(cli, ["keys", "list"])
    assert listed.exit_code == 0
    assert "Brokers" in listed.stdout and key not in listed.stdout
    assert "UK time" in listed.stdout
    assert " GMT" in listed.stdout or " BST" in listed.stdout  # created now, in UK time
    assert runner.invoke(cli, ["keys", "revoke", str(principal.key_id)]).exit_code == 0
    with get_sessionmaker(cli_db)() as session:
        assert principal_for_key(session, key) is None
    assert runner.invoke(cli, ["keys", "revoke", str(principal.key_id)]).exit_code == 1
    bad_role = runner.invoke(cli, ["keys", "create", "--role", "boss", "--name", "x"])
    assert bad_role.exit_code == 2


def test_ledger_import_all_or_nothing(cli_db: str, tmp_path: Path) -> None:
    good = tmp_path / "delivered.csv"
    good.write_text(
        "provider_id,week,delivered_hours\nprovider-1a,2026-W49,312.5\nprovider-3b,2026-12-09,280\n"
    )
    done = runner.invoke(cli, ["ledger", "import", str(good)])
    assert done.exit_code == 0, done.output
    with get_sessionmaker(cli_db)() as session:
        rows = {
            (r.provider_id, r.week_start): r.delivered_minutes
            for r in session.scalars(select(LedgerWeek))
        }
    assert rows == {
        ("provider-1a", date(2026, 11, 30)): 312 * 60 + 30,
        ("provider-3b", date(2026, 12, 7)): 280 * 60,
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("provider_id,week,delivered_hours\nprovider-2a,2026-W49,10\nnobody,2026-W49,1\n")
    refused = runner.invoke(cli, ["ledger", "import", str(bad)])
    assert refused.exit_code == 2
    assert "line 3: unknown provider_id 'nobody'" in refused.output
    with get_sessionmaker(cli_db)() as session:
        assert (
            session.scalar(select(LedgerWeek).where(LedgerWeek.provider_id == "provider-2a"))
            is None
        )
    # The same provider and week twice in one file is refused, naming both lines.
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "provider_id,week,delivered_hours\nprovider-1a,2026-W49,300\nprovider-1a,2026-12-02,301\n"
    )
    repeated = runner.invoke(cli, ["ledger", "import", str(twice)])
    assert repeated.exit_code == 2
    assert "line 3: provider-1a week 2026-W49 is already on line 2." in repeated.output
    # A later file may correct a week: it says how many figures it replaced.
    again = tmp_path / "again.csv"
    again.write_text("provider_id,week,delivered_hours\nprovider-1a,2026-W49,300\n")
    corrected = runner.invoke(cli, ["ledger", "import", str(again)])
    assert corrected.exit_code == 0, corrected.output
    assert "1 replaced hours recorded earlier" in " ".join(corrected.output.split())
