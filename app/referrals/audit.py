"""The audit trail: who created, read or changed each referral, and when."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.referrals.models import AuditEntry
from app.referrals.weeks import now_utc


def record(session: Session, *, key_id: int, action: str, referral_ids: Iterable[int]) -> None:
    at = now_utc()
    session.add_all(
        AuditEntry(referral_id=rid, key_id=key_id, action=action, at=at) for rid in referral_ids
    )
    session.flush()
