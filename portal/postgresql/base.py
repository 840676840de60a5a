"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django checks a kept connection before the first query of each request
by running `SELECT 1`: one more round trip on every request. A connection that PostgreSQL has
closed (a restart, an administrator's termination, a server crash) has something to read on its
socket before any query is sent: the server's farewell message, or the end of the stream. An
idle, healthy connection has nothing. So the check here asks the socket instead, without
waiting: readable, closed or broken means unusable, and Django opens a new connection. A
connection that is readable for another reason (a parameter change the server reports on its
own) is merely replaced. tests/faults/test_postgres_restart.py restarts a real server under
gunicorn and checks that every request succeeds once it is back.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status in (
            TransactionStatus.INERROR,
            TransactionStatus.UNKNOWN,
        ):
            return False  # a failed transaction left open, or a lost connection: as SELECT 1 would
        try:
            readable, _w, _x = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
