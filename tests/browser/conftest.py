"""Browser tests: the real app under uvicorn on a free port, driven by Debian's Chromium.

The server runs in a subprocess against a temporary SQLite database with one
key per role. Every page visit runs axe-core and fails on serious or critical
violations; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.db import get_engine, get_sessionmaker, upgrade
from app.security import Role, create_key

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CAREZONES_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Two cores run two browsers, two servers and the night solver at once: give the
# pages more than Playwright's default 5 s before an expectation fails.
EXPECT_TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class Server:
    base_url: str
    keys: dict[Role, str]
    database_url: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"uvicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser-server")
    url = f"sqlite:///{tmp / 'carezones.db'}"
    upgrade(url)
    with get_sessionmaker(url)() as session:
        keys = {role: create_key(session, role=role, name=f"Test {role.value}")[1] for role in Role}
        session.commit()
    get_engine(url).dispose()
    port = _free_port()
    env = {**os.environ, "CAREZONES_DATABASE_URL": url, "CAREZONES_ENVIRONMENT": "development"}
    log = tmp / "uvicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield Server(base_url=base, keys=keys, database_url=url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        found = shutil.which("chromium")
        pytest.skip(
            f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}"
            + (f" (found {found}; set CAREZONES_CHROMIUM)" if found else "")
            + ". Install it with `apt-get install -y chromium` (make test does)."
        )
    if not AXE.exists():
        pytest.fail(f"Expected axe-core at {AXE}; run `npm ci`.")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # Shown with a failing test's captured output: which API calls answered with an error.
    tab.on(
        "response",
        lambda r: print(f"HTTP {r.status} {r.request.method} {r.url}") if r.status >= 400 else None,
    )
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page: Any, key: str, next_path: str = "") -> None:
    page.goto("/sign-in" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def check_page(page: Any, name: str) -> None:
    """Screenshot the page, then run axe-core and fail on serious or critical violations."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in bad
    ]
    assert not bad, f"axe-core found serious/critical violations on {name}:\n" + json.dumps(
        report, indent=1
    )
