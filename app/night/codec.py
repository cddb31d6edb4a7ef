"""Routing domain objects to JSON and back, so plans and their inputs can be stored.

Datetimes are ISO 8601 with their offset and come back in Europe/London; points
are ``{"lat", "lon"}``. Only the shapes used by ``routing.types`` and
``routing.settings`` are supported: dataclasses, ``tuple[X, ...]``, ``X | None``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any, TypeVar

import numpy as np

from routing.night import LONDON

T = TypeVar("T")


def dump(obj: object) -> Any:
    """A JSON-ready copy of a domain object."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: dump(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [dump(item) for item in obj]
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def load(cls: type[T], data: Any) -> T:
    """Rebuild a domain object of type ``cls`` from :func:`dump`'s output."""
    value: T = _load(cls, data)
    return value


def _load(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _load(inner[0], data)
    if origin is tuple:
        return tuple(_load(typing.get_args(tp)[0], item) for item in data)
    if tp is datetime:
        return datetime.fromisoformat(data).astimezone(LONDON)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(
            **{
                f.name: _load(hints[f.name], data[f.name])
                for f in dataclasses.fields(tp)
                if f.name in data
            }
        )
    if tp is float and isinstance(data, int):
        return float(data)
    return data
