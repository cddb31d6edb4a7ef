"""CSV downloads of report rows, chosen by ``?format=csv`` or ``Accept: text/csv``."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request, Response
from pydantic import BaseModel

from app.spreadsheet import csv_text

CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV on request"}}


def wants_csv(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "csv"
    return "text/csv" in request.headers.get("accept", "")


def csv_response(rows: Sequence[BaseModel], columns: list[str], filename: str) -> Response:
    return Response(
        csv_text(columns, (row.model_dump(mode="json") for row in rows)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
