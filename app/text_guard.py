"""Refuse text holding NUL characters, wherever a request carries it.

PostgreSQL cannot store NUL (0x00) in text, and a driver error would surface as a
500 after part of the work was done. One app-wide dependency answers 422 instead,
naming the field (``body.visits.0.notes``, ``query.night_zone``, ``path.week``),
before any handler runs. JSON bodies, forms, query strings and
path parameters are all checked.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from app.errors import InvalidInput

NUL = "\x00"


def first_nul(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where in a decoded JSON value the first text with a NUL is, or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        name = str(key)
        if NUL in name:
            return (*path, name.replace(NUL, "\\u0000"))
        found = first_nul(item, (*path, name))
        if found is not None:
            return found
    return None


def _refuse(field: str) -> None:
    raise InvalidInput(f"Expected text without NUL (0x00) characters in {field}.", field=field)


def _in_json(body: bytes) -> str | None:
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    try:
        found = first_nul(json.loads(body), ("body",))
    except ValueError:
        return None  # not JSON: FastAPI's own parser answers that
    return None if found is None else ".".join(found)


async def refuse_nul_text(request: Request) -> None:
    """App-wide dependency: 422 on the first path, query or body value holding NUL."""
    for where, pairs in (
        ("path", request.path_params.items()),
        ("query", request.query_params.multi_items()),
    ):
        for name, value in pairs:
            if NUL in name or NUL in str(value):
                _refuse(f"{where}.{name.replace(NUL, '')}")
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # FastAPI has read the form already; Starlette keeps the parsed copy.
        for name, value in (await request.form()).multi_items():
            if NUL in name or (isinstance(value, str) and NUL in value):
                _refuse(f"body.{name.replace(NUL, '')}")
    elif "json" in content_type:
        field = _in_json(await request.body())
        if field is not None:
            _refuse(field)
