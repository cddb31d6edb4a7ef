"""Weekly payable hours, quarterly KPIs and the five-week list, in JSON and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.referrals.contract import load_contract
from app.referrals.payable import payable_minutes
from app.security import Role
from app.settings import Settings
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers


def test_payable_block_guaranteed_pair() -> None:
    # Under the block: 250 h delivered, 300 h block -> 300 h payable.
    assert payable_minutes(300 * 60, [250 * 60]) == 300 * 60
    # Over the block: 340 h delivered -> 340 h payable.
    assert payable_minutes(300 * 60, [340 * 60]) == 340 * 60
    # Averaged over three recorded weeks: (280 + 320 + 360) / 3 = 320 h.
    assert payable_minutes(300 * 60, [280 * 60, 320 * 60, 360 * 60]) == 320 * 60
    assert payable_minutes(300 * 60, []) == 300 * 60


def test_contract_read_from_council_file(tmp_path: Path) -> None:
    contract = load_contract(Settings().council_file)
    assert (contract.ucr_minutes_per_week_cap, contract.support_weeks_max) == (6000, 6)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[contract]\nucr_hours_per_week_cap = 100\nsupport_weeks_max = 6\n"
        "payable_averaging_weeks = 0\nkpi_no_ongoing_support_target = 0.7\n"
        "kpi_reduced_need_target = 0.2\n"
    )
    with pytest.raises(ValueError, match="Expected payable_averaging_weeks >= 1, got 0."):
        load_contract(bad)


def test_weekly_report_json_and_csv(
    sqlite_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    broker, commissioner = (
        headers(sqlite_keys[Role.brokerage]),
        headers(sqlite_keys[Role.commissioner]),
    )
    put = sqlite_client.put(
        "/v1/ledger/provider-3b/2026-12-02", json={"delivered_hours": 340}, headers=broker
    )
    assert put.status_code == 200
    assert put.json()["week_start"] == "2026-11-30"
    sqlite_client.put(
        "/v1/ledger/provider-1a/2026-W49", json={"delivered_hours": 250}, headers=broker
    )
    report = sqlite_client.get("/v1/reports/weekly?week=2026-W49", headers=commissioner).json()
    rows = {r["provider_id"]: r for r in report["providers"]}
    assert (rows["provider-3b"]["payable_hours"], rows["provider-3b"]["block_utilisation"]) == (
        340,
        round(340 / 300, 4),
    )
    assert (rows["provider-1a"]["payable_hours"], rows["provider-1a"]["block_utilisation"]) == (
        300,
        round(250 / 300, 4),
    )
    assert rows["provider-2a"]["delivered_hours"] is None
    assert rows["provider-2a"]["payable_hours"] == 300
    for extra in ({"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}):
        hdrs = commissioner | extra.get("headers", {})
        response = sqlite_client.get(
            "/v1/reports/weekly",
            params={"week": "2026-W49", **extra.get("params", {})},
            headers=hdrs,
        )
        assert response.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(table) == 6
        assert (
            next(r for r in table if r["provider_id"] == "provider-3b")["payable_hours"] == "340.0"
        )
    assert (
        sqlite_client.get("/v1/reports/weekly?week=2026-W60", headers=commissioner).status_code
        == 422
    )
    unknown = sqlite_client.put(
        "/v1/ledger/nobody/2026-W49", json={"delivered_hours": 1}, headers=broker
    )
    assert unknown.status_code == 404


def test_kpi_shares_per_provider(sqlite_client: TestClient, sqlite_keys: dict[Role, str]) -> None:
    broker, commissioner = (
        headers(sqlite_keys[Role.brokerage]),
        headers(sqlite_keys[Role.commissioner]),
    )
    outcomes = ["no_ongoing_support"] * 3 + ["reduced_need"]
    for n, outcome in enumerate(outcomes):
        rid = sqlite_client.post(
            "/v1/referrals", json=body(nhs_number=nhs_number(n)), headers=broker
        ).json()["id"]
        ended = sqlite_client.post(
            f"/v1/referrals/{rid}/events",
            json={"kind": "ended", "outcome": outcome, "at": "2026-10-20T10:00:00Z"},
            headers=broker,
        )
        assert ended.status_code == 200
    report = sqlite_client.get("/v1/reports/kpi?quarter=2026-Q4", headers=commissioner).json()
    row = next(r for r in report["providers"] if r["provider_id"] == "provider-3b")
    # 3 of 4 without ongoing support (75% >= 70%); 1 of 4 reduced need (25% >= 20%).
    assert (row["ended"], row["no_ongoing_support_share"], row["reduced_need_share"]) == (
        4,
        0.75,
        0.25,
    )
    assert (row["no_ongoing_support_met"], row["reduced_need_met"]) == (True, True)
    next_quarter = sqlite_client.get("/v1/reports/kpi?quarter=2027-Q1", headers=commissioner)
    assert all(r["ended"] == 0 for r in next_quarter.json()["providers"])
    csv_text = sqlite_client.get(
        "/v1/reports/kpi?quarter=2026-Q4&format=csv", headers=commissioner
    ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("provider_id,provider_name,quarter,ended")
    # A fifth quarter; a trailing newline; full-width digits (Unicode digits, but not
    # a quarter, and not allowed in the CSV's file name header: these gave 500s).
    for quarter in ("2026-Q5", "2026-Q4%0A", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-Q4"):
        bad = sqlite_client.get(
            f"/v1/reports/kpi?quarter={quarter}&format=csv", headers=commissioner
        )
        assert bad.status_code == 422, quarter
        assert bad.json()["error"]["fields"][0]["field"] == "query.quarter"


def test_five_week_list(sqlite_client: TestClient, sqlite_keys: dict[Role, str]) -> None:
    broker = headers(sqlite_keys[Role.brokerage])
    early = sqlite_client.post("/v1/referrals", json=body(), headers=broker).json()["id"]
    later = body(nhs_number=nhs_number(1), requested_start="2026-12-07T09:00:00Z")
    sqlite_client.post("/v1/referrals", json=later, headers=broker)
    # On 2027-01-04 the first (from 2026-11-30) is 35 days in; the second 28 days.
    on_day = sqlite_client.get("/v1/reports/five-weeks?on=2027-01-04", headers=broker).json()
    assert [(p["referral_id"], p["days_since_start"]) for p in on_day["people"]] == [(early, 35)]
    assert on_day["people"][0]["days_to_planned_end"] == 7
    # The day before, nobody is at five weeks yet.
    before = sqlite_client.get("/v1/reports/five-weeks?on=2027-01-03", headers=broker).json()
    assert before["people"] == []
    # Year 1 overflowed the date arithmetic (a 500); out of range is a 422 naming it.
    for far in ("0001-01-01", "9999-12-31"):
        refused = sqlite_client.get(f"/v1/reports/five-weeks?on={far}", headers=broker)
        assert refused.status_code == 422, far
        assert refused.json()["error"]["fields"][0]["field"] == "query.on"
