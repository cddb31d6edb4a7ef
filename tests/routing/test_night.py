from datetime import date, timedelta

import pytest

from routing.errors import NightTimeError
from routing.night import Night, parse_clock


def test_normal_night_crosses_midnight() -> None:
    night = Night(date(2026, 1, 10))
    assert night.duration_s == 9 * 3600
    assert night.start.isoformat() == "2026-01-10T22:00:00+00:00"
    assert night.end.isoformat() == "2026-01-11T07:00:00+00:00"
    # 22:00 -> 01:30 next day is 3.5 h = 12,600 s
    assert night.elapsed_s("01:30") == 12_600
    assert night.elapsed_s("23:15") == 4_500
    assert night.at(12_600).isoformat() == "2026-01-11T01:30:00+00:00"


def test_clocks_go_back_night_has_ten_hours() -> None:
    night = Night(date(2026, 10, 24))  # clocks go back 02:00 BST -> 01:00 GMT on 25 Oct
    assert night.duration_s == 10 * 3600
    # 01:30 repeated: first occurrence (BST) = 22:00 BST + 3.5 h = 12,600 s
    assert night.elapsed_s("01:30") == 12_600
    # 02:30 GMT exists once: 22:00 BST (21:00 UTC) -> 02:30 UTC = 5.5 h
    assert night.elapsed_s("02:30") == 19_800
    assert night.at(12_600).utcoffset() == timedelta(hours=1)
    assert night.at(12_600 + 3600).utcoffset() == timedelta(0)
    assert night.clock(12_600) == "01:30 BST"
    assert night.clock(16_200) == "01:30 GMT"


def test_clocks_go_forward_night_has_eight_hours() -> None:
    night = Night(date(2026, 3, 28))  # clocks go forward 01:00 GMT -> 02:00 BST on 29 Mar
    assert night.duration_s == 8 * 3600
    # 01:30 does not exist: maps to the end of the gap, 02:00 BST = 01:00 UTC = 3 h
    assert night.elapsed_s("01:30") == 3 * 3600
    assert night.elapsed_s("02:00") == 3 * 3600
    # 02:30 BST = 01:30 UTC = 3.5 h after 22:00 GMT
    assert night.elapsed_s("02:30") == 12_600
    assert night.elapsed_s("07:00") == night.duration_s


@pytest.mark.parametrize("text", ["12:00", "25:00", "1:3", "noon", "07:01"])
def test_times_outside_the_night_or_malformed_raise(text: str) -> None:
    with pytest.raises(NightTimeError):
        Night(date(2026, 1, 10)).elapsed_s(text)


def test_parse_clock_and_value_error_base() -> None:
    assert parse_clock("01:30:15").second == 15
    with pytest.raises(ValueError, match="Expected a clock time"):
        parse_clock("x")


def test_occurrences_of_a_clock_time() -> None:
    back = Night(date(2026, 10, 24))  # 01:00-01:59 happens twice
    # 01:30 BST is 3.5 h after 22:00 BST (12,600 s); 01:30 GMT an hour later.
    assert back.occurrences_s("01:30") == (12_600, 16_200)
    assert back.occurrences_s("00:30") == (9_000,)
    assert back.occurrences_s("02:30") == (5 * 3600 + 1800,)  # 02:30 GMT: 5.5 real hours
    forward = Night(date(2027, 3, 27))  # 01:00-01:59 never happens
    assert forward.occurrences_s("01:30") == (forward.elapsed_s("01:30"),)
    assert Night(date(2026, 11, 24)).occurrences_s("01:30") == (12_600,)
