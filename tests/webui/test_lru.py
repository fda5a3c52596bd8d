"""The picture cache: made once per key, the least recently used dropped first."""

from __future__ import annotations

from webui.lru import BytesCache


def test_made_once_then_served_and_the_oldest_dropped() -> None:
    made: list[str] = []

    def make(key: str) -> bytes:
        made.append(key)
        return key.encode()

    cache = BytesCache(2)
    assert cache.get("a", lambda: make("a")) == b"a"
    assert cache.get("a", lambda: make("a")) == b"a"
    cache.get("b", lambda: make("b"))
    cache.get("a", lambda: make("a"))  # "a" is now the most recent
    cache.get("c", lambda: make("c"))  # drops "b", not "a"
    assert len(cache) == 2
    cache.get("a", lambda: make("a"))
    cache.get("b", lambda: make("b"))
    assert made == ["a", "b", "c", "b"]


def test_forget_and_clear() -> None:
    cache = BytesCache(4)
    cache.get(1, lambda: b"x")
    cache.forget(1)
    cache.forget(99)  # unknown keys are fine
    assert len(cache) == 0
    cache.get(2, lambda: b"y")
    cache.clear()
    assert cache.get(2, lambda: b"z") == b"z"
