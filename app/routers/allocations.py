from __future__ import annotations

from fastapi import APIRouter

from app.allocation_batch import allocate_item
from app.deps import Allocator, AreaDep
from app.schemas.allocation import AllocationIn, AllocationOut, BatchIn, BatchOut
from geo.postcodes import normalise

router = APIRouter(prefix="/v1/allocations", tags=["allocations"])

ERRORS = {
    401: {"description": "Missing or unknown API key"},
    403: {"description": "Role may not allocate"},
    404: {"description": "Well-formed postcode not in the offline table"},
    422: {"description": "Invalid input: the field and the reason"},
}


@router.post("", response_model=AllocationOut, responses=ERRORS, summary="Allocate one place")
async def allocate(body: AllocationIn, area: AreaDep, _: Allocator) -> AllocationOut:
    """Ward, day zone and night zone for a point or postcode; out of area, the nearest ones."""
    postcode = normalise(body.postcode) if body.postcode is not None else None
    return AllocationOut.from_domain(body.allocate(area), area, postcode)


@router.post("/batch", response_model=BatchOut, responses=ERRORS, summary="Allocate up to 10,000")
def allocate_batch(body: BatchIn, area: AreaDep, _: Allocator) -> BatchOut:
    """Answers in the same order as the items; a bad item gets an error entry in its place."""
    items = [allocate_item(i, item, area) for i, item in enumerate(body.items)]
    return BatchOut(items=items, boundary_version=area.version)
