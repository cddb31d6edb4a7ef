"""One schemathesis loop for the API's fuzz tests: every operation, no 500s."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


def assert_no_server_errors(
    schema: schemathesis.BaseSchema, headers: dict[str, str], *, examples: int, at_least: int
) -> None:
    """Run ``examples`` generated cases per operation of ``schema`` (fixed seed).

    Fails if an operation answers 500, or if fewer than ``at_least`` operations are
    in the schema (a path filter that matches nothing would otherwise pass).
    """
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= at_least

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
