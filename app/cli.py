"""The ``carezones`` command line."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from app.allocation_batch import allocate_item
from app.commands.failures import failure_reason, one_line
from app.commands.keys import keys_app
from app.commands.ledger import ledger_app
from app.commands.night import night_app
from app.commands.roads import roads_app
from app.commands.serve import serve
from app.db import MigrationRefused, upgrade
from app.settings import get_settings
from geo.area import Area, load_area

cli = typer.Typer(
    help="carezones: zones, referrals and night rounds for home care.", no_args_is_help=True
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
cli.add_typer(db_app, name="db")
cli.add_typer(keys_app, name="keys")
cli.add_typer(ledger_app, name="ledger")
cli.add_typer(night_app, name="night")
cli.add_typer(roads_app, name="roads")
cli.command("serve")(serve)
console = Console(stderr=True, soft_wrap=True)

RESULT_COLUMNS = [
    "in_area",
    "ward_code",
    "ward_name",
    "day_zone",
    "day_provider",
    "night_zone",
    "night_provider",
    "distance_m",
    "error",
]
PROGRESS_FROM_ROWS = 1_000


def _area() -> Area:
    settings = get_settings()
    return load_area(settings.council_file, data_dir=settings.data_dir)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to CAREZONES_DATABASE_URL (SQLite under var/ by default)."""
    url = get_settings().database_url
    try:
        upgrade(url)
    except MigrationRefused as exc:
        console.print(f"[red]The database was not upgraded.[/red] {exc}", markup=True)
        raise typer.Exit(1) from exc
    console.print(f"Database is up to date ({url.split('@')[-1]}).")


def _item(row: dict[str, str]) -> dict[str, object]:
    def number(name: str) -> object:
        value = (row.get(name) or "").strip()
        try:
            return float(value)
        except ValueError:
            return value

    if (row.get("postcode") or "").strip():
        return {"postcode": row["postcode"]}
    if (row.get("lat") or "").strip() or (row.get("lon") or "").strip():
        return {"lat": number("lat"), "lon": number("lon")}
    return {"easting": number("easting"), "northing": number("northing")}


@cli.command()
def allocate(
    input_csv: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        help="CSV with postcode or lat/lon (or easting/northing) columns",
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="CSV to write: input columns plus the allocation"
    ),
) -> None:
    """Allocate every row of a CSV file to its ward, day zone and night zone."""
    with input_csv.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    has = set(columns)
    if not ("postcode" in has or {"lat", "lon"} <= has or {"easting", "northing"} <= has):
        console.print(
            f"[red]{input_csv}: expected a postcode column, lat and lon columns, or easting "
            f"and northing columns (names in lower case); found {columns}.[/red]"
        )
        raise typer.Exit(2)
    area = _area()
    council = area.council
    failures = 0
    with (
        output.open("w", newline="", encoding="utf-8") as out,
        Progress(
            console=console, disable=len(rows) < PROGRESS_FROM_ROWS, transient=True
        ) as progress,
    ):
        writer = csv.DictWriter(
            out, fieldnames=columns + [c for c in RESULT_COLUMNS if c not in columns]
        )
        writer.writeheader()
        task = progress.add_task("Allocating", total=len(rows))
        for n, row in enumerate(rows):
            result = allocate_item(n, _item(row), area)
            if result.allocation is not None:
                a = result.allocation
                row.update(
                    in_area=str(a.in_area).lower(),
                    ward_code=a.ward.code,
                    ward_name=a.ward.name,
                    day_zone=a.day_zone.code,
                    day_provider=a.day_zone.provider.name,
                    night_zone=a.night_zone.code,
                    night_provider=a.night_zone.provider.name,
                    distance_m=f"{a.distance_m:.0f}",
                    error="",
                )
            else:
                failures += 1
                assert result.error is not None
                row.update({c: "" for c in RESULT_COLUMNS}, error=result.error.message)
            writer.writerow(row)
            progress.advance(task)
    console.print(
        f"Allocated {len(rows) - failures} of {len(rows)} rows to {council.name}'s zones"
        f"{f'; {failures} rows have an error column' if failures else ''}. Wrote {output}."
    )


@cli.command()
def zones() -> None:
    """Print the zone table: day zones, their wards and providers, and night zones."""
    area = _area()
    council = area.council
    names = {w.code: w.name for w in area.boundaries.wards}
    table = Table(title=f"{council.name}: zones ({area.version})")
    for column in (
        "day zone",
        "wards",
        "provider",
        "hours/week (block)",
        "night zone",
        "night car",
    ):
        table.add_column(column)
    for day in council.day_zones:
        provider = council.provider(day.provider_id)
        night = council.night_zone_of_day_zone(day.code)
        table.add_row(
            day.code,
            ", ".join(f"{names[c]} ({c})" for c in day.ward_codes),
            provider.name,
            f"{provider.commissioned_hours_per_week:g} ({provider.block_hours_per_week:g})",
            night.code,
            council.provider(night.provider_id).name,
        )
    Console(file=sys.stdout, width=200).print(table)


def main() -> None:
    """Run the command line. A failure the user can mend (a file, a setting, the
    database) is one line on stderr and exit code 1, never a traceback."""
    try:
        cli()
    except Exception as exc:
        reason = failure_reason(exc)
        if reason is None:
            raise
        console.print(f"[red]Error:[/red] {escape(one_line(reason))}", markup=True, highlight=False)
        raise SystemExit(1) from None
