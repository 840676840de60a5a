"""Exports of the regulator's filtered queue: CSV (for Excel) and XLSX.

The pure part (cell neutralising, the header block, a row's cells) is free of Django and the
clock; the writers take an iterator of rows and never hold more than one row in memory:
the CSV is streamed as it is written, the XLSX is written row by row (openpyxl's
write-only mode) to a temporary file that is then streamed.
"""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

# A cell starting with one of these is read by Excel/LibreOffice as a formula (CSV injection):
# a leading apostrophe makes it text. Tabs and carriage returns are included (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

TIER_ZH = {"low": "低", "medium": "中", "high": "高", "critical": "重大"}

# (key in the row dict, Chinese header)
COLUMNS = (
    ("organisation", "组织名称"),
    ("uscc", "统一社会信用代码"),
    ("province", "省份"),
    ("sector", "行业"),
    ("grade", "义务等级"),
    ("number", "提交序号"),
    ("submitted_at", "提交时间"),
    ("tier", "风险等级"),
    ("override", "监管调整等级"),
    ("index", "合规指数"),
    ("red_lines", "触及红线数"),
    ("status", "状态"),
    ("reviewer", "审核人"),
)
HEADERS = [title for _key, title in COLUMNS]


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text that looks like a formula is
    prefixed with an apostrophe; numbers and dates are kept as they are."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, dt.date)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def header_block(filters: dict[str, str], exported_at: str, total: int | None = None) -> list:
    """The rows above the table: the filters used and the export time (text, neutralised)."""
    used = "；".join(f"{k}：{v}" for k, v in filters.items() if v) or "无（全部）"
    rows = [["导出时间", exported_at], ["筛选条件", used]]
    if total is not None:
        rows.append(["行数", total])
    return [[neutralise(c) for c in row] for row in rows]


def cells(row: dict) -> list:
    """One row's cells in column order, neutralised."""
    return [neutralise(row.get(key)) for key, _title in COLUMNS]


class _Echo:
    """A file-like object whose write returns the text (csv.writer into a generator)."""

    def write(self, value):
        return value


def csv_lines(header: list, rows: Iterable[dict]) -> Iterator[str]:
    """The CSV as a stream of lines: BOM, the header block, a blank line, the table."""
    writer = csv.writer(_Echo())
    yield BOM
    for line in header:
        yield writer.writerow(line)
    yield writer.writerow([])
    yield writer.writerow(HEADERS)
    for row in rows:
        yield writer.writerow(cells(row))


def xlsx_file(header: list, rows: Iterable[dict], *, sheet_title: str = "监管队列"):
    """Write the XLSX row by row to a temporary file (returned, positioned at 0)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    bold = Font(bold=True)
    for line in header:
        sheet.append(line)
    sheet.append([])
    titles = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in cells(row)])
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out


def _xlsx_value(value):
    # openpyxl refuses time-zone-aware datetimes; the rows carry local text already.
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_text(header: list, rows: Iterable[dict]) -> str:
    """The whole CSV as one string (tests and small exports)."""
    buffer = io.StringIO()
    for part in csv_lines(header, rows):
        buffer.write(part)
    return buffer.getvalue()


def table_lines(header: list, titles: list[str], rows: Iterable[list]) -> Iterator[str]:
    """A dashboard table as CSV lines (BOM, header block, the table), cells neutralised."""
    writer = csv.writer(_Echo())
    yield BOM
    for line in header:
        yield writer.writerow(line)
    yield writer.writerow([])
    yield writer.writerow([neutralise(t) for t in titles])
    for row in rows:
        yield writer.writerow([neutralise(c) for c in row])
