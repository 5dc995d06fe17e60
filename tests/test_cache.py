from gradient_flow.losses.cache import LRU


def test_lru_makes_once_and_evicts_the_least_recently_used():
    made = []
    cache = LRU(2)

    def make(key):
        return lambda: made.append(key) or key.upper()

    assert cache.get("a", make("a")) == "A"
    assert cache.get("a", make("a")) == "A"
    cache.get("b", make("b"))
    cache.get("a", make("a"))  # a is now the most recent
    cache.get("c", make("c"))  # evicts b
    cache.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]
    assert len(cache) == 2


def test_a_slow_value_is_made_outside_the_lock_so_other_keys_are_served_meanwhile():
    import threading

    cache, started, release = LRU(4), threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(10)
        return "slow"

    worker = threading.Thread(target=lambda: cache.get("slow", slow))
    worker.start()
    assert started.wait(10)
    assert cache.get("quick", lambda: "quick") == "quick"  # not blocked by the slow make
    assert worker.is_alive()
    release.set()
    worker.join(10)
    assert cache.get("slow", lambda: "again") == "slow"


def test_many_threads_hammering_overlapping_keys_keep_the_bound_and_the_right_values():
    import threading

    cache = LRU(8)
    errors = []

    def hammer(seed):
        for i in range(400):
            key = (seed * 7 + i) % 20
            if cache.get(key, lambda k=key: k * k) != key * key:
                errors.append(key)

    threads = [threading.Thread(target=hammer, args=(s,)) for s in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and len(cache) <= 8


def test_a_value_keep_refuses_is_returned_but_not_stored():
    cache, made = LRU(4), []
    assert cache.get("k", lambda: made.append(1) or "cut", keep=lambda v: v != "cut") == "cut"
    assert cache.get("k", lambda: made.append(2) or "whole", keep=lambda v: v != "cut") == "whole"
    assert cache.get("k", lambda: made.append(3) or "again") == "whole"
    assert made == [1, 2]


def test_put_replaces_and_peek_makes_nothing():
    cache = LRU(2)
    assert cache.peek("a") is None and len(cache) == 0
    cache.put("a", 1)
    cache.put("a", 2)
    cache.put("b", 3)
    assert cache.peek("a") == 2  # a is now the most recent
    cache.put("c", 4)  # evicts b
    assert cache.peek("b", "gone") == "gone" and len(cache) == 2
