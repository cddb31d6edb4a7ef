"""POST /v1/referrals/search: a person's referrals by NHS number or name (SQLite, PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db import get_sessionmaker
from app.referrals.models import AuditEntry
from app.security import Role
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers

URL = "/v1/referrals/search"


def _refer(client: TestClient, key: str, nhs: str, name: str) -> int:
    made = client.post(
        "/v1/referrals", json=body(nhs_number=nhs, name=name, hours_per_week=1), headers=key
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_search_by_nhs_number_or_part_of_a_name(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    broker = headers(keys[Role.brokerage])
    hospital = headers(keys[Role.discharge_system])
    first, second = nhs_number(7001), nhs_number(7002)
    ada = _refer(client, broker, first, "Ada O'Brien")
    ada_again = _refer(client, broker, first, "Ada O'Brien")  # readmitted: a second episode
    bert = _refer(client, hospital, second, "Bert 100% Smith")

    # The NHS number as staff type it, with spaces: both of Ada's episodes, oldest first.
    spaced = f"{first[:3]} {first[3:6]} {first[6:]}"
    found = client.post(URL, json={"nhs_number": spaced}, headers=broker)
    assert found.status_code == 200, found.text
    assert [r["id"] for r in found.json()["items"]] == [ada, ada_again]
    assert found.json()["total"] == 2

    # Any part of the name, any case; % and _ are letters, not wildcards.
    by_name = client.post(URL, json={"name": "o'bri"}, headers=broker).json()
    assert [r["id"] for r in by_name["items"]] == [ada, ada_again]
    literal = client.post(URL, json={"name": "100%"}, headers=broker).json()
    assert [r["id"] for r in literal["items"]] == [bert]
    assert client.post(URL, json={"name": "0%"}, headers=broker).json()["total"] == 1
    assert client.post(URL, json={"name": "%%"}, headers=broker).json()["total"] == 0

    # Both given: both must match.
    both = client.post(URL, json={"nhs_number": first, "name": "bert"}, headers=broker).json()
    assert both["total"] == 0

    # Any letter's case, accents and apostrophe shapes are folded, on SQLite as well.
    jurgen = _refer(client, broker, nhs_number(7003), "JÜRGEN O'BRIEN-MÜLLER")
    zoe = _refer(client, broker, nhs_number(7004), "Zoë Straße")
    for typed, expected in (
        ("müller", [jurgen]),
        ("MÜLLER", [jurgen]),
        ("muller", [jurgen]),
        ("o\u2019brien", [ada, ada_again, jurgen]),
        ("zoe", [zoe]),
        ("STRASSE", [zoe]),
    ):
        found_ids = [
            r["id"] for r in client.post(URL, json={"name": typed}, headers=broker).json()["items"]
        ]
        assert found_ids == expected, typed

    # Paging, as the list.
    page2 = client.post(URL, json={"nhs_number": first, "limit": 1, "offset": 1}, headers=broker)
    assert [r["id"] for r in page2.json()["items"]] == [ada_again]

    # A discharge system finds only the referrals it sent.
    assert client.post(URL, json={"name": "ada"}, headers=hospital).json()["total"] == 0
    mine = client.post(URL, json={"name": "SMITH"}, headers=hospital).json()
    assert [r["id"] for r in mine["items"]] == [bert]
    assert client.post(URL, json={"nhs_number": first}, headers=hospital).json()["total"] == 0
    assert client.post(URL, json={"nhs_number": second}, headers=hospital).json()["total"] == 1

    # Each search is audited as such, naming the referrals it returned.
    with get_sessionmaker(db_url)() as session:
        audited = session.scalars(
            select(AuditEntry.referral_id).where(AuditEntry.action == "search")
        ).all()
    assert {ada, ada_again, bert} <= set(audited)


def test_search_refuses_what_cannot_be_searched(client: TestClient, keys: dict[Role, str]) -> None:
    broker = headers(keys[Role.brokerage])

    def field_of(payload: object) -> tuple[int, str, str]:
        answer = client.post(URL, json=payload, headers=broker)
        fields = answer.json()["error"]["fields"]
        return answer.status_code, fields[0]["field"], fields[0]["reason"]

    status, field, reason = field_of({})
    assert (status, field) == (422, "body")
    assert "NHS number or a name" in reason
    status, field, reason = field_of({"nhs_number": "9434765918"})  # wrong check digit
    assert (status, field) == (422, "body.nhs_number")
    assert "modulus-11" in reason
    status, field, _ = field_of({"name": " a "})
    assert (status, field) == (422, "body.name")
    status, field, _ = field_of({"name": "Ada", "limit": 0})
    assert (status, field) == (422, "body.limit")
    # Night coordinators and commissioners may not search referrals.
    for role in (Role.night_coordinator, Role.commissioner):
        refused = client.post(URL, json={"name": "Ada"}, headers=headers(keys[role]))
        assert refused.status_code == 403
