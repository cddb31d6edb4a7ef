from __future__ import annotations

import pytest

from app.security import Role
from tests.conftest import headers


@pytest.fixture
def auth(sqlite_keys):
    return headers(sqlite_keys[Role.brokerage])


def test_health_needs_no_key(sqlite_client) -> None:
    response = sqlite_client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_allocation_needs_a_key(sqlite_client) -> None:
    response = sqlite_client.post("/v1/allocations", json={"postcode": "CV1 5FB"})
    assert response.status_code == 401
    assert response.json()["error"]["fields"][0]["field"] == "header.X-API-Key"
    bad = sqlite_client.post(
        "/v1/allocations", json={"postcode": "CV1 5FB"}, headers=headers("cz_nonsense")
    )
    assert bad.status_code == 401


def test_commissioner_may_not_allocate(sqlite_client, sqlite_keys) -> None:
    response = sqlite_client.post(
        "/v1/allocations",
        json={"postcode": "CV1 5FB"},
        headers=headers(sqlite_keys[Role.commissioner]),
    )
    assert response.status_code == 403


def test_postcode_allocation(sqlite_client, auth) -> None:
    response = sqlite_client.post("/v1/allocations", json={"postcode": " cv15fb"}, headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["in_area"] is True
    assert body["postcode"] == "CV1 5FB"
    assert body["ward"] == {"code": "E05001228", "name": "St Michael's"}
    assert body["day_zone"]["code"] == "3B"
    assert body["day_zone"]["provider"]["id"] == "provider-3b"
    assert body["night_zone"]["code"] == "3"
    assert body["night_zone"]["provider"]["id"] == "provider-3a"
    assert body["distance_m"] == 0
    assert body["boundary_version"].startswith("coventry_wards_2013.geojson#sha256:")


def test_lat_lon_and_grid_reference(sqlite_client, auth) -> None:
    by_lat_lon = sqlite_client.post(
        "/v1/allocations", json={"lat": 52.4214, "lon": -1.4388}, headers=auth
    ).json()
    assert by_lat_lon["ward"]["name"] == "Henley"
    by_grid = sqlite_client.post(
        "/v1/allocations",
        json={"easting": by_lat_lon["easting"], "northing": by_lat_lon["northing"]},
        headers=auth,
    ).json()
    assert by_grid["ward"]["name"] == "Henley"
    assert by_grid["lat"] == pytest.approx(52.4214, abs=1e-5)


def test_out_of_area(sqlite_client, auth) -> None:
    body = sqlite_client.post("/v1/allocations", json={"postcode": "CV21 2DA"}, headers=auth).json()
    assert body["in_area"] is False
    assert body["distance_m"] > 5_000  # Rugby is well east of Coventry
    assert body["day_zone"]["code"] in {"3A", "3B"}


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ({"lat": 95, "lon": -1.5}, "body.lat", "less than or equal to 90"),
        ({"lat": -1.51, "lon": 52.41}, "body.lat", "look swapped"),
        ({"lat": 52.4}, "body", "Expected both lat and lon"),
        ({"postcode": "CV1 5FB", "lat": 52.4, "lon": -1.5}, "body", "exactly one"),
        ({}, "body", "exactly one"),
        ({"postcode": "not a postcode"}, "body.postcode", "Expected a UK postcode"),
        ({"easting": -3, "northing": 10}, "body.easting", "greater than or equal to 0"),
        ({"lat": "north", "lon": -1.5}, "body.lat", "valid number"),
        ({"postcode": "CV1 5FB", "colour": "red"}, "body.colour", "Extra inputs"),
    ],
)
def test_bad_input_names_field_and_reason(sqlite_client, auth, payload, field, reason) -> None:
    response = sqlite_client.post("/v1/allocations", json=payload, headers=auth)
    assert response.status_code == 422, response.text
    fields = response.json()["error"]["fields"]
    assert any(f["field"] == field and reason in f["reason"] for f in fields), fields


def test_unknown_postcode_is_404(sqlite_client, auth) -> None:
    response = sqlite_client.post("/v1/allocations", json={"postcode": "SW1A 1AA"}, headers=auth)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "postcode_not_found"


def test_malformed_json_is_422_not_500(sqlite_client, auth) -> None:
    response = sqlite_client.post(
        "/v1/allocations",
        content=b"{not json",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_json_nested_too_deeply_is_422_on_the_body(sqlite_client, auth) -> None:
    # Python's JSON decoder gives up (RecursionError): FastAPI said 400, with no field.
    response = sqlite_client.post(
        "/v1/allocations",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "body"


def test_batch_answers_in_order_with_errors_in_place(sqlite_client, auth) -> None:
    items = [
        {"postcode": "CV1 5FB"},
        {"postcode": "nonsense!"},
        {"lat": 52.4214, "lon": -1.4388},
        {"postcode": "SW1A 1AA"},
        {"lat": -1.5, "lon": 52.4},
        {"easting": 433500, "northing": 279000},
        None,  # not an object: an error in its place, not a refused batch
        "CV1 5FB",
    ]
    response = sqlite_client.post("/v1/allocations/batch", json={"items": items}, headers=auth)
    assert response.status_code == 200
    out = response.json()["items"]
    assert [item["index"] for item in out] == list(range(8))
    assert out[0]["allocation"]["ward"]["name"] == "St Michael's"
    assert out[1]["error"]["status"] == 422
    assert out[2]["allocation"]["ward"]["name"] == "Henley"
    assert out[3]["error"]["status"] == 404
    assert out[3]["error"]["fields"][0]["field"] == "body.items.3.postcode"
    assert out[4]["error"]["fields"][0]["field"] == "body.items.4.lat"
    assert out[5]["allocation"]["day_zone"]["code"] == "3B"
    for bad in out[6:]:
        assert bad["error"]["status"] == 422
        assert bad["error"]["fields"][0]["field"] == f"body.items.{bad['index']}"


def test_nan_is_not_a_finite_number(sqlite_client, auth) -> None:
    response = sqlite_client.post(
        "/v1/allocations",
        content=b'{"lat": NaN, "lon": -1.5}',
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    (field,) = response.json()["error"]["fields"]
    assert field["field"] == "body.lat" and "finite" in field["reason"]


def test_batch_over_10000_is_refused(sqlite_client, auth) -> None:
    items = [{"postcode": "CV1 5FB"}] * 10_001
    response = sqlite_client.post("/v1/allocations/batch", json={"items": items}, headers=auth)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "body.items"


def test_zones_geojson(sqlite_client, auth) -> None:
    response = sqlite_client.get("/v1/zones", headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    wards = [f for f in features if f["properties"]["kind"] == "ward"]
    assert len(wards) == 18
    assert len([f for f in features if f["properties"]["kind"] == "day_zone"]) == 6
    assert len([f for f in features if f["properties"]["kind"] == "night_zone"]) == 3
    lon, lat = wards[0]["geometry"]["coordinates"][0][0]
    assert -1.7 < lon < -1.3 and 52.3 < lat < 52.5  # longitude first (RFC 7946)
    henley = next(f for f in wards if f["properties"]["ward_name"] == "Henley")
    assert henley["properties"]["day_zone"] == "3A"
    assert henley["properties"]["night_provider"]["id"] == "provider-3a"


def test_openapi_documents_allocations(sqlite_client) -> None:
    spec = sqlite_client.get("/openapi.json").json()
    assert "/v1/allocations" in spec["paths"]
    assert "/v1/allocations/batch" in spec["paths"]
    assert "/v1/zones" in spec["paths"]


def test_principal_cache_keeps_live_keys_only() -> None:
    from app.security import Principal, PrincipalCache

    principal = Principal(key_id=1, name="n", role=Role.brokerage)
    cache = PrincipalCache(ttl_s=60)
    assert cache.get("cz_a") is None
    cache.put("cz_a", principal)
    assert cache.get("cz_a") == principal
    assert cache.get("cz_b") is None
    off = PrincipalCache(ttl_s=0)  # 0 s: nothing is kept
    off.put("cz_a", principal)
    assert off.get("cz_a") is None
