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
