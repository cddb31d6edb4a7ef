"""Every table, imported in one place so Alembic and the app see the same metadata."""

from __future__ import annotations

from app.security import ApiKey

__all__ = ["ApiKey"]
