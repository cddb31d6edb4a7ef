"""/health: up, boundaries loaded, and the database answering (503 when it does not)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings


def test_health_says_the_database_answers(sqlite_client: TestClient) -> None:
    answer = sqlite_client.get("/health")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["database"]) == ("ok", "ok")


def test_health_is_503_when_the_database_does_not_answer() -> None:
    # Nothing listens on port 1: the service is up, but cannot do its work.
    down = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    with TestClient(create_app(Settings(database_url=down))) as client:
        answer = client.get("/health")
    assert answer.status_code == 503
    body = answer.json()
    assert (body["status"], body["database"]) == ("unavailable", "unreachable")
    assert "secret" not in answer.text and "127.0.0.1" not in answer.text
