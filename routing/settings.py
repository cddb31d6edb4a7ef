"""Planning knobs: costs, windows and the search, in one validated object."""

from __future__ import annotations

from dataclasses import dataclass, field

from routing.errors import RoutingError
from routing.search import SearchSettings
from routing.types import Visit


@dataclass(frozen=True)
class PlanSettings:
    """Costs and limits of the night model. Costs are in *cost units*: one unit is
    one second of driving, so every other cost reads as "worth N seconds of travel".

    Parameters
    ----------
    lateness_cost_per_s
        Cost per second a non-strict visit starts after ``requested + tolerance``.
    earliness_cost_per_s
        Cost per second a non-strict visit starts before ``requested - tolerance``
        (only possible when ``max_early_s > 0``).
    strict_lateness_cost_per_s
        Cost per second a strict (time-critical) visit starts after its requested
        time, inside its hard window: it pulls a late medication call toward the time
        asked for instead of the window's edge. Starting early inside the window is
        free. (A pull from both sides, a soft lower bound too, was measured: at 1 per
        second it made the search drop 2 to 11 visits a night; docs/routing.md.)
    max_late_s, max_early_s
        How far a non-strict visit may go beyond its tolerance window at all (hard).
    cross_zone_cost
        Added to the cost of a car entering a visit outside its own night zone.
    min_gap_s
        Minimum time between the end of one visit and the start of the next visit to
        the same person (``person_id``).
    drop_penalty_per_priority
        Cost of leaving a non-strict visit unserved, times its priority (1-10).
    strict_drop_penalty
        Cost of leaving a strict (time-critical) visit unserved.
    move_cost
        Re-planning only: added when a visit moves to a car other than its previous one.
    search
        First solution, metaheuristic and stopping rule.
    """

    lateness_cost_per_s: int = 10
    earliness_cost_per_s: int = 5
    strict_lateness_cost_per_s: int = 2
    max_late_s: int = 1800
    max_early_s: int = 0
    cross_zone_cost: int = 900
    min_gap_s: int = 3600
    drop_penalty_per_priority: int = 200_000
    strict_drop_penalty: int = 20_000_000
    move_cost: int = 600
    search: SearchSettings = field(default_factory=SearchSettings)

    def __post_init__(self) -> None:
        for name in (
            "lateness_cost_per_s",
            "earliness_cost_per_s",
            "strict_lateness_cost_per_s",
            "max_late_s",
            "max_early_s",
            "cross_zone_cost",
            "min_gap_s",
            "drop_penalty_per_priority",
            "strict_drop_penalty",
            "move_cost",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                msg = f"Expected {name} >= 0 (an integer), got {value!r}."
                raise RoutingError(msg)
        if not isinstance(self.search, SearchSettings):
            msg = f"Expected search to be a SearchSettings, got {self.search!r}."
            raise RoutingError(msg)


def hard_window(visit: Visit, settings: PlanSettings) -> tuple[int, int]:
    """The window a visit's start must lie in, whatever the cost.

    Strict (time-critical) visits: exactly ``[requested - tolerance, requested + tolerance]``.
    Others: the tolerance window widened by ``max_early_s`` before and ``max_late_s`` after;
    starting outside the tolerance window is allowed but costs per second.
    """
    if visit.strict:
        return visit.earliest_s, visit.latest_s
    return max(0, visit.earliest_s - settings.max_early_s), visit.latest_s + settings.max_late_s
