"""A bounded, thread-safe LRU that an application owns (never a module global).

Parsing, differentiating and lambdifying cost milliseconds; evaluating costs
microseconds. Keeping the products of the first in a cache bounded by count
keeps memory flat however many distinct custom expressions arrive. The value
is made outside the lock, so one slow expression never blocks other requests;
two requests racing on the same new key may both make it, and one wins.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable


class LRU:
    def __init__(self, maxsize: int = 128):
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object], keep: Callable[[object], bool] | None = None):
        """The value for ``key``, made (outside the lock) if missing; ``keep`` may refuse to store it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        if keep is not None and not keep(value):
            return value
        self.put(key, value)
        return value

    def peek(self, key: Hashable, default=None):
        """The value for ``key`` (made the most recent), or ``default``; nothing is made."""
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value) -> None:
        """Store ``value`` for ``key``, replacing what was there: a value that moves on (a training
        run's latest state) rather than one made once."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
