"""What a command-line user is told about a failure they can mend, in one line."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.exc import ArgumentError, OperationalError

from app.db import DatabaseNotReady
from geo.errors import GeoError
from routing.errors import RoutingError


def one_line(reason: str) -> str:
    return " ".join(reason.split())


def failure_reason(exc: BaseException) -> str | None:
    """What to tell the user about ``exc``, or None for a bug (shown as a traceback)."""
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"a file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
            f"{exc.start}); in Excel, save it as 'CSV UTF-8 (Comma delimited)'."
        )
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.strerror}: {exc.filename}"
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        return "; ".join(
            f"setting CAREZONES_{'_'.join(str(p) for p in e['loc']).upper() or '?'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
    if isinstance(exc, (GeoError, RoutingError, DatabaseNotReady)):
        return str(exc)
    if isinstance(exc, ArgumentError):
        return "CAREZONES_DATABASE_URL is not a database URL SQLAlchemy can use."
    if isinstance(exc, OperationalError):
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return (
            f"the database cannot be used ({first}). Check CAREZONES_DATABASE_URL and that "
            "its server is running; a new database needs 'carezones db upgrade' first."
        )
    return None
