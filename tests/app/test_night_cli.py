"""`carezones night import` (all or nothing per file) and `carezones roads build`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import cli
from app.db import get_sessionmaker
from app.night.models import NightUser, NightVisit
from app.security import Role
from app.settings import get_settings
from tests.app.night_helpers import user, visit
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers

HEADER = "person,referral_id,postcode,lat,lon,min_gap_minutes,requested_time,duration_minutes,"
HEADER += "tolerance_minutes,strict,days,priority,notes\n"
# Referral 1 is stored by the `runner` fixture: a referral_id must name a stored one.
GOOD = HEADER + (
    "Person A,1,CV2 1QB,,,90,23:00,20,,yes,all,,medication\n"
    "Person A,1,CV2 1QB,,,90,03:00,30,45,no,mon tue,2,turn\n"
    "Person D,,,52.41001,-1.55068,,01:30,15,,,,,\n"
)
BAD = HEADER + (
    "Person B,,CV6 4AF,,,,00:30,20,,yes,,,\n"
    "Person C,,CV3 6PH,,,,12:00,20,,no,,,\n"  # line 3: not a night time
    "Person E,,NOT A CODE,,,,02:00,20,,no,,,\n"  # line 4: bad postcode
    "Person F,,,52.2,-1.3,,02:00,20,,maybe,,,\n"  # line 5: strict is neither yes nor no
    "Person G,99,CV2 1QB,,,,02:00,20,,no,,,\n"  # line 6: no referral 99
    "Person H,1,CV2 1QB,,,,02:00,20,,no,,,\n"  # line 7: referral 1 is Person A's
    "Person I,,CV2 1QB,,,,02:00,20,,no,,,key\x00safe\n"  # line 8: NUL, which PostgreSQL refuses
    "Person J,,CV99 9ZZ,,,,02:00,20,,no,,,\n"  # line 9: a postcode not in the list
)


@pytest.fixture
def runner(
    sqlite_url: str, sqlite_client, sqlite_keys, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CliRunner]:
    broker = headers(sqlite_keys[Role.brokerage])
    made = sqlite_client.post("/v1/referrals", json=body(nhs_number=nhs_number(1)), headers=broker)
    assert made.status_code == 201 and made.json()["id"] == 1, made.text
    monkeypatch.setenv("CAREZONES_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _counts(url: str) -> tuple[int, int]:
    with get_sessionmaker(url)() as session:
        users = session.scalar(select(func.count()).select_from(NightUser))
        visits = session.scalar(select(func.count()).select_from(NightVisit))
    return int(users or 0), int(visits or 0)


def test_import_stores_every_person(runner, sqlite_url, tmp_path: Path) -> None:
    path = tmp_path / "night.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(cli, ["night", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 night service users with 3 visits" in result.output
    assert _counts(sqlite_url) == (2, 3)
    with get_sessionmaker(sqlite_url)() as session:
        a = session.scalar(select(NightUser).where(NightUser.label == "Person A"))
        assert a is not None and a.referral_id == 1 and a.min_gap_minutes == 90
        assert [(v.strict, v.days, v.tolerance_minutes) for v in a.visits] == [
            (True, "mon,tue,wed,thu,fri,sat,sun", 30),
            (False, "mon,tue", 45),
        ]
    # The same file again: every person is already stored, nothing changes.
    again = runner.invoke(cli, ["night", "import", str(path)])
    assert again.exit_code == 1
    assert "already stored" in again.output
    assert "Person" not in again.output  # no label in what may become a cron log
    assert _counts(sqlite_url) == (2, 3)


def test_a_person_whose_rows_disagree_is_named_by_line_not_by_value(runner, tmp_path) -> None:
    path = tmp_path / "night.csv"
    path.write_text(
        HEADER
        + "Person A,,CV2 1QB,,,,23:00,20,,no,,,\n"
        + "Person A,,CV6 4AF,,,,03:00,20,,no,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["night", "import", str(path)])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "line 3: postcode: expected the same value as on line 2 for the same person." in out
    assert "CV2 1QB" not in out and "CV6 4AF" not in out and "Person A" not in out


def test_a_bad_row_stores_nothing_and_names_each_error(runner, sqlite_url, tmp_path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert runner.invoke(cli, ["night", "import", str(good)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(cli, ["night", "import", str(bad)])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "line 3: visits.0.requested_time" not in out  # columns are named as in the file
    assert "line 3: requested_time: Expected a time between 22:00 and 07:00" in out
    assert "line 4: postcode:" in out
    # No postcode of a person in the output, which may end up in a log.
    for postcode in ("CV6 4AF", "CV3 6PH", "NOT A CODE", "NOTACODE", "CV2 1QB"):
        assert postcode not in out.upper(), postcode
    assert "line 5: strict: Expected strict to be yes or no, got 'maybe'." in out
    assert "line 6: referral_id: Referral 99 not found." in out
    assert "line 7: referral_id: Expected a referral without a night user, got referral 1" in out
    assert "line 8: notes: expected text without NUL (0x00) characters." in out
    assert "line 9: postcode: We do not hold the postcode (the postcode on that line)" in out
    assert "CV99" not in out
    assert "Nothing imported: 7 error(s)" in out
    assert _counts(sqlite_url) == (2, 3)  # the earlier import is untouched


def test_import_needs_the_columns(runner, tmp_path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("name,time\nX,23:00\n", encoding="utf-8")
    result = runner.invoke(cli, ["night", "import", str(path)])
    assert result.exit_code == 2
    assert "missing person, requested_time, duration_minutes" in " ".join(result.output.split())


def test_roads_build_on_a_real_extract(tmp_path: Path, sqlite_url: str) -> None:
    pyrosm = pytest.importorskip("pyrosm")
    osm = Path(pyrosm.get_data("test_pbf"))  # shipped with pyrosm: Kotka, Finland, real OSM
    out = tmp_path / "roads" / "test.graphml"
    result = CliRunner().invoke(cli, ["roads", "build", "--osm", str(osm), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "nodes" in result.output

    from routing.roads import load_graph

    graph = load_graph(out)
    assert graph.number_of_edges() > 100
    assert all(d["travel_time"] > 0 for _u, _v, d in graph.edges(data=True))

    # A graph of somewhere else is refused when the service starts, not on each plan.
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings
    from routing.errors import TravelSourceError

    app = create_app(Settings(database_url="sqlite://", road_graph_path=out))
    with pytest.raises(TravelSourceError, match="covers the night bases"), TestClient(app):
        pass

    # `carezones serve` (what `make run` runs) says so in one line and exits 3.
    done = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", "8998"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "CAREZONES_ROAD_GRAPH_PATH": str(out),
            "CAREZONES_DATABASE_URL": sqlite_url,
        },
        timeout=120,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "covers the night bases" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_service_plans_on_a_built_graph(sqlite_url: str, tmp_path: Path) -> None:
    # A hand-written 4-node OSM file in central Coventry (tests/routing/data/README.md).
    osm = Path(__file__).resolve().parent.parent / "routing" / "data" / "tiny_grid.osm"
    out = tmp_path / "tiny.graphml"
    result = CliRunner().invoke(cli, ["roads", "build", "--osm", str(osm), "-o", str(out)])
    assert result.exit_code == 0, result.output

    # The service plans on the graph it is given, and says so.
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings
    from tests.conftest import _keys

    auth = headers(_keys(sqlite_url)[Role.night_coordinator])
    app = create_app(Settings(database_url=sqlite_url, road_graph_path=out))
    with TestClient(app) as client:
        body = user("Person E", {"postcode": "CV1 1AH"}, [visit("23:30")])
        assert client.post("/v1/night-users", json=body, headers=auth).status_code == 201
        plan = client.post("/v1/night-plans", json={"date": "2026-11-24"}, headers=auth)
        assert plan.status_code == 201, plan.text
        assert plan.json()["travel_source"] == "road_network:tiny.graphml"
        assert plan.json()["totals"]["served"] == 1
        speed = {"date": "2026-11-24", "overrides": {"night_speed_kmh": 30}}
        refused = client.post("/v1/night-plans", json=speed, headers=auth)
        assert refused.status_code == 422
        assert refused.json()["error"]["fields"][0]["field"] == "body.overrides.night_speed_kmh"
