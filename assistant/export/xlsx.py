"""The one module that imports openpyxl: read a sheet as rows of text, write sheets with a bold header."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from knowledge.errors import XuefaError

MAX_ROWS = 20_000  # a county's cadres fit many times over; a bigger sheet is a mistake


def read_rows(path: Path | str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(excel row number, cells as stripped text)]) of the first sheet; blank rows skipped."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise XuefaError(f"{path.name}：不是可读取的 Excel（.xlsx）文件（{type(exc).__name__}），请用 Excel 另存为 .xlsx 后再导入。")
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise XuefaError(f"{path.name}：工作表是空的，第一行应为列名。")
        header = [_text(c) for c in header_row]
        out = []
        for number, row in enumerate(rows, start=2):
            cells = [_text(c) for c in row]
            if any(cells):
                out.append((number, cells + [""] * (len(header) - len(cells))))
            if len(out) > MAX_ROWS:
                raise XuefaError(f"{path.name}：超过 {MAX_ROWS} 行，请分批导入。")
        return header, out
    finally:
        wb.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 工号 typed as a number
    return str(value).strip()


def write_workbook(path: Path | str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
                   widths: dict[str, int] | None = None) -> Path:
    """Write sheets [(title, header, rows)]; the header bold and frozen, columns sized to their text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        longest = [len(str(h)) for h in header]
        for row in rows:
            values = list(row)
            ws.append(values)
            for i, v in enumerate(values[: len(longest)]):
                longest[i] = max(longest[i], len(str(v)) if v is not None else 0)
        for i, n in enumerate(longest, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, n * 2 + 2))
    wb.save(path)
    return path
