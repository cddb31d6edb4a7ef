"""The night solver, run in a worker process so the server keeps answering.

OR-Tools holds the GIL for the whole search (measured: a thread that sleeps 10 ms
in a loop got no turn during a 12 s solve), so a thread pool would freeze every
other request, ``/health`` included. A process pool (two workers by default,
``CAREZONES_SOLVER_WORKERS``) is created when the app starts; each worker builds the
travel source once (a road graph is loaded there, not per request). Each plan or
re-plan is one independent search per variant (``routing.solve.plan_variants``),
run side by side on the workers and awaited without blocking the loop; the best
plan is kept, which is the plan the routing core gives on one core.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from routing.errors import TravelSourceError
from routing.night import Night
from routing.replan import CarPosition, Replan, best_replan, replan
from routing.settings import PlanSettings
from routing.solve import best_plan, plan_night, plan_variants
from routing.travel import StraightLine, TravelSource, travel_source
from routing.types import Car, Plan, Point, Visit


@dataclass(frozen=True)
class TravelSpec:
    """How to build the travel source: a GraphML file, else the straight-line estimate."""

    graph_path: Path | None
    circuity: float
    speed_kmh: float

    def build(self) -> TravelSource:
        return travel_source(self.graph_path, circuity=self.circuity, speed_kmh=self.speed_kmh)


T = TypeVar("T")
_travel: TravelSource | None = None


def _init_worker(spec: TravelSpec) -> None:
    global _travel
    _travel = spec.build()


def _source(speed_kmh: float | None) -> TravelSource:
    assert _travel is not None, "worker not initialised"
    if speed_kmh is not None and isinstance(_travel, StraightLine):
        return StraightLine(circuity=_travel.circuity, speed_kmh=speed_kmh)
    return _travel


def _plan(
    visits: Sequence[Visit],
    cars: Sequence[Car],
    night: Night,
    settings: PlanSettings,
    speed_kmh: float | None,
) -> Plan:
    return plan_night(visits, cars, _source(speed_kmh), night=night, settings=settings)


def _replan(
    plan: Plan,
    visits: Sequence[Visit],
    cars: Sequence[Car],
    night: Night,
    settings: PlanSettings,
    speed_kmh: float | None,
    now_s: int,
    done: Sequence[str],
    cancelled: Sequence[str],
    added: Sequence[Visit],
    positions: dict[str, CarPosition],
) -> Replan:
    return replan(
        plan,
        visits,
        cars,
        _source(speed_kmh),
        night=night,
        now_s=now_s,
        done=done,
        cancelled=cancelled,
        added=added,
        positions=positions,
        settings=settings,
    )


MAX_BASE_TO_BASE_S = 2 * 3600


def check_coverage(travel: TravelSource, bases: dict[str, Point]) -> None:
    """Refuse a travel source on which the cars' bases are hours apart.

    A road graph of the wrong place snaps every base to a far-away node, and every
    plan would then fail as "infeasible"; saying so at start-up is clearer.
    """
    names = list(bases)
    matrix = travel.matrix([bases[n] for n in names])
    worst = int(matrix.duration_s.max()) if names else 0
    if worst > MAX_BASE_TO_BASE_S:
        msg = (
            f"Expected a travel source that covers the night bases ({', '.join(names)}), "
            f"got {travel.source} on which they are up to {worst} s apart; "
            "is CAREZONES_ROAD_GRAPH_PATH a graph of this council?"
        )
        raise TravelSourceError(msg)


class NightSolver:
    """The app's solver: the travel source (built at start-up) and worker processes."""

    def __init__(self, spec: TravelSpec, *, workers: int = 2) -> None:
        self.spec = spec
        self.travel = spec.build()  # fails at start-up, not on the first request
        self._workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # "spawn": forking a server that runs threads can copy a held lock into the child.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.spec,),
        )

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        # A worker that died (killed, out of memory) breaks the pool: start a new one and
        # try once more. Only the request that saw the current pool break replaces it.
        for attempt in (1, 2):
            pool = self._pool
            try:
                return await asyncio.wrap_future(pool.submit(fn, *args))
            except BrokenProcessPool:
                if attempt == 2:
                    raise
                if self._pool is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
        raise AssertionError("unreachable")

    @property
    def straight_line(self) -> bool:
        return isinstance(self.travel, StraightLine)

    async def plan(
        self,
        visits: Sequence[Visit],
        cars: Sequence[Car],
        *,
        night: Night,
        settings: PlanSettings,
        speed_kmh: float | None = None,
    ) -> Plan:
        # One solve per search variant, side by side on the workers; the best is kept,
        # which is the plan plan_night(settings) would give on one core.
        visits, cars = list(visits), list(cars)
        plans = await asyncio.gather(
            *(
                self._run(_plan, visits, cars, night, variant, speed_kmh)
                for variant in plan_variants(settings)
            )
        )
        return best_plan(plans)

    async def replan(
        self,
        plan: Plan,
        visits: Sequence[Visit],
        cars: Sequence[Car],
        *,
        night: Night,
        settings: PlanSettings,
        speed_kmh: float | None,
        now_s: int,
        done: Sequence[str],
        cancelled: Sequence[str],
        added: Sequence[Visit],
        positions: dict[str, CarPosition],
    ) -> Replan:
        args = (list(visits), list(cars), night)
        rest = (speed_kmh, now_s, list(done), list(cancelled), list(added), positions)
        replans = await asyncio.gather(
            *(
                self._run(_replan, plan, *args, variant, *rest)
                for variant in plan_variants(settings)
            )
        )
        return best_replan(replans)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
