from __future__ import annotations

from fastapi import APIRouter

from app.deps import AreaDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the service is up and its boundaries are loaded")
async def health(area: AreaDep) -> dict[str, str]:
    return {"status": "ok", "council": area.council.id, "boundary_version": area.version}
