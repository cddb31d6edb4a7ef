"""Weekly payable hours, quarterly KPIs and the five-week list."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.referrals.contract import Contract
from app.referrals.ledger import ledger_week
from app.referrals.models import LedgerWeek, Outcome, Referral, Status
from app.referrals.payable import averaged_delivered, payable_minutes
from app.referrals.weeks import iso_week, local_midnight_utc
from app.schemas.reports import (
    FiveWeekReport,
    FiveWeekRow,
    KpiReport,
    KpiRow,
    WeeklyReport,
    WeeklyRow,
)
from geo.council import Council


def _h(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def weekly(session: Session, council: Council, contract: Contract, week: date) -> WeeklyReport:
    window = [week - timedelta(weeks=i) for i in range(contract.payable_averaging_weeks)]
    recorded: dict[str, list[int]] = {}
    for row in session.scalars(
        select(LedgerWeek).where(
            LedgerWeek.week_start.in_(window), LedgerWeek.delivered_minutes.is_not(None)
        )
    ):
        assert row.delivered_minutes is not None
        recorded.setdefault(row.provider_id, []).append(row.delivered_minutes)
    rows = []
    for row in ledger_week(session, council, week):
        delivered = recorded.get(row.provider_id, [])
        rows.append(
            WeeklyRow(
                provider_id=row.provider_id,
                provider_name=council.provider(row.provider_id).name,
                iso_week=iso_week(week),
                week_start=week,
                commissioned_hours=row.commissioned_minutes / 60,
                block_hours=row.block_minutes / 60,
                allocated_hours=round(row.allocated_minutes / 60, 2),
                delivered_hours=_h(row.delivered_minutes),
                averaged_delivered_hours=_h(averaged_delivered(delivered)),
                averaged_over_weeks=len(delivered),
                payable_hours=round(payable_minutes(row.block_minutes, delivered) / 60, 2),
                block_utilisation=(
                    None
                    if row.delivered_minutes is None or row.block_minutes == 0
                    else round(row.delivered_minutes / row.block_minutes, 4)
                ),
            )
        )
    return WeeklyReport(
        iso_week=iso_week(week),
        week_start=week,
        payable_averaging_weeks=contract.payable_averaging_weeks,
        providers=rows,
    )


def kpi(
    session: Session, council: Council, contract: Contract, label: str, first: date, after: date
) -> KpiReport:
    """Shares of the episodes ended in the quarter (UK dates) per provider."""
    ended = session.scalars(
        select(Referral).where(
            Referral.status == Status.ended.value,
            Referral.ended_at >= local_midnight_utc(first),
            Referral.ended_at < local_midnight_utc(after),
        )
    )
    counts: dict[str, list[str]] = {p.id: [] for p in council.providers}
    for referral in ended:
        counts.setdefault(referral.provider_id, []).append(referral.outcome or "")
    rows = []
    for provider in council.providers:
        outcomes = counts[provider.id]
        total = len(outcomes)
        none_after = outcomes.count(Outcome.no_ongoing_support.value)
        reduced = outcomes.count(Outcome.reduced_need.value)
        share_none = round(none_after / total, 4) if total else None
        share_reduced = round(reduced / total, 4) if total else None
        rows.append(
            KpiRow(
                provider_id=provider.id,
                provider_name=provider.name,
                quarter=label,
                ended=total,
                no_ongoing_support=none_after,
                reduced_need=reduced,
                no_ongoing_support_share=share_none,
                reduced_need_share=share_reduced,
                no_ongoing_support_target=contract.kpi_no_ongoing_support_target,
                reduced_need_target=contract.kpi_reduced_need_target,
                no_ongoing_support_met=(
                    None
                    if share_none is None
                    else share_none >= contract.kpi_no_ongoing_support_target
                ),
                reduced_need_met=(
                    None
                    if share_reduced is None
                    else share_reduced >= contract.kpi_reduced_need_target
                ),
            )
        )
    return KpiReport(
        quarter=label, first_day=first, last_day=after - timedelta(days=1), providers=rows
    )


def five_weeks(session: Session, contract: Contract, on: date) -> FiveWeekReport:
    """People not yet ended whose support began at least five weeks before ``on``."""
    since = on - timedelta(weeks=contract.support_weeks_max - 1)
    referrals = session.scalars(
        select(Referral)
        .where(Referral.status != Status.ended.value, Referral.start_date <= since)
        .order_by(Referral.planned_end_date, Referral.id)
    )
    people = [
        FiveWeekRow(
            referral_id=r.id,
            provider_id=r.provider_id,
            day_zone=r.day_zone,
            status=r.status,
            start_date=r.start_date,
            planned_end_date=r.planned_end_date,
            days_since_start=(on - r.start_date).days,
            days_to_planned_end=(r.planned_end_date - on).days,
        )
        for r in referrals
    ]
    return FiveWeekReport(on=on, people=people)
