"""Schemathesis: no input the OpenAPI schema admits makes the referral endpoints fail with 500.

In-process (ASGI), with an admin key, a bounded number of examples per operation and a
fixed seed, so the run is repeatable and short.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from app.main import create_app
from app.security import Role
from app.settings import Settings
from tests.conftest import headers

EXAMPLES = 50
PATHS = r"^/(v1/(referrals|ledger|reports|allocations|zones)|health)"


def test_no_server_errors(sqlite_url: str, sqlite_keys: dict[Role, str]) -> None:
    app = create_app(Settings(database_url=sqlite_url))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=PATHS)
    admin = headers(sqlite_keys[Role.admin])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=admin, checks=[not_a_server_error])

        run()
