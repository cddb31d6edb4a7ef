"""API keys and roles.

A key is ``cz_`` plus 32 random bytes (URL-safe base64). Only its SHA-256 is
stored: a key this long cannot be guessed, so a slow hash buys nothing.
Keys arrive in the ``X-API-Key`` header (or, for the pages, a signed session
cookie that holds the key id).
"""

from __future__ import annotations

import enum
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base

API_KEY_HEADER = "X-API-Key"


class Role(enum.StrEnum):
    discharge_system = "discharge_system"
    brokerage = "brokerage"
    night_coordinator = "night_coordinator"
    commissioner = "commissioner"
    admin = "admin"


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, name and role."""

    key_id: int
    name: str
    role: Role

    def may(self, *roles: Role) -> bool:
        return self.role is Role.admin or self.role in roles


class PrincipalCache:
    """Known, live keys for a few seconds, so most requests skip the database.

    Only positive answers are kept: a key created a moment ago is never refused
    because of the cache. A revoked key stops working within ``ttl_s``.
    """

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key: str) -> Principal | None:
        entry = self._entries.get(hash_key(key))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, principal: Principal) -> None:
        if self.ttl_s > 0:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[hash_key(key)] = (time.monotonic() + self.ttl_s, principal)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, *, role: Role, name: str) -> tuple[ApiKey, str]:
    """Store a new key's hash; return the row and the key, which is shown only once."""
    key = "cz_" + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        role=role.value,
        key_hash=hash_key(key),
        prefix=key[:10],
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row, key


def revoke_key(session: Session, key_id: int) -> bool:
    """Revoke a key; False if no such key or already revoked."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    return True


def principal_for_key(session: Session, key: str) -> Principal | None:
    """The principal for a presented key, or None if unknown or revoked."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    return _principal(row)


def principal_for_id(session: Session, key_id: int) -> Principal | None:
    return _principal(session.get(ApiKey, key_id))


def _principal(row: ApiKey | None) -> Principal | None:
    if row is None or row.revoked_at is not None:
        return None
    return Principal(key_id=row.id, name=row.name, role=Role(row.role))
