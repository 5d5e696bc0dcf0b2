"""The store's version cache under a reader and a writer that overlap (the race the web app reported)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.config import DEFAULT_BASE_URI
from sozialgraph.store import GraphContent, GraphStore, SelectResult
from sozialgraph.store.embedded import EmbeddedBackend
from sozialgraph.store.graphs import _VERSIONS_QUERY


class PausingBackend(EmbeddedBackend):
    """The real in-memory backend; one version lookup waits, after reading, until the writer has finished."""

    def __init__(self) -> None:
        super().__init__(None)
        self.pause_next = False
        self.has_read = threading.Event()
        self.writer_done = threading.Event()

    def select(self, query: str, default_graphs: Sequence[NamedNode] | None) -> SelectResult:
        result = super().select(query, default_graphs)
        if query == _VERSIONS_QUERY and self.pause_next:
            self.pause_next = False
            self.has_read.set()
            assert self.writer_done.wait(timeout=30)
        return result


def _content(name: str) -> GraphContent:
    return GraphContent(name, [Triple(NamedNode(f"{DEFAULT_BASE_URI}offer/{name}"),
                                      NamedNode("http://schema.org/name"), Literal(name))])


def test_a_lookup_overlapping_a_whole_write_does_not_cache_outdated_versions() -> None:
    backend = PausingBackend()
    store = GraphStore(backend, DEFAULT_BASE_URI)
    store.replace([_content("alt")])
    store._versions = None  # the reader below must look the versions up, not find them cached
    backend.pause_next = True
    seen: list[set[str]] = []
    reader = threading.Thread(target=lambda: seen.append({info.name for info in store.graphs()}))
    reader.start()
    assert backend.has_read.wait(timeout=30)
    store.replace([_content("neu")])  # the whole write happens while the reader holds the old answer
    backend.writer_done.set()
    reader.join(timeout=30)
    assert seen == [{"_vocabulary", "alt"}]  # the reader itself saw the old state: allowed
    assert {info.name for info in store.graphs()} == {"_vocabulary", "alt", "neu"}  # but did not cache it
    store.close()
