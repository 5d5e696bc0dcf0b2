"""Rendered answers kept until the store changes: entity pages are read far more often than data is loaded.

Keys include everything the answer depends on besides the data (path, access level, Accept header); the data
itself is represented by the list of current graph versions, so any load or delete empties the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sozialgraph.store import GraphStore


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]


Answer = TypeVar("Answer")


class ResponseCache(Generic[Answer]):
    def __init__(self, store: GraphStore, size: int = 4096) -> None:
        self.store = store
        self.size = size
        self._lock = threading.Lock()
        self._state: tuple[str, ...] = ()
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()

    def _current(self) -> tuple[str, ...]:
        state = tuple(info.version.value for info in self.store.graphs())
        if state != self._state:
            self._answers.clear()
            self._state = state
        return state

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            self._current()
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Answer, state: tuple[str, ...]) -> None:
        """Store `answer` if the data it was computed from (`state`) is still current."""
        with self._lock:
            if self._current() != state:
                return
            self._answers[key] = answer
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def state(self) -> tuple[str, ...]:
        with self._lock:
            return self._current()
