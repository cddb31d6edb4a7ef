from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


def test_allocate_csv(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,postcode,lat,lon\n"
        "1,cv15fb,,\n"  # the cathedral's postcode, St Michael's
        "2,,52.4214,-1.4388\n"  # University Hospital, Henley
        "3,CV21 2DA,,\n"  # Rugby: out of area
        "4,not a postcode,,\n"
        "5,,95,-1.5\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["allocate", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert (rows[0]["ward_name"], rows[0]["day_zone"], rows[0]["night_zone"]) == (
        "St Michael's",
        "3B",
        "3",
    )
    assert rows[1]["ward_name"] == "Henley" and rows[1]["in_area"] == "true"
    assert rows[2]["in_area"] == "false" and int(rows[2]["distance_m"]) > 5000
    assert "Expected a UK postcode" in rows[3]["error"]
    assert rows[4]["error"] and not rows[4]["ward_code"]
    assert "3 of 5 rows" in result.output or "Allocated 3 of 5" in result.output


def test_allocate_refuses_a_file_without_location_columns(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    for header in ("id,name", "id,lat", "id,easting,lon"):  # half a pair is not a place
        source.write_text(f"{header}\n1,x\n", encoding="utf-8")
        result = runner.invoke(cli, ["allocate", str(source), "-o", str(tmp_path / "o.csv")])
        assert result.exit_code == 2, header
        assert "expected a postcode column" in " ".join(result.output.split())


def test_zones_table() -> None:
    result = runner.invoke(cli, ["zones"])
    assert result.exit_code == 0, result.output
    for code in ("1A", "1B", "2A", "2B", "3A", "3B"):
        assert code in result.output
    assert "E05001219" in result.output  # Binley and Willenhall
