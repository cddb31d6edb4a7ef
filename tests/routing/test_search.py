"""SearchSettings: defaults chosen by measurement map onto OR-Tools parameters."""

from __future__ import annotations

import pytest
from ortools.constraint_solver import routing_enums_pb2
from ortools.util import optional_boolean_pb2

from routing.errors import RoutingError
from routing.search import INSERTION_LNS_OPERATORS, SearchSettings


def test_defaults_map_to_parameters() -> None:
    params = SearchSettings().parameters()
    fss = routing_enums_pb2.FirstSolutionStrategy
    assert params.first_solution_strategy == fss.LOCAL_CHEAPEST_INSERTION
    assert params.guided_local_search_lambda_coefficient == pytest.approx(0.3)
    assert params.solution_limit == 240
    kinds = routing_enums_pb2.LocalSearchMetaheuristic
    # guided local search alternating with tabu search every 20 local optima
    assert params.local_search_metaheuristic == kinds.UNSET
    assert list(params.local_search_metaheuristics) == [
        kinds.GUIDED_LOCAL_SEARCH,
        kinds.TABU_SEARCH,
    ]
    assert params.num_max_local_optima_before_metaheuristic_switch == 20
    ops = params.local_search_operators
    for name in INSERTION_LNS_OPERATORS:
        assert getattr(ops, name) == optional_boolean_pb2.BOOL_FALSE


def test_insertion_lns_can_be_kept() -> None:
    params = SearchSettings(insertion_lns=True, guided_local_search_lambda=0.1).parameters()
    assert params.guided_local_search_lambda_coefficient == pytest.approx(0.1)
    for name in INSERTION_LNS_OPERATORS:
        # left at OR-Tools' own default, which switches them on
        assert getattr(params.local_search_operators, name) != optional_boolean_pb2.BOOL_FALSE


def test_single_metaheuristic() -> None:
    params = SearchSettings(then_metaheuristics=()).parameters()
    kinds = routing_enums_pb2.LocalSearchMetaheuristic
    assert params.local_search_metaheuristic == kinds.GUIDED_LOCAL_SEARCH
    assert list(params.local_search_metaheuristics) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"guided_local_search_lambda": 0.0},
        {"guided_local_search_lambda": 11.0},
        {"branch_limit": 0},
        {"solution_limit": 0},
        {"first_solution": "NOPE"},
        {"then_metaheuristics": ("NOPE",)},
        {"then_metaheuristics": ("AUTOMATIC",)},
        {"metaheuristic": "AUTOMATIC"},
        {"local_optima_per_metaheuristic": 0},
    ],
)
def test_invalid_settings_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(RoutingError, match="Expected"):
        SearchSettings(**kwargs)  # type: ignore[arg-type]


def test_also_first_solution_is_validated() -> None:
    import pytest

    from routing.errors import RoutingError
    from routing.search import SearchSettings

    assert SearchSettings(also_first_solution=None).also_first_solution is None
    with pytest.raises(RoutingError, match="also_first_solution"):
        SearchSettings(also_first_solution="NOT_A_STRATEGY")


def test_variants_are_single_searches_one_per_first_solution() -> None:
    from routing.search import SearchSettings

    both = SearchSettings(
        first_solution="LOCAL_CHEAPEST_INSERTION", also_first_solution="SAVINGS"
    ).variants()
    assert [v.first_solution for v in both] == ["LOCAL_CHEAPEST_INSERTION", "SAVINGS"]
    assert all(v.also_first_solution is None and v.variants() == (v,) for v in both)
    same = SearchSettings(first_solution="SAVINGS", also_first_solution="SAVINGS").variants()
    assert [v.first_solution for v in same] == ["SAVINGS"]
    assert len(SearchSettings(also_first_solution=None).variants()) == 1
