"""The Redis cache backend keeps one client per connection pool (portal/cache.py)."""

import os

import pytest

from portal.cache import RedisCache


@pytest.fixture
def redis_cache():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    backend = RedisCache(url.rsplit("/", 1)[0] + "/13", {"KEY_PREFIX": "test-portal-cache"})
    try:
        backend.clear()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"the tests need Redis at {url}: {error}")
    yield backend
    backend.clear()


def test_one_client_serves_every_operation(redis_cache):
    first = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is first
    assert redis_cache._cache.get_client(write=True) is redis_cache._cache.get_client(write=True)


def test_the_shared_client_reads_and_writes(redis_cache):
    redis_cache.set("a", {"x": 1}, 60)
    redis_cache.set_many({"b": "二", "c": [3]}, 60)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b", "c", "missing"]) == {"a": {"x": 1}, "b": "二", "c": [3]}
    redis_cache.delete("a")
    assert redis_cache.get("a", "gone") == "gone"
    assert redis_cache.add("n", 1, 60)
    assert redis_cache.incr("n") == 2
