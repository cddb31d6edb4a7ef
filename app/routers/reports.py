from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.deps import AreaDep, SessionDep
from app.referrals import reports
from app.referrals.csv_out import CSV_RESPONSE, csv_response, wants_csv
from app.referrals.deps import BrokerOrCommissioner, Commissioner, ContractDep
from app.referrals.params import quarter_param, week_param
from app.referrals.weeks import today_london
from app.schemas.reports import (
    FiveWeekReport,
    FiveWeekRow,
    KpiReport,
    KpiRow,
    WeeklyReport,
    WeeklyRow,
)

router = APIRouter(prefix="/v1/reports", tags=["reports"])

ERRORS = {
    **CSV_RESPONSE,
    401: {"description": "Missing or unknown API key"},
    403: {"description": "Role may not see reports"},
    422: {"description": "Invalid input: the field and the reason"},
}
Format = Annotated[Literal["json", "csv"] | None, Query(alias="format")]


@router.get("/weekly", response_model=WeeklyReport, responses=ERRORS, summary="Payable hours")
def weekly(
    request: Request,
    area: AreaDep,
    contract: ContractDep,
    session: SessionDep,
    _: Commissioner,
    week: Annotated[str | None, Query(max_length=16, description="YYYY-Www or a date")] = None,
    format_: Format = None,
) -> WeeklyReport | Response:
    """Per provider: block, delivered and payable hours, and block utilisation."""
    report = reports.weekly(session, area.council, contract, week_param(week))
    if wants_csv(request, format_):
        return csv_response(
            report.providers, list(WeeklyRow.model_fields), f"weekly-{report.iso_week}.csv"
        )
    return report


@router.get("/kpi", response_model=KpiReport, responses=ERRORS, summary="Quarterly KPIs")
def kpi(
    request: Request,
    area: AreaDep,
    contract: ContractDep,
    session: SessionDep,
    _: Commissioner,
    quarter: Annotated[str, Query(max_length=8, description="Calendar quarter, e.g. 2026-Q4")],
    format_: Format = None,
) -> KpiReport | Response:
    """Per provider: shares of ended episodes with no ongoing support and with reduced need."""
    first, after = quarter_param(quarter)
    report = reports.kpi(session, area.council, contract, quarter, first, after)
    if wants_csv(request, format_):
        return csv_response(report.providers, list(KpiRow.model_fields), f"kpi-{quarter}.csv")
    return report


@router.get(
    "/five-weeks", response_model=FiveWeekReport, responses=ERRORS, summary="At or past 5 weeks"
)
def five_weeks(
    request: Request,
    contract: ContractDep,
    session: SessionDep,
    _: BrokerOrCommissioner,
    on: Annotated[
        date | None,
        Query(description="UK date; today by default", ge=date(2000, 1, 1), le=date(2100, 12, 31)),
    ] = None,
    format_: Format = None,
) -> FiveWeekReport | Response:
    """People still supported five weeks or more after their start, soonest end first."""
    day = on or today_london()
    report = reports.five_weeks(session, contract, day)
    if wants_csv(request, format_):
        return csv_response(report.people, list(FiveWeekRow.model_fields), f"five-weeks-{day}.csv")
    return report
