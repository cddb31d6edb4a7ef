from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.deps import AreaDep, SessionDep
from app.referrals.deps import Broker, ContractDep
from app.referrals.ledger import record_delivered
from app.referrals.ledger_view import ledger_out, ledger_row
from app.referrals.params import provider_param, week_param
from app.referrals.weeks import now_utc
from app.schemas.ledger import DeliveredIn, LedgerOut, LedgerRow

router = APIRouter(prefix="/v1/ledger", tags=["ledger"])

ERRORS = {
    401: {"description": "Missing or unknown API key"},
    403: {"description": "Role may not see the ledger"},
    404: {"description": "Unknown provider"},
    422: {"description": "Invalid input: the field and the reason"},
}
Week = Annotated[str | None, Query(max_length=16, description="YYYY-Www or YYYY-MM-DD")]


@router.get("", response_model=LedgerOut, responses=ERRORS, summary="Every provider's week")
def week_ledger(
    area: AreaDep, contract: ContractDep, session: SessionDep, _: Broker, week: Week = None
) -> LedgerOut:
    """Commissioned, block, allocated, spare, UCR and delivered hours (this week by default)."""
    return ledger_out(session, area.council, contract, week_param(week))


@router.put(
    "/{provider_id}/{week}",
    response_model=LedgerRow,
    responses=ERRORS,
    summary="Record a provider's delivered hours for a week",
)
def put_delivered(
    provider_id: Annotated[str, Path(max_length=64)],
    week: Annotated[str, Path(max_length=16, description="YYYY-Www or YYYY-MM-DD")],
    body: DeliveredIn,
    area: AreaDep,
    session: SessionDep,
    principal: Broker,
) -> LedgerRow:
    row = record_delivered(
        session,
        area.council,
        provider_id=provider_param(area.council, provider_id),
        week=week_param(week, "path.week"),
        minutes=round(body.delivered_hours * 60),
        key_id=principal.key_id,
        at=now_utc(),
    )
    return ledger_row(row, area.council)
