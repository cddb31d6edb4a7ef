"""A write is committed before its response is sent, so the pages can read it at once.

The pages write (record delivered hours, remove a night user) and then read the
same data back. FastAPI ends a ``yield`` dependency after the response unless told
otherwise; this pins the database session to end (and commit) before it.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.security import Role
from app.settings import Settings


def test_commit_happens_before_the_response_starts(
    sqlite_url: str, sqlite_keys: dict[Role, str], monkeypatch: Any
) -> None:
    events: list[str] = []
    real_commit = Session.commit

    def commit(self: Session) -> None:
        events.append("commit")
        real_commit(self)

    monkeypatch.setattr(Session, "commit", commit)
    app = create_app(Settings(database_url=sqlite_url))

    async def recording_app(scope: Any, receive: Any, send: Any) -> None:
        async def recording_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                events.append("response")
            await send(message)

        await app(scope, receive, recording_send)

    # TestClient runs the app in its own thread's event loop; a plain asyncio.run would
    # clash with the loop Playwright's sync API leaves in this worker.
    response = TestClient(recording_app).put(
        "/v1/ledger/provider-1a/2026-11-23",
        json={"delivered_hours": 300},
        headers={"X-API-Key": sqlite_keys[Role.brokerage]},
    )
    assert response.status_code == 200
    assert "commit" in events and "response" in events
    assert events.index("commit") < events.index("response"), events
