"""GET /v1/referrals as CSV: every matching referral, a flat row each, for spreadsheets."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from app.security import Role
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # Excel reads UTF-8 by its byte-order mark
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_list_downloads_as_csv_with_its_filters(
    client: TestClient, keys: dict[Role, str]
) -> None:
    broker = headers(keys[Role.brokerage])
    hospital = headers(keys[Role.discharge_system])
    made = [
        client.post(
            "/v1/referrals",
            json=body(nhs_number=nhs_number(8000 + k), name=name, hours_per_week=1.5),
            headers=who,
        ).json()
        for k, (name, who) in enumerate(
            [("Zoë Ünal", broker), ("=HYPERLINK(1)", broker), ("Hospital Person", hospital)]
        )
    ]
    assert all("id" in m for m in made), made
    client.post(f"/v1/referrals/{made[0]['id']}/events", json={"kind": "started"}, headers=broker)

    # Every match, not a page of them (limit would give one), oldest first.
    got = client.get("/v1/referrals?format=csv&zone=3B&limit=1", headers=broker)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert 'filename="referrals.csv"' in got.headers["content-disposition"]
    rows = _rows(got.text)
    assert [int(r["id"]) for r in rows] == [m["id"] for m in made]
    first = rows[0]
    assert (first["name"], first["status"], first["day_zone"]) == ("Zoë Ünal", "started", "3B")
    assert (first["provider_id"], first["hours_per_week"]) == ("provider-3b", "1.5")
    assert first["nhs_number"] == made[0]["nhs_number"]
    assert first["planned_end_date"] == made[0]["planned_end_date"]
    # A name a spreadsheet would run as a formula is written as text.
    assert rows[1]["name"] == "'=HYPERLINK(1)"

    # The filters apply, and Accept: text/csv works as format=csv does.
    started = client.get("/v1/referrals?status=started", headers=broker | {"Accept": "text/csv"})
    assert [r["name"] for r in _rows(started.text)] == ["Zoë Ünal"]
    # A discharge system downloads only the referrals it sent.
    own = _rows(client.get("/v1/referrals?format=csv", headers=hospital).text)
    assert [r["name"] for r in own] == ["Hospital Person"]
    # Not a format the list has.
    wrong = client.get("/v1/referrals?format=xlsx", headers=broker)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"][0]["field"] == "query.format"
