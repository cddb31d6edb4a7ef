from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from app.deps import AreaDep, SessionDep, require
from app.night import exports, planning, replanning
from app.night.solver import NightSolver, TravelSpec, check_coverage
from app.schemas.night_plans import PlanList, PlanOut, PlanRequest, ReplanRequest
from app.security import Principal, Role
from routing.errors import TravelSourceError
from routing.types import Point


@asynccontextmanager
async def night_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the travel source and the solver's worker once, when the app starts."""
    settings = app.state.settings
    solver = NightSolver(
        TravelSpec(settings.road_graph_path, settings.circuity_factor, settings.night_speed_kmh),
        workers=settings.solver_workers,
    )
    zones = app.state.area.council.night_zones
    try:
        check_coverage(solver.travel, {z.code: Point(z.base_lat, z.base_lon) for z in zones})
    except TravelSourceError:
        solver.close()
        raise
    app.state.night_solver = solver
    try:
        yield
    finally:
        solver.close()


router = APIRouter(prefix="/v1/night-plans", tags=["night plans"], lifespan=night_lifespan)
NightCoordinator = Annotated[Principal, Depends(require(Role.night_coordinator))]


def get_solver(request: Request) -> NightSolver:
    solver: NightSolver = request.app.state.night_solver
    return solver


SolverDep = Annotated[NightSolver, Depends(get_solver)]

# Database integers are 32-bit (PostgreSQL INTEGER); larger ids cannot exist.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown API key"},
    403: {"description": "Role may not plan nights"},
    404: {"description": "No such plan (or user / postcode in a re-plan)"},
    422: {"description": "Invalid input: the field and the reason"},
    500: {"description": "The planner's answer failed its independent check (never returned)"},
}


@router.get("", response_model=PlanList, responses=ERRORS)
def list_all(
    session: SessionDep,
    _: NightCoordinator,
    date: Annotated[dt.date | None, Query(description="Only plans of this night")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PlanList:
    """Stored plans, newest first (re-plans included; ``parent_id`` links them)."""
    return PlanList(items=planning.list_plans(session, night_date=date, limit=limit))


# The ".geojson" and ".csv" paths come before "/{id}", which would match them first.
@router.post("", response_model=PlanOut, status_code=201, responses=ERRORS)
async def create(
    body: PlanRequest, session: SessionDep, area: AreaDep, solver: SolverDep, _: NightCoordinator
) -> PlanOut:
    """Plan the night from 22:00 on ``date`` to 07:00 next morning (Europe/London).

    The solve runs in a worker process: other requests, ``/health`` included, keep
    answering. Visits no car can serve come back in ``unassigned`` with the reason.
    """
    return await planning.create_plan(session, area, solver, body)


@router.get(
    "/{id}.geojson",
    responses={**ERRORS, 200: {"content": {"application/geo+json": {}}}},
    summary="The plan as GeoJSON (RFC 7946): one LineString per car, one Point per stop",
)
def read_geojson(id: RowId, session: SessionDep, _: NightCoordinator) -> JSONResponse:
    row = planning.get_plan(session, id)
    body = exports.geojson(planning.domain_plan(row), row.id)
    return JSONResponse(body, media_type="application/geo+json")


@router.get(
    "/{id}.csv",
    response_class=PlainTextResponse,
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
    summary="The plan as CSV: one row per stop, local clock times",
)
def read_csv(id: RowId, session: SessionDep, _: NightCoordinator) -> PlainTextResponse:
    row = planning.get_plan(session, id)
    text = exports.csv_text(planning.domain_plan(row), row.inputs["meta"])
    return PlainTextResponse(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="night-plan-{row.id}.csv"'},
    )


@router.get("/{id}", response_model=PlanOut, responses=ERRORS)
def read(id: RowId, session: SessionDep, _: NightCoordinator) -> PlanOut:
    return planning.plan_out(planning.get_plan(session, id))


@router.get(
    "/{id}/runsheet",
    response_class=HTMLResponse,
    responses=ERRORS,
    summary="Printable HTML run sheets, one page per crew",
)
def read_runsheet(
    id: RowId, session: SessionDep, area: AreaDep, _: NightCoordinator
) -> HTMLResponse:
    plan = planning.plan_out(planning.get_plan(session, id))
    return HTMLResponse(exports.runsheet_html(plan, area.council.name))


@router.post("/{id}/replan", response_model=PlanOut, status_code=201, responses=ERRORS)
async def replan(
    id: RowId,
    body: ReplanRequest,
    session: SessionDep,
    area: AreaDep,
    solver: SolverDep,
    _: NightCoordinator,
) -> PlanOut:
    """Keep what is done, drop what is cancelled, add new calls and re-plan the rest.

    The new plan is stored with its own id (``parent_id`` is this plan) and lists
    its ``changes``: moved, added, dropped, cancelled, time_shifted.
    """
    return await replanning.replan_plan(session, area, solver, id, body)
