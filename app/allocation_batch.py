"""Allocating a batch of mixed inputs, each answered in place with a result or an error."""

from __future__ import annotations

from pydantic import ValidationError

from app.errors import reason_of
from app.schemas.allocation import AllocationIn, AllocationOut, BatchItemOut, ItemError
from geo.area import Area
from geo.errors import CoordinateError, GeoError, PostcodeFormatError, PostcodeNotFoundError
from geo.postcodes import normalise


def allocate_item(index: int, item: object, area: Area) -> BatchItemOut:
    """One batch item: its allocation, or the error a single request would have had.

    Fields are named as in the batch request (``body.items.3.lat``)."""
    at = f"body.items.{index}"
    try:
        request = AllocationIn.model_validate(item)
        postcode = normalise(request.postcode) if request.postcode is not None else None
        allocation = request.allocate(area)
    except ValidationError as exc:
        fields = [
            {"field": ".".join(str(p) for p in (at, *e["loc"])), "reason": reason_of(e)}
            for e in exc.errors()
        ]
        error = ItemError(
            status=422, code="invalid_input", message=fields[0]["reason"], fields=fields
        )
        return BatchItemOut(index=index, error=error)
    except CoordinateError as exc:
        field = f"{at}.{exc.field}"
        error = ItemError(
            status=422,
            code="invalid_coordinates",
            message=str(exc),
            fields=[{"field": field, "reason": str(exc)}],
        )
        return BatchItemOut(index=index, error=error)
    except PostcodeNotFoundError as exc:
        error = ItemError(
            status=404,
            code="postcode_not_found",
            message=str(exc),
            fields=[{"field": f"{at}.postcode", "reason": str(exc)}],
        )
        return BatchItemOut(index=index, error=error)
    except PostcodeFormatError as exc:
        error = ItemError(
            status=422,
            code="invalid_postcode",
            message=str(exc),
            fields=[{"field": f"{at}.postcode", "reason": str(exc)}],
        )
        return BatchItemOut(index=index, error=error)
    except GeoError as exc:
        error = ItemError(status=422, code="invalid_input", message=str(exc))
        return BatchItemOut(index=index, error=error)
    return BatchItemOut(
        index=index, allocation=AllocationOut.from_domain(allocation, area, postcode)
    )
