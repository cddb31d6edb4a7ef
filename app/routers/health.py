from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_sessionmaker
from app.deps import AreaDep, SettingsDep

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="The service is up, its boundaries are loaded and its database answers",
    responses={503: {"description": "The database does not answer"}},
)
def health(area: AreaDep, settings: SettingsDep) -> JSONResponse:
    body = {"status": "ok", "council": area.council.id, "boundary_version": area.version}
    try:
        with get_sessionmaker(settings.database_url)() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        # No details: they could name the server, and they are in the server's log.
        return JSONResponse({**body, "status": "unavailable", "database": "unreachable"}, 503)
    return JSONResponse({**body, "database": "ok"})
