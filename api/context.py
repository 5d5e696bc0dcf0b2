"""What every route needs, built once per app: store, catalogue, settings, caches and the write lock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import Request

from api.quality import QualityCache
from api.response_cache import CachedAnswer, ResponseCache
from api.settings import WebSettings
from sozialgraph.catalog import Catalog, QueryResult
from sozialgraph.store import GraphStore


@dataclass
class AppContext:
    store: GraphStore
    settings: WebSettings
    catalog: Catalog
    quality: QualityCache
    pages: ResponseCache[CachedAnswer]
    results: ResponseCache[QueryResult]
    """Saved-query results until the next load: the pages run the same few queries again and again, and a public
    read of a state-sized store names each public graph, which is several times slower than reading the union."""
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    """Loads and deletes one at a time; reads never wait for it (the store shows old or new, never a mix)."""

    @property
    def base_uri(self) -> str:
        return self.store.base_uri

    @property
    def base_path(self) -> str:
        """The path under which entity IRIs are served: `/id/` for `https://sozialgraph.example/id/`."""
        return urlsplit(self.base_uri).path or "/"

    def local_path(self, iri: str) -> str | None:
        """Where this app serves `iri`, or None if the IRI was not minted with the configured base."""
        if self.base_uri.endswith("/") and iri.startswith(self.base_uri) and len(iri) > len(self.base_uri):
            return self.base_path + iri[len(self.base_uri):]
        return None


def context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx
