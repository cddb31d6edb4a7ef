"""CSV that opens cleanly in a spreadsheet.

* A UTF-8 byte-order mark first, so Excel reads "Zoë" as written rather than as
  Windows-1252 (LibreOffice and Python's ``utf-8-sig`` read it too).
* A text cell that a spreadsheet would run as a formula (one starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return; OWASP "CSV injection") gets a
  leading apostrophe, which makes it plain text. Numbers, signed or not, are left
  as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)


def cell(value: Any) -> Any:
    """``value``, with a text cell that would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header of ``columns`` and one line per row (other keys ignored; None is empty)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else cell(v) for k, v in row.items()})
    return out.getvalue()
