"""A real uvicorn server on 127.0.0.1 with a temporary, migrated SQLite database.

Shared by the HTTP benchmarks (``bench_allocation.py``, ``bench_night_api.py``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import get_sessionmaker, upgrade  # noqa: E402
from app.security import Role, create_key  # noqa: E402


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    api_key: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(role: Role, env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """Start the app with a fresh database and one key of ``role``; stop it after."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        with get_sessionmaker(url)() as session:
            _, key = create_key(session, role=role, name="benchmark")
            session.commit()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
            + ["--log-level", "warning", "--no-access-log"],
            cwd=ROOT,
            env={**os.environ, "CAREZONES_DATABASE_URL": url, **(env or {})},
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    httpx.get(f"{base}/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield LiveServer(base, key)
        finally:
            server.terminate()
            server.wait(10)
