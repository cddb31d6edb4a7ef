"""``carezones keys``: create, revoke and list API keys (only hashes are stored)."""

from __future__ import annotations

import sys
from datetime import datetime

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from app.db import get_sessionmaker
from app.referrals.weeks import to_london
from app.security import ApiKey, Role, create_key, revoke_key
from app.settings import get_settings

keys_app = typer.Typer(help="API keys: create (shown once), revoke, list.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


@keys_app.command("create")
def create(
    role: Role = typer.Option(..., "--role", help="discharge_system, brokerage, ..."),
    name: str = typer.Option(..., "--name", help="Who holds the key, e.g. 'UHCW discharge'"),
) -> None:
    """Create a key and print it once; only its SHA-256 is kept."""
    if not name.strip():
        err.print("[red]Expected a non-empty --name.[/red]")
        raise typer.Exit(2)
    with get_sessionmaker(get_settings().database_url)() as session:
        row, key = create_key(session, role=role, name=name.strip())
        session.commit()
        key_id = row.id
    err.print(f"Created key {key_id} ({role.value}) for {name.strip()!r}. It is shown only once:")
    sys.stdout.write(key + "\n")


@keys_app.command("revoke")
def revoke(key_id: int = typer.Argument(..., help="The key's id (see `keys list`)")) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    with get_sessionmaker(get_settings().database_url)() as session:
        done = revoke_key(session, key_id)
        session.commit()
    if not done:
        err.print(f"[red]No live key with id {key_id}.[/red]")
        raise typer.Exit(1)
    err.print(f"Revoked key {key_id}.")


def _uk(moment: datetime) -> str:
    return to_london(moment).strftime("%Y-%m-%d %H:%M %Z")


@keys_app.command("list")
def list_keys() -> None:
    """Every key: id, name, role, prefix, created, revoked."""
    with get_sessionmaker(get_settings().database_url)() as session:
        rows = list(session.scalars(select(ApiKey).order_by(ApiKey.id)))
    table = Table(title="API keys")
    for column in ("id", "name", "role", "prefix", "created (UK time)", "revoked (UK time)"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row.id),
            row.name,
            row.role,
            row.prefix + "…",
            _uk(row.created_at),
            _uk(row.revoked_at) if row.revoked_at else "",
        )
    Console(file=sys.stdout, width=160).print(table)
