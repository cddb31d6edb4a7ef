"""The app on a real uvicorn server in a thread, for tests whose requests must overlap."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from app.main import create_app
from app.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(db_url: str) -> Iterator[str]:
    """The app on a real uvicorn server in a thread; yields its base URL."""
    port = _free_port()
    app = create_app(Settings(database_url=db_url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def post_together(
    base: str, path: str, bodies: list[dict[str, Any]], headers: dict[str, str]
) -> list[httpx.Response]:
    """POST each body from its own thread and client, all released at once by a barrier.

    The responses come back in the order the requests finished.
    """
    barrier = threading.Barrier(len(bodies))
    responses: list[httpx.Response] = []
    lock = threading.Lock()

    def post(payload: dict[str, Any]) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait()
            response = client.post(path, json=payload, headers=headers)
        with lock:
            responses.append(response)

    workers = [threading.Thread(target=post, args=(b,)) for b in bodies]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return responses
