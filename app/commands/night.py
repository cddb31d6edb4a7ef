"""``carezones night import FILE.csv``: load night service users, all or nothing per file."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_sessionmaker
from app.errors import AppError
from app.night import csv_import
from app.night.models import NightUser
from app.night.users import create_user
from app.settings import get_settings
from geo.area import Area, load_area

night_app = typer.Typer(help="Night service users and night plans.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


@night_app.command("import")
def import_csv(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV, one row per visit"),
) -> None:
    """Store every person in FILE.csv, or nothing: any bad row stops the whole file.

    Columns are described in docs/night.md. Each error names the line and column.
    """
    settings = get_settings()
    try:
        people, errors = csv_import.group(csv_import.read_rows(path))
    except csv_import.CsvFormatError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    area = load_area(settings.council_file, data_dir=settings.data_dir)
    with get_sessionmaker(settings.database_url)() as session:
        stored = set(session.scalars(select(NightUser.label)))
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("Checking and locating", total=len(people))
            for person in people:
                errors += _store(session, area, person, stored)
                progress.advance(task)
        if errors:
            session.rollback()
            for line in sorted(errors, key=_line_number):
                err.print(f"[red]{path.name}: {line}[/red]")
            err.print(f"[red]Nothing imported: {len(errors)} error(s) in {path}.[/red]")
            raise typer.Exit(1)
        session.commit()
    visits = sum(len(p.visits) for p in people)
    err.print(f"Imported {len(people)} night service users with {visits} visits from {path}.")


def _store(session: Session, area: Area, person: csv_import.Person, stored: set[str]) -> list[str]:
    line = person.lines[0] if person.lines else 0
    if person.label in stored:
        return [f"line {line}: person: already stored under this name; delete it first."]
    try:
        body = csv_import.user_of(person)
    except ValidationError as exc:
        return csv_import.describe(person, exc)
    try:
        create_user(session, area, body)
    except (AppError, LookupError, ValueError) as exc:
        column = getattr(exc, "field", None) or "location"
        column = column.removeprefix("body.location.").removeprefix("body.")
        reason = _without_postcode(str(exc), person.first.get("postcode") or "")
        return [f"line {line}: {column}: {reason}"]
    return []


def _without_postcode(message: str, postcode: str) -> str:
    """``message`` with the person's postcode, in any spacing or case, taken out: the
    output may end up in a log, and the line number says which it was."""
    compact = re.sub(r"\s+", "", postcode)
    if not compact:
        return message
    pattern = r"\s*".join(re.escape(c) for c in compact)
    return re.sub(pattern, "(the postcode on that line)", message, flags=re.IGNORECASE)


def _line_number(message: str) -> int:
    head = message.split(":", 1)[0].removeprefix("line ")
    return int(head) if head.isdigit() else 0
