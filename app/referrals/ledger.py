"""The weekly hours ledger: one row per provider per week, locked while hours are reserved.

Parallel allocations are serialised on the ledger rows they touch: PostgreSQL takes
``SELECT ... FOR UPDATE`` row locks in a fixed order (provider, week) so that two
transactions never deadlock; SQLite has one writer at a time, and the insert that
opens each reservation takes that write lock before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.referrals.contract import Contract
from app.referrals.models import LedgerWeek, ReferralWeek, UcrWeek
from geo.council import Council


@dataclass(frozen=True, slots=True)
class WeekShortfall:
    """A week in which a reservation does not fit."""

    week_start: date
    available_minutes: int
    requested_minutes: int


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _minutes(hours: float) -> int:
    return round(hours * 60)


def lock_provider_weeks(
    session: Session, council: Council, provider_id: str, weeks: list[date]
) -> dict[date, LedgerWeek]:
    """Create any missing ledger rows, then lock and return them (weeks in order)."""
    if not weeks:
        return {}
    provider = council.provider(provider_id)
    rows = [
        {
            "provider_id": provider_id,
            "week_start": week,
            "commissioned_minutes": _minutes(provider.commissioned_hours_per_week),
            "block_minutes": _minutes(provider.block_hours_per_week),
            "allocated_minutes": 0,
            "ucr_minutes": 0,
        }
        for week in sorted(weeks)
    ]
    session.execute(_insert(session)(LedgerWeek).values(rows).on_conflict_do_nothing())
    query = (
        select(LedgerWeek)
        .where(LedgerWeek.provider_id == provider_id, LedgerWeek.week_start.in_(weeks))
        .order_by(LedgerWeek.week_start)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.week_start: row for row in session.scalars(query)}


def lock_ucr_weeks(session: Session, weeks: list[date]) -> dict[date, UcrWeek]:
    if not weeks:
        return {}
    rows = [{"week_start": week, "allocated_minutes": 0} for week in sorted(weeks)]
    session.execute(_insert(session)(UcrWeek).values(rows).on_conflict_do_nothing())
    query = (
        select(UcrWeek)
        .where(UcrWeek.week_start.in_(weeks))
        .order_by(UcrWeek.week_start)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.week_start: row for row in session.scalars(query)}


@dataclass(frozen=True, slots=True)
class Reservation:
    """What re-reserving a referral's weeks found: weeks over commissioned hours or the cap."""

    over_commissioned: tuple[WeekShortfall, ...]
    over_ucr_cap: tuple[WeekShortfall, ...]


def reserve(
    session: Session,
    council: Council,
    contract: Contract,
    *,
    referral_id: int,
    provider_id: str,
    ucr: bool,
    shares: dict[date, int],
) -> Reservation:
    """Replace the referral's weekly shares with ``shares`` under the ledger locks.

    The ledger is updated whatever the outcome; a caller that will not accept an
    over-commitment raises, and the transaction rolls back.
    """
    old = {
        row.week_start: row
        for row in session.scalars(
            select(ReferralWeek).where(ReferralWeek.referral_id == referral_id)
        )
    }
    weeks = sorted(set(old) | set(shares))
    ledger = lock_provider_weeks(session, council, provider_id, weeks)
    ucr_rows = lock_ucr_weeks(session, weeks) if ucr else {}
    over: list[WeekShortfall] = []
    over_ucr: list[WeekShortfall] = []
    for week in weeks:
        before = old[week].minutes if week in old else 0
        after = shares.get(week, 0)
        delta = after - before
        row = ledger[week]
        if delta > 0 and row.allocated_minutes + delta > row.commissioned_minutes:
            available = max(row.commissioned_minutes - row.allocated_minutes, 0)
            over.append(WeekShortfall(week, available, delta))
        row.allocated_minutes += delta
        if ucr:
            row.ucr_minutes += delta
            cap_row = ucr_rows[week]
            if delta > 0 and cap_row.allocated_minutes + delta > contract.ucr_minutes_per_week_cap:
                available = max(contract.ucr_minutes_per_week_cap - cap_row.allocated_minutes, 0)
                over_ucr.append(WeekShortfall(week, available, delta))
            cap_row.allocated_minutes += delta
        if week in old and after == 0:
            session.delete(old[week])
        elif week in old:
            old[week].minutes = after
        elif after > 0:
            session.add(
                ReferralWeek(
                    referral_id=referral_id,
                    week_start=week,
                    provider_id=provider_id,
                    minutes=after,
                    ucr=ucr,
                )
            )
    session.flush()
    return Reservation(tuple(over), tuple(over_ucr))


def spare_minutes(session: Session, council: Council, provider_id: str, weeks: list[date]) -> int:
    """The least spare (commissioned minus allocated) over the weeks, read without locks."""
    provider = council.provider(provider_id)
    commissioned = _minutes(provider.commissioned_hours_per_week)
    rows = {
        row.week_start: row
        for row in session.scalars(
            select(LedgerWeek).where(
                LedgerWeek.provider_id == provider_id, LedgerWeek.week_start.in_(weeks)
            )
        )
    }
    spares = [
        (rows[w].commissioned_minutes - rows[w].allocated_minutes) if w in rows else commissioned
        for w in weeks
    ]
    return min(spares) if spares else commissioned


def ledger_week(session: Session, council: Council, week: date) -> list[LedgerWeek]:
    """Every provider's row for a week; providers without a row get an unsaved empty one."""
    rows = {
        row.provider_id: row
        for row in session.scalars(select(LedgerWeek).where(LedgerWeek.week_start == week))
    }
    out = []
    for provider in council.providers:
        out.append(
            rows.get(provider.id)
            or LedgerWeek(
                provider_id=provider.id,
                week_start=week,
                commissioned_minutes=_minutes(provider.commissioned_hours_per_week),
                block_minutes=_minutes(provider.block_hours_per_week),
                allocated_minutes=0,
                ucr_minutes=0,
                delivered_minutes=None,
            )
        )
    return out


def ucr_allocated(session: Session, week: date) -> int:
    row = session.get(UcrWeek, week)
    return row.allocated_minutes if row else 0


def record_delivered(
    session: Session,
    council: Council,
    *,
    provider_id: str,
    week: date,
    minutes: int,
    key_id: int | None,
    at: datetime,
) -> LedgerWeek:
    """Set a provider's delivered minutes for a week (replacing any earlier figure)."""
    row = lock_provider_weeks(session, council, provider_id, [week])[week]
    row.delivered_minutes = minutes
    row.delivered_recorded_at = at
    row.delivered_by_key_id = key_id
    session.flush()
    return row
