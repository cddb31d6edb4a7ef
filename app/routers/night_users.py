from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from app.deps import AreaDep, SessionDep, require
from app.errors import InvalidInput
from app.night import users
from app.schemas.night_users import (
    NightUserFromReferralIn,
    NightUserIn,
    NightUserList,
    NightUserOut,
)
from app.security import Principal, Role

router = APIRouter(prefix="/v1/night-users", tags=["night service users"])
NightCoordinator = Annotated[Principal, Depends(require(Role.night_coordinator))]

# Database integers are 32-bit (PostgreSQL INTEGER); larger ids cannot exist.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown API key"},
    403: {"description": "Role may not manage night users"},
    404: {"description": "No such user, or a postcode not in the offline table"},
    422: {"description": "Invalid input, or a place outside the council: field and reason"},
}
STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    404: {"description": "No such user or referral, or a postcode not in the offline table"},
    409: {"description": "The referral already has a night user"},
}


@router.post("", response_model=NightUserOut, status_code=201, responses=STORE_ERRORS)
def create(
    body: NightUserIn, session: SessionDep, area: AreaDep, _: NightCoordinator
) -> NightUserOut:
    """Store a night service user; the night zone comes from the allocator."""
    return NightUserOut.from_row(users.create_user(session, area, body))


@router.post(
    "/from-referral",
    response_model=NightUserOut,
    status_code=201,
    responses={
        **ERRORS,
        404: {"description": "No such referral"},
        409: {"description": "The referral already has a night user"},
        422: {"description": "Invalid input, no night support, ended, or outside the council"},
    },
)
def create_from_referral(
    body: NightUserFromReferralIn, session: SessionDep, area: AreaDep, who: NightCoordinator
) -> NightUserOut:
    """Make a night service user from a referral with night support: its place, night
    zone and night visits (every night). One night user per referral."""
    return NightUserOut.from_row(users.create_from_referral(session, area, who, body))


@router.get("", response_model=NightUserList, responses=ERRORS)
def list_all(
    session: SessionDep,
    area: AreaDep,
    _: NightCoordinator,
    night_zone: Annotated[str | None, Query(max_length=10)] = None,
) -> NightUserList:
    zones = [z.code for z in area.council.night_zones]
    if night_zone is not None and night_zone not in zones:
        raise InvalidInput(
            f"Expected a night zone of {area.council.name} ({', '.join(zones)}), "
            f"got {night_zone!r}.",
            field="query.night_zone",
        )
    rows = users.list_users(session, night_zone=night_zone)
    return NightUserList(items=[NightUserOut.from_row(r) for r in rows])


@router.get("/{id}", response_model=NightUserOut, responses=ERRORS)
def read(id: RowId, session: SessionDep, _: NightCoordinator) -> NightUserOut:
    return NightUserOut.from_row(users.get_user(session, id))


@router.put("/{id}", response_model=NightUserOut, responses=STORE_ERRORS)
def replace(
    id: RowId, body: NightUserIn, session: SessionDep, area: AreaDep, _: NightCoordinator
) -> NightUserOut:
    """Replace a user and all their visits (visit ids change)."""
    return NightUserOut.from_row(users.replace_user(session, area, id, body))


@router.delete("/{id}", status_code=204, responses=ERRORS)
def delete(id: RowId, session: SessionDep, _: NightCoordinator) -> Response:
    users.delete_user(session, id)
    return Response(status_code=204)
