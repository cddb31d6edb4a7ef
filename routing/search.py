"""OR-Tools search settings shared by the night planner and the Solomon benchmark.

Determinism: OR-Tools' routing search has no random seed and runs on one thread,
so the same model and the same *solution limit* give the same answer on every run.
A wall-clock time limit does not (a busier machine finds fewer solutions), so it is
kept only as a safety cap; the API's default stopping rule is the solution limit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from routing.errors import RoutingError

FIRST_SOLUTIONS = frozenset(routing_enums_pb2.FirstSolutionStrategy.Value.keys()) - {"UNSET"}
METAHEURISTICS = frozenset(routing_enums_pb2.LocalSearchMetaheuristic.Value.keys()) - {"UNSET"}
INSERTION_LNS_OPERATORS = (
    "use_global_cheapest_insertion_path_lns",
    "use_local_cheapest_insertion_path_lns",
    "use_relocate_path_global_cheapest_insertion_insert_unperformed",
)
"""Large-neighbourhood operators that empty a whole path and re-insert its visits.

On the night model (break intervals, soft windows) each of their moves re-runs the
cumul optimisers over whole routes; switching them off roughly doubled the search
throughput and reached the best plan sooner (docs/routing.md)."""


@dataclass(frozen=True)
class SearchSettings:
    """How long and how OR-Tools searches.

    Parameters
    ----------
    first_solution
        A ``FirstSolutionStrategy`` name. Default chosen by measurement (docs/routing.md):
        on the Coventry night benchmark ``LOCAL_CHEAPEST_INSERTION`` leads guided
        local search to a plan with every visit served, where
        ``PARALLEL_CHEAPEST_INSERTION`` stays stuck with one visit dropped even after
        two minutes. The insertion strategies also solve R101/RC101, where
        ``PATH_CHEAPEST_ARC`` and ``AUTOMATIC`` do not.
    metaheuristic
        A ``LocalSearchMetaheuristic`` name.
    then_metaheuristics
        Further metaheuristics to alternate with ``metaheuristic`` (OR-Tools'
        ``local_search_metaheuristics``): the search switches to the next one after
        ``local_optima_per_metaheuristic`` local optima, cycling. Default
        ``("TABU_SEARCH",)``: on the night benchmark guided local search alone sits on
        one plan for over 30 s, while alternating with tabu search leaves it within
        a few seconds (docs/routing.md). ``()`` runs ``metaheuristic`` alone.
    local_optima_per_metaheuristic
        Local optima before switching metaheuristic (OR-Tools'
        ``num_max_local_optima_before_metaheuristic_switch``).
    solution_limit
        Stop after this many solutions (deterministic). ``None`` for no limit.
    time_limit_s
        Wall-clock cap in seconds (not deterministic; a safety net).
    branch_limit
        Deterministic cap on search branches (``None``: none), for models so small
        that guided local search stops finding new solutions.
    guided_local_search_lambda
        OR-Tools' ``guided_local_search_lambda_coefficient`` (its own default is 0.1):
        how hard guided local search penalises the arcs of a local optimum.
    also_first_solution
        A second first-solution strategy: every plan is solved from both, and the
        plan with the lower objective is kept (:meth:`variants`). The two solves are
        independent, so the app runs them side by side on two cores. ``None`` (or the
        same name as ``first_solution``) solves once. On random Coventry nights
        ``LOCAL_CHEAPEST_INSERTION`` and ``PARALLEL_CHEAPEST_INSERTION`` each give the
        better plan on some nights (docs/routing.md).
    insertion_lns
        Keep OR-Tools' path-emptying cheapest-insertion LNS operators
        (:data:`INSERTION_LNS_OPERATORS`); off by default, by measurement.
    """

    first_solution: str = "LOCAL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    solution_limit: int | None = 240
    time_limit_s: float = 30.0
    branch_limit: int | None = 2_000_000
    guided_local_search_lambda: float = 0.3
    insertion_lns: bool = False
    then_metaheuristics: tuple[str, ...] = ("TABU_SEARCH",)
    local_optima_per_metaheuristic: int = 20
    also_first_solution: str | None = "PARALLEL_CHEAPEST_INSERTION"

    def __post_init__(self) -> None:
        if self.first_solution not in FIRST_SOLUTIONS:
            names = sorted(FIRST_SOLUTIONS)
            msg = f"Expected first_solution in {names}, got {self.first_solution!r}."
            raise RoutingError(msg)
        if self.also_first_solution is not None and self.also_first_solution not in FIRST_SOLUTIONS:
            names = sorted(FIRST_SOLUTIONS)
            msg = (
                f"Expected also_first_solution in {names} or None, "
                f"got {self.also_first_solution!r}."
            )
            raise RoutingError(msg)
        if self.metaheuristic not in METAHEURISTICS:
            names = sorted(METAHEURISTICS)
            msg = f"Expected metaheuristic in {names}, got {self.metaheuristic!r}."
            raise RoutingError(msg)
        for name in self.then_metaheuristics:
            if name not in METAHEURISTICS - {"AUTOMATIC"}:
                names = sorted(METAHEURISTICS - {"AUTOMATIC"})
                msg = f"Expected then_metaheuristics from {names}, got {name!r}."
                raise RoutingError(msg)
        if self.then_metaheuristics and self.metaheuristic == "AUTOMATIC":
            msg = "Expected a named metaheuristic to alternate with, got 'AUTOMATIC'."
            raise RoutingError(msg)
        if (
            isinstance(self.local_optima_per_metaheuristic, bool)
            or self.local_optima_per_metaheuristic < 1
        ):
            msg = (
                "Expected local_optima_per_metaheuristic >= 1, "
                f"got {self.local_optima_per_metaheuristic!r}."
            )
            raise RoutingError(msg)
        if self.solution_limit is not None and (
            isinstance(self.solution_limit, bool) or self.solution_limit < 1
        ):
            msg = f"Expected solution_limit >= 1 or None, got {self.solution_limit!r}."
            raise RoutingError(msg)
        if not 0 < self.time_limit_s <= 3600:
            msg = f"Expected 0 < time_limit_s <= 3600, got {self.time_limit_s}."
            raise RoutingError(msg)
        if self.branch_limit is not None and (
            isinstance(self.branch_limit, bool) or self.branch_limit < 1
        ):
            msg = f"Expected branch_limit >= 1 or None, got {self.branch_limit!r}."
            raise RoutingError(msg)
        if not 0 < self.guided_local_search_lambda <= 10:
            msg = (
                "Expected 0 < guided_local_search_lambda <= 10, "
                f"got {self.guided_local_search_lambda!r}."
            )
            raise RoutingError(msg)

    def variants(self) -> tuple[SearchSettings, ...]:
        """The independent single searches this search consists of, in order.

        Each variant has ``also_first_solution=None``, so solving with it is one solve.
        The planner keeps the best plan over all variants; ties go to the first.
        """
        first = replace(self, also_first_solution=None)
        also = self.also_first_solution
        if also is None or also == self.first_solution:
            return (first,)
        return (first, replace(first, first_solution=also))

    def parameters(self) -> pywrapcp.RoutingSearchParameters:
        """The OR-Tools search parameters for these settings."""
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = getattr(
            routing_enums_pb2.FirstSolutionStrategy, self.first_solution
        )
        kinds = routing_enums_pb2.LocalSearchMetaheuristic
        if self.then_metaheuristics:
            params.local_search_metaheuristic = kinds.UNSET
            params.local_search_metaheuristics.extend(
                getattr(kinds, name) for name in (self.metaheuristic, *self.then_metaheuristics)
            )
            params.num_max_local_optima_before_metaheuristic_switch = (
                self.local_optima_per_metaheuristic
            )
        else:
            params.local_search_metaheuristic = getattr(kinds, self.metaheuristic)
        params.guided_local_search_lambda_coefficient = self.guided_local_search_lambda
        if not self.insertion_lns:
            for name in INSERTION_LNS_OPERATORS:
                setattr(params.local_search_operators, name, optional_boolean_pb2.BOOL_FALSE)
        if self.solution_limit is not None:
            params.solution_limit = self.solution_limit
        whole = int(self.time_limit_s)
        params.time_limit.seconds = whole
        params.time_limit.nanos = int(round((self.time_limit_s - whole) * 1e9))
        return params


def status_name(routing: pywrapcp.RoutingModel) -> str:
    """Readable name of the routing model's status after a solve."""
    code = int(routing.status())
    try:
        return str(routing_enums_pb2.RoutingSearchStatus.Value.Name(code))
    except ValueError:
        return f"STATUS_{code}"


def solve_with_limits(
    routing: pywrapcp.RoutingModel, search: SearchSettings
) -> pywrapcp.Assignment | None:
    """Solve with ``search``; also stop after ``search.branch_limit`` branches.

    Guided local search on a tiny model can run out of new solutions and then spin
    until the time limit; the branch count is a deterministic cap that ends it.
    """
    if search.branch_limit is not None:
        routing.AddSearchMonitor(routing.solver().BranchesLimit(search.branch_limit))
    return routing.SolveWithParameters(search.parameters())
