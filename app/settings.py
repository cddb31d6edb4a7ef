"""The one settings object: environment variables with the ``CAREZONES_`` prefix."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Service configuration. Council facts live in ``data/councils/<council>.toml``."""

    model_config = SettingsConfigDict(env_prefix="CAREZONES_", frozen=True)

    environment: Literal["development", "production"] = "development"
    council: str = Field("coventry", pattern=r"^[a-z0-9_-]+$")
    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'carezones.db'}"
    road_graph_path: Path | None = None
    night_speed_kmh: float = Field(40.0, gt=0, le=130)
    circuity_factor: float = Field(1.35, ge=1.0, le=3.0)
    # Worker processes for night plans: each plan is two independent searches, run
    # side by side when there are two workers (the same plan either way).
    solver_workers: int = Field(2, ge=1, le=8)
    max_body_bytes: int = Field(2_000_000, ge=1_000)
    # A known, live key is trusted for this long without a database read (0 = always
    # read). Revoking a key therefore takes effect within this many seconds.
    auth_cache_seconds: float = Field(2.0, ge=0, le=60)
    session_secret: str = "development-only-session-secret-change-me"
    tile_url: str | None = None
    tile_attribution: str = "© OpenStreetMap contributors"

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.session_secret.startswith("development"):
            raise ValueError("CAREZONES_SESSION_SECRET must be set in production.")
        return self

    @property
    def council_file(self) -> Path:
        return self.data_dir / "councils" / f"{self.council}.toml"


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment, read once; tests override the dependency."""
    return Settings()
