"""Every error the routing core raises.

Each subclasses a built-in (``ValueError`` or ``LookupError``) so that callers who
know nothing of carezones can still catch them, and each message says what was
expected and what arrived.
"""

from __future__ import annotations


class RoutingError(ValueError):
    """Base class for invalid routing input."""


class NightTimeError(RoutingError):
    """A clock time or night date that cannot be placed on the night's timeline."""


class TravelSourceError(RoutingError):
    """A travel-time source cannot be built or cannot answer (bad graph file, empty graph)."""


class SolomonFormatError(RoutingError):
    """A Solomon instance file that does not follow the Solomon text format."""


class UnknownVisitError(RoutingError, LookupError):
    """A visit id (for example in a re-plan request) that the plan does not hold."""


class PlanCheckError(RuntimeError):
    """A plan failed the independent check; it is never returned to a caller.

    ``problems`` lists every violation found, one sentence each.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"Plan failed its independent check: {head}{more}.")

    def __reduce__(self) -> tuple[type[PlanCheckError], tuple[list[str]]]:
        # Pickle (a worker process's answer) rebuilds the error from its problems.
        return (PlanCheckError, (self.problems,))
