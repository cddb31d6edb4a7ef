"""Schemathesis: no input the OpenAPI schema admits makes the referral endpoints fail with 500.

In-process (ASGI), with an admin key, a bounded number of examples per operation and a
fixed seed, so the run is repeatable and short.
"""

from __future__ import annotations

import schemathesis

from app.main import create_app
from app.security import Role
from app.settings import Settings
from tests.app.fuzz import assert_no_server_errors
from tests.conftest import headers

EXAMPLES = 50
PATHS = r"^/(v1/(referrals|ledger|reports|allocations|zones)|health)"


def test_no_server_errors(db_url: str, keys: dict[Role, str]) -> None:
    # SQLite and PostgreSQL: PostgreSQL refuses some text SQLite stores (NUL characters).
    app = create_app(Settings(database_url=db_url))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=PATHS)
    admin = headers(keys[Role.admin])
    assert_no_server_errors(schema, admin, examples=EXAMPLES, at_least=12)
