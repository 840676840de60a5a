"""A spreadsheet file (XLSX or CSV) as a table of cells, or a reason it cannot be read."""

import csv
import io
import zipfile

MAX_BYTES = 5 * 1024 * 1024


class Unreadable(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def read_table(filename: str, data: bytes) -> list[list]:
    if len(data) > MAX_BYTES:
        raise Unreadable("too_large")
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise Unreadable("not_xlsx")
    return read_csv(data)


def read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise Unreadable("encoding")
    if "\x00" in text:
        raise Unreadable("not_csv")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise Unreadable("not_csv") from error


def read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > 1000 or sum(e.file_size for e in entries) > 50 * MAX_BYTES:
                raise Unreadable("too_large")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - any failure to open is "not a workbook"
        raise Unreadable("not_xlsx") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
