"""Dependencies shared by the routers: settings, the loaded area, a DB session, the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from app.db import get_sessionmaker, session_scope
from app.errors import Forbidden, Unauthorized
from app.security import (
    API_KEY_HEADER,
    Principal,
    PrincipalCache,
    Role,
    principal_for_id,
    principal_for_key,
)
from app.settings import Settings
from geo.area import Area

_api_key = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="API key")


# Cheap dependencies are async so they run on the event loop, not via a threadpool hop.
async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_area(request: Request) -> Area:
    area: Area = request.app.state.area
    return area


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
AreaDep = Annotated[Area, Depends(get_area)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    yield from session_scope(settings.database_url)


# scope="function": commit before the response goes out. FastAPI's default for a
# yield dependency ends it after the response, so a client that read straight after
# a write could miss it, and a failed commit would follow a success already sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _lookup(url: str, key: str | None, key_id: int | None) -> Principal | None:
    with get_sessionmaker(url)() as session:
        if key:
            return principal_for_key(session, key)
        return principal_for_id(session, key_id) if key_id is not None else None


async def current_principal(
    request: Request, settings: SettingsDep, key: Annotated[str | None, Depends(_api_key)]
) -> Principal:
    """The caller, from the X-API-Key header or the pages' signed session cookie.

    A key seen live in the last ``auth_cache_seconds`` skips the database;
    otherwise one short read runs in the threadpool.
    """
    cache: PrincipalCache | None = getattr(request.app.state, "principal_cache", None)
    if cache is None:
        cache = request.app.state.principal_cache = PrincipalCache(settings.auth_cache_seconds)
    principal = cache.get(key) if key else None
    if principal is None:
        key_id = None
        if not key and "session" in request.scope and request.session.get("key_id") is not None:
            key_id = int(request.session["key_id"])
        principal = await run_in_threadpool(_lookup, settings.database_url, key, key_id)
        if principal is not None and key:
            cache.put(key, principal)
    if principal is None:
        reason = "API key is unknown or revoked." if key else f"Missing {API_KEY_HEADER} header."
        raise Unauthorized(reason, field=f"header.{API_KEY_HEADER}")
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency that admits the given roles (and admin), else 403."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.may(*roles):
            allowed = ", ".join(r.value for r in roles) or "admin"
            raise Forbidden(f"Role {principal.role.value!r} may not do this; needs {allowed}.")
        return principal

    return check


# Allocation answers where an address falls; every operational role needs it.
Allocator = Annotated[
    Principal,
    Depends(require(Role.brokerage, Role.discharge_system, Role.night_coordinator)),
]
AnyRole = Annotated[Principal, Depends(current_principal)]
