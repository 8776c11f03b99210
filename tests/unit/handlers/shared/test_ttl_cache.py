"""The one time-limited cache of the Slack surface (people's names, admin answers), on a clock the test
moves by hand."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from handlers.credentials.listeners import AdminCheck
from handlers.shared.names import UserNames
from handlers.shared.ttl_cache import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_value_lives_for_its_ttl_then_is_forgotten():
    clock = Clock()
    cache: TtlCache[str, bool] = TtlCache(60, monotonic=clock)
    cache.put("U1", False)
    clock.now += 59.9
    assert cache.get("U1") is False  # a stored False is a hit, not a miss
    clock.now += 0.1
    assert cache.get("U1") is None and len(cache) == 0
    assert cache.get("U2") is None


def test_storing_again_restarts_the_ttl():
    clock = Clock()
    cache: TtlCache[str, str] = TtlCache(10, monotonic=clock)
    cache.put("U1", "Ada")
    clock.now += 8
    cache.put("U1", "Ada L.")
    clock.now += 8
    assert cache.get("U1") == "Ada L."


def test_it_starts_afresh_at_its_limit_but_a_known_key_is_only_replaced():
    cache: TtlCache[int, int] = TtlCache(60, limit=3, monotonic=Clock())
    for n in range(3):
        cache.put(n, n)
    cache.put(2, 20)
    assert len(cache) == 3 and cache.get(2) == 20
    cache.put(9, 9)
    assert len(cache) == 1 and cache.get(0) is None and cache.get(9) == 9


def test_threads_share_it_without_losing_entries():
    cache: TtlCache[int, int] = TtlCache(60, limit=10_000, monotonic=Clock())
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: cache.put(n, n * 2), range(2000)))
    assert len(cache) == 2000 and all(cache.get(n) == n * 2 for n in range(2000))


class _Client:
    """users.info answered from a table, counting the calls."""

    def __init__(self, users: dict[str, dict]) -> None:
        self.users, self.calls = users, 0

    def users_info(self, *, user: str) -> dict:
        self.calls += 1
        return {"user": self.users[user]}


def test_names_and_admin_answers_are_cached_for_their_ttl():
    clock = Clock()
    client = _Client({"U1": {"is_admin": True, "profile": {"display_name": "Ada"}}, "U2": {"name": "bob"}})
    names, admins = UserNames(ttl=3600, monotonic=clock), AdminCheck(frozenset(), ttl=300, monotonic=clock)
    assert [names.name(client, "U1"), names.name(client, "U1")] == ["Ada", "Ada"]
    assert [admins.allowed(client, "U2"), admins.allowed(client, "U2")] == [False, False]
    assert client.calls == 2
    clock.now += 301
    assert admins.allowed(client, "U2") is False and names.name(client, "U1") == "Ada"
    assert client.calls == 3  # the admin answer expired, the name had not
