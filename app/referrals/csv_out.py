"""CSV downloads of report rows, chosen by ``?format=csv`` or ``Accept: text/csv``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi import Request, Response
from pydantic import BaseModel

CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV on request"}}


def wants_csv(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "csv"
    return "text/csv" in request.headers.get("accept", "")


def csv_response(rows: Sequence[BaseModel], columns: list[str], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.model_dump(mode="json").items()})
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
