"""The Coventry payable-hours rule (see docs/contract.md)."""

from __future__ import annotations


def averaged_delivered(delivered: list[int]) -> int | None:
    """Mean of the recorded weeks' delivered minutes (rounded), or None if none recorded."""
    if not delivered:
        return None
    return (sum(delivered) * 2 + len(delivered)) // (2 * len(delivered))


def payable_minutes(block: int, delivered: list[int]) -> int:
    """The block is guaranteed; above it, the averaged actual hours are paid.

    ``delivered`` holds the recorded weeks of the averaging window. With none
    recorded, the block alone is payable.
    """
    average = averaged_delivered(delivered)
    return block if average is None else max(block, average)
