"""Idempotency keys: the same key and body give the same referral; another body is refused."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict
from app.referrals.models import IdempotencyKey

HEADER = "Idempotency-Key"


def body_hash(body: dict[str, Any]) -> str:
    """SHA-256 of the body's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def earlier_referral(session: Session, *, key_id: int, key: str, digest: str) -> int | None:
    """The referral an earlier request with this key made, or None; 409 if its body differed."""
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.key_id == key_id, IdempotencyKey.idempotency_key == key
        )
    )
    if row is None:
        return None
    if row.body_sha256 != digest:
        raise Conflict(
            f"{HEADER} was already used with a different body.",
            field=f"header.{HEADER}",
            code="idempotency_key_reused",
        )
    return row.referral_id
