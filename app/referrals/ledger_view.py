"""The ledger as brokers see it: every provider's hours for one week."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.referrals.contract import Contract
from app.referrals.ledger import ledger_week, ucr_allocated
from app.referrals.models import LedgerWeek
from app.referrals.weeks import iso_week
from app.schemas.ledger import LedgerOut, LedgerRow
from geo.council import Council


def _h(minutes: int) -> float:
    return round(minutes / 60, 2)


def ledger_row(row: LedgerWeek, council: Council) -> LedgerRow:
    return LedgerRow(
        provider_id=row.provider_id,
        provider_name=council.provider(row.provider_id).name,
        week_start=row.week_start,
        iso_week=iso_week(row.week_start),
        commissioned_hours=_h(row.commissioned_minutes),
        block_hours=_h(row.block_minutes),
        allocated_hours=_h(row.allocated_minutes),
        spare_hours=_h(row.commissioned_minutes - row.allocated_minutes),
        ucr_hours=_h(row.ucr_minutes),
        delivered_hours=None if row.delivered_minutes is None else _h(row.delivered_minutes),
    )


def ledger_out(session: Session, council: Council, contract: Contract, week: date) -> LedgerOut:
    return LedgerOut(
        week_start=week,
        iso_week=iso_week(week),
        providers=[ledger_row(row, council) for row in ledger_week(session, council, week)],
        ucr_allocated_hours=_h(ucr_allocated(session, week)),
        ucr_cap_hours=_h(contract.ucr_minutes_per_week_cap),
    )
