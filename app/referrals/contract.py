"""The council's contract rules, read from the ``[contract]`` table of its TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Contract:
    """Contract figures that the ledger and the reports apply.

    Hours are whole minutes so that sums and comparisons are exact.
    """

    ucr_minutes_per_week_cap: int
    support_weeks_max: int
    payable_averaging_weeks: int
    kpi_no_ongoing_support_target: float
    kpi_reduced_need_target: float

    def __post_init__(self) -> None:
        if self.ucr_minutes_per_week_cap < 0:
            raise ValueError(
                f"Expected ucr_hours_per_week_cap >= 0, got {self.ucr_minutes_per_week_cap / 60}."
            )
        if self.support_weeks_max < 1:
            raise ValueError(f"Expected support_weeks_max >= 1, got {self.support_weeks_max}.")
        if self.payable_averaging_weeks < 1:
            raise ValueError(
                f"Expected payable_averaging_weeks >= 1, got {self.payable_averaging_weeks}."
            )
        for name in ("kpi_no_ongoing_support_target", "kpi_reduced_need_target"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"Expected 0 <= {name} <= 1, got {value}.")


@lru_cache(maxsize=8)
def load_contract(council_file: Path) -> Contract:
    """Read ``[contract]`` from a council file; every key is required."""
    raw = tomllib.loads(council_file.read_text(encoding="utf-8"))
    table = raw.get("contract")
    if not isinstance(table, dict):
        raise ValueError(f"{council_file}: expected a [contract] table.")
    try:
        return Contract(
            ucr_minutes_per_week_cap=round(float(table["ucr_hours_per_week_cap"]) * 60),
            support_weeks_max=int(table["support_weeks_max"]),
            payable_averaging_weeks=int(table["payable_averaging_weeks"]),
            kpi_no_ongoing_support_target=float(table["kpi_no_ongoing_support_target"]),
            kpi_reduced_need_target=float(table["kpi_reduced_need_target"]),
        )
    except KeyError as exc:
        raise ValueError(f"{council_file}: [contract] is missing {exc.args[0]!r}.") from exc
