"""Night service users from a CSV file: one row per visit, rows of one person grouped.

Columns (header names, any order; blank optional cells take the default):

``person`` (required, the label the crew sees), ``referral_id``, ``postcode`` *or*
``lat`` + ``lon``, ``min_gap_minutes`` (60), ``requested_time`` (``HH:MM``),
``duration_minutes``, ``tolerance_minutes`` (30), ``strict`` (yes/no, default no),
``days`` (``mon tue`` / ``mon;tue`` / ``all``; default all), ``priority`` (1), ``notes``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import reason_of
from app.schemas.night_users import NightUserIn
from app.text_guard import NUL

REQUIRED = ("person", "requested_time", "duration_minutes")
PERSON_COLUMNS = ("referral_id", "postcode", "lat", "lon", "min_gap_minutes")
TRUE, FALSE = {"yes", "y", "true", "1", "strict"}, {"no", "n", "false", "0", ""}


@dataclass
class Person:
    """One person's rows: the CSV line numbers and the user built from them."""

    label: str
    lines: list[int] = field(default_factory=list)
    first: dict[str, str] = field(default_factory=dict)
    visits: list[dict[str, Any]] = field(default_factory=list)


class CsvFormatError(ValueError):
    """The file's header lacks a required column."""


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; header names are lower-cased and stripped."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip().lower() for c in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            msg = f"{path}: expected columns {', '.join(REQUIRED)}; missing {', '.join(missing)}."
            raise CsvFormatError(msg)
        if "postcode" not in columns and not {"lat", "lon"} <= set(columns):
            raise CsvFormatError(f"{path}: expected a postcode column or lat and lon columns.")
        reader.fieldnames = columns
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _days(text: str) -> list[str] | None:
    if not text or text.lower() in {"all", "every", "daily"}:
        return None
    return [d for d in re.split(r"[\s,;/]+", text) if d]


def _strict(text: str) -> bool:
    value = text.lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"Expected strict to be yes or no, got {text!r}.")


def visit_of(row: dict[str, str]) -> dict[str, Any]:
    """The visit fields of a row, as the API would receive them."""
    out: dict[str, Any] = {
        "requested_time": row.get("requested_time", ""),
        "duration_minutes": row.get("duration_minutes", ""),
        "strict": _strict(row.get("strict", "")),
        "notes": row.get("notes", ""),
    }
    for name in ("tolerance_minutes", "priority"):
        if row.get(name):
            out[name] = row[name]
    days = _days(row.get("days", ""))
    if days is not None:
        out["days"] = days
    return out


def user_of(person: Person) -> NightUserIn:
    """Validate one person (raises ``ValidationError`` or ``ValueError``)."""
    row = person.first
    location: dict[str, Any] = (
        {"postcode": row["postcode"]}
        if row.get("postcode")
        else {"lat": row.get("lat") or None, "lon": row.get("lon") or None}
    )
    body: dict[str, Any] = {"label": person.label, "location": location, "visits": person.visits}
    if row.get("referral_id"):
        body["referral_id"] = row["referral_id"]
    if row.get("min_gap_minutes"):
        body["min_gap_minutes"] = row["min_gap_minutes"]
    return NightUserIn.model_validate(body)


def group(rows: Iterable[tuple[int, dict[str, str]]]) -> tuple[list[Person], list[str]]:
    """People in file order, and errors for rows that disagree with their person's first."""
    people: dict[str, Person] = {}
    errors: list[str] = []
    for line, row in rows:
        nul = [name for name, value in row.items() if NUL in value]
        if nul:  # PostgreSQL cannot store it
            errors.append(f"line {line}: {nul[0]}: expected text without NUL (0x00) characters.")
            continue
        label = row.get("person", "")
        if not label:
            errors.append(f"line {line}: person: expected a name or label, got an empty cell.")
            continue
        try:
            visit = visit_of(row)
        except ValueError as exc:
            errors.append(f"line {line}: strict: {exc}")
            continue
        person = people.setdefault(label, Person(label, first=row))
        for name in PERSON_COLUMNS:
            if row.get(name) and row[name] != person.first.get(name):
                # Values are not repeated: a postcode or referral is personal data, and
                # this message may end up in a log.
                errors.append(
                    f"line {line}: {name}: expected the same value as on line "
                    f"{person.lines[0] if person.lines else line} for the same person."
                )
        person.visits.append(visit)
        person.lines.append(line)
    return list(people.values()), errors


def describe(person: Person, exc: ValidationError) -> list[str]:
    """One message per field error, naming the CSV line and column."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        line = person.lines[0]
        if loc[:1] == ["visits"] and len(loc) > 1 and loc[1].isdigit():
            line = person.lines[int(loc[1])]
            column = ".".join(loc[2:]) or "visit"
        else:
            column = ".".join(p for p in loc if p != "location") or "location"
            column = "person" if column == "label" else column  # the CSV's name for it
        out.append(f"line {line}: {column}: {reason_of(err)}")
    return out
