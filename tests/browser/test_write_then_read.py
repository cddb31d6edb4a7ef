"""A write is committed before its response is sent, so the pages can read it at once.

The pages write (record delivered hours, remove a night user) and then read the
same data back. FastAPI ends a ``yield`` dependency after the response unless told
otherwise; this pins the database session to end (and commit) before it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
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

    async def put() -> int:
        transport = httpx.ASGITransport(app=recording_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.put(
                "/v1/ledger/provider-1a/2026-11-23",
                json={"delivered_hours": 300},
                headers={"X-API-Key": sqlite_keys[Role.brokerage]},
            )
            return response.status_code

    assert asyncio.run(put()) == 200
    assert "commit" in events and "response" in events
    assert events.index("commit") < events.index("response"), events
