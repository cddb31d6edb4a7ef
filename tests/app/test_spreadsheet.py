"""CSV for spreadsheets: a BOM first, and text that would run as a formula made inert."""

from __future__ import annotations

import csv
import io

import pytest

from app.security import Role
from app.spreadsheet import cell, csv_text
from tests.app.night_helpers import PLACES, user, visit
from tests.conftest import headers


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+44 24 7683", "'+44 24 7683"),
        ("-call first", "'-call first"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("-12", "-12"),  # numbers stay numbers
        ("+3.5", "+3.5"),
        ("Mrs Zoë O'Neil", "Mrs Zoë O'Neil"),
        (12, 12),
    ],
)
def test_formula_cells_are_made_text_and_the_rest_left_alone(value, written) -> None:
    assert cell(value) == written


def test_csv_starts_with_a_bom_and_reads_back() -> None:
    text = csv_text(["name", "n"], [{"name": "=1+1", "n": None, "ignored": "x"}])
    assert text.startswith("\ufeffname,n")
    (row,) = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert row == {"name": "'=1+1", "n": ""}


def test_night_plan_csv_does_not_run_a_label_as_a_formula(sqlite_client, sqlite_keys) -> None:
    auth = headers(sqlite_keys[Role.night_coordinator])
    _label, place, _zone = PLACES[0]
    evil = user('=HYPERLINK("http://evil","x")', place, [visit("23:00", notes="@risk")])
    assert sqlite_client.post("/v1/night-users", json=evil, headers=auth).status_code == 201
    plan = sqlite_client.post(
        "/v1/night-plans",
        json={"date": "2026-11-24", "overrides": {"solution_limit": 5}},
        headers=auth,
    ).json()
    raw = sqlite_client.get(f"/v1/night-plans/{plan['id']}.csv", headers=auth).content
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert row["label"] == '\'=HYPERLINK("http://evil","x")'
    assert row["notes"] == "'@risk"
