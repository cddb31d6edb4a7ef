"""An exact point-in-ward index over a regular grid.

Every grid cell (a closed square, widened by a millimetre against rounding)
is classified once at load:

* touched by no ward boundary: the whole cell lies in one ward, or in none,
  so its answer is stored directly;
* touched by one or more ward boundaries: it is a *border cell*, and its
  candidate wards are stored as a bit mask.

A query takes the cell of each point (two multiplies, a cast and a gather);
only points in border cells are tested with shapely's ``intersects_xy``
against their candidate wards. The answer therefore equals shapely's own
``intersects`` predicate for every point, boundary included.

Border rule: a point on a border shared by several wards (``intersects`` is
true for each) goes to the ward with the lowest ONS code. Wards are sorted by
code, so that is the lowest index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

OUTSIDE = -1
BORDER = -2
MAX_WARDS = 63  # candidate masks are uint64
EPSILON_M = 1e-3


@dataclass(frozen=True)
class GridIndex:
    """Cell answers for a grid over the wards' extent, padded by one outside cell."""

    polygons: NDArray[np.object_]
    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int
    cells: NDArray[np.int8]
    masks: NDArray[np.uint64]

    @classmethod
    def build(cls, polygons: NDArray[np.object_], *, cell_m: float = 20.0) -> GridIndex:
        """Classify every cell of a ``cell_m`` grid over ``polygons`` (EPSG:27700 metres)."""
        if len(polygons) > MAX_WARDS:
            raise ValueError(f"Expected at most {MAX_WARDS} wards, got {len(polygons)}.")
        xmin, ymin, xmax, ymax = shapely.total_bounds(polygons)
        # One padding cell on every side: points clipped onto it are outside every ward.
        x0, y0 = xmin - cell_m, ymin - cell_m
        nx = int(np.ceil((xmax - x0) / cell_m)) + 2
        ny = int(np.ceil((ymax - y0) / cell_m)) + 2
        ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
        left, bottom = x0 + ix.ravel() * cell_m, y0 + iy.ravel() * cell_m
        boxes = shapely.box(
            left - EPSILON_M,
            bottom - EPSILON_M,
            left + cell_m + EPSILON_M,
            bottom + cell_m + EPSILON_M,
        )
        tree = shapely.STRtree(boxes)
        boundaries = shapely.boundary(polygons)
        ward_idx, cell_idx = tree.query(boundaries, predicate="intersects")
        masks = np.zeros(nx * ny, dtype=np.uint64)
        np.bitwise_or.at(masks, cell_idx, np.left_shift(np.uint64(1), ward_idx.astype(np.uint64)))

        cells = np.full(nx * ny, OUTSIDE, dtype=np.int8)
        cells[masks != 0] = BORDER
        # A cell no boundary touches is uniform: its centre decides for all of it.
        interior = np.flatnonzero(masks == 0)
        cx, cy = left[interior] + cell_m / 2, bottom[interior] + cell_m / 2
        for w in range(len(polygons) - 1, -1, -1):
            shapely.prepare(polygons[w])
            hit = shapely.intersects_xy(polygons[w], cx, cy)
            cells[interior[hit]] = w
        return cls(polygons, x0, y0, cell_m, nx, ny, cells.reshape(ny, nx), masks.reshape(ny, nx))

    @property
    def border_share(self) -> float:
        """Share of the grid's cells that are border cells."""
        return float(np.mean(self.cells == BORDER))

    def locate(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int16]:
        """Ward index of each point (EPSG:27700 metres), or -1 outside every ward.

        Exact: equal to the lowest-index ward whose polygon ``intersects`` the point.
        Non-finite coordinates answer -1.
        """
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        inv = 1.0 / self.cell_m
        with np.errstate(invalid="ignore"):
            col = ((x - self.x0) * inv).astype(np.int32)
            row = ((y - self.y0) * inv).astype(np.int32)
        # Far-off (and NaN) points clip onto the padding ring, which is outside.
        np.clip(col, 0, self.nx - 1, out=col)
        np.clip(row, 0, self.ny - 1, out=row)
        flat = row * self.nx + col
        result = self.cells.ravel().take(flat).astype(np.int16)
        border = np.flatnonzero(result == BORDER)
        if border.size:
            result[border] = self._resolve(
                x[border], y[border], self.masks.ravel().take(flat[border])
            )
        return result

    def _resolve(
        self, x: NDArray[np.float64], y: NDArray[np.float64], masks: NDArray[np.uint64]
    ) -> NDArray[np.int16]:
        answer = np.full(x.shape, OUTSIDE, dtype=np.int16)
        # Highest index first, so the lowest-index ward that holds a point wins.
        for w in range(len(self.polygons) - 1, -1, -1):
            idx = np.flatnonzero(masks & np.uint64(1 << w))
            if idx.size:
                hit = shapely.intersects_xy(self.polygons[w], x[idx], y[idx])
                answer[idx[hit]] = w
        return answer
