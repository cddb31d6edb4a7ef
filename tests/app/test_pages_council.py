"""The pages name the council from its data file: a second council is a file, not code."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import PROJECT_ROOT, Settings


def test_pages_name_the_council_of_the_data_file(sqlite_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    source = (data / "councils" / "coventry.toml").read_text(encoding="utf-8")
    renamed = source.replace('name = "Coventry City Council"', 'name = "Testshire Council"')
    assert renamed != source
    (data / "councils" / "testshire.toml").write_text(renamed, encoding="utf-8")
    settings = Settings(database_url=sqlite_url, data_dir=data, council="testshire")
    with TestClient(create_app(settings)) as client:
        page = client.get("/sign-in").text
    assert "<title>Sign in – Care zones – Testshire Council</title>" in page
    assert '<span class="cz-header__council">Testshire Council</span>' in page
    assert "Coventry" not in page
