"""Offline postcode lookup from OS Code-Point Open.

``normalise`` turns "cv11ah" and " CV1 1AH " into "CV1 1AH" and refuses
strings that are not shaped like a UK postcode (:class:`PostcodeFormatError`).
A well-formed postcode the table does not hold raises
:class:`PostcodeNotFoundError` instead, so callers can tell the two apart.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError, PostcodeFormatError, PostcodeNotFoundError
from geo.types import BngPoint

# Royal Mail's formats: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA.
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD = r"[0-9][A-Z]{2}"
_POSTCODE = re.compile(rf"^({_OUTWARD})({_INWARD})$")


def normalise(text: str) -> str:
    """Return the postcode as Royal Mail writes it, or raise :class:`PostcodeFormatError`."""
    compact = re.sub(r"\s+", "", str(text)).upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise PostcodeFormatError(
            f"Expected a UK postcode such as 'CV1 1AH', got {text.strip()[:20]!r}."
        )
    return f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True, slots=True)
class PostcodeRecord:
    """One row of the table: the postcode's grid reference and its ONS ward and district."""

    postcode: str
    point: BngPoint
    lat: float
    lon: float
    ward_code: str
    district_code: str


class PostcodeTable:
    """All postcodes of a Code-Point Open extract, held in memory."""

    def __init__(self, records: dict[str, PostcodeRecord], source: Path) -> None:
        self._records = records
        self.source = source

    @classmethod
    def load(cls, path: Path) -> PostcodeTable:
        """Read a CSV with postcode, easting, northing, lat, lon, admin_ward_code columns."""
        records: dict[str, PostcodeRecord] = {}
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                for n, row in enumerate(csv.DictReader(handle), start=2):
                    try:
                        record = PostcodeRecord(
                            postcode=normalise(row["postcode"]),
                            point=BngPoint(float(row["easting"]), float(row["northing"])),
                            lat=float(row["lat"]),
                            lon=float(row["lon"]),
                            ward_code=row.get("admin_ward_code") or "",
                            district_code=row.get("admin_district_code") or "",
                        )
                    except (KeyError, ValueError) as exc:
                        raise GeoError(f"{path}: line {n} is not a postcode row ({exc}).") from exc
                    records[record.postcode] = record
        except OSError as exc:
            raise GeoError(f"{path}: cannot be read ({exc.strerror}).") from exc
        if not records:
            raise GeoError(f"{path}: holds no postcodes.")
        return cls(records, path)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._records.values())

    def lookup(self, text: str) -> PostcodeRecord:
        """The record for a postcode in any spacing or case."""
        postcode = normalise(text)
        record = self._records.get(postcode)
        if record is None:
            raise PostcodeNotFoundError(
                f"We do not hold the postcode {postcode} (the postcode list has {len(self):,} "
                "of this area's postcodes): check it, or give the place as coordinates."
            )
        return record
