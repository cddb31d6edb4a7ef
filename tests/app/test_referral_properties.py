"""Hypothesis properties: NHS check digits, and the minutes an episode puts in the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from app.referrals.nhs import nhs_number_error
from app.referrals.weeks import week_start, weekly_minutes
from tests.app.referral_helpers import nhs_number

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
rates = st.integers(min_value=15, max_value=112 * 60)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_built_numbers_pass_and_any_one_digit_change_fails(serial: int) -> None:
    number = nhs_number(serial)
    assume(len(set(number)) > 1)  # ten repeated digits pass the check but are refused
    assert nhs_number_error(number) is None
    for i in range(10):
        for d in "0123456789":
            if d != number[i]:
                changed = number[:i] + d + number[i + 1 :]
                assert nhs_number_error(changed) is not None


def test_ten_repeated_digits_pass_the_check_but_are_refused() -> None:
    # 54 = 10 + 9 + ... + 2 is -1 modulo 11, so d repeated gives check digit d.
    for d in "0123456789":
        error = nhs_number_error(d * 10)
        assert error is not None and "repeated" in error


@given(days, rates)
def test_six_week_episode_holds_six_weeks_of_hours(start: date, rate: int) -> None:
    shares = weekly_minutes(start, start + timedelta(weeks=6), [(start, rate)])
    # Each week rounds its share to the minute: at most half a minute off per week.
    assert abs(sum(shares.values()) - 6 * rate) <= len(shares)
    assert all(monday == week_start(monday) for monday in shares)
    assert len(shares) == (6 if start.weekday() == 0 else 7)
    assert max(shares.values()) == rate


@given(days, rates, rates, st.integers(min_value=0, max_value=41))
def test_a_change_never_moves_weeks_before_it(start: date, a: int, b: int, after: int) -> None:
    end = start + timedelta(weeks=6)
    change = start + timedelta(days=after)
    before = weekly_minutes(start, end, [(start, a)])
    changed = weekly_minutes(start, end, [(start, a), (change, b)])
    for monday, minutes in before.items():
        if monday + timedelta(days=7) <= change:
            assert changed[monday] == minutes
