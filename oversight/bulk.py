"""Writing many rows fast, for the scale tools: COPY on PostgreSQL, bulk_create elsewhere.

Django's bulk_create on PostgreSQL sends each column as one array parameter, and psycopg
escapes every element of a text array with a regular expression: for the ~34 KB result and
~15 KB answer documents of a submission that escaping was most of seed_scale's time (15
submissions a second, measured with cProfile). COPY sends the rows as tab-separated text
instead, and a document shared by many rows (seed_scale's answer profiles) is serialised and
escaped once.

Rows are tuples in the order of the column names given (model attnames, e.g.
"assessment_id"); JSON columns take the Python value. Ids are reserved up front from the
table's sequence, so rows that point at each other can be written without reading ids back.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection


def _escape(text: str) -> str:
    """COPY text format: backslash, tab, newline and carriage return are escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class RowWriter:
    """One writer per seeding run: it caches the COPY text of shared JSON documents."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        # id(document) -> (document, its COPY text); the document is kept so its id stays
        # unique while cached.
        self._documents: dict[int, tuple[object, str]] = {}

    def document(self, value) -> str:
        cached = self._documents.get(id(value))
        if cached is None or cached[0] is not value:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            cached = (value, _escape(text))
            self._documents[id(value)] = cached
        return cached[1]

    def cell(self, value) -> str:
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, (dict, list)):
            return self.document(value)
        if isinstance(value, (int, Decimal)):
            return str(value)
        if isinstance(value, (dt.datetime, dt.date)):
            return value.isoformat()
        return _escape(str(value))

    def reserve_ids(self, model, count: int) -> list[int]:
        """`count` fresh primary keys for `model` (taken from its sequence on PostgreSQL;
        after the current maximum elsewhere, where the seeding transaction holds the lock)."""
        if count <= 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))

    def write(self, model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert the rows; returns how many. The ORM sends no signal for them, so every
        cached page is marked out of date (portal.page_cache)."""
        from portal import page_cache

        page_cache.bump_global()
        if not self.postgres:
            objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model.objects.bulk_create(objects, batch_size=2000)
            return len(objects)
        return self.copy_lines(
            model, columns, ("\t".join(map(self.cell, row)) + "\n" for row in rows)
        )

    def copy_lines(self, model, columns: Sequence[str], lines: Iterable[str]) -> int:
        """COPY ready-made lines (PostgreSQL only): tab-separated cells, each ending in \\n."""
        from portal import page_cache

        page_cache.bump_global()
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
        count, buffer, size = 0, [], 0
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for line in lines:
                buffer.append(line)
                size += len(line)
                count += 1
                if size > 4_000_000:
                    copy.write("".join(buffer).encode())
                    buffer, size = [], 0
            if buffer:
                copy.write("".join(buffer).encode())
        return count
