"""NHS numbers: ten digits, the last a modulus-11 check digit."""

from __future__ import annotations


def nhs_number_error(value: str) -> str | None:
    """Why ``value`` is not a valid NHS number, or None if it is.

    Spaces and hyphens between digits are allowed (``943 476 5919``).
    """
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return "Expected 10 digits."
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return "Expected a valid modulus-11 check digit."
    if len(set(digits)) == 1:  # 0000000000 passes the check but is never issued
        return "Expected an issued NHS number, not ten repeated digits."
    return None


def normalise_nhs_number(value: str) -> str:
    return value.replace(" ", "").replace("-", "")
