"""The real ``carezones`` entry point: what a user can mend is one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENTRY = "from app.cli import main; main()"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


@pytest.fixture
def latin1_csv(tmp_path: Path) -> Path:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"name,postcode\nZo\xeb,CV1 5FB\n")  # Windows-1252, as Excel saves
    return path


def _cases(tmp: Path, latin1: Path) -> list[tuple[list[str], dict[str, str], str]]:
    bad_pbf = tmp / "bad.osm.pbf"
    bad_pbf.write_bytes(b"not a protobuf at all")
    bad_xml = tmp / "bad.osm"
    bad_xml.write_text("<osm><node", encoding="utf-8")
    fresh_db = f"sqlite:///{tmp / 'never-migrated.db'}"
    return [
        (["allocate", str(latin1), "-o", str(tmp / "o.csv")], {}, "not UTF-8 text"),
        (["night", "import", str(latin1)], {"CAREZONES_DATABASE_URL": fresh_db}, "UTF-8"),
        (
            ["allocate", str(tmp / "ok.csv"), "-o", str(tmp / "missing" / "dir" / "o.csv")],
            {},
            "No such file or directory",
        ),
        (
            ["roads", "build", "--osm", str(bad_pbf), "-o", str(tmp / "g.graphml")],
            {},
            "bad.osm.pbf",
        ),
        (["roads", "build", "--osm", str(bad_xml), "-o", str(tmp / "g.graphml")], {}, "bad.osm"),
        (["zones"], {"CAREZONES_COUNCIL": "nowhere"}, "nowhere"),
        (["serve", "--port", "8999"], {"CAREZONES_COUNCIL": "nowhere"}, "nowhere.toml"),
        (["serve", "--port", "8999"], {"CAREZONES_DATABASE_URL": fresh_db}, "carezones db upgrade"),
        (
            ["serve", "--port", "8999"],
            {"CAREZONES_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"},
            "Connection refused",
        ),
        (["zones"], {"CAREZONES_COUNCIL": "Coventry"}, "CAREZONES_COUNCIL"),
        (["keys", "list"], {"CAREZONES_DATABASE_URL": fresh_db}, "carezones db upgrade"),
        (["keys", "list"], {"CAREZONES_DATABASE_URL": "bogus"}, "CAREZONES_DATABASE_URL"),
    ]


def test_mendable_failures_are_one_line_not_a_traceback(tmp_path: Path, latin1_csv: Path) -> None:
    (tmp_path / "ok.csv").write_text("postcode\nCV1 5FB\n", encoding="utf-8")
    for args, env, expected in _cases(tmp_path, latin1_csv):
        done = _run(args, **env)
        assert done.returncode == 1, (args, env, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        assert done.stderr.startswith("Error: "), (args, done.stderr)
        assert expected in done.stderr, (args, done.stderr)
