"""portal.postgresql: the health check asks the socket, and still catches a closed connection."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
]


def test_the_portal_s_backend_is_in_use():
    assert type(connections["default"]).__module__ == "portal.postgresql.base"


def test_an_idle_healthy_connection_is_usable_without_a_query(monkeypatch):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raw = connection.connection

    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(raw, "cursor", no_query)
    monkeypatch.setattr(raw, "execute", no_query)
    assert connection.is_usable()


def test_a_connection_the_server_closed_is_not_usable():
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        assert other.is_usable()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 30
        while other.is_usable() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not other.is_usable()
    finally:
        other.close()


def test_after_the_server_closed_the_connection_the_next_use_reconnects():
    """Django's own health check path (as at the start of a request): a new connection."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        old_pid = cursor.fetchone()[0]
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    finally:
        killer.close()
    time.sleep(0.2)
    connection.health_check_enabled, connection.health_check_done = True, False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid


def test_a_connection_left_in_a_failed_transaction_is_not_usable():
    """As SELECT 1 would have failed there."""
    import psycopg

    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        raw = other.connection
        raw.autocommit = False
        with pytest.raises(psycopg.Error), raw.cursor() as cursor:
            cursor.execute("SELECT 1/0")
        assert raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
        assert not other.is_usable()
        raw.rollback()
        assert other.is_usable()
    finally:
        other.close()
