"""The store: one interface (`GraphStore`) over an embedded or a remote backend."""

from __future__ import annotations

from sozialgraph.config import DEFAULT_STORE, Settings
from sozialgraph.store.backend import Backend, SelectResult, Term
from sozialgraph.store.embedded import EmbeddedBackend
from sozialgraph.store.graphs import GraphContent, GraphInfo, GraphStore

__all__ = ["Backend", "GraphContent", "GraphInfo", "GraphStore", "SelectResult", "Term", "open_store"]


def open_store(settings: Settings, in_memory: bool = False) -> GraphStore:
    backend: Backend
    if settings.endpoint and not in_memory:
        from sozialgraph.store.remote import RemoteBackend

        backend = RemoteBackend.from_settings(settings)
    elif in_memory:
        backend = EmbeddedBackend(None)
    else:
        backend = EmbeddedBackend(settings.store_path or DEFAULT_STORE)
    return GraphStore(backend, settings.base_uri)
