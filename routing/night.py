"""The night shift on the local clock (Europe/London) and on the elapsed timeline.

The solver works in integer seconds elapsed since the shift started, because travel
and shift limits are real time. Run sheets show local clock times. This module is
the only place that converts between the two.

Clock changes
-------------
* Clocks go back (last Sunday of October, 02:00 BST -> 01:00 GMT): the night has
  ten real hours. A requested clock time inside the repeated hour (01:00-01:59)
  means its *first* occurrence (``fold=0``, still BST): a carer asked for "01:30"
  comes at the first 01:30, never an hour later.
* Clocks go forward (last Sunday of March, 01:00 GMT -> 02:00 BST): the night has
  eight real hours. A requested clock time inside the skipped hour (01:00-01:59)
  does not exist; it maps to the instant the gap ends (01:00 GMT = 02:00 BST),
  i.e. every time in the gap collapses to the same elapsed second. Moving it
  forward by the gap (01:30 -> 02:30) would make the visit late by design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.errors import NightTimeError

LONDON = ZoneInfo("Europe/London")
SHIFT_START = time(22, 0)
SHIFT_END = time(7, 0)
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?", re.ASCII)


def _exists(local: datetime) -> bool:
    """Whether a naive local wall time exists in London (it does not in the spring gap)."""
    aware = local.replace(tzinfo=LONDON)
    back = aware.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    return back == local


def _to_utc(local: datetime) -> datetime:
    """Resolve a naive London wall time to UTC: first occurrence; gap -> end of the gap."""
    if _exists(local):
        return local.replace(tzinfo=LONDON, fold=0).astimezone(UTC)
    # In a gap: walk forward to the first wall minute that exists. London's gaps
    # start and end on the hour, so this lands exactly on the end of the gap.
    probe = local.replace(second=0, microsecond=0)
    for _ in range(24 * 60):
        probe += timedelta(minutes=1)
        if _exists(probe):
            return probe.replace(tzinfo=LONDON, fold=0).astimezone(UTC)
    msg = f"Expected a local time within a day of an existing time, got {local.isoformat()}."
    raise NightTimeError(msg)


def parse_clock(text: str) -> time:
    """Parse ``"HH:MM"`` or ``"HH:MM:SS"`` (24-hour) into a :class:`datetime.time`.

    Raises
    ------
    NightTimeError
        If ``text`` is not a 24-hour clock time.
    """
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        msg = f"Expected a clock time like '01:30', got {text!r}."
        raise NightTimeError(msg)
    hours, minutes, seconds = match.groups()
    return time(int(hours), int(minutes), int(seconds or 0))


@dataclass(frozen=True)
class Night:
    """The night that starts at 22:00 local time on ``day`` and ends 07:00 next morning.

    Parameters
    ----------
    day
        The calendar date on which the shift starts.
    """

    day: date

    def __post_init__(self) -> None:
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            msg = f"Expected day to be a datetime.date, got {self.day!r}."
            raise NightTimeError(msg)

    @property
    def start(self) -> datetime:
        """Shift start, timezone-aware (Europe/London)."""
        return _to_utc(datetime.combine(self.day, SHIFT_START)).astimezone(LONDON)

    @property
    def end(self) -> datetime:
        """Shift end, timezone-aware (Europe/London)."""
        nxt = self.day + timedelta(days=1)
        return _to_utc(datetime.combine(nxt, SHIFT_END)).astimezone(LONDON)

    @property
    def duration_s(self) -> int:
        """Real elapsed length of the shift in seconds (32,400 normally; 36,000 / 28,800)."""
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds())

    def at(self, elapsed_s: int) -> datetime:
        """The local, timezone-aware instant ``elapsed_s`` seconds after shift start."""
        return (self.start.astimezone(UTC) + timedelta(seconds=elapsed_s)).astimezone(LONDON)

    def elapsed_s(self, clock: str | time) -> int:
        """Seconds from shift start to the local clock time ``clock`` on this night.

        Times from 22:00 to 23:59 are on ``day``; times from 00:00 to 07:00 are on the
        next morning. Ambiguous times take the first occurrence; nonexistent times
        map to the end of the gap (see the module docstring).

        Raises
        ------
        NightTimeError
            If the clock time is not inside the shift (07:00 < t < 22:00).
        """
        t = parse_clock(clock) if isinstance(clock, str) else clock
        if t >= SHIFT_START:
            local = datetime.combine(self.day, t)
        elif t <= SHIFT_END:
            local = datetime.combine(self.day + timedelta(days=1), t)
        else:
            msg = f"Expected a clock time between 22:00 and 07:00, got {t.isoformat()}."
            raise NightTimeError(msg)
        return int((_to_utc(local) - self.start.astimezone(UTC)).total_seconds())

    def occurrences_s(self, clock: str | time) -> tuple[int, ...]:
        """Every elapsed second at which the local clock shows ``clock`` this night.

        One on most nights; two for a time in the repeated hour of the night the
        clocks go back (BST first); for a time the clocks skip, the one
        :meth:`elapsed_s` gives (the end of the gap).
        """
        first = self.elapsed_s(clock)
        later = first + 3600
        t = parse_clock(clock) if isinstance(clock, str) else clock
        if later <= self.duration_s and self.at(later).time() == t == self.at(first).time():
            return (first, later)
        return (first,)

    def clock(self, elapsed_s: int) -> str:
        """Local wall-clock text ``"HH:MM"`` (with ``" GMT"``/``" BST"`` when ambiguous)."""
        instant = self.at(elapsed_s)
        naive = instant.replace(tzinfo=None)
        text = instant.strftime("%H:%M")
        other = naive.replace(fold=1 - instant.fold).replace(tzinfo=LONDON)
        if other.utcoffset() != instant.utcoffset():
            text += f" {instant.tzname()}"
        return text
