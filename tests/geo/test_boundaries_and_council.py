from __future__ import annotations

import pytest

from geo.boundaries import load_wards
from geo.council import load_council
from geo.errors import BoundaryFileError, CouncilConfigError, UnknownWardError
from tests.geo.conftest import DATA, PROJECT_DATA


def _load(name: str):
    return load_wards(DATA / name, code_property="WD13CD", name_property="WD13NM")


def test_coventry_has_18_clean_wards(area) -> None:
    assert len(area.boundaries.wards) == 18
    # ONS says 98.6 km² in all.
    total_km2 = sum(p.area for p in area.boundaries.polygons_bng) / 1e6
    assert total_km2 == pytest.approx(98.6, abs=0.1)
    assert area.version.startswith("coventry_wards_2013.geojson#sha256:")


def test_good_fixture_loads() -> None:
    wards = _load("good_two_wards.geojson")
    assert [w.code for w in wards.wards] == ["E05000000", "E05000001"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("bad_crs.geojson", "expected CRS"),
        ("bad_overlap.geojson", "overlap by 500000 m²"),  # 0.5 km × 1 km
        ("bad_gap.geojson", "gap of 250000 m²"),  # a 500 m × 500 m hole
        ("bad_invalid.geojson", "Self-intersection"),
        ("bad_duplicate_code.geojson", "more than once"),
        ("bad_wgs84_not_degrees.geojson", "not degrees"),
        ("bad_not_json.geojson", "not valid JSON"),
        ("missing.geojson", "cannot be read"),
    ],
)
def test_bad_boundary_file_names_file_and_problem(name: str, problem: str) -> None:
    with pytest.raises(BoundaryFileError) as caught:
        _load(name)
    assert name in str(caught.value)
    assert problem in str(caught.value)


def test_report_spellings_and_names_resolve(area) -> None:
    zones = {z.code: set(z.ward_codes) for z in area.council.day_zones}
    assert zones["1A"] == {"E05001218", "E05001229", "E05001227"}  # Bakewell = Bablake
    assert zones["2A"] == {"E05001234", "E05001233", "E05001232"}  # Whitnortley = Whoberley
    assert zones["2B"] == {"E05001220", "E05001221", "E05001231"}  # Chaylesmore, Warbody
    assert zones["3B"] == {"E05001228", "E05001226", "E05001219"}  # St Michaels, Binley
    nights = {z.code: z.day_zone_codes for z in area.council.night_zones}
    assert nights == {"1": ("1A", "1B"), "2": ("2A", "2B"), "3": ("3A", "3B")}


def test_good_council_fixture_loads(area) -> None:
    council = load_council(DATA / "council_good.toml", area.boundaries.wards)
    assert [z.code for z in council.day_zones] == ["1A", "2A"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("council_ward_twice.toml", "Henley (E05001223) is in day zones 1A and 2A"),
        ("council_ward_missing.toml", "wards in no day zone: Wyken (E05001235)"),
        ("council_unknown_ward.toml", "unknown ward 'Radfrod'. Did you mean: Radford"),
        ("council_night_gap.toml", "day zones in no night zone: 2A"),
        ("council_unknown_provider.toml", "unknown provider 'nobody'"),
        ("council_block_over.toml", "block_hours_per_week <= commissioned_hours_per_week"),
        ("council_not_toml.toml", "not valid TOML"),
    ],
)
def test_bad_council_file_names_the_problem(area, name: str, problem: str) -> None:
    with pytest.raises(CouncilConfigError) as caught:
        load_council(DATA / name, area.boundaries.wards)
    assert name in str(caught.value)
    assert problem in str(caught.value)


def test_unknown_ward_is_a_value_error_with_suggestions(area) -> None:
    with pytest.raises(ValueError) as caught:
        load_council(DATA / "council_unknown_ward.toml", area.boundaries.wards)
    assert isinstance(caught.value, UnknownWardError)
    assert caught.value.suggestions[0] == "Radford"


def test_ward_names_are_case_insensitive(area) -> None:
    from geo.council import WardResolver

    resolver = WardResolver(area.boundaries.wards, {"Binley": "Binley and Willenhall"}, "x")
    assert resolver.resolve("st michaels").code == "E05001228"
    assert resolver.resolve("ST MICHAEL'S").code == "E05001228"
    assert resolver.resolve("e05001223").name == "Henley"
    assert resolver.resolve("binley").code == "E05001219"
    assert (PROJECT_DATA / "wards" / "README.md").exists()
