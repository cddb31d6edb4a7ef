from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from app.deps import AreaDep, SessionDep
from app.errors import InvalidInput
from app.referrals import queries, service
from app.referrals.csv_out import CSV_RESPONSE, referrals_csv, wants_csv
from app.referrals.deps import Broker, ContractDep, Referrer
from app.referrals.models import Status
from app.referrals.present import referral_out
from app.schemas.referrals import EventIn, ReferralIn, ReferralOut, ReferralPage, ReferralSearch

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])

ERRORS = {
    401: {"description": "Missing or unknown API key"},
    403: {"description": "Role may not do this"},
    404: {"description": "Unknown referral or postcode"},
    409: {"description": "Provider full (with alternatives), UCR cap, or idempotency clash"},
    422: {"description": "Invalid input: the field and the reason"},
}
ReferralId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CSV_MAX_ROWS = 10_000


@router.post(
    "",
    response_model=ReferralOut,
    status_code=status.HTTP_201_CREATED,
    responses={**ERRORS, 200: {"description": "Replay of an earlier request with the same key"}},
    summary="Refer a person: allocate, reserve the provider's hours, store",
)
def create_referral(
    body: ReferralIn,
    response: Response,
    area: AreaDep,
    contract: ContractDep,
    session: SessionDep,
    principal: Referrer,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
    ] = None,
) -> ReferralOut:
    """Same `Idempotency-Key` and body: the same referral (200). Other body: 409."""
    created = service.create_referral(session, area, contract, principal, body, idempotency_key)
    if created.replayed:
        response.status_code = status.HTTP_200_OK
    return referral_out(created.referral, area.council)


@router.get(
    "",
    response_model=ReferralPage,
    responses={**ERRORS, **CSV_RESPONSE},
    summary="List referrals",
)
def list_referrals(
    request: Request,
    area: AreaDep,
    session: SessionDep,
    principal: Referrer,
    zone: Annotated[str | None, Query(max_length=16, description="Day zone code")] = None,
    provider: Annotated[str | None, Query(max_length=64)] = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    ends_within_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    format_: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
) -> ReferralPage | Response:
    """Oldest first. A discharge system sees only its own referrals.

    As CSV (`format=csv` or `Accept: text/csv`): every referral that matches, one
    flat row each, without paging (at most 10,000: narrow the filters beyond that)."""
    if wants_csv(request, format_):
        where = queries.ReferralFilter(zone, provider, status_, ends_within_days, CSV_MAX_ROWS + 1)
        rows, total = queries.list_referrals(session, principal, where)
        if total > CSV_MAX_ROWS:
            msg = f"Expected at most {CSV_MAX_ROWS:,} referrals in a download, got {total:,}."
            raise InvalidInput(f"{msg} Narrow the filters.", field="query.format")
        return referrals_csv([referral_out(r, area.council) for r in rows], "referrals.csv")
    where = queries.ReferralFilter(zone, provider, status_, ends_within_days, limit, offset)
    rows, total = queries.list_referrals(session, principal, where)
    items = [referral_out(r, area.council) for r in rows]
    return ReferralPage(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/search", response_model=ReferralPage, responses=ERRORS, summary="Find a person's referrals"
)
def search_referrals(
    body: ReferralSearch, area: AreaDep, session: SessionDep, principal: Referrer
) -> ReferralPage:
    """By NHS number (exact) or any part of the name, oldest first. A POST, so that the
    personal details searched for never appear in a URL or an access log. A discharge
    system finds only its own referrals."""
    where = queries.ReferralFilter(
        limit=body.limit, offset=body.offset, nhs_number=body.nhs_number, name_contains=body.name
    )
    rows, total = queries.list_referrals(session, principal, where)
    items = [referral_out(r, area.council) for r in rows]
    return ReferralPage(items=items, total=total, limit=body.limit, offset=body.offset)


@router.get("/{referral_id}", response_model=ReferralOut, responses=ERRORS, summary="One referral")
def get_referral(
    referral_id: ReferralId, area: AreaDep, session: SessionDep, principal: Referrer
) -> ReferralOut:
    """With its history. A discharge system gets 404 for referrals it did not send."""
    referral = queries.get_referral(session, principal, referral_id)
    events = service.events_of(session, referral.id)
    return referral_out(referral, area.council, events, service.key_names(session, events))


@router.post(
    "/{referral_id}/events",
    response_model=ReferralOut,
    responses=ERRORS,
    summary="Record a status change: started, hours_changed, ended",
)
def add_event(
    referral_id: ReferralId,
    body: EventIn,
    area: AreaDep,
    contract: ContractDep,
    session: SessionDep,
    principal: Broker,
) -> ReferralOut:
    referral = service.change_status(session, area, contract, principal, referral_id, body)
    events = service.events_of(session, referral.id)
    return referral_out(referral, area.council, events, service.key_names(session, events))
