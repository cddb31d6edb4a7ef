"""``carezones ledger import FILE.csv``: delivered hours per provider per week."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy import select

from app.db import get_sessionmaker
from app.referrals.ledger import record_delivered
from app.referrals.models import LedgerWeek
from app.referrals.weeks import iso_week, now_utc, parse_week
from app.settings import get_settings
from geo.area import load_area

ledger_app = typer.Typer(help="The weekly hours ledger.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)
COLUMNS = ("provider_id", "week", "delivered_hours")
CSV_HELP = "CSV with columns provider_id, week (YYYY-Www or a date), delivered_hours"


def _parse(number: int, row: dict[str, str], providers: set[str]) -> tuple[str, date, int]:
    provider = (row.get("provider_id") or "").strip()
    if provider not in providers:
        raise ValueError(f"line {number}: unknown provider_id {provider!r}.")
    try:
        week = parse_week((row.get("week") or "").strip())
    except ValueError as exc:
        raise ValueError(f"line {number}: {exc}") from None
    try:
        hours = float((row.get("delivered_hours") or "").strip())
    except ValueError:
        raise ValueError(f"line {number}: expected delivered_hours as a number.") from None
    if not 0 <= hours <= 10_000:
        raise ValueError(f"line {number}: expected 0 <= delivered_hours <= 10000, got {hours}.")
    return provider, week, round(hours * 60)


@ledger_app.command("import")
def import_csv(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help=CSV_HELP),
) -> None:
    """Record delivered hours; all rows or none (any bad row stops the import)."""
    settings = get_settings()
    council = load_area(settings.council_file, data_dir=settings.data_dir).council
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            err.print(
                f"[red]{path}: expected columns {', '.join(COLUMNS)}; missing {missing}.[/red]"
            )
            raise typer.Exit(2)
        providers = {p.id for p in council.providers}
        try:
            rows = [_parse(n, row, providers) for n, row in enumerate(reader, start=2)]
            _refuse_repeats(rows)
        except ValueError as exc:
            err.print(f"[red]{path}: {exc} Nothing imported.[/red]")
            raise typer.Exit(2) from None
    now = now_utc()
    replaced = 0
    with get_sessionmaker(settings.database_url)() as session:
        for provider, week, minutes in rows:
            before = session.scalar(
                select(LedgerWeek.delivered_minutes).where(
                    LedgerWeek.provider_id == provider, LedgerWeek.week_start == week
                )
            )
            replaced += before is not None and before != minutes
            record_delivered(
                session,
                council,
                provider_id=provider,
                week=week,
                minutes=minutes,
                key_id=None,
                at=now,
            )
        session.commit()
    changed = f"; {replaced} replaced hours recorded earlier" if replaced else ""
    err.print(f"Imported delivered hours for {len(rows)} provider-weeks from {path}{changed}.")


def _refuse_repeats(rows: list[tuple[str, date, int]]) -> None:
    """One figure per provider and week: a second one is a mistake, not a correction."""
    first: dict[tuple[str, date], int] = {}
    for number, (provider, week, _minutes) in enumerate(rows, start=2):
        earlier = first.setdefault((provider, week), number)
        if earlier != number:
            raise ValueError(
                f"line {number}: {provider} week {iso_week(week)} is already on line {earlier}."
            )
