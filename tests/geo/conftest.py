from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from geo.area import Area, load_area

DATA = Path(__file__).parent / "data"
PROJECT_DATA = PROJECT_ROOT / "data"


@pytest.fixture(scope="session")
def area() -> Area:
    """Coventry, as the service loads it."""
    return load_area(PROJECT_DATA / "councils" / "coventry.toml", data_dir=PROJECT_DATA)
