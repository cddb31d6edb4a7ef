"""Schemathesis: no input the OpenAPI schema admits makes the night endpoints fail with 500.

Night users (create, read, replace, delete, list, from a referral), reading and re-planning
plans; planning itself is covered by the end-to-end tests. In-process, bounded examples,
fixed seed.
"""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient

from app.main import create_app
from app.security import Role
from app.settings import Settings
from tests.app.fuzz import assert_no_server_errors
from tests.app.night_helpers import user, visit
from tests.conftest import headers

EXAMPLES = 25
PATHS = r"^/v1/night-(users|plans/\{id\})"


def test_no_server_errors(db_url: str, keys: dict[Role, str]) -> None:
    # SQLite and PostgreSQL: PostgreSQL refuses some text SQLite stores (NUL characters).
    app = create_app(Settings(database_url=db_url))
    with TestClient(app) as client:  # runs the lifespan: the solver is on app.state
        coordinator = headers(keys[Role.night_coordinator])
        # Plan 1 exists, so generated ids sometimes hit a real plan (and re-plan it).
        body = user("Person A", {"postcode": "CV2 1QB"}, [visit("23:00"), visit("03:00")])
        assert client.post("/v1/night-users", json=body, headers=coordinator).status_code == 201
        plan = {"date": "2026-11-24", "overrides": {"solution_limit": 5}}
        assert client.post("/v1/night-plans", json=plan, headers=coordinator).status_code == 201
        schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=PATHS)
        assert_no_server_errors(schema, coordinator, examples=EXAMPLES, at_least=8)
