"""Reading referrals: one by id, or a filtered page. Every read is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.referrals import audit
from app.referrals.models import Referral, Status
from app.referrals.names import fold_name
from app.referrals.weeks import today_london
from app.security import Principal, Role


@dataclass(frozen=True, slots=True)
class ReferralFilter:
    zone: str | None = None
    provider_id: str | None = None
    status: Status | None = None
    ends_within_days: int | None = None
    limit: int = 50
    offset: int = 0
    nhs_number: str | None = None  # exact, normalised (10 digits)
    name_contains: str | None = None  # any part of the name, any case


def _visible(query: Select[tuple[Referral]], principal: Principal) -> Select[tuple[Referral]]:
    # A discharge system sees only the referrals it sent.
    if principal.role is Role.discharge_system:
        return query.where(Referral.created_by_key_id == principal.key_id)
    return query


def get_referral(session: Session, principal: Principal, referral_id: int) -> Referral:
    referral = session.scalar(
        _visible(select(Referral).where(Referral.id == referral_id), principal)
    )
    if referral is None:
        raise NotFound(f"Referral {referral_id} not found.", field="path.referral_id")
    audit.record(session, key_id=principal.key_id, action="read", referral_ids=[referral.id])
    return referral


def lock_referral(session: Session, referral_id: int) -> Referral:
    """The referral, locked for this transaction.

    An update that changes nothing takes the row lock on PostgreSQL and the one
    write lock on SQLite, so two changes to one referral run one after the other.
    """
    touched = session.execute(
        update(Referral)
        .where(Referral.id == referral_id)
        .values(updated_at=Referral.updated_at)
        .execution_options(synchronize_session=False)
    )
    referral = session.scalar(
        select(Referral).where(Referral.id == referral_id).execution_options(populate_existing=True)
    )
    if getattr(touched, "rowcount", 1) == 0 or referral is None:
        raise NotFound(f"Referral {referral_id} not found.", field="path.referral_id")
    return referral


def list_referrals(
    session: Session, principal: Principal, where: ReferralFilter
) -> tuple[list[Referral], int]:
    """A page of referrals (oldest first) and the total that match."""
    query = _visible(select(Referral), principal)
    if where.zone is not None:
        query = query.where(Referral.day_zone == where.zone)
    if where.provider_id is not None:
        query = query.where(Referral.provider_id == where.provider_id)
    if where.status is not None:
        query = query.where(Referral.status == where.status.value)
    if where.nhs_number is not None:
        query = query.where(Referral.nhs_number == where.nhs_number)
    if where.name_contains is not None:
        folded = fold_name(where.name_contains)
        query = query.where(Referral.name_search.contains(folded, autoescape=True))
    if where.ends_within_days is not None:
        last = today_london() + timedelta(days=where.ends_within_days)
        query = query.where(
            Referral.status != Status.ended.value, Referral.planned_end_date <= last
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(query.order_by(Referral.id).limit(where.limit).offset(where.offset))
    )
    searched = where.nhs_number is not None or where.name_contains is not None
    audit.record(
        session,
        key_id=principal.key_id,
        action="search" if searched else "list",
        referral_ids=[r.id for r in rows],
    )
    return rows, total
