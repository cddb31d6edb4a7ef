"""A council's zones and providers, loaded from TOML and checked against its wards.

Wards may be named by ONS code or by name, case-insensitively and ignoring
punctuation ("St Michaels" is "St Michael's"), or through the file's
``[ward_aliases]`` table, which carries a report's own spellings.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import CouncilConfigError, UnknownWardError
from geo.types import DayZone, NightZone, Provider, Ward


@dataclass(frozen=True)
class Council:
    """Zones and providers of one council. Every ward is in exactly one day zone,
    and the night zones partition the day zones."""

    id: str
    name: str
    wards: tuple[Ward, ...]
    day_zones: tuple[DayZone, ...]
    night_zones: tuple[NightZone, ...]
    providers: tuple[Provider, ...]

    def provider(self, provider_id: str) -> Provider:
        for provider in self.providers:
            if provider.id == provider_id:
                return provider
        raise KeyError(provider_id)

    def day_zone(self, code: str) -> DayZone:
        for zone in self.day_zones:
            if zone.code == code:
                return zone
        raise KeyError(code)

    def night_zone(self, code: str) -> NightZone:
        for zone in self.night_zones:
            if zone.code == code:
                return zone
        raise KeyError(code)

    def day_zone_of_ward(self, ward_code: str) -> DayZone:
        for zone in self.day_zones:
            if ward_code in zone.ward_codes:
                return zone
        raise KeyError(ward_code)

    def night_zone_of_day_zone(self, day_zone_code: str) -> NightZone:
        for zone in self.night_zones:
            if day_zone_code in zone.day_zone_codes:
                return zone
        raise KeyError(day_zone_code)


def _key(text: str) -> str:
    # Apostrophes vanish ("St Michaels" is "St Michael's"); other punctuation is a space.
    text = re.sub(r"['’`]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


class WardResolver:
    """Resolves a ward reference (code, name, alias) to a :class:`Ward`."""

    def __init__(self, wards: tuple[Ward, ...], aliases: dict[str, str], source: str) -> None:
        self._source = source
        self._by_key: dict[str, Ward] = {}
        for ward in wards:
            self._by_key[_key(ward.code)] = ward
            self._by_key[_key(ward.name)] = ward
        self._names = [ward.name for ward in wards]
        for alias, target in aliases.items():
            self._by_key[_key(alias)] = self.resolve(target)

    def resolve(self, reference: str) -> Ward:
        ward = self._by_key.get(_key(reference))
        if ward is None:
            close = difflib.get_close_matches(reference.title(), self._names, n=3, cutoff=0.5)
            raise UnknownWardError(reference, close, self._source)
        return ward


def _require(table: dict[str, Any], key: str, source: str, where: str) -> Any:
    if key not in table:
        raise CouncilConfigError(f"{source}: {where} lacks {key!r}.")
    return table[key]


def load_council(path: Path, wards: tuple[Ward, ...]) -> Council:
    """Load a council file and check it against the ward boundaries.

    Parameters
    ----------
    path
        ``data/councils/<council>.toml``.
    wards
        The wards of the boundary file, which the zones must cover exactly.
    """
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CouncilConfigError(f"{source}: cannot be read ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CouncilConfigError(f"{source}: is not valid TOML ({exc}).") from exc
    resolver = WardResolver(wards, dict(raw.get("ward_aliases", {})), source)

    providers = []
    for table in raw.get("providers", []):
        try:
            providers.append(
                Provider(
                    id=str(_require(table, "id", source, "a provider")),
                    name=str(_require(table, "name", source, "a provider")),
                    commissioned_hours_per_week=float(
                        _require(table, "commissioned_hours_per_week", source, "a provider")
                    ),
                    block_hours_per_week=float(
                        _require(table, "block_hours_per_week", source, "a provider")
                    ),
                    runs_night_car=bool(table.get("runs_night_car", False)),
                )
            )
        except ValueError as exc:
            if isinstance(exc, CouncilConfigError):
                raise
            raise CouncilConfigError(f"{source}: {exc}") from exc
    provider_ids = {p.id for p in providers}

    def provider_of(table: dict[str, Any], where: str) -> str:
        provider_id = str(_require(table, "provider", source, where))
        if provider_id not in provider_ids:
            raise CouncilConfigError(f"{source}: {where} names unknown provider {provider_id!r}.")
        return provider_id

    day_zones: list[DayZone] = []
    seen: dict[str, str] = {}
    for table in raw.get("day_zones", []):
        code = str(_require(table, "code", source, "a day zone"))
        codes = []
        for reference in _require(table, "wards", source, f"day zone {code}"):
            ward = resolver.resolve(str(reference))
            if ward.code in seen:
                raise CouncilConfigError(
                    f"{source}: ward {ward.name} ({ward.code}) is in day zones "
                    f"{seen[ward.code]} and {code}; expected exactly one."
                )
            seen[ward.code] = code
            codes.append(ward.code)
        day_zones.append(DayZone(code, tuple(codes), provider_of(table, f"day zone {code}")))
    missing = [f"{w.name} ({w.code})" for w in wards if w.code not in seen]
    if missing:
        raise CouncilConfigError(f"{source}: wards in no day zone: {', '.join(missing)}.")

    day_codes = [zone.code for zone in day_zones]
    night_zones: list[NightZone] = []
    night_of: dict[str, str] = {}
    for table in raw.get("night_zones", []):
        code = str(_require(table, "code", source, "a night zone"))
        members = tuple(str(z) for z in _require(table, "day_zones", source, f"night zone {code}"))
        for member in members:
            if member not in day_codes:
                raise CouncilConfigError(
                    f"{source}: night zone {code} names unknown day zone {member!r}."
                )
            if member in night_of:
                raise CouncilConfigError(
                    f"{source}: day zone {member} is in night zones {night_of[member]} and {code}; "
                    "expected exactly one."
                )
            night_of[member] = code
        base = _require(table, "base", source, f"night zone {code}")
        night_zones.append(
            NightZone(
                code=code,
                day_zone_codes=members,
                provider_id=provider_of(table, f"night zone {code}"),
                base_lat=float(_require(base, "lat", source, f"night zone {code} base")),
                base_lon=float(_require(base, "lon", source, f"night zone {code} base")),
                base_label=str(base.get("label", f"Night zone {code} base")),
            )
        )
    uncovered = [code for code in day_codes if code not in night_of]
    if night_zones and uncovered:
        raise CouncilConfigError(f"{source}: day zones in no night zone: {', '.join(uncovered)}.")
    if not day_zones:
        raise CouncilConfigError(f"{source}: defines no day zones.")
    return Council(
        id=str(raw.get("id", path.stem)),
        name=str(raw.get("name", path.stem)),
        wards=wards,
        day_zones=tuple(day_zones),
        night_zones=tuple(night_zones),
        providers=tuple(providers),
    )
